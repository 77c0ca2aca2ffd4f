"""Bounds and hidden-content facts of an .xlsx workbook, found before openpyxl reads anything.

openpyxl trusts a workbook: one value in cell XFD1048576 makes it walk 17 billion cells, and a 2 MB file
may unpack to gigabytes. `check_workbook` looks at the zip directory (sizes and compression ratios), then
streams each worksheet's XML once with a byte cap and counts its cells and the box its values span. The
`<dimension ref=…>` the producer wrote is read too, but never trusted on its own: it can be absent, stale or
forged, and formatting alone widens it. Everything here is cheap: the zip directory, and at most
`MAX_MEMBER_BYTES` of XML per sheet, scanned with one regular expression.

Limits (said in the messages, documented in docs/robustness.md):
- any zip member unpacks to at most 64 MB (an XML part, which openpyxl parses whole, to 48 MB), the whole
  workbook to at most 256 MB, at most 10,000 members;
- a member over 1 MB unpacked may not be compressed more than 200:1 (real sheets compress 5-30:1);
- the values of a sheet span at most `limit` cells (rows x columns of the used box): 100,000 for a bilag
  (`BILAG_CELLS`), 300,000 for a takstskema (`IMPORT_CELLS`);
- a worksheet holds at most twice that many cell elements (with or without a value: formatting alone makes
  cells, and openpyxl builds an object for each); the shared-string table at most as many entries.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from ..diagnostics import Location
from ..errors import InputError

MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_XML_BYTES = 48 * 1024 * 1024  # a sheet or the shared strings: openpyxl parses all of it
MAX_RATIO = 200
RATIO_FROM_BYTES = 1024 * 1024
MAX_WORKBOOK_XML = 8 * 1024 * 1024  # workbook.xml and its relationships: names of sheets, never large
BILAG_CELLS = 100_000
IMPORT_CELLS = 300_000
CHUNK = 1024 * 1024
UNREADABLE = "Excel-filen kan ikke åbnes"  # how a bilag that is no zip at all is named
SHEET_ADVICE = "gem det relevante udsnit af regnearket som PDF og vedlæg det i stedet"

# what reading a member of a stranger's zip can raise: damage, a wrong length, an unknown compression, a
# member encrypted with a password (RuntimeError), a bad deflate stream
ZIP_ERRORS = (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError, zlib.error)

_TAG = re.compile(rb"<(?:[\w.\-]+:)?(row|c)(?=[\s/>])([^>]*)>")
_REF = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]{0,3})(\d*)["']""")
_DIMENSION = re.compile(rb"""<(?:[\w.\-]+:)?dimension\s[^>]*?ref\s*=\s*["']([^"']*)["']""")
_CELL = re.compile(rb"<(?:[\w.\-]+:)?c[\s/>]")
_CELL_WITH_REF = re.compile(rb"""<(?:[\w.\-]+:)?c\s[^>]*?\br\s*=\s*["'][A-Za-z]""")
# a cell that may hold a value (neither <c …/> nor <c …></c>): its column letters and row digits
_VALUED = re.compile(rb"""<(?:[\w.\-]+:)?c\s[^>]*?\br\s*=\s*["']([A-Za-z]{1,3})(\d+)["'][^>]*(?<!/)>"""
                     rb"(?!\s*</(?:[\w.\-]+:)?c>)")
_VALUED_PLAIN = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*(?<!/)>(?!</c>)')
_EMPTY_END = re.compile(rb"\s*</(?:[\w.\-]+:)?c>")
_PREFIXED_SI = re.compile(rb"<[\w.\-]+:si[\s>]")
# a row or column hidden, or shrunk to nothing (height or width 0), which hides it as well
_HIDDEN_ROW = re.compile(rb"""<(?:[\w.\-]+:)?row\s[^>]*?\b(?:hidden\s*=\s*["'](?:1|true)["']|ht\s*=\s*["']0*\.?0*["'])""")
_HIDDEN_COL = re.compile(rb"""<(?:[\w.\-]+:)?col\s[^>]*?\b(?:hidden\s*=\s*["'](?:1|true)["']|width\s*=\s*["']0*\.?0*["'])""")
_WORKSHEET_PART = re.compile(r"(?i)(^|/)(worksheets|chartsheets|dialogsheets|macrosheets)/[^/]+\.xml$")
_OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STRICT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"


@dataclass
class SheetFacts:
    """One worksheet as the workbook declares it, and what the scan of its XML found."""

    name: str
    state: str  # "visible", "hidden" or "veryHidden"
    part: str | None  # the zip member, e.g. "xl/worksheets/sheet1.xml"
    dimension: str | None = None  # as the producer wrote it, for messages only
    cells: int = 0  # <c> elements, with or without a value
    rows: int = 0  # the last row holding a value (1-based; 0 when none)
    cols: int = 0  # the last column holding a value
    hidden_rows: int = 0  # rows marked hidden (a collapsed outline or a filter hides rows this way too)
    hidden_cols: int = 0  # <col> ranges marked hidden

    @property
    def hidden(self) -> bool:
        return self.state in ("hidden", "veryHidden")

    @property
    def box(self) -> int:
        return self.rows * self.cols


def hidden_notes(sheets: list[SheetFacts]) -> list[str]:
    """What is hidden in the workbook and so left out of the packet, one Danish sentence per sheet."""
    notes = []
    for sheet in sheets:
        if sheet.hidden:
            kind = "skjult" if sheet.state == "hidden" else "skjult (meget skjult)"
            notes.append(f"arket '{sheet.name}' er {kind} og kommer ikke med")
            continue
        parts = []
        if sheet.hidden_rows:
            parts.append(f"{sheet.hidden_rows} skjult{'e' if sheet.hidden_rows > 1 else ''} "
                         f"række{'r' if sheet.hidden_rows > 1 else ''}")
        if sheet.hidden_cols:
            parts.append(f"{sheet.hidden_cols} skjult{'e' if sheet.hidden_cols > 1 else ''} "
                         f"kolonne{'r' if sheet.hidden_cols > 1 else ''}")
        if parts:
            notes.append(f"arket '{sheet.name}' har {' og '.join(parts)}, som ikke kommer med")
    return notes


def column_letters(n: int) -> str:
    letters = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def check_zip(archive: zipfile.ZipFile, path: Path, advice: str) -> None:
    """The zip directory within bounds: member count, unpacked sizes, compression ratios (a zip bomb).

    Used for workbooks here and for Word bilag before LibreOffice opens them.
    """
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"filen har {_count(len(infos))} dele; grænsen er {_count(MAX_MEMBERS)} (ikke en "
                           f"almindelig Office-fil); {advice}", Location(path))
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        name = _printable_name(info.filename)
        if info.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise InputError(f"delen '{name}' er pakket {ratio:.0f}:1 og fylder {_mb(info.file_size)} udpakket; "
                               f"grænsen er {MAX_RATIO}:1 (filen ligner en zip-bombe); {advice}", Location(path))
        cap = MAX_XML_BYTES if info.filename.lower().endswith((".xml", ".rels")) else MAX_MEMBER_BYTES
        if info.file_size > cap:
            raise InputError(f"delen '{name}' fylder {_mb(info.file_size)} udpakket; grænsen er "
                               f"{_mb(cap)} for {'XML-dele' if cap == MAX_XML_BYTES else 'en del'}; {advice}",
                               Location(path))
    if total > MAX_TOTAL_BYTES:
        raise InputError(f"filen pakker sig ud til {_mb(total)}; grænsen er {_mb(MAX_TOTAL_BYTES)}; {advice}",
                           Location(path))


def check_workbook(path: Path, limit: int, advice: str,
                   unreadable: str = "filen kan ikke læses som Excel (.xlsx)") -> list[SheetFacts]:
    """The workbook's sheets, or a ReferatError naming file (and sheet) and the limit that was passed.

    `limit` bounds the box of each sheet's values; `advice` ends the message (what the user can do);
    `unreadable` starts the message for a file that is no zip at all.
    Hidden sheets are checked too: openpyxl would read them as well.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"{unreadable} ({type(exc).__name__})", Location(path)) from None
    with archive:
        check_zip(archive, path, advice)
        sheets = _sheets(archive, path)
        names = set(archive.namelist())
        strings = _count_strings(archive, 2 * limit)
        if strings > 2 * limit:
            raise InputError(f"filen har over {_count(2 * limit)} forskellige tekster (sharedStrings); grænsen er "
                               f"{_count(2 * limit)}; {advice}", Location(path))
        known = {sheet.part for sheet in sheets}
        # a worksheet part the workbook does not list the usual way is still bounded: openpyxl may find it
        stray = [SheetFacts(name=name.rsplit("/", 1)[-1], state="visible", part=name) for name in sorted(names)
                 if _WORKSHEET_PART.search(name) and name not in known]
        for sheet in [*sheets, *stray]:
            if sheet.part is None or sheet.part not in names:
                continue
            _scan(archive, sheet, 2 * limit, path)
            where = Location(path, where=sheet.name)
            if sheet.cells > 2 * limit:
                raise InputError(f"arket '{sheet.name}' har over {_count(2 * limit)} celler (med indhold eller "
                                   f"formatering); grænsen er {_count(2 * limit)}; {advice}", where)
            if sheet.box > limit:
                corner = f"{column_letters(sheet.cols)}{sheet.rows}"
                raise InputError(
                    f"arket '{sheet.name}' har værdier helt ud til celle {corner} ({_count(sheet.rows)} rækker × "
                    f"{_count(sheet.cols)} kolonner); grænsen er {_count(limit)} celler; slet indhold uden for "
                    f"tabellen, eller {advice}", where)
    return sheets


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _printable_name(name: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in name)[:120]


def _read_small(archive: zipfile.ZipFile, name: str, path: Path) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_WORKBOOK_XML:
        raise InputError(f"delen '{name}' er over {_mb(MAX_WORKBOOK_XML)}; filen er ikke en almindelig Excel-fil",
                           Location(path))
    try:
        return archive.read(name)
    except ZIP_ERRORS as exc:
        raise InputError(f"filen kan ikke læses som Excel (.xlsx) ({type(exc).__name__})", Location(path)) from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse(data: bytes, name: str, path: Path) -> ElementTree.Element:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:  # no entity expansion from a stranger's file
        raise InputError(f"delen '{name}' indeholder en DTD; filen er ikke en almindelig Excel-fil", Location(path))
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise InputError(f"delen '{name}' er beskadiget (ikke gyldig XML)", Location(path)) from None


def _sheets(archive: zipfile.ZipFile, path: Path) -> list[SheetFacts]:
    """The worksheets in workbook order with their visibility and zip member (via the relationships)."""
    workbook_name = "xl/workbook.xml"
    rels = _read_small(archive, "_rels/.rels", path)
    if rels is not None:
        for rel in _parse(rels, "_rels/.rels", path):
            if rel.get("Type", "").endswith("/officeDocument"):
                workbook_name = rel.get("Target", workbook_name).lstrip("/")
    data = _read_small(archive, workbook_name, path)
    if data is None:
        raise InputError("filen er ingen Excel-projektmappe (xl/workbook.xml mangler)", Location(path))
    base = posixpath.dirname(workbook_name)
    rel_name = posixpath.join(base, "_rels", posixpath.basename(workbook_name) + ".rels")
    targets: dict[str, str] = {}
    rel_data = _read_small(archive, rel_name, path)
    if rel_data is not None:
        for rel in _parse(rel_data, rel_name, path):
            target = rel.get("Target", "")
            targets[rel.get("Id", "")] = (target.lstrip("/") if target.startswith("/")
                                          else posixpath.normpath(posixpath.join(base, target)))
    sheets = []
    for element in _parse(data, workbook_name, path).iter():
        if _local(element.tag) != "sheet":
            continue
        rid = element.get(f"{{{_OFFICE_REL}}}id") or element.get(f"{{{_STRICT_REL}}}id") or ""
        sheets.append(SheetFacts(name=element.get("name", "?"), state=element.get("state", "visible"),
                                 part=targets.get(rid)))
    return sheets


def _count_strings(archive: zipfile.ZipFile, stop: int) -> int:
    """How many shared strings the workbook holds (openpyxl builds them all before the first cell), up to `stop`."""
    names = [n for n in archive.namelist() if n.lower().endswith("sharedstrings.xml")]
    count = 0
    try:
        for name in names:
            for body in _chunks(archive, name):
                count += body.count(b"<si>") + body.count(b"<si ") + len(_PREFIXED_SI.findall(body))
                if count > stop:
                    return count
    except ZIP_ERRORS:
        pass  # openpyxl names the damage next
    return count


def _scan(archive: zipfile.ZipFile, sheet: SheetFacts, max_cells: int, path: Path) -> None:
    """Count the sheet's cells and the box its values span, reading its XML once (bounded by the zip checks).

    Fast path: regular expressions over 1 MB chunks, no Python work per cell (rows and cells come in order,
    so the last valued cell of a chunk has its highest row). A sheet whose cells omit their `r` reference
    (allowed, rare) is walked element by element instead.
    """
    assert sheet.part is not None
    try:
        if not _scan_fast(archive, sheet, max_cells):
            sheet.cells = sheet.rows = sheet.cols = sheet.hidden_rows = sheet.hidden_cols = 0
            _scan_slow(archive, sheet, max_cells)
    except ZIP_ERRORS as exc:
        if isinstance(exc, RuntimeError):  # zipfile: "File … is encrypted, password required"
            raise InputError(f"arket '{sheet.name}' er krypteret med adgangskode; gem filen uden adgangskode",
                               Location(path, where=sheet.name)) from None
        raise InputError(f"arket '{sheet.name}' er beskadiget og kan ikke læses ({type(exc).__name__})",
                           Location(path, where=sheet.name)) from None


def _chunks(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The member's bytes in pieces that each end just before a `<` (no tag is cut in two)."""
    rest = b""
    with archive.open(part) as stream:
        while True:
            chunk = stream.read(CHUNK)
            if not chunk:
                if rest:
                    yield rest
                return
            data = rest + chunk
            cut = data.rfind(b"<")
            if cut <= 0:
                if len(data) < 4 * CHUNK:
                    rest = data
                    continue
                cut = len(data)
            yield data[:cut]
            rest = data[cut:]


def _count_hidden(sheet: SheetFacts, body: bytes) -> None:
    if b"hidden" in body or b'ht="0' in body or b'width="0' in body:
        sheet.hidden_rows += len(_HIDDEN_ROW.findall(body))
        sheet.hidden_cols += len(_HIDDEN_COL.findall(body))


def _scan_fast(archive: zipfile.ZipFile, sheet: SheetFacts, max_cells: int) -> bool:
    assert sheet.part is not None
    for n, body in enumerate(_chunks(archive, sheet.part)):
        if n == 0:
            dim = _DIMENSION.search(body)
            sheet.dimension = dim.group(1).decode("ascii", "replace") if dim else None
        _count_hidden(sheet, body)
        cells = body.count(b"<c ") + body.count(b"<c>") + body.count(b"<c/>")
        if cells and body.count(b'<c r="') == cells:  # how Excel, LibreOffice and openpyxl write cells
            valued = _VALUED_PLAIN.findall(body)
        else:  # namespace prefixes, other attribute orders, or cells without a reference
            cells = len(_CELL.findall(body))
            if cells != len(_CELL_WITH_REF.findall(body)):
                return False
            valued = _VALUED.findall(body)
        sheet.cells += cells
        if sheet.cells > max_cells:
            return True
        if valued:
            sheet.rows = max(sheet.rows, int(valued[-1][1]))
            widest = max({letters.upper() for letters, _ in valued}, key=lambda x: (len(x), x))
            sheet.cols = max(sheet.cols, _column_number(widest))
    return True


def _scan_slow(archive: zipfile.ZipFile, sheet: SheetFacts, max_cells: int) -> None:
    assert sheet.part is not None
    row = col = 0
    for body in _chunks(archive, sheet.part):
        _count_hidden(sheet, body)
        for match in _TAG.finditer(body):
            kind, attrs = match.group(1), match.group(2)
            ref = _REF.search(attrs)
            if kind == b"c":
                sheet.cells += 1
                if sheet.cells > max_cells:
                    return
                if ref and ref.group(1):
                    col = _column_number(ref.group(1))
                    if ref.group(2):
                        row = int(ref.group(2))
                else:
                    col += 1
                empty = attrs.rstrip().endswith(b"/") or _EMPTY_END.match(body, match.end()) is not None
                if not empty:  # <c …/> and <c …></c> hold formatting only, no value
                    sheet.rows = max(sheet.rows, row)
                    sheet.cols = max(sheet.cols, col)
            elif kind == b"row":
                row = int(ref.group(2)) if ref and ref.group(2) else row + 1
                col = 0
