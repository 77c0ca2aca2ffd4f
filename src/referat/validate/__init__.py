"""Validation: every rule a meeting is checked against, each a small function with its Danish message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..diagnostics import Report
from ..load.meeting import load_meeting
from ..model.meeting import Meeting
from . import attendance, bilag, content, structure

Rule = Callable[[Meeting, Report], None]

RULES: list[Rule] = [
    *structure.RULES,
    *attendance.RULES,
    *bilag.RULES,
    *content.RULES,
]


def validate_meeting(meeting: Meeting, report: Report | None = None) -> Report:
    """Run every rule on a loaded meeting."""
    report = report if report is not None else Report()
    for rule in RULES:
        rule(meeting, report)
    return report


def check_meeting(folder: Path, templates: list[Path] | None = None) -> tuple[Meeting | None, Report]:
    """Load and validate a meeting folder: the model (if it loaded) and every problem, in file order."""
    meeting, report = load_meeting(folder, templates)
    if meeting is not None:
        validate_meeting(meeting, report)
        report.items.sort(key=_order(meeting))
    return meeting, report


def _order(meeting: Meeting) -> Callable[..., tuple[int, int, int]]:
    rank = {meeting.folder / "møde.yaml": 0}
    for i, item in enumerate(meeting.items, start=1):
        if item.file is not None:
            rank[item.file] = i
    def key(diag) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
        loc = diag.location
        return (rank.get(loc.path, len(rank) + 1), loc.line or 0, loc.col or 0)
    return key
