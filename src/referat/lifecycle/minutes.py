"""`referat to-minutes`: move a meeting from agenda to minutes without touching anything else in its files.

The files are edited as text at the places ruamel's round-trip loader reports, so every comment, every quote
and every line not edited stays byte-identical: `fase: dagsorden` becomes `fase: referat`, every item gets a
`beslutning:` pre-filled from the profile's standard phrase for its type, and an empty `fremmøde.til_stede`
gets the planned attendance (the members, less those announced absent) for the secretariat to correct.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from ..diagnostics import Location, ReferatError, Report
from ..load.meeting import MEETING_FILE
from ..model.item import Item, ItemType
from ..model.meeting import Meeting

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


def _round_trip(text: str, path: Path) -> CommentedMap:
    try:
        data = YAML().load(text)
    except YAMLError as exc:
        raise ReferatError(f"filen kan ikke læses som YAML ({type(exc).__name__})", Location(path)) from None
    if not isinstance(data, CommentedMap) or data.fa.flow_style():
        raise ReferatError("filen skal være en YAML-mapping i blokform (nøgle: værdi pr. linje) for at kunne "
                           "rettes automatisk", Location(path))
    return data


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReferatError(f"filen kan ikke læses ({type(exc).__name__})", Location(path)) from None


def _block(key: str, text: str, indent: str = "") -> str:
    body = "".join(f"{indent}  {line}\n" if line else "\n" for line in text.splitlines())
    return f"{indent}{key}: |\n{body}"


def to_minutes(folder: Path, meeting: Meeting, report: Report) -> MinutesResult:
    """`meeting` and `report`: the folder as the pipeline checked it (no errors)."""
    from ..fileio import write_all

    if meeting.is_minutes:
        raise ReferatError("mødet står allerede i fasen 'referat'; intet er ændret", meeting.source.at(("fase",)))
    phrases = dict(meeting.profile.decision_phrases)
    already = [item for item in meeting.items if item.file is not None
               and "beslutning" in _round_trip(_read_text(item.file), item.file)]
    if already:
        for item in already:
            assert item.file is not None
            report.error(item.source.at(("beslutning",)) if item.source is not None else Location(item.file),
                         "punktet har allerede en beslutning; 'referat to-minutes' udfylder kun tomme referater, "
                         "og intet er ændret")
        raise ReferatError(report)
    files: dict[Path, str] = {}
    for item in meeting.items:
        assert item.file is not None
        text = _read_text(item.file)
        if text and not text.endswith("\n"):
            text += "\n"
        files[item.file] = text + _block("beslutning", phrase_for(item, phrases))
    meeting_path = folder / MEETING_FILE
    text = _read_text(meeting_path)
    data = _round_trip(text, meeting_path)
    lines = text.splitlines(keepends=True)
    line, col = data.lc.value("fase")
    m = re.compile(r"""(["']?)dagsorden\1""").match(lines[line], col)
    if m is None:
        raise ReferatError("'fase' kan ikke rettes automatisk; skriv 'fase: referat'",
                           Location(meeting_path, line + 1, col + 1))
    quote = m.group(1)
    lines[line] = lines[line][:m.start()] + f"{quote}referat{quote}" + lines[line][m.end():]
    filled = _fill_attendance(data, lines, meeting)
    files[meeting_path] = "".join(lines)
    write_all(files)
    return MinutesResult(list(files), filled, report)


def _fill_attendance(data: CommentedMap, lines: list[str], meeting: Any) -> int:
    """Planned attendance into an empty `til_stede`: the members, less those announced absent."""
    att = meeting.attendance
    if att.present:
        return 0
    absent = set(att.absent)
    names = [m.name for m in meeting.roster if m.name not in absent]
    if not names:
        return 0
    entries = "".join(f"    - {json.dumps(n, ensure_ascii=False)}\n" for n in names)
    section = data.get("fremmøde")
    if "fremmøde" not in data:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.append("fremmøde:\n  til_stede:\n" + entries)
        return len(names)
    if not isinstance(section, CommentedMap) or section.fa.flow_style():
        return 0
    if "til_stede" in section:
        line, col = section.lc.key("til_stede")
        vline, vcol = section.lc.value("til_stede")
        if vline != line or not re.match(r"\[\s*\]\s*(#.*)?$", lines[line][vcol:].rstrip("\n")):
            return 0
        indent = " " * col
        comment = re.search(r"#.*$", lines[line][vcol:].rstrip("\n"))
        head = f"{indent}til_stede:" + (f"  {comment.group(0)}" if comment else "") + "\n"
        lines[line] = head + "".join(f"{indent}  - {json.dumps(n, ensure_ascii=False)}\n" for n in names)
        return len(names)
    line, _ = data.lc.key("fremmøde")
    if not lines[line].rstrip("\n").rstrip().endswith(":"):
        return 0
    first = next(iter(section), None)
    indent = " " * (section.lc.key(first)[1] if first is not None else 2)
    lines[line] = lines[line] + f"{indent}til_stede:\n" + "".join(
        f"{indent}  - {json.dumps(n, ensure_ascii=False)}\n" for n in names)
    return len(names)
