"""Rules on attachment files: present, inside the meeting, of a known kind, and readable."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Location, ReferatError, Report
from ..fileio import read_reason
from ..files.checkcache import digest, file_digest, remembered
from ..files.imagemeta import HEAD_BYTES, too_large
from ..files.libreoffice import CONVERT_HINT, check_word_size, find_soffice, word_notes
from ..files.pdfcheck import pdf_problem
from ..files.xlsxcheck import BILAG_CELLS, SHEET_ADVICE, UNREADABLE, check_workbook, hidden_notes
from ..load import confine
from ..model.meeting import Meeting

FileCheck = Callable[[Path, Meeting], Report]
"""Checks a bilag file of a kind a higher layer owns (a takstbilag): its own findings, with its own file and lines."""

ArchiveLookup = Callable[[Path, str, Location], Mapping[str, object]]
"""The manifest of the archived minutes a bilag `arkiv: udvalg/dato` names (a ReferatError when it cannot be used)."""


@dataclass(frozen=True)
class BilagChecks:
    """What validation needs from the layers above it, passed in by them (validation imports none of them).

    `files` maps a file suffix to its checker (the takster package checks a takstbilag); `archived` finds archived
    minutes. Without them a takstbilag is checked only as a file, and `arkiv:` references are not looked up."""

    files: Mapping[str, FileCheck] = field(default_factory=dict)
    archived: ArchiveLookup | None = None


@dataclass(frozen=True)
class Context:
    """One validation run: the checks passed in from above, and the meetings whose previous-minutes references
    are being followed (so that a ring of references ends with a message, not a recursion)."""

    checks: BilagChecks = field(default_factory=BilagChecks)
    following: frozenset[Path] = frozenset()

KINDS = {".pdf": "PDF", ".docx": "Word", ".doc": "Word", ".xlsx": "Excel", ".xlsm": "Excel",
         ".png": "billede", ".jpg": "billede", ".jpeg": "billede", ".yaml": "takstbilag", ".yml": "takstbilag"}


def bilag_path(path: Path) -> Path:
    """`path`, or the file in its folder whose name is the same after Unicode NFC normalisation.

    macOS and many zip tools write 'ø' or 'å' decomposed (NFD: 'o' + a combining stroke); the YAML typed in an
    editor has them composed (NFC). Both name the same file to the user, so they do here.
    """
    if "\0" in str(path) or path.exists() or path.is_symlink():
        return path
    wanted = unicodedata.normalize("NFC", path.name)
    try:
        for entry in path.parent.iterdir():
            if unicodedata.normalize("NFC", entry.name) == wanted:
                return entry
    except OSError:
        pass
    return path


def _near_name(name: str, folder: Path) -> str:
    """"; mente du 'x'?" for a file in the folder with a near name: a typo, or æ/ø/å written ae/oe/aa or the
    other way round ('afdaekning.pdf' for 'afdækning.pdf'), or another case."""
    from ..load.messages import did_you_mean

    try:
        names = [p.name for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    except OSError:
        return ""
    return did_you_mean(name, names[:10_000])


def bilag_files(meeting: Meeting, report: Report, context: Context | None = None) -> None:
    """Every bilag file exists in bilag/, is a file of a supported kind, and (for PDF) opens."""
    context = context or Context()
    folder = meeting.folder / "bilag"
    inside = confine.inside(folder, meeting.folder)  # bilag/ itself may be a link out of the meeting
    for item in meeting.items:
        for i, b in enumerate(item.bilag):
            if b.file is None:
                continue
            where = item.source.at(("bilag", i, "fil"))
            assert b.path is not None  # a name with a control or invisible character never gets here: the
            # model's FileName refuses it when the item is loaded (tests/test_office_bilag.py, control characters)
            path = bilag_path(b.path)
            if not inside or Path(b.file).is_absolute() or not confine.inside(path, folder):
                report.error(where, f"bilagsfilen '{b.file}' ligger uden for mødets bilag/-mappe")
                continue
            if not path.exists():
                report.error(where, f"bilagsfilen bilag/{b.file} findes ikke{_near_name(b.file, path.parent)}")
                continue
            if path.is_dir():
                report.error(where, f"bilag/{b.file} er en mappe, ikke en fil")
                continue
            suffix = Path(b.file).suffix.lower()
            if suffix not in KINDS:
                known = ", ".join(sorted(KINDS))
                report.error(where, f"bilag/{b.file}: filtypen '{suffix or '(ingen)'}' understøttes ikke; brug {known}")
                continue
            if path.stat().st_size == 0:
                report.error(where, f"bilag/{b.file} er tom (0 byte)")
                continue
            if suffix == ".pdf":
                problem = pdf_problem(path)
                if problem:
                    report.error(where, f"bilag/{b.file}: {problem}")
            elif suffix in (".yaml", ".yml"):
                check = context.checks.files.get(suffix)  # a takstbilag: its own rules, its own file and lines
                if check is not None:
                    report.extend(check(path, meeting))
            else:
                problem = _format_problem(path, suffix)
                if problem:
                    report.error(where, f"bilag/{b.file}: {problem}")
                elif suffix in (".xlsx", ".xlsm"):
                    _workbook(path, b.file, where, report)
                elif suffix in (".docx", ".doc"):
                    if suffix == ".docx":
                        _word(path, b.file, where, report)
                    else:
                        report.warning(where, f"bilag/{b.file} er i Words gamle format (.doc): sporede ændringer og "
                                              "kommentarer kan ikke fjernes før konverteringen; gem filen som .docx "
                                              "eller PDF")
                    if find_soffice() is None:
                        report.warning(where, f"bilag/{b.file} skal konverteres til PDF med LibreOffice, som ikke er "
                                              f"installeret; {CONVERT_HINT}")


def links_out(meeting: Meeting, report: Report) -> None:
    """A file in bilag/ that leads (by a symbolic link) out of the meeting folder: `send` and `diff` hash every file
    of bilag/, and refuse it (load/confine.py); validation says so first. The bilag an item names are checked by
    `bilag_files`."""
    folder = meeting.folder / "bilag"
    if not folder.is_dir() or not confine.inside(folder, meeting.folder):
        return
    named = {b.file for item in meeting.items for b in item.bilag if b.file is not None}
    for entry in sorted(folder.iterdir()):
        if not entry.name.startswith(".") and entry.name not in named and not confine.inside(entry, meeting.folder):
            report.error(Location(entry), confine.outside_message(f"bilag/{entry.name}"))


def _word(path: Path, name: str, where: Location, report: Report) -> None:
    """A Word bilag within the bounds of a zip, and what of it the packet leaves out (kept in the check cache)."""
    try:
        check_word_size(path)
        data = path.read_bytes()
    except ReferatError as exc:
        for diag in exc.report.errors:
            report.error(where, f"bilag/{name}: {diag.message}")
        return
    except OSError as exc:
        report.error(where, f"bilag/{name} kan ikke læses ({read_reason(exc)})")
        return

    def check() -> dict[str, list[str]]:
        try:
            return {"errors": [], "notes": word_notes(path, data)}
        except ReferatError as exc:
            return {"errors": [diag.message for diag in exc.report.errors], "notes": []}

    found = remembered("word", digest(data), "", check, _messages)
    for message in found["errors"]:
        report.error(where, f"bilag/{name}: {message}")
    for note in found["notes"]:
        report.warning(where, f"bilag/{name} {note}")


def _workbook(path: Path, name: str, where: Location, report: Report) -> None:
    """An Excel bilag within the bounds the packet can print, and what of it is hidden (left out); kept in the
    check cache."""
    try:
        key = file_digest(path)
    except OSError as exc:
        report.error(where, f"bilag/{name} kan ikke læses ({read_reason(exc)})")
        return

    def check() -> dict[str, list[str]]:
        try:
            sheets = check_workbook(path, BILAG_CELLS, SHEET_ADVICE, UNREADABLE)
        except ReferatError as exc:
            return {"errors": [diag.message for diag in exc.report.errors], "notes": []}
        if sheets and all(sheet.hidden for sheet in sheets):
            return {"errors": ["alle ark er skjulte; der er intet at vise"], "notes": []}
        return {"errors": [], "notes": hidden_notes(sheets)}

    found = remembered("excel", key, f"{BILAG_CELLS}", check, _messages)
    for message in found["errors"]:
        report.error(where, f"bilag/{name}: {message}")
    for note in found["notes"]:
        report.warning(where, f"bilag/{name}: {note}")


def _messages(kept: object) -> bool:
    """A kept check result has the shape the checks above give."""
    return (isinstance(kept, dict) and set(kept) == {"errors", "notes"}
            and all(isinstance(v, list) and all(isinstance(m, str) for m in v) for v in kept.values()))


_MAGIC = {".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
          ".xlsx": (b"PK\x03\x04",), ".xlsm": (b"PK\x03\x04",), ".docx": (b"PK\x03\x04",),
          ".doc": (b"\xd0\xcf\x11\xe0",)}


def _format_problem(path: Path, suffix: str) -> str | None:
    """A cheap look at the first bytes: is the file what its name says? (The packet opens it fully.)"""
    with path.open("rb") as fh:
        head = fh.read(8)
    if suffix in (".xlsx", ".xlsm", ".docx") and head.startswith(b"\xd0\xcf\x11\xe0"):
        return ("er krypteret med adgangskode eller gemt i det gamle binære format; gem den som "
                f"{'Excel-projektmappe (.xlsx)' if suffix != '.docx' else 'Word-dokument (.docx)'} uden adgangskode")
    expected = _MAGIC.get(suffix)
    if expected and not head.startswith(expected):
        return f"er ikke en gyldig {suffix.lstrip('.').upper()}-fil (beskadiget, eller forkert filendelse)"
    if suffix in (".png", ".jpg", ".jpeg"):
        with path.open("rb") as fh:
            return too_large(fh.read(HEAD_BYTES), path.stat().st_size)
    return None


def duplicate_files(meeting: Meeting, report: Report) -> None:
    """The same file attached twice under one item is almost always a copy-paste slip."""
    for item in meeting.items:
        seen: set[str] = set()
        for i, b in enumerate(item.bilag):
            if b.file is None:
                continue
            name = unicodedata.normalize("NFC", b.file)
            if name in seen:
                report.warning(item.source.at(("bilag", i, "fil")), f"bilag/{b.file} er vedhæftet to gange under punktet")
            seen.add(name)


def previous_minutes(meeting: Meeting, report: Report, context: Context | None = None) -> None:
    """A bilag `referat: ../mappe` names a meeting whose minutes can be built: valid and in fase 'referat'."""
    context = context or Context()
    from . import validate_folder  # the same checks, on the other meeting (a module of this package)

    for item in meeting.items:
        for i, b in enumerate(item.bilag):
            if b.minutes_of is None or b.path is None:
                continue
            where = item.source.at(("bilag", i, "referat"))
            if b.path.resolve() == meeting.folder.resolve():
                report.error(where, "et møde kan ikke vedlægge sit eget referat")
                continue
            if b.path.resolve() in context.following:
                report.error(where, f"'{b.minutes_of}' vedlægger selv (direkte eller via andre) referatet af dette "
                                    "møde; henvisningerne går i ring")
                continue
            inner = Context(context.checks, context.following | {meeting.folder.resolve()})
            other, sub_report = validate_folder(b.path, context=inner)
            if other is None or sub_report.has_errors:
                first = sub_report.errors[0].format() if sub_report.errors else ""
                report.error(where, f"referatet i '{b.minutes_of}' kan ikke bygges: {first}")
            elif not other.is_minutes:
                report.error(where, f"mødet i '{b.minutes_of}' står stadig i fasen 'dagsorden'; der er intet referat endnu")


def archived_minutes(meeting: Meeting, report: Report, context: Context | None = None) -> None:
    """A bilag `arkiv: udvalg/dato` names signed minutes in the archive, unchanged since they were stored
    (seed 002 L18-31: item 2 attaches the previous minutes, which by then are approved and signed)."""
    context = context or Context()
    find_archived = context.checks.archived
    if find_archived is None:
        return
    for item in meeting.items:
        for i, b in enumerate(item.bilag):
            if b.archived is None:
                continue
            where = item.source.at(("bilag", i, "arkiv"))
            try:
                manifest = find_archived(meeting.folder, b.archived, where)
            except ReferatError as exc:
                report.extend(exc.report)
                continue
            if manifest.get("udvalg") == meeting.committee_id and manifest.get("dato") == meeting.date.isoformat():
                report.error(where, "et møde kan ikke vedlægge sit eget referat")


Rule = Callable[[Meeting, Report], None]


def rules(context: Context) -> list[Rule]:
    """The bilag rules of one validation run, in order; each keeps its name (validation's NEEDS refers to it)."""

    def bilag_files_(meeting: Meeting, report: Report) -> None:
        bilag_files(meeting, report, context)

    def previous_minutes_(meeting: Meeting, report: Report) -> None:
        previous_minutes(meeting, report, context)

    def archived_minutes_(meeting: Meeting, report: Report) -> None:
        archived_minutes(meeting, report, context)

    named = [(bilag_files_, "bilag_files"), (previous_minutes_, "previous_minutes"),
             (archived_minutes_, "archived_minutes")]
    for rule, name in named:
        rule.__name__ = rule.__qualname__ = name
    return [bilag_files_, links_out, duplicate_files, previous_minutes_, archived_minutes_]
