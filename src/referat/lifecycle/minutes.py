"""`referat to-minutes`: move a meeting from agenda to minutes without touching anything else in its files.

The files are edited by the one YAML writer (`load/yamledit.py`, keys from the model), so every comment, every
quote and every line not edited stays byte-identical, and a file keeps its line breaks (CR LF stays CR LF) and
byte-order mark: `fase: dagsorden` becomes `fase: referat`, every item gets a `beslutning:` pre-filled from the
profile's standard phrase for its type (and its `id`, when it has none), and an empty `fremmøde.til_stede` gets
the planned attendance (the members, less those announced absent) for the secretariat to correct. A file the
writer cannot edit safely (a `...` document end marker, mixed line breaks) is refused with its line, and no file
is changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Location, Report
from ..errors import InputError
from ..fileio import read_reason
from ..load import yamledit
from ..load.meeting import MEETING_FILE
from ..load.yamledit import Style, key, key_path
from ..model.item import Item, ItemType
from ..model.meeting import Meeting, Phase

DEFAULT_PHRASES = {
    ItemType.DECISION.value: "Godkendt",
    ItemType.INFORMATION.value: "Taget til efterretning",
    ItemType.DISCUSSION.value: "Drøftet",
    ItemType.STANDARD.value: "Godkendt",
}
STANDARD_WITHOUT_RECOMMENDATION = "Taget til efterretning"


@dataclass
class MinutesResult:
    written: list[Path] = field(default_factory=list)
    attendance_filled: int = 0
    report: Report = field(default_factory=Report)


def phrase_for(item: Item, phrases: dict[str, str]) -> str:
    if item.type is ItemType.STANDARD and not item.recommendation:
        return phrases.get("standard_uden_indstilling", STANDARD_WITHOUT_RECOMMENDATION)
    return phrases.get(item.type.value, DEFAULT_PHRASES[item.type.value])


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise InputError(f"filen kan ikke læses ({read_reason(exc)})", Location(path)) from None
    except UnicodeDecodeError:
        raise InputError("filen er ikke gyldig UTF-8; gem den som UTF-8", Location(path)) from None


def to_minutes(folder: Path, meeting: Meeting, report: Report) -> MinutesResult:
    """`meeting` and `report`: the folder as the pipeline checked it (no errors)."""
    from ..fileio import write_all
    from .identity import missing_ids, with_id

    if meeting.is_minutes:
        raise InputError("mødet står allerede i fasen 'referat'; intet er ændret", meeting.source.at(("fase",)))
    phrases = dict(meeting.profile.decision_phrases)
    decision = key(Item, "decision")
    texts = {item.file: _read_text(item.file) for item in meeting.items if item.file is not None}
    already = [item for item in meeting.items if item.file is not None
               and decision in (yamledit.load(texts[item.file], item.file) or {})]
    if already:
        for item in already:
            assert item.file is not None
            report.error(item.source.at((decision,)) if item.source is not None else Location(item.file),
                         "punktet har allerede en beslutning; 'referat to-minutes' udfylder kun tomme referater, "
                         "og intet er ændret")
        raise InputError(report)
    ids = missing_ids(meeting)
    files: dict[Path, str] = {}
    for item in meeting.items:
        assert item.file is not None
        text = texts[item.file]
        if item.file in ids:
            text = with_id(text, item.file, ids[item.file])
        files[item.file] = yamledit.set_value(text, item.file, (decision,), phrase_for(item, phrases) + "\n",
                                              Style(block_text=True))
    meeting_path = folder / MEETING_FILE
    text = yamledit.set_value(_read_text(meeting_path), meeting_path, key_path(Meeting, "phase"),
                              Phase.MINUTES.value)
    text, filled = _fill_attendance(text, meeting_path, meeting, report)
    files[meeting_path] = text
    write_all(files)
    return MinutesResult(list(files), filled, report)


def _fill_attendance(text: str, path: Path, meeting: Meeting, report: Report) -> tuple[str, int]:
    """Planned attendance into an empty `til_stede`: the members, less those announced absent. A møde.yaml the
    writer cannot place it in is left as it was, with a warning."""
    att = meeting.attendance
    if att.present:
        return text, 0
    absent = set(att.absent)
    names = [m.name for m in meeting.roster if m.name not in absent]
    if not names:
        return text, 0
    present = key_path(Meeting, "attendance", "present")
    current: Any = yamledit.load(text, path)
    for step in present:
        current = current.get(step) if isinstance(current, dict) else None
    if current not in (None, []):
        return text, 0
    try:
        return yamledit.set_value(text, path, present, names), len(names)
    except InputError as exc:
        report.warning(exc.report.items[0].location if exc.report.items else Location(path),
                       "fremmødet kunne ikke udfyldes automatisk (" + "; ".join(d.message for d in exc.report.items)
                       + "); skriv selv, hvem der var til stede, under fremmøde.til_stede")
        return text, 0
