"""Build the .docx: docxtpl fills the template's tags, then the items are added with the template's styles."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import signal
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Mm, RGBColor, Twips
from docx.text.run import Run
from docxtpl import DocxTemplate, InlineImage, Listing
from jinja2 import TemplateSyntaxError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ...diagnostics import Location
from ...errors import TemplateError
from ...text.richtext import inline_text, plain_text, safe_url
from ...view.types import Block, DocumentView, Inline, ItemView, TableBlock
from .numbering import Numbering, set_numbering
from .oxml import add_hyperlink, add_toc, bookmark, repeat_header, set_language
from .pagelayout import STATUS_STYLE, lay_out_pages, place_contents

TOC_MARKER = "[[INDHOLDSFORTEGNELSE]]"
ITEMS_MARKER = "[[PUNKTER]]"
_CLOSED = RGBColor(0x9C, 0x00, 0x06)
_ALIGN = {"right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}


def write_docx(view: DocumentView, template: Path, when: dt.date, logo: Path | None = None) -> bytes:
    """The document view as Word bytes; the same view, template and date give the same bytes."""
    if logo is not None:
        _check_logo(logo)
    try:
        tpl = DocxTemplate(str(template))
        context = _context(view)
        context["logo"] = InlineImage(tpl, str(logo), height=Mm(16)) if logo is not None else ""
        with _time_limit(TEMPLATE_SECONDS):
            tpl.render(context, jinja_env=_sandbox(), autoescape=True)
    except _TooSlow:
        raise TemplateError(f"Word-skabelonen blev ikke færdig på {TEMPLATE_SECONDS:g} sekunder; den gentager vist en "
                           f"løkke ({{% for … %}}) for mange gange", Location(template)) from None
    except SecurityError as exc:
        found = re.search(r"attribute '([^']{1,60})'", str(exc))
        what = f"«{found.group(1)}», som en skabelon ikke må bruge" if found else "noget, en skabelon ikke må"
        raise TemplateError(f"Word-skabelonen bruger {what}; en skabelon kan kun bruge felterne {_FIELDS}",
                           Location(template)) from None
    except TemplateSyntaxError as exc:
        raise TemplateError(f"Word-skabelonen har et felt ({{{{ … }}}} eller {{% … %}}), der ikke kan læses"
                           f"{_near(exc)} (Jinja: {exc.message})", Location(template)) from None
    except Exception as exc:  # noqa: BLE001 - a broken template is the secretariat's file: name it
        raise TemplateError(f"Word-skabelonen kan ikke bruges: {exc}", Location(template)) from None
    # docxtpl's rendered headers and footers reach the document's parts when it is written and read back; written
    # here without compressing (`tpl.save` compressed 0.8 MB of the template's styles only to unpack them again)
    stamp = dt.datetime(when.year, when.month, when.day, 12, 0)
    doc = Document(io.BytesIO(_save(tpl.docx, stamp, zipfile.ZIP_STORED)))
    markers = {p.text.strip(): p for p in doc.paragraphs if p.text.strip() in (TOC_MARKER, ITEMS_MARKER)}
    if ITEMS_MARKER not in markers:
        raise TemplateError(f"Word-skabelonen mangler afsnittet {ITEMS_MARKER}", Location(template))
    builder = _Builder(doc, markers[ITEMS_MARKER], view, _styles_of(template, doc))
    from ..pdf import item_pages

    # the page each item begins on, as the PDF edition lays it out: the table of contents is written with its
    # entries and numbers, so Word opens it without asking to update fields (F9 recounts in Word's own layout)
    pages, total = item_pages(view, when, logo)
    if TOC_MARKER in markers and place_contents(markers[TOC_MARKER], view["layout"]["toc"]):
        toc = markers[TOC_MARKER]
        for run in toc.runs:
            run._r.getparent().remove(run._r)
        section = doc.sections[0]
        width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
        levels = "1-2" if any(it["group"] for it in view["items"]) else "1-1"
        add_toc(toc, f'TOC \\o "{levels}" \\h \\z \\u', toc_entries(view, pages),
                {level: builder._style_id(f"toc {level}") if f"toc {level}" in builder.styles else None
                 for level in (1, 2)}, int(width / 635))
    for item in view["items"]:
        builder.item(item)
    builder.finish()
    lay_out_pages(doc, view, builder.starts)
    set_language(doc, "da-DK")
    _leftovers(doc)
    props = doc.core_properties
    props.title = view["title"]
    props.subject = view["subject"]
    props.author = view["author"]
    props.last_modified_by = view["author"]
    props.language = view["lang"]
    props.keywords = f"{view['committee']['short']}, {view['kind_title']}"
    props.created = props.modified = stamp
    props.revision = 1
    _app_properties(doc, total)
    return _save(doc, stamp)


def toc_entries(view: DocumentView, pages: list[int]) -> list[tuple[str, str, int, int]]:
    """The table of contents' entries — text, the bookmark of its heading, page, level — each item, after its
    group's heading where a group begins (on the page of the group's first item, the heading stands above it)."""
    out: list[tuple[str, str, int, int]] = []
    for n, (item, page) in enumerate(zip(view["items"], pages, strict=True)):
        if item["opens_group"] and item["group"] is not None:
            out.append((item["group"]["bookmark"], _group_bookmark(n), page, 1))
        out.append((item["bookmark"], _toc_bookmark(n), page, 2 if item["group"] is not None else 1))
    return out


def _toc_bookmark(n: int) -> str:
    """The hidden bookmark (Word's `_Toc…` names) of the n-th item's heading."""
    return f"_Toc{n + 1:08d}"


def _group_bookmark(n: int) -> str:
    """The hidden bookmark of the group heading that stands above the n-th item."""
    return f"_Toc9{n + 1:07d}"


def _leftovers(doc: Any) -> None:
    """What a template carries that is not the document's: its preview picture (a blank one from python-docx's
    default template, or the template's own first page) and custom XML parts (empty bibliography stores, or a
    document library's metadata). Parts no relationship reaches are not saved."""
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype == RT.CUSTOM_XML:
            del doc.part.rels[rid]


def _app_properties(doc: Any, pages: int) -> None:
    """docProps/app.xml as referat writes it: the program and its version, and the document's own counts (pages
    as the PDF edition has them; words and characters of the text), not the template's."""
    from xml.sax.saxutils import escape

    from ... import __version__

    breaks = {qn("w:br"), qn("w:cr"), qn("w:tab")}
    paragraphs = ["".join(" " if el.tag in breaks else el.text or ""
                          for el in p.iter(qn("w:t"), *breaks) if el.tag != qn("w:tab") or el.getparent().tag == qn("w:r"))
                  for p in doc.element.body.iter(qn("w:p"))]
    text = [p for p in paragraphs if p.strip()]
    words = sum(len(p.split()) for p in text)
    chars = sum(len("".join(p.split())) for p in text)
    spaced = sum(len(p) for p in text)
    # every count stands between words (the elements may come in any order): the leak check reads the part's text
    # with the tags taken out, and numbers side by side ("10" "622" "3930") would read as a CPR number
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
           'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           f"<Template>{escape(_TEMPLATE_NAME)}</Template><Pages>{pages}</Pages>"
           f"<Application>{escape(f'referat {__version__}')}</Application><Words>{words}</Words>"
           f"<ScaleCrop>false</ScaleCrop><Characters>{chars}</Characters><LinksUpToDate>false</LinksUpToDate>"
           f"<Paragraphs>{len(text)}</Paragraphs><SharedDoc>false</SharedDoc>"
           f"<CharactersWithSpaces>{spaced}</CharactersWithSpaces><HyperlinksChanged>false</HyperlinksChanged>"
           f"<AppVersion>{_app_version(__version__)}</AppVersion>"
           "</Properties>")
    package = doc.part.package
    for rel in package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES and not rel.is_external:
            rel.target_part._blob = xml.encode("utf-8")
            return
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    part = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, xml.encode("utf-8"), package)
    package.relate_to(part, RT.EXTENDED_PROPERTIES)


_TEMPLATE_NAME = "dokument.docx"


def _app_version(version: str) -> str:
    """Our version in app.xml's form XX.YYYY (ECMA-376: major, then four digits): 0.1.0 → 00.0100."""
    parts = [int(p) if p.isdigit() else 0 for p in version.split(".")[:3]] + [0, 0, 0]
    return f"{parts[0] % 100:02d}.{parts[1] % 100:02d}{parts[2] % 100:02d}"


def _check_logo(logo: Path) -> None:
    """The committee's logo is an image Word can place: a broken one is named, not blamed on the Word template."""
    from docx.image.image import Image

    try:
        Image.from_file(str(logo))
    except Exception:  # noqa: BLE001 - python-docx raises several kinds (unknown format, cut short, unreadable)
        raise TemplateError("logoet kan ikke læses som billede (beskadiget eller ukendt format)",
                            Location(logo)) from None


_FIELDS = ("organisation, udvalg, kortnavn, dokumenttype, sidehoved, titel, logo, indholdsfortegnelse, titellinjer "
           "(tekst og rolle: organisation, udvalg eller dokument) og forside (rækker med label og tekst)")
_ROLES = {"organisation": "organisation", "committee": "udvalg", "kind": "dokument"}


# The sandbox bounds what a template may touch, not how long it runs: a template that loops 10⁵ × 10⁵ times
# is stopped after this many seconds (where the platform has interval timers and we run in the main thread).
TEMPLATE_SECONDS = 20.0


class _TooSlow(Exception):
    """Raised by the timer of _time_limit."""



@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, stop)
    earlier = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, *earlier)  # (0, 0) turns ours off; a caller's timer runs on
        signal.signal(signal.SIGALRM, previous)


def _sandbox() -> ImmutableSandboxedEnvironment:
    """A template is a file anyone may send: Jinja's sandbox keeps it to the fields it is given (no attribute
    walks to Python internals, no changing the context), and autoescape keeps every value text in the XML."""
    return ImmutableSandboxedEnvironment(autoescape=True)


def _near(exc: TemplateSyntaxError) -> str:
    """The text of the template paragraph that holds the bad field: docxtpl keeps the paragraphs around the
    error (one per line, from three before it) with the XML tags removed."""
    lines = list(getattr(exc, "docx_context", None) or [])
    index = (exc.lineno or 1) - 1 - max((exc.lineno or 1) - 4, 0)
    text = " ".join(lines[index].split()) if 0 <= index < len(lines) else ""
    return f" i afsnittet «{text[:120]}»" if text else ""


def _context(view: DocumentView) -> dict[str, Any]:
    rows = []
    for row in view["front"]:
        lines = list(row["lines"])
        if row.get("blocks"):  # a front-page field holds one text: its rich text flattened, a line per part
            lines.append(plain_text(row.get("blocks", []), bullet="–", numbers=False, sep="\n"))
        rows.append({"label": row["label"], "tekst": Listing("\n".join(lines))})
    return {
        "organisation": view["committee"]["organisation"],
        "udvalg": view["committee"]["name"],
        "kortnavn": view["committee"]["short"],
        "dokumenttype": view["edition_title"],
        "sidehoved": view["header"],
        "forside": rows,
        "titel": view["title"],
        "titellinjer": [{"tekst": t["text"], "rolle": _ROLES[t["role"]]} for t in view["layout"]["title"]],
        "indholdsfortegnelse": view["labels"]["toc"],
    }


_SPECIAL = re.compile(r"[\t\n\r]")


def add_run(paragraph: Any, text: str) -> Any:
    """`paragraph.add_run(text)`: the same run, without python-docx's walk of the text one character at a time (it
    looks for tabs and line breaks, which only a text that holds them needs)."""
    if _SPECIAL.search(text):
        return paragraph.add_run(text)
    r = paragraph._p.add_r()
    r.add_t(text)  # as python-docx's writer of the text does: xml:space="preserve" where spaces lead or trail
    return Run(r, paragraph)


@dataclass
class _Styles:
    """The template's style names, and the ids of those looked up (python-docx searches every style on each lookup):
    the same for every document of one template, so kept per template (`_styles_of`)."""

    names: set[str]
    ids: dict[str, str | None] = field(default_factory=dict)


_TEMPLATE_STYLES: dict[str, _Styles] = {}


def _styles_of(template: Path, doc: Any) -> _Styles:
    """The styles of `template` (by its bytes: an edited template is read again), found in `doc`, made from it."""
    try:
        key = hashlib.sha256(template.read_bytes()).hexdigest()
    except OSError:
        return _Styles({s.name for s in doc.styles})
    if key not in _TEMPLATE_STYLES:
        if len(_TEMPLATE_STYLES) > 16:
            _TEMPLATE_STYLES.clear()
        _TEMPLATE_STYLES[key] = _Styles({s.name for s in doc.styles})
    return _TEMPLATE_STYLES[key]


class _Builder:
    """Inserts paragraphs and tables before the items marker, then removes the marker."""

    def __init__(self, doc: Any, marker: Any, view: DocumentView, styles: _Styles | None = None) -> None:
        self.doc = doc
        self.marker = marker
        self.layout = view["layout"]
        self.header = view["header"]
        self.starts: list[Any] = []  # each item's first paragraph (where its page, and its section, begins)
        self.numbering = Numbering(doc)
        styles = styles or _Styles({s.name for s in doc.styles})
        self.styles = styles.names
        self._style_ids = styles.ids
        self.items = 0

    def _style(self, name: str, fallback: str = "Normal") -> str:
        return name if name in self.styles else fallback

    def _style_id(self, name: str) -> str | None:
        """The template's style id for a paragraph style name (None for the default style), looked up once:
        python-docx searches every style of the template on each lookup."""
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.part.get_style_id(name, WD_STYLE_TYPE.PARAGRAPH)
        return self._style_ids[name]

    def para(self, text: str = "", style: str = "Normal") -> Any:
        """A paragraph before the marker; what `insert_paragraph_before(text, style=…)` makes, with the style id
        cached."""
        paragraph = self.marker._insert_paragraph_before()
        if text:
            add_run(paragraph, text)
        paragraph._p.style = self._style_id(self._style(style))
        return paragraph

    def finish(self) -> None:
        self.marker._p.getparent().remove(self.marker._p)

    def item(self, item: ItemView) -> None:
        level = 2 if item["group"] is not None else 1  # under its group's heading (hierarchical numbering)
        first = None
        if self.layout["header"] == "item_start":  # the running header stands where the item starts
            first = self.para(self.header, "Header")
        if item["opens_group"] and item["group"] is not None:
            group = self.para(item["group"]["bookmark"], "Heading 1")
            bookmark(group, _group_bookmark(self.items), 2_000_000 + self.items)  # the contents link to it
            first = first or group
        status = self.para(item["access"], STATUS_STYLE)
        if first is not None:
            first.paragraph_format.page_break_before = True
            status.paragraph_format.page_break_before = False
        elif STATUS_STYLE not in self.styles:
            status.paragraph_format.page_break_before = True
        self.starts.append((first or status)._p)
        if item["closed"]:
            for run in status.runs:
                run.font.color.rgb = _CLOSED
        heading = self.para("", f"Heading {level}")
        add_run(heading, item["label"]).add_break(WD_BREAK.LINE)
        add_run(heading, item["title"])
        bookmark(heading, _toc_bookmark(self.items), 1_000_000 + self.items)  # the contents link and count to it
        self.items += 1
        if item["case_number"]:
            self.para(item["case_number"], "Sagsnummer")
        if item["time_slot"]:
            self.para(item["time_slot"], "Sagsnummer")
        if item["notice"]:
            add_run(self.para(""), item["notice"]).italic = True
        for section in item["sections"]:
            if section["heading"]:
                self.para(section["heading"], f"Heading {level + 1}")
            if section["type"] == "points":
                if section["lead_in"]:
                    self.para(section["lead_in"])
                num = self.numbering.new_list(ordered=self.layout["points"] == "numbered")
                for point in section["points"]:
                    p = self.para(point["text"], "List Paragraph")
                    set_numbering(p, num, 0)
                    if point["sub"]:
                        sub = self.numbering.new_list(ordered=False)
                        for text in point["sub"]:
                            set_numbering(self.para(text, "List Paragraph"), sub, 1)
            elif section["type"] == "bilag":
                num = self.numbering.new_list(ordered=False)
                for b in section["bilag"]:
                    p = self.para("", "List Paragraph")
                    run = add_run(p, b["title"])
                    run.italic = bool(b["withheld"])
                    set_numbering(p, num, 0)
            else:
                self.blocks(section["blocks"], 0, heading=level + 2)

    def blocks(self, blocks: list[Block], depth: int, list_ctx: tuple[int, int] | None = None,
               heading: int = 3) -> None:
        for i, block in enumerate(blocks):
            if block["type"] == "par":
                p = self.para("", "List Paragraph" if list_ctx else "Normal")
                if list_ctx and i == 0:
                    set_numbering(p, list_ctx[0], list_ctx[1])
                elif list_ctx:  # a further paragraph of the same list item: indented, not numbered
                    p.paragraph_format.left_indent = Twips(360 * (list_ctx[1] + 1))
                self.inlines(p, block["inlines"])
            elif block["type"] == "heading":
                self.inlines(self.para("", f"Heading {heading}"), block["inlines"])
            elif block["type"] == "list":
                num = self.numbering.new_list(block["ordered"], block["start"])
                level = depth if list_ctx is None else list_ctx[1] + 1
                for item in block["items"]:
                    self.blocks(item, level, (num, level), heading)
            else:
                self.table(block)

    def inlines(self, paragraph: Any, nodes: list[Inline], bold: bool = False, italic: bool = False) -> None:
        for node in nodes:
            if node["type"] == "text":
                run = add_run(paragraph, node["v"])
                run.bold = bold or None
                run.italic = italic or None
            elif node["type"] == "code":
                run = add_run(paragraph, node["v"])
                run.font.name = "Courier New"
            elif node["type"] == "br":
                paragraph.add_run().add_break(WD_BREAK.LINE)
            elif node["type"] == "strong":
                self.inlines(paragraph, node["c"], True, italic)
            elif node["type"] == "emph":
                self.inlines(paragraph, node["c"], bold, True)
            else:
                text = inline_text(node["c"])
                if safe_url(node["url"]):  # the view only holds safe links; checked again where one is made
                    add_hyperlink(paragraph, node["url"], text, bold, italic)
                else:
                    paragraph.add_run(text)

    def table(self, block: TableBlock) -> None:
        header, rows = block["header"], block["rows"]
        ncols = max([len(header), *(len(r) for r in rows), 1])
        table = self.doc.add_table(rows=0, cols=ncols)
        table.style = self._style("Table Grid", None)  # type: ignore[arg-type]
        align = [_ALIGN.get(a) for a in block.get("align", [])]

        def fill(paragraph: Any, c: int, content: list[Inline], bold: bool = False) -> None:
            self.inlines(paragraph, content, bold=bold)
            if c < len(align) and align[c] is not None:  # the Markdown column's `|---:|` / `|:-:|`
                paragraph.alignment = align[c]

        if header:
            cells = table.add_row().cells
            for c, content in enumerate(header):
                fill(cells[c].paragraphs[0], c, content, bold=True)
            repeat_header(table.rows[0])
        for row in rows:
            cells = table.add_row().cells
            for c, content in enumerate(row):
                fill(cells[c].paragraphs[0], c, content)
        self.marker._p.addprevious(table._tbl)
        self.para("")


class _FixedZip:
    """python-docx's zip writer (`PhysPkgWriter`) with fixed timestamps and permissions: same content → same bytes."""

    def __init__(self, out: io.BytesIO, stamp: dt.datetime, compression: int = zipfile.ZIP_DEFLATED) -> None:
        self.zip = zipfile.ZipFile(out, "w", compression)
        self.date_time = (stamp.year, stamp.month, stamp.day, 12, 0, 0)
        self.compression = compression

    def write(self, pack_uri: Any, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=self.date_time)
        info.compress_type = self.compression
        info.external_attr = 0o600 << 16
        self.zip.writestr(info, blob)

    def close(self) -> None:
        self.zip.close()


def _save(doc: Any, stamp: dt.datetime, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """`doc.save` (`OpcPackage.save`: the parts in python-docx's order), written once with fixed timestamps. (Until
    issue 28 the package was saved, then read and compressed again to fix them.)"""
    from docx.opc.pkgwriter import PackageWriter

    package = doc.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    out = io.BytesIO()
    writer: Any = _FixedZip(out, stamp, compression)  # what python-docx's PhysPkgWriter does, with fixed timestamps
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, parts)
    writer.close()
    return out.getvalue()


def _normalise_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """Same content → same bytes: fixed member order and timestamps (for a .docx or .xlsx already written)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(stamp.year, stamp.month, stamp.day, 12, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()
