"""A Word file opened as a stranger's zip: what it is, its bounds, and the few parts the importer reads.

Nothing here trusts the file: it is checked like a Word bilag (size before reading, zip directory within the
bounds of `files.xlsxcheck.check_zip`), its main part's content type decides what it is (a macro-enabled
document is refused, also when it is named `.docx`), an encrypted file (an OLE container with an
`EncryptedPackage` stream) and an old binary `.doc` are named, and every XML part is parsed without entities,
DTDs or network access. Only these parts are read: the main document, its styles, numbering, footnotes,
comments (for their authors), relationships, the pictures and embedded packages it points at, and the title of
the core properties. Custom XML, other document properties, headers, footers, settings and macros are never
read.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...diagnostics import Location
from ...errors import InputError
from ...files.xlsxcheck import MAX_TOTAL_BYTES, ZIP_ERRORS, check_zip

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_OFFICE_DOC = "officeDocument/2006/relationships/officeDocument"

MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": "dotx",
    "application/vnd.ms-word.document.macroEnabled.main+xml": "docm",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml": "dotm",
}
ADVICE = "gem dokumentet som .docx i Word (Filer › Gem som › Word-dokument), og importér det igen"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def xml(data: bytes) -> Any:
    """An XML part, parsed without entities, DTDs or network."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    return etree.fromstring(data, parser)


@dataclass
class Package:
    """The parts of a Word document the importer reads, by their role."""

    path: Path
    document: Any  # the main part's root (w:document)
    main: str  # the main part's name in the zip, e.g. "word/document.xml"
    styles: Any | None = None
    numbering: Any | None = None
    footnotes: Any | None = None
    endnotes: Any | None = None
    comments: Any | None = None
    title: str = ""  # dc:title of the core properties; nothing else of them is read
    rels: dict[str, tuple[str, str, bool]] = field(default_factory=dict)  # id -> (type, target, external)
    _zip: zipfile.ZipFile | None = None

    def related(self, rel_id: str) -> tuple[str, str, bool] | None:
        """(type, target part or URL, external) of a relationship of the main part."""
        return self.rels.get(rel_id)

    def part_bytes(self, name: str) -> bytes | None:
        """A part inside the package (a picture, an embedded file), or None when it is absent or unreadable."""
        if self._zip is None:
            return None
        try:
            return self._zip.read(name)
        except (KeyError, *ZIP_ERRORS):
            return None


def open_package(path: Path, data: bytes) -> Package:
    """The package of a Word file, or a Danish ReferatError naming the file and what is wrong with it."""
    if len(data) > MAX_TOTAL_BYTES:
        raise InputError(f"Word-filen fylder {len(data) // (1024 * 1024)} MB; grænsen er "
                           f"{MAX_TOTAL_BYTES // (1024 * 1024)} MB", Location(path))
    if data.startswith(_OLE2):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            raise InputError("Word-filen er beskyttet med adgangskode og kan ikke læses; fjern adgangskoden i "
                               "Word (Filer › Oplysninger › Beskyt dokument) og importér den igen", Location(path))
        raise InputError(f"filen er i Words gamle format (.doc); {ADVICE}", Location(path))
    if not data.startswith(b"PK"):
        raise InputError(f"filen er ikke et Word-dokument ({_what(data)}); importér en .docx-fil",
                           Location(path))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as exc:
        raise InputError(f"Word-filen er beskadiget og kan ikke åbnes ({type(exc).__name__}); {ADVICE}",
                           Location(path)) from None
    check_zip(archive, path, ADVICE)
    main, kind = _main_part(archive, path)
    if kind in ("docm", "dotm"):
        raise InputError("filen er et Word-dokument med makroer (.docm); makroer importeres aldrig. Gem "
                           "dokumentet som .docx uden makroer (Filer › Gem som › Word-dokument), og importér det "
                           "igen", Location(path))
    if any(name.lower().endswith("vbaproject.bin") for name in archive.namelist()):
        raise InputError("Word-filen indeholder makroer (vbaProject.bin); makroer importeres aldrig. Gem "
                           "dokumentet som .docx uden makroer, og importér det igen", Location(path))
    package = Package(path=path, document=_part(archive, main, path), main=main, _zip=archive)
    if package.document.tag != f"{W}document":
        raise InputError(f"Word-filens hoveddel er ikke et Word-dokument; {ADVICE}", Location(path))
    package.rels = _relationships(archive, main, path)
    for rel_type, attr in (("/styles", "styles"), ("/numbering", "numbering"), ("/footnotes", "footnotes"),
                           ("/endnotes", "endnotes"), ("/comments", "comments")):
        target = next((t for kind_, t, ext in package.rels.values() if kind_.endswith(rel_type) and not ext), None)
        if target is not None and target in archive.namelist():
            setattr(package, attr, _part(archive, target, path))
    package.title = _title(archive, path)
    return package


def _what(data: bytes) -> str:
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "det er en PDF-fil"
    if head.startswith(b"{\\rtf"):
        return "det er en RTF-fil; gem den som .docx"
    if head.lstrip().startswith(b"<"):
        return "det er en XML- eller HTML-fil"
    if not data:
        return "filen er tom"
    return "filens indhold er hverken .docx eller .doc"


def _part(archive: zipfile.ZipFile, name: str, path: Path) -> Any:
    try:
        raw = archive.read(name)
    except ZIP_ERRORS as exc:
        raise InputError(f"Word-filen er beskadiget: delen '{name[:120]}' kan ikke læses ({type(exc).__name__}); "
                           f"{ADVICE}", Location(path)) from None
    try:
        return xml(raw)
    except Exception as exc:  # noqa: BLE001 - lxml raises XMLSyntaxError and a few others for a damaged part
        raise InputError(f"Word-filen er beskadiget: delen '{name[:120]}' er ikke gyldig XML "
                           f"({type(exc).__name__}); {ADVICE}", Location(path)) from None


def _main_part(archive: zipfile.ZipFile, path: Path) -> tuple[str, str]:
    """The main document part and its kind ("docx", "docm", …) from the package relationships and content types."""
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
        raise InputError(f"filen er en zip-fil, men ikke et Word-dokument; {ADVICE}", Location(path))
    types = _part(archive, "[Content_Types].xml", path)
    rels = _part(archive, "_rels/.rels", path)
    main = None
    for rel in rels.iter(f"{_PKG_RELS}Relationship"):
        if rel.get("Type", "").endswith(_OFFICE_DOC) and rel.get("TargetMode", "") != "External":
            main = posixpath.normpath(rel.get("Target", "").lstrip("/"))
            break
    if main is None or main not in names:
        raise InputError(f"filen er en zip-fil, men ikke et Word-dokument (ingen hoveddel); {ADVICE}",
                           Location(path))
    content_type = ""
    for override in types.iter(f"{_CT}Override"):
        if override.get("PartName", "").lstrip("/") == main:
            content_type = override.get("ContentType", "")
    kind = MAIN_TYPES.get(content_type)
    if kind is None:
        what = ("et regneark" if "spreadsheetml" in content_type else
                "en præsentation" if "presentationml" in content_type else "ikke et Word-dokument")
        raise InputError(f"filen er {what} ({content_type or 'ukendt indhold'}); importér en .docx-fil",
                           Location(path))
    return main, kind


def _relationships(archive: zipfile.ZipFile, main: str, path: Path) -> dict[str, tuple[str, str, bool]]:
    folder, name = posixpath.split(main)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name not in archive.namelist():
        return {}
    out: dict[str, tuple[str, str, bool]] = {}
    for rel in _part(archive, rels_name, path).iter(f"{_PKG_RELS}Relationship"):
        external = rel.get("TargetMode", "") == "External"
        target = rel.get("Target", "")
        if not external:
            target = posixpath.normpath(posixpath.join(folder, target)) if not target.startswith("/") \
                else posixpath.normpath(target.lstrip("/"))
        out[rel.get("Id", "")] = (rel.get("Type", ""), target, external)
    return out


def _title(archive: zipfile.ZipFile, path: Path) -> str:
    """dc:title of docProps/core.xml (the only property read); "" when absent or unreadable."""
    try:
        raw = archive.read("docProps/core.xml")
        root = xml(raw)
    except (KeyError, *ZIP_ERRORS):
        return ""
    except Exception:  # noqa: BLE001 - damaged properties: the title is then taken from the text
        return ""
    el = root.find(f"{_DC}title")
    return re.sub(r"\s+", " ", el.text or "").strip() if el is not None else ""
