"""Rules on attachment files: present, inside the meeting, of a known kind, and readable."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from ..diagnostics import Location, ReferatError, Report
from ..model.meeting import Meeting
from ..pdfcheck import pdf_problem
from ..render.libreoffice import CONVERT_HINT, check_word_size, find_soffice, word_notes
from ..xlsxcheck import BILAG_CELLS, SHEET_ADVICE, UNREADABLE, check_workbook, hidden_notes

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


def _shown(name: str) -> str:
    """A file name fit for a terminal: control and invisible characters (ESC, NUL, U+202E …) as \\uXXXX."""
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in name)


def bilag_files(meeting: Meeting, report: Report) -> None:
    """Every bilag file exists in bilag/, is a file of a supported kind, and (for PDF) opens."""
    folder = (meeting.folder / "bilag").resolve()
    inside = folder.is_relative_to(meeting.folder.resolve())  # bilag/ itself may be a link out of the meeting
    for item in meeting.items:
        for i, b in enumerate(item.bilag):
            if b.file is None:
                continue
            where = item.source.at(("bilag", i, "fil"))
            assert b.path is not None
            if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in b.file):
                report.error(where, f"bilagsfilens navn '{_shown(b.file)}' indeholder et kontroltegn eller usynligt "
                                    "tegn; giv filen et almindeligt navn")
                continue
            path = bilag_path(b.path)
            if not inside or Path(b.file).is_absolute() or not path.resolve().is_relative_to(folder):
                report.error(where, f"bilagsfilen '{b.file}' ligger uden for mødets bilag/-mappe")
                continue
            if not path.exists():
                report.error(where, f"bilagsfilen bilag/{b.file} findes ikke")
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
                from ..takster.annex import check_file  # a takstbilag: its own rules, its own file and lines

                report.extend(check_file(path, meeting.profile.tariff_tolerance_pct)[2])
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


def _word(path: Path, name: str, where: Location, report: Report) -> None:
    """A Word bilag within the bounds of a zip, and what of it the packet leaves out."""
    try:
        check_word_size(path)
        notes = word_notes(path, path.read_bytes())
    except ReferatError as exc:
        for diag in exc.report.errors:
            report.error(where, f"bilag/{name}: {diag.message}")
        return
    except OSError as exc:
        report.error(where, f"bilag/{name} kan ikke læses ({exc.strerror})")
        return
    for note in notes:
        report.warning(where, f"bilag/{name} {note}")


def _workbook(path: Path, name: str, where: Location, report: Report) -> None:
    """An Excel bilag within the bounds the packet can print, and what of it is hidden (left out)."""
    try:
        sheets = check_workbook(path, BILAG_CELLS, SHEET_ADVICE, UNREADABLE)
    except ReferatError as exc:
        for diag in exc.report.errors:
            report.error(where, f"bilag/{name}: {diag.message}")
        return
    if sheets and all(sheet.hidden for sheet in sheets):
        report.error(where, f"bilag/{name}: alle ark er skjulte; der er intet at vise")
        return
    for note in hidden_notes(sheets):
        report.warning(where, f"bilag/{name}: {note}")


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
        from ..packet.imagemeta import HEAD_BYTES, too_large

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
            if name in seen and _shown(name) == name:  # a name with control characters is an error already
                report.warning(item.source.at(("bilag", i, "fil")), f"bilag/{b.file} er vedhæftet to gange under punktet")
            seen.add(name)


_CHECKING: set[Path] = set()  # meetings whose previous-minutes references are being followed


def previous_minutes(meeting: Meeting, report: Report) -> None:
    """A bilag `referat: ../mappe` names a meeting whose minutes can be built: valid and in fase 'referat'."""
    from . import check_meeting  # the same checks, on the other meeting

    for item in meeting.items:
        for i, b in enumerate(item.bilag):
            if b.minutes_of is None or b.path is None:
                continue
            where = item.source.at(("bilag", i, "referat"))
            if b.path.resolve() == meeting.folder.resolve():
                report.error(where, "et møde kan ikke vedlægge sit eget referat")
                continue
            if b.path.resolve() in _CHECKING:
                report.error(where, f"'{b.minutes_of}' vedlægger selv (direkte eller via andre) referatet af dette "
                                    "møde; henvisningerne går i ring")
                continue
            _CHECKING.add(meeting.folder.resolve())
            try:
                other, sub_report = check_meeting(b.path)
            finally:
                _CHECKING.discard(meeting.folder.resolve())
            if other is None or sub_report.has_errors:
                first = sub_report.errors[0].format() if sub_report.errors else ""
                report.error(where, f"referatet i '{b.minutes_of}' kan ikke bygges: {first}")
            elif not other.is_minutes:
                report.error(where, f"mødet i '{b.minutes_of}' står stadig i fasen 'dagsorden'; der er intet referat endnu")


def archived_minutes(meeting: Meeting, report: Report) -> None:
    """A bilag `arkiv: udvalg/dato` names signed minutes in the archive, unchanged since they were stored
    (seed 002 L18-31: item 2 attaches the previous minutes, which by then are approved and signed)."""
    from ..archive.store import find_archived
    from ..diagnostics import ReferatError

    for item in meeting.items:
        for i, b in enumerate(item.bilag):
            if b.archived is None:
                continue
            where = item.source.at(("bilag", i, "arkiv"))
            try:
                _, manifest, _ = find_archived(meeting.folder, b.archived, where)
            except ReferatError as exc:
                report.extend(exc.report)
                continue
            if manifest.get("udvalg") == meeting.committee_id and manifest.get("dato") == meeting.date.isoformat():
                report.error(where, "et møde kan ikke vedlægge sit eget referat")


RULES = [bilag_files, duplicate_files, previous_minutes, archived_minutes]
