"""The body of a Word document walked once, in reading order, into paragraphs, tables and pictures.

What a reader of the document sees comes through: the text of runs, hyperlinks, the results of fields, content
controls, smart tags, inserted text (tracked changes are refused before this walk unless accepted), line breaks,
footnote references, text boxes. What a reader does not see never does: hidden text (Word's "skjult" font,
direct or from a style), field instructions, deleted text, comments and their anchors, bookmarks, custom XML
markup (its content is the visible text and stays; the custom XML *parts* are never read).

(One class for paragraphs, tables and pictures: the walk carries state across them — the complex fields open at
this point, which may span paragraphs, and the footnotes' numbers in reading order.)
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from ...text.nodes import Inline, TableBlock
from .inlines import Span as _Span
from .inlines import build_inlines, merge_text, strip
from .package import Package, R, W
from .styles import Level, Numbering, RunLook, Styles, on, run_look

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_V = "{urn:schemas-microsoft-com:vml}"
_O = "{urn:schemas-microsoft-com:office:office}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
_WPS = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}"
_CHART_URIS = ("/chart", "/chartex", "/diagram")
_HYPERLINK_FIELD = re.compile(r'^\s*HYPERLINK\s+"([^"]+)"', re.IGNORECASE)
_TRANSPARENT = {f"{W}{tag}" for tag in ("ins", "moveTo", "smartTag", "customXml", "dir", "bdo")}
IMAGE_TYPES = {b"\x89PNG": "png", b"\xff\xd8\xff": "jpg"}
EMBED_TYPES = {".xlsx": "xlsx", ".docx": "docx", ".pdf": "pdf"}


@dataclass
class Para:
    """One paragraph: its inlines and what decides its place (heading, list, indent, bold)."""

    inlines: list[Inline]
    style: str = ""
    heading: int = 0
    title_style: bool = False
    num: tuple[str, int] | None = None
    level: Level | None = None
    indent: int = 0
    bold: bool = False
    notes: list[tuple[int, list[Inline]]] = field(default_factory=list)


@dataclass
class Table:
    block: TableBlock
    merged: bool = False
    nested: bool = False


@dataclass
class Picture:
    """A picture or an embedded file found in the text, to be saved as a bilag."""

    data: bytes
    ext: str
    alt: str


Record = Para | Table | Picture


class Walker:
    """Walks a package's body; `warnings` collects what could not come through (charts, objects, formats)."""

    def __init__(self, package: Package) -> None:
        self.package = package
        self.styles = Styles(package.styles)
        self.numbering = Numbering(package.numbering)
        self.warnings: list[str] = []
        self._notes = self._note_parts()
        self._note_number = 0
        self._in_note = False
        # the complex fields open at this point of the walk (they may span paragraphs): [in its instruction?,
        # the link its HYPERLINK instruction names]
        self._fields: list[list[Any]] = []

    # ------------------------------------------------------------------ blocks

    def body(self) -> list[Record]:
        body = self.package.document.find(f"{W}body")
        return self._container(body) if body is not None else []

    def _container(self, parent: Any) -> list[Record]:
        out: list[Record] = []
        for child in parent:
            tag = child.tag
            if tag == f"{W}p":
                out.extend(self._paragraph(child))
            elif tag == f"{W}tbl":
                out.extend(self._table(child))
            elif tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    out.extend(self._container(content))
            elif tag in _TRANSPARENT or tag == f"{_MC}AlternateContent":
                out.extend(self._container(self._choice(child) if tag == f"{_MC}AlternateContent" else child))
        return out

    def _paragraph(self, p: Any) -> list[Record]:
        ppr = p.find(f"{W}pPr")
        sid = None
        direct_num: tuple[str, int] | None = None
        heading_direct: int | None = None
        indent: int | None = None
        if ppr is not None:
            ps = ppr.find(f"{W}pStyle")
            sid = ps.get(f"{W}val") if ps is not None else None
            numpr = ppr.find(f"{W}numPr")
            if numpr is not None:
                nid = numpr.find(f"{W}numId")
                ilvl = numpr.find(f"{W}ilvl")
                level_text = ilvl.get(f"{W}val", "0") if ilvl is not None else "0"
                if nid is not None:
                    direct_num = (nid.get(f"{W}val", "0"), int(level_text) if level_text.isdigit() else 0)
            outline = ppr.find(f"{W}outlineLvl")
            if outline is not None and outline.get(f"{W}val", "").isdigit():
                value = int(outline.get(f"{W}val", "9"))
                heading_direct = value + 1 if value < 9 else 0
            ind = ppr.find(f"{W}ind")
            if ind is not None:
                left = ind.get(f"{W}left") or ind.get(f"{W}start")
                if left is not None and left.lstrip("-").isdigit():
                    indent = int(left)
        style = self.styles.paragraph(sid)
        num = direct_num if direct_num is not None else style.num
        level = self.numbering.level(*num) if num is not None else None
        if level is None:
            num = None
        para_look = (style.look or RunLook()).over(self.styles.default)
        spans: list[_Span] = []
        extra: list[Record] = []
        notes: list[tuple[int, list[Inline]]] = []
        self._inline_children(p, spans, extra, notes, para_look, None)
        inlines = build_inlines(spans)
        visible = [s for s in spans if not s.br and s.text.strip()]
        bold = bool(visible) and all(s.look.bold for s in visible)
        para = Para(inlines=inlines, style=style.name, heading=heading_direct if heading_direct is not None
                    else style.heading, title_style=style.title, num=num, level=level,
                    indent=indent if indent is not None else (level.indent if level is not None else 0),
                    bold=bold, notes=notes)
        return [para, *extra]

    def _choice(self, alternate: Any) -> Any:
        """mc:AlternateContent: the first Choice (what a current Word shows); its Fallback repeats it."""
        choice = alternate.find(f"{_MC}Choice")
        return choice if choice is not None else (alternate.find(f"{_MC}Fallback") or alternate)

    # ------------------------------------------------------------------ inlines

    def _inline_children(self, parent: Any, spans: list[_Span], extra: list[Record],
                         notes: list[tuple[int, list[Inline]]], look: RunLook, link: str | None) -> None:
        """Walk a paragraph's content (runs, links, simple fields, content controls)."""
        for child in parent:
            tag = child.tag
            if tag == f"{W}r":
                self._run(child, spans, extra, notes, look, link)
            elif tag == f"{W}hyperlink":
                target = None
                rel_id = child.get(f"{R}id")
                if rel_id:
                    rel = self.package.related(rel_id)
                    if rel is not None and rel[2]:
                        target = rel[1]
                self._inline_children(child, spans, extra, notes, look, target or link)
            elif tag == f"{W}fldSimple":
                found = _HYPERLINK_FIELD.match(child.get(f"{W}instr", ""))
                self._inline_children(child, spans, extra, notes, look, found.group(1) if found else link)
            elif tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    self._inline_children(content, spans, extra, notes, look, link)
            elif tag in _TRANSPARENT:
                self._inline_children(child, spans, extra, notes, look, link)
            elif tag == f"{_MC}AlternateContent":
                self._inline_children(self._choice(child), spans, extra, notes, look, link)
            elif tag in (f"{_M}oMath", f"{_M}oMathPara"):
                text = "".join(t.text or "" for t in child.iter(f"{_M}t"))
                if text:
                    spans.append(_Span(text, look, link))
            elif tag == f"{W}ruby":
                base = child.find(f"{W}rubyBase")
                if base is not None:
                    self._inline_children(base, spans, extra, notes, look, link)

    def _run(self, r: Any, spans: list[_Span], extra: list[Record], notes: list[tuple[int, list[Inline]]],
             para_look: RunLook, link: str | None) -> None:
        rpr = r.find(f"{W}rPr")
        char_style = None
        if rpr is not None:
            rs = rpr.find(f"{W}rStyle")
            char_style = rs.get(f"{W}val") if rs is not None else None
        look = run_look(rpr).over(self.styles.character(char_style)).over(para_look)
        for child in r:
            tag = child.tag
            if tag == f"{W}fldChar":  # a complex field: its instruction is never text, its result is
                kind = child.get(f"{W}fldCharType")
                if kind == "begin":
                    self._fields.append([True, None])
                elif kind == "separate" and self._fields:
                    self._fields[-1][0] = False
                elif kind == "end" and self._fields:
                    self._fields.pop()
                continue
            if self._fields and self._fields[-1][0]:
                if tag == f"{W}instrText":
                    found = _HYPERLINK_FIELD.match(child.text or "")
                    if found:
                        self._fields[-1][1] = found.group(1)
                continue
            if look.hidden:
                continue
            here = link or next((f[1] for f in reversed(self._fields) if f[1]), None)
            if tag == f"{W}t":
                if child.text:
                    spans.append(_Span(child.text, look, here))
            elif tag in (f"{W}tab", f"{W}ptab"):
                spans.append(_Span(" ", look, here))
            elif tag == f"{W}br":
                if child.get(f"{W}type") in (None, "textWrapping"):
                    spans.append(_Span("", look, None, br=True))
                else:  # a page or column break: no break in the text
                    spans.append(_Span(" ", look, None))
            elif tag == f"{W}cr":
                spans.append(_Span("", look, None, br=True))
            elif tag == f"{W}noBreakHyphen":
                spans.append(_Span("-", look, here))
            elif tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
                self._note(child, spans, notes, look)
            elif tag == f"{W}drawing":
                self._drawing(child, extra)
            elif tag == f"{W}pict" or tag == f"{W}object":
                self._vml(child, extra)
            elif tag == f"{_MC}AlternateContent":
                self._alternate(child, spans, extra, notes, para_look, link)

    def _alternate(self, alternate: Any, spans: list[_Span], extra: list[Record],
                   notes: list[tuple[int, list[Inline]]], look: RunLook, link: str | None) -> None:
        """A chart or shape with a fallback: the fallback's picture when the choice is a chart Word alone draws."""
        choice = alternate.find(f"{_MC}Choice")
        fallback = alternate.find(f"{_MC}Fallback")
        if choice is not None and fallback is not None and self._is_chart(choice) and self._has_picture(fallback):
            wrapper = fallback
        else:
            wrapper = choice if choice is not None else fallback
        if wrapper is None:
            return
        run = wrapper.makeelement(f"{W}r", {})
        for child in wrapper:
            run.append(_copy(child))
        self._run(run, spans, extra, notes, look, link)

    # ------------------------------------------------------------------ notes

    def _note_parts(self) -> dict[tuple[str, str], Any]:
        out = {}
        for kind, root in (("footnote", self.package.footnotes), ("endnote", self.package.endnotes)):
            if root is None:
                continue
            for note in root.iter(f"{W}{kind}"):
                if note.get(f"{W}type") in (None, "normal"):
                    out[(kind, note.get(f"{W}id", ""))] = note
        return out

    def _note(self, ref: Any, spans: list[_Span], notes: list[tuple[int, list[Inline]]], look: RunLook) -> None:
        if self._in_note:
            return
        kind = "footnote" if ref.tag == f"{W}footnoteReference" else "endnote"
        note = self._notes.get((kind, ref.get(f"{W}id", "")))
        if note is None:
            return
        self._note_number += 1
        n = self._note_number
        spans.append(_Span(f"[{n}]", RunLook(mono=look.mono)))
        self._in_note = True
        try:
            parts: list[list[Inline]] = []
            for p in note.iter(f"{W}p"):
                inner: list[_Span] = []
                self._inline_children(p, inner, [], [], self.styles.default, None)
                inlines = build_inlines(inner)
                if inlines:
                    parts.append(inlines)
        finally:
            self._in_note = False
        joined: list[Inline] = []
        for i, part in enumerate(parts):
            if i:
                joined.append({"type": "text", "v": " "})
            joined.extend(part)
        notes.append((n, strip(joined)))

    # ------------------------------------------------------------------ pictures and objects

    def _is_chart(self, el: Any) -> bool:
        return any(g.get("uri", "").endswith(_CHART_URIS) for g in el.iter(f"{_A}graphicData"))

    def _has_picture(self, el: Any) -> bool:
        return any(True for _ in el.iter(f"{_A}blip")) or any(True for _ in el.iter(f"{_V}imagedata"))

    def _drawing(self, drawing: Any, extra: list[Record]) -> None:
        doc_pr = next(drawing.iter(f"{_WP}docPr"), None)
        alt = ""
        name = ""
        if doc_pr is not None:
            alt = (doc_pr.get("descr") or doc_pr.get("title") or "").strip()
            name = (doc_pr.get("name") or "").strip()
        for graphic in drawing.iter(f"{_A}graphicData"):
            uri = graphic.get("uri", "")
            if uri.endswith(_CHART_URIS):
                what = "diagrammet" if uri.endswith(("/chart", "/chartex")) else "SmartArt-grafikken"
                self.warnings.append(f"{what} «{alt or name or 'uden navn'}» har intet billede i filen og er ikke "
                                     "importeret; gem det som billede i Word, eller vedlæg det som bilag")
                return
        blip = next(drawing.iter(f"{_A}blip"), None)
        if blip is not None:
            self._picture(blip.get(f"{R}embed") or blip.get(f"{R}link"), alt or name, extra)
        for box in drawing.iter(f"{_WPS}txbx"):
            content = box.find(f"{W}txbxContent")
            if content is not None:
                extra.extend(self._container(content))

    def _vml(self, el: Any, extra: list[Record]) -> None:
        ole = next(el.iter(f"{_O}OLEObject"), None)
        if ole is not None:
            self._embedded(ole.get(f"{R}id"), ole.get("ProgID", ""), extra)
            return
        image = next(el.iter(f"{_V}imagedata"), None)
        if image is not None:
            shape = image.getparent()
            alt = (shape.get("alt") or "").strip() if shape is not None else ""
            self._picture(image.get(f"{R}id"), alt, extra)
        for box in el.iter(f"{W}txbxContent"):
            extra.extend(self._container(box))

    def _picture(self, rel_id: str | None, alt: str, extra: list[Record]) -> None:
        rel = self.package.related(rel_id) if rel_id else None
        if rel is None or rel[2]:
            if rel is not None:
                self.warnings.append(f"et billede er kun et link til en fil uden for dokumentet ({rel[1][:80]}) og er "
                                     "ikke importeret")
            return
        data = self.package.part_bytes(rel[1])
        if data is None:
            return
        ext = next((kind for magic, kind in IMAGE_TYPES.items() if data.startswith(magic)), None)
        if ext is None:
            fmt = posixpath.splitext(rel[1])[1].lstrip(".").upper() or "ukendt"
            self.warnings.append(f"et billede i formatet {fmt} ({alt or posixpath.basename(rel[1])}) kan ikke bruges "
                                 "som bilag og er ikke importeret; gem det som PNG eller JPEG")
            return
        extra.append(Picture(data=data, ext=ext, alt=alt))

    def _embedded(self, rel_id: str | None, prog_id: str, extra: list[Record]) -> None:
        rel = self.package.related(rel_id) if rel_id else None
        if rel is None or rel[2]:
            self.warnings.append(f"et indlejret objekt ({prog_id or 'ukendt'}) er et link til en fil uden for "
                                 "dokumentet og er ikke importeret")
            return
        suffix = posixpath.splitext(rel[1])[1].lower()
        data = self.package.part_bytes(rel[1])
        if data is None or suffix not in EMBED_TYPES:
            self.warnings.append(f"et indlejret objekt ({prog_id or posixpath.basename(rel[1])}) kan ikke gemmes som "
                                 "bilag og er ikke importeret; gem det som PDF, Excel (.xlsx) eller Word (.docx) og "
                                 "vedlæg det")
            return
        extra.append(Picture(data=data, ext=EMBED_TYPES[suffix], alt=prog_id))

    # ------------------------------------------------------------------ tables

    def _table(self, tbl: Any) -> list[Record]:
        rows: list[list[list[Inline]]] = []
        merged = nested = False
        extra: list[Record] = []
        for tr in tbl.iter(f"{W}tr"):
            if _parent_table(tr) is not tbl:
                continue
            trpr = tr.find(f"{W}trPr")
            if trpr is not None and trpr.find(f"{W}del") is not None:
                continue
            cells: list[list[Inline]] = []
            before = _grid(trpr, "gridBefore")
            cells.extend([] for _ in range(before))
            for tc in tr:
                if tc.tag == f"{W}sdt":
                    content = tc.find(f"{W}sdtContent")
                    tcs = content.findall(f"{W}tc") if content is not None else []
                elif tc.tag == f"{W}tc":
                    tcs = [tc]
                else:
                    continue
                for cell in tcs:
                    tcpr = cell.find(f"{W}tcPr")
                    span = _grid(tcpr, "gridSpan") or 1
                    vmerge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
                    if vmerge is not None and vmerge.get(f"{W}val", "continue") == "continue":
                        merged = True
                        cells.append([])
                    else:
                        content_records = self._container(cell)
                        if any(isinstance(rec, Table) for rec in content_records):
                            nested = True
                        extra.extend(rec for rec in content_records if isinstance(rec, Picture))
                        cells.append(_cell_inlines(content_records))
                        if vmerge is not None:
                            merged = True
                    if span > 1:
                        merged = True
                        cells.extend([] for _ in range(span - 1))
            if any(cells):
                rows.append(cells)
        if not rows:
            return extra
        width = max(len(r) for r in rows)
        rows = [r + [[] for _ in range(width - len(r))] for r in rows]
        header = [_unbold(cell) for cell in rows[0]]
        block: TableBlock = {"type": "table", "header": header, "rows": rows[1:]}
        return [Table(block=block, merged=merged, nested=nested), *extra]


def _copy(el: Any) -> Any:
    from copy import deepcopy

    return deepcopy(el)


def _parent_table(el: Any) -> Any:
    parent = el.getparent()
    while parent is not None and parent.tag != f"{W}tbl":
        parent = parent.getparent()
    return parent


def _grid(props: Any | None, tag: str) -> int:
    if props is None:
        return 0
    el = props.find(f"{W}{tag}")
    value = el.get(f"{W}val", "0") if el is not None else "0"
    return min(int(value), 64) if value.isdigit() else 0


def _cell_inlines(records: list[Record]) -> list[Inline]:
    """A cell's paragraphs (and the text of a nested table) as one line of inlines: a pipe table's cell holds
    one line."""
    out: list[Inline] = []
    for rec in records:
        parts: list[list[Inline]] = []
        if isinstance(rec, Para):
            parts = [[n for n in rec.inlines if n["type"] != "br"] if rec.inlines else []]
        elif isinstance(rec, Table):
            parts = [cell for row in [rec.block["header"], *rec.block["rows"]] for cell in row]
        for part in parts:
            if not part:
                continue
            if out:
                out.append({"type": "text", "v": " "})
            out.extend(part)
    return merge_text(out)


def _unbold(cell: list[Inline]) -> list[Inline]:
    """A header cell that is bold as a whole is plain: header rows are bold by convention (and in referat's own
    Word edition)."""
    if len(cell) == 1 and cell[0]["type"] == "strong":
        return cell[0]["c"]
    return cell


__all__ = ["Para", "Picture", "Record", "Table", "Walker", "on"]
