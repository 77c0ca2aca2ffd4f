"""LibreOffice, when installed: the optional PDF route of `build` and the converter of Word bilag.

Each run gets its own user profile and a timeout. A converted bilag is cached by content: the key is the
sha256 of the file's bytes and of the converter (LibreOffice's version file, or the program's size and date,
plus `PIPELINE`), so a Word bilag is converted once, not for every packet. The cache is the folder
`$REFERAT_CACHE`, else the user cache folder (`$XDG_CACHE_HOME/referat/konverteret`, `~/.cache/…` on Linux,
`~/Library/Caches/referat/konverteret` on macOS, `%LOCALAPPDATA%\\referat\\Cache\\konverteret` on Windows).
Entries are written atomically (temporary file and rename) and used only if they open as a PDF; a cache
that cannot be written is simply not used.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from ..diagnostics import Location, count
from ..errors import ConversionError, ConverterMissing, InputError
from .checkcache import cache_base, store

TIMEOUT = 180
INSTALL_HINT = ("installér LibreOffice (Debian/Ubuntu: 'apt-get install libreoffice-writer'; Windows/macOS: "
                "libreoffice.org), eller brug standardmotoren uden --pdf-motor")


CONVERT_HINT = ("gem filen som PDF, eller installér LibreOffice (Debian/Ubuntu: 'apt-get install libreoffice-writer'; "
                "Windows/macOS: libreoffice.org)")
PIPELINE = "referat-lo-3"  # bump when the conversion's options change: old cache entries are then not used


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def cache_dir() -> Path:
    """Where converted bilag are kept (see the module's docstring)."""
    if os.environ.get("REFERAT_CACHE"):
        return Path(os.environ["REFERAT_CACHE"])
    return cache_base() / "konverteret"


@functools.lru_cache(maxsize=4)
def converter_version(soffice: str) -> str:
    """What identifies the installed LibreOffice, cheaply (no start of LibreOffice)."""
    program = Path(os.path.realpath(soffice))
    for name in ("versionrc", "version.ini", "../Resources/versionrc"):
        candidate = program.parent / name
        try:
            return hashlib.sha256(candidate.read_bytes()).hexdigest()
        except OSError:
            continue
    try:
        stat = program.stat()
    except OSError:
        return str(program)
    return f"{program}:{stat.st_size}:{stat.st_mtime_ns}"


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WORD_PARTS = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
_WORD_RELS = re.compile(r"word/_rels/[^/]+\.rels")
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# field codes that pull in other files or programs when a document is opened or its fields updated
_OUTSIDE_FIELDS = re.compile(r"^\s*(INCLUDETEXT|INCLUDEPICTURE|INCLUDE|LINK|DDE|DDEAUTO|IMPORT|RD)\b", re.IGNORECASE)
_REMOVED = {f"{_W}{n}" for n in ("del", "moveFrom", "rPrChange", "pPrChange", "sectPrChange", "tblPrChange",
                                   "trPrChange", "tcPrChange", "tblGridChange", "numberingChange", "cellDel",
                                   "commentRangeStart", "commentRangeEnd", "commentReference")}
_UNWRAPPED = {f"{_W}ins", f"{_W}moveTo", f"{_W}cellIns"}
WORD_ADVICE = "gem filen som PDF og vedlæg den i stedet"


def _xml(data: bytes) -> Any:
    from lxml import etree  # python-docx's dependency

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    return etree.fromstring(data, parser)


def _word_zip(path: Path, data: bytes) -> zipfile.ZipFile:
    from .xlsxcheck import check_zip

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as exc:
        raise InputError(f"Word-filen kan ikke åbnes ({type(exc).__name__})", Location(path)) from None
    check_zip(archive, path, WORD_ADVICE)
    return archive


def check_word_size(path: Path) -> None:
    """A Word file no larger than a workbook may unpack to, before it is read into memory."""
    from .xlsxcheck import MAX_TOTAL_BYTES

    size = path.stat().st_size
    if size > MAX_TOTAL_BYTES:
        raise InputError(f"Word-filen fylder {size // (1024 * 1024)} MB; grænsen er {MAX_TOTAL_BYTES // (1024 * 1024)} "
                           f"MB; {WORD_ADVICE}", Location(path))


def word_notes(path: Path, data: bytes) -> list[str]:
    """What the packet leaves out of a .docx: tracked changes (accepted) and comments; a ReferatError when the
    file is no zip or over the bounds of a zip (a zip bomb)."""
    changes = comments = 0
    with _word_zip(path, data) as archive:
        for name in archive.namelist():
            if not _WORD_PARTS.fullmatch(name):
                continue
            try:
                root = _xml(archive.read(name))
            except Exception:  # noqa: BLE001, S112 - a damaged part: LibreOffice names it when converting
                continue
            changes += sum(1 for _ in root.iter(f"{_W}del", f"{_W}ins", f"{_W}moveFrom", f"{_W}moveTo"))
            comments += sum(1 for _ in root.iter(f"{_W}commentReference"))
    notes = []
    if changes:
        notes.append(f"har {count(changes, 'sporet ændring', 'sporede ændringer')}; pakken viser dokumentet med "
                     "ændringerne accepteret (slettet tekst kommer ikke med)")
    if comments:
        notes.append(f"har {comments} kommentar{'er' if comments > 1 else ''}, som ikke kommer med i pakken")
    return notes


def accept_revisions(path: Path, data: bytes) -> bytes:
    """The .docx with every tracked change accepted and comments unanchored, so no deleted text, earlier
    formatting or comment is published, and with nothing that reaches outside the file (external pictures,
    OLE links, INCLUDETEXT/INCLUDEPICTURE/LINK/DDE fields); other parts are copied unchanged."""
    from .xlsxcheck import ZIP_ERRORS

    out = io.BytesIO()
    with _word_zip(path, data) as archive, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            try:
                part = archive.read(info.filename)
            except ZIP_ERRORS as exc:
                raise InputError(f"Word-filen kan ikke læses ({type(exc).__name__}: delen "
                                   f"'{info.filename[:120]}'); gem den igen i Word, eller gem den som PDF",
                                   Location(path)) from None
            if _WORD_PARTS.fullmatch(info.filename):
                part = _accepted(part)
            elif _WORD_RELS.fullmatch(info.filename):
                part = _internal_only(part)
            target.writestr(info, part)
    return out.getvalue()


def _accepted(part: bytes) -> bytes:
    from lxml import etree

    try:
        root = _xml(part)
    except Exception:  # noqa: BLE001 - left as it is: LibreOffice reports a damaged part itself
        return part
    for row in list(root.iter(f"{_W}tr")):  # a row deleted as a whole
        props = row.find(f"{_W}trPr")
        if props is not None and props.find(f"{_W}del") is not None and row.getparent() is not None:
            row.getparent().remove(row)
    for element in [e for e in root.iter() if e.tag in _REMOVED]:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    for element in [e for e in root.iter() if e.tag in _UNWRAPPED]:
        parent = element.getparent()
        if parent is None:
            continue
        index = parent.index(element)
        for offset, child in enumerate(list(element)):
            parent.insert(index + offset, child)
        parent.remove(element)
    for instruction in root.iter(f"{_W}instrText"):  # the cached result Word showed stays; nothing is fetched
        if instruction.text and _OUTSIDE_FIELDS.match(instruction.text):
            instruction.text = ""
    for simple in root.iter(f"{_W}fldSimple"):
        if _OUTSIDE_FIELDS.match(simple.get(f"{_W}instr", "")):
            simple.set(f"{_W}instr", "")
    result: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return result


def _internal_only(part: bytes) -> bytes:
    """A relationships part without its external targets (linked pictures, OLE links, templates, frames on a
    server or another disk): LibreOffice would fetch them while converting. Hyperlinks stay (they are links in
    the PDF, not content)."""
    from lxml import etree

    try:
        root = _xml(part)
    except Exception:  # noqa: BLE001 - left as it is: LibreOffice reports a damaged part itself
        return part
    for rel in list(root.iter(f"{_RELS}Relationship")):
        if rel.get("TargetMode", "").lower() == "external" and not rel.get("Type", "").endswith("/hyperlink"):
            root.remove(rel)
    result: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return result


def bilag_to_pdf(path: Path, data: bytes) -> bytes:
    """A Word bilag as PDF, its tracked changes accepted and comments left out: from the cache when this file
    was converted by this LibreOffice before."""
    from .pdfcheck import bytes_problem

    soffice = find_soffice()
    if soffice is None:
        raise ConverterMissing(f"filen skal konverteres til PDF med LibreOffice, som ikke er installeret; {CONVERT_HINT}",
                           Location(path))
    key = hashlib.sha256(data + b"\0" + f"{PIPELINE}:{converter_version(soffice)}".encode()).hexdigest()
    try:
        entry = cache_dir() / f"{key}.pdf"
    except (RuntimeError, OSError, KeyError):  # no home folder to find: convert without a cache
        entry = Path(tempfile.gettempdir()) / "referat-ingen-cache" / f"{key}.pdf"
    try:
        kept = entry.read_bytes() if entry.is_file() else None
    except OSError:
        kept = None
    if kept is not None and bytes_problem(kept) is None:
        return kept
    source = accept_revisions(path, data) if path.suffix.lower() == ".docx" else data
    pdf = docx_to_pdf(source, "bilag", path, suffix=path.suffix.lower() or ".docx", hint=CONVERT_HINT)
    store(entry, pdf, ".pdf")
    return pdf


def docx_to_pdf(docx: bytes, name: str, where: Path, suffix: str = ".docx", hint: str = INSTALL_HINT) -> bytes:
    """Convert `docx` with LibreOffice headless; a clear message when it is missing, hangs or fails."""
    soffice = find_soffice()
    if soffice is None:
        raise ConverterMissing(f"LibreOffice blev ikke fundet; {hint}", Location(where))
    with tempfile.TemporaryDirectory(prefix="referat-lo-") as tmp:
        work = Path(tmp)
        src = work / f"{name}{suffix}"
        src.write_bytes(docx)
        profile = (work / "profil").as_uri()  # one user profile per process, or parallel runs fail silently
        cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(work), str(src)]
        try:
            result = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise ConversionError(f"LibreOffice svarede ikke inden for {TIMEOUT} sekunder", Location(where)) from None
        out = work / f"{name}.pdf"
        if result.returncode != 0 or not out.is_file():
            detail = (result.stderr or result.stdout).decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            label = where.name if where.is_file() else src.name
            raise ConversionError(f"LibreOffice kunne ikke konvertere {label} ({detail[0]})", Location(where))
        return out.read_bytes()
