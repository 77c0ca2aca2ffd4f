"""Validation: every rule a meeting is checked against, each a small function with its Danish message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..diagnostics import Report
from ..load.meeting import load_meeting
from ..model.meeting import Meeting
from . import attendance, bilag, content, privacy, structure
from .bilag import BilagChecks, Context

Rule = Callable[[Meeting, Report], None]

__all__ = ["BilagChecks", "Context", "Rule", "order", "rules", "validate_folder", "validate_meeting"]


def rules(context: Context | None = None) -> list[Rule]:
    """Every rule of one validation run, in order; the bilag rules use the checks the context passes in."""
    return [
        *structure.RULES,
        *attendance.RULES,
        *bilag.rules(context or Context()),
        *content.RULES,
        *privacy.RULES,
    ]


RULES: list[Rule] = rules()  # without the checks of the layers above (see BilagChecks)


# What each rule needs beyond the items: keys of møde.yaml, "profil" (the committee profile) and "medlemmer" (a
# roster: the meeting's own or the profile's). When møde.yaml or the profile has an error there, the rules that
# need the broken part are skipped and every other rule still runs (every problem at once).
NEEDS: dict[str, set[str]] = {
    "case_numbers": {"profil"},
    "meeting_times": set(),  # checks itself which of dato, start, slut, næste_møde it can use
    "decisions_match_phase": {"fase"},
    "members_known": {"medlemmer"},
    "members_once": {"medlemmer", "fase"},
    "substitutes": {"medlemmer"},
    "partial_attendance": {"punkter"},
    "back_references": {"dato"},
    "folder_date": {"dato"},
    "task_deadlines": {"dato"},
    "recommendation_addressee": {"profil"},
    "archived_minutes": {"udvalg", "dato", "profil"},
    "closed_reasons": {"profil"},
}


def _missing(meeting: Meeting) -> set[str]:
    broken = set(meeting.broken)
    if "profil" in broken and meeting.members is None:
        broken.add("medlemmer")
    return broken


def validate_meeting(meeting: Meeting, report: Report | None = None, context: Context | None = None) -> Report:
    """Run every rule on a loaded meeting (on a partly read one, the rules that do not need what is missing)."""
    report = report if report is not None else Report()
    missing = _missing(meeting)
    for rule in rules(context):
        if missing & NEEDS.get(rule.__name__, set()):
            continue
        if not missing:
            rule(meeting, report)
            continue
        try:  # a rule not listed in NEEDS that turns out to need the broken part is skipped too
            rule(meeting, report)
        except (AssertionError, AttributeError, TypeError, ValueError):
            continue
    return report


def validate_folder(folder: Path, templates: list[Path] | None = None, *,
                    context: Context | None = None) -> tuple[Meeting | None, Report]:
    """Load and validate a meeting folder: the model (if it loaded) and every problem, in file order.

    The checks of the layers above (a takstbilag's rules, archived minutes) run when `context` carries them:
    the pipeline's `referat.app.pipeline.check_folder` passes them all; commands use that one."""
    meeting, report = load_meeting(folder, templates)
    if meeting is not None:
        validate_meeting(meeting, report, context)
        report.items.sort(key=order(meeting))
    return meeting, report


def order(meeting: Meeting) -> Callable[..., tuple[int, int, int]]:
    rank = {meeting.folder / "møde.yaml": 0}
    for i, name in enumerate(meeting.item_files, start=1):  # also the files that could not be read
        rank.setdefault(meeting.folder / "punkter" / name, i)
    def key(diag) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
        loc = diag.location
        return (rank.get(loc.path, len(rank) + 1), loc.line or 0, loc.col or 0)
    return key
