"""What a reader (or a program) can get out of a published file, read back independently of referat's own leak
check: PDF text with pypdf (every page, Info, XMP, bookmarks, page labels, annotations, attachments), Word with
python-docx (paragraphs, tables, headers, footers, core properties) and every XML part of the package, and any
other file (HTML, text, iCalendar, Atom) as text."""

from __future__ import annotations

import html
import io
import re
import unicodedata
import zipfile
from pathlib import Path

import docx
from pypdf import PdfReader


def flat(text: str) -> str:
    """For 'is it in there': no case, no spacing, no hyphenation breaks, entities decoded."""
    text = unicodedata.normalize("NFKC", html.unescape(text)).casefold()
    return re.sub(r"[\s\u00ad\-‐]+", "", text)


def _pdf(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    parts = [page.extract_text() or "" for page in reader.pages]
    parts.append(str(dict(reader.metadata or {})))
    root = reader.trailer["/Root"].get_object()
    if "/Metadata" in root:
        parts.append(root["/Metadata"].get_object().get_data().decode("utf-8", "replace"))
    parts.append(str(reader.outline))
    parts.append(str(root.get("/PageLabels", "")))
    parts += [str(a.get_object()) for p in reader.pages for a in (p.get("/Annots") or [])]
    for name, contents in (reader.attachments or {}).items():
        parts.append(name)
        parts += [c.decode("utf-8", "replace") for c in contents]
    return "\n".join(parts)


def _docx(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    props = document.core_properties
    parts += [str(props.title), str(props.subject), str(props.author), str(props.keywords), str(props.comments)]
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            parts.append(name)
            raw = z.read(name).decode("utf-8", "replace")
            parts.append(re.sub(r"<[^>]+>", "", raw))
            parts.append(raw)
    return "\n".join(parts)


def readable(path: Path) -> str:
    """Everything that can be read out of the file at `path`, its own name included."""
    data = path.read_bytes()
    if path.suffix == ".pdf":
        body = _pdf(data)
    elif path.suffix == ".docx":
        body = _docx(data)
    else:
        body = data.decode("utf-8", "replace")
    return path.name + "\n" + body


def files_below(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())
