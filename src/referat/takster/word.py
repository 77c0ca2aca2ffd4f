"""The annex as Word (python-docx), from the table view: the PDF's content, its footer ("titel … Side X af Y"),
and tables whose columns are fitted to their content so that no word is broken inside (issue 23).

Word breaks a word only when its column is narrower than the word: each column is given at least the width of
its longest word (measured in the bundled Liberation Sans, metric-compatible with the Arial the document names),
and the room left is shared out by how much text each column holds.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from ..text.fonts import FONT_DIR
from ..text.richtext import inline_text, plain_text
from .render import BOLD_KINDS
from .types import AnnexNote, AnnexView

FONT_PT = 7.0
PAGE_CM, MARGIN_CM = (29.7, 21.0), 1.2
CELL_PAD_PT = 2 * 5.4 + 1.0  # Word's default cell margins (0,19 cm each side) and a little slack
INDENT_PT = 0.3 / 2.54 * 72  # a sub-row's ydelse is indented 0,3 cm


@functools.cache
def _advances(bold: bool) -> tuple[dict[int, int], int, int]:
    """Code point → advance width, the width of a character the font lacks, and units per em."""
    from fontTools.ttLib import TTFont

    font = TTFont(FONT_DIR / ("LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"), lazy=True)
    metrics = font["hmtx"].metrics
    widths = {cp: metrics[name][0] for cp, name in font.getBestCmap().items()}
    return widths, metrics[".notdef"][0] if ".notdef" in metrics else 1000, font["head"].unitsPerEm


def text_width(text: str, bold: bool = False, size: float = FONT_PT) -> float:
    """The width of `text` on one line, in points."""
    widths, missing, em = _advances(bold)
    return sum(widths.get(ord(c), missing) for c in text) * size / em


def _word_width(text: str, bold: bool) -> float:
    return max((text_width(w, bold) for w in text.replace("\u00ad", "").split()), default=0.0)


def column_widths(view: AnnexView, available_pt: float) -> list[float]:
    """Each column's width in points: its longest word (never broken), then the rest of the page shared out by
    how much wider each column's longest line would like to be."""
    columns = view["columns"]
    least = [_word_width(c["label"], True) for c in columns]
    wish = [text_width(c["label"].replace("\u00ad", ""), True) for c in columns]
    for s in view["sections"]:
        for row in s["rows"]:
            bold = row["kind"] in BOLD_KINDS
            for i, cell in enumerate(row["cells"]):
                text = cell["text"] + (cell["label"] or "")
                if not text:
                    continue
                extra = INDENT_PT if row["kind"] == "underrække" and columns[i]["key"] == "ydelse" else 0.0
                least[i] = max(least[i], _word_width(text, bold) + extra)
                wish[i] = max(wish[i], text_width(text, bold) + extra)
    least = [w + CELL_PAD_PT for w in least]
    wish = [max(w + CELL_PAD_PT, lo) for w, lo in zip(wish, least, strict=True)]
    room = available_pt - sum(least)
    if room <= 0:
        return least  # wider than the page rather than a word broken inside
    want = [w - lo for w, lo in zip(wish, least, strict=True)]
    total = sum(want)
    if total <= room:  # everything fits on one line: the spare room goes to the Forklaring
        out = list(wish)
        spare = room - total
        last = next((i for i, c in enumerate(columns) if c["key"] == "forklaring"), len(columns) - 1)
        out[last] += spare
        return out
    return [lo + room * w / total for lo, w in zip(least, want, strict=True)]


def _shade(cell: Any, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour)
    tcpr.append(shd)


def _fixed(table: Any, widths_pt: list[float]) -> None:
    """A table laid out with these column widths, which Word keeps (fixed layout, grid and every cell)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    table.autofit = False
    tblpr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_pt, strict=True):
        col.set(qn("w:w"), str(round(width * 20)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_pt, strict=True):
            cell.width = Pt(width)


def _footer(section: Any, title: str, page_label: str, width_pt: float) -> None:
    """The PDF's footer: the title on the left, "Side X af Y" on the right, as Word fields."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Pt, RGBColor

    from ..render.word.oxml import add_field

    para = section.footer.paragraphs[0]
    para.paragraph_format.tab_stops.add_tab_stop(Pt(width_pt), WD_TAB_ALIGNMENT.RIGHT)
    before_x, _, rest = page_label.partition("{x}")
    between, _, after = rest.partition("{y}")
    para.add_run(title + "\t" + before_x)
    add_field(para, "PAGE", ["1"])
    para.add_run(between)
    add_field(para, "NUMPAGES", ["1"])
    if after:
        para.add_run(after)
    for run in para.runs:
        run.font.size = Pt(7.5)
        run.font.color.rgb = RGBColor(0x50, 0x50, 0x50)


def _note(doc: Any, note: AnnexNote) -> None:
    if note["title"]:
        doc.add_paragraph().add_run(note["title"]).bold = True
    for block in note["blocks"]:
        if block["type"] == "heading":
            doc.add_paragraph().add_run(inline_text(block["inlines"])).bold = True
        elif block["type"] == "list":
            for item in block["items"]:
                doc.add_paragraph(plain_text(item, sep=" "), style="List Number" if block["ordered"] else "List Bullet")
        else:
            doc.add_paragraph(plain_text([block]))


def docx(view: AnnexView, when: dt.date) -> bytes:
    # Word's library is imported by its writer only: a PDF-only render does not pay for it.
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.shared import Cm, Pt

    from ..render.word.oxml import repeat_header, set_language

    doc = Document()
    set_language(doc, "da-DK")
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(PAGE_CM[0]), Cm(PAGE_CM[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    available = (PAGE_CM[0] - 2 * MARGIN_CM) / 2.54 * 72
    _footer(section, view["title"], view["page_label"], available)
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(FONT_PT)
    doc.add_paragraph(view["title"], style="Title")
    if view["approval"]:
        doc.add_paragraph().add_run(view["approval"]).italic = True
    doc.add_paragraph(view["guide_title"], style="Heading 1")
    _note(doc, {"title": None, "blocks": view["guide"], "text": ""})
    legend = doc.add_table(rows=1, cols=len(view["colours"]))
    for cell, item in zip(legend.rows[0].cells, view["colours"], strict=True):
        cell.text = (item["mark"] + " " if item["mark"] else "") + item["text"]
        _shade(cell, item["colour"])
    doc.add_paragraph(view["summary_title"], style="Heading 1")
    summary = doc.add_table(rows=1, cols=len(view["summary_header"]))
    summary.style = "Table Grid"
    for cell, label in zip(summary.rows[0].cells, view["summary_header"], strict=True):
        cell.text = label
        cell.paragraphs[0].runs[0].bold = True
        _shade(cell, "E1E1E1")
    repeat_header(summary.rows[0])
    for values in view["summary"]:
        for cell, value in zip(summary.add_row().cells, values, strict=True):
            cell.text = value
    widths = column_widths(view, available)
    ydelse = next(i for i, c in enumerate(view["columns"]) if c["key"] == "ydelse")
    for s in view["sections"]:
        heading = doc.add_paragraph(s["owner"], style="Heading 1")
        heading.paragraph_format.page_break_before = True
        if s["info"]:
            doc.add_paragraph(s["info"])
        for note in s["notes_before"]:
            _note(doc, note)
        table = doc.add_table(rows=1, cols=len(view["columns"]))
        table.style = "Table Grid"
        for cell, col in zip(table.rows[0].cells, view["columns"], strict=True):
            cell.text = col["label"].replace("\u00ad", "")
            cell.paragraphs[0].runs[0].bold = True
            _shade(cell, "E1E1E1")
        repeat_header(table.rows[0])
        for row in s["rows"]:
            cells = table.add_row()
            cells._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            for x, (cell, shown, col) in enumerate(zip(cells.cells, row["cells"], view["columns"], strict=True)):
                paragraph = cell.paragraphs[0]
                paragraph.add_run(shown["text"]).bold = (row["kind"] in BOLD_KINDS and col["key"] != "forklaring") or None
                if row["kind"] == "underrække" and x == ydelse:
                    paragraph.paragraph_format.left_indent = Cm(0.3)
                if shown["flag"]:
                    paragraph.add_run(shown["label"]).font.superscript = True
                    if shown["colour"]:
                        _shade(cell, shown["colour"])
                if col["align"] == "right":
                    paragraph.alignment = 2
        _fixed(table, widths)
        if s["footnotes"]:
            _footnotes(doc, view, s["footnotes"], available)
        if s["notes_after"]:
            doc.add_paragraph().add_run(view["notes_title"]).bold = True
            for note in s["notes_after"]:
                _note(doc, note)
    if view["notes"]:
        heading = doc.add_paragraph(view["annex_notes_title"], style="Heading 1")
        heading.paragraph_format.page_break_before = True
        for note in view["notes"]:
            _note(doc, note)
    props = doc.core_properties
    props.title = view["title"]
    props.language = view["lang"]
    props.author = "referat"
    stamp = dt.datetime(when.year, when.month, when.day, 12, 0)
    props.created = props.modified = stamp
    from ..render.word.writer import _save

    return _save(doc, stamp)


def _footnotes(doc: Any, view: AnnexView, footnotes: list[Any], available: float) -> None:
    """The section's markings as a compact table: mark, row, rule, text; kept with the table above it."""
    from ..render.word.oxml import repeat_header

    title = doc.add_paragraph()
    title.add_run(view["footnotes_title"]).bold = True
    title.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, view["footnote_header"], strict=True):
        cell.text = label
        cell.paragraphs[0].runs[0].bold = True
        _shade(cell, "E1E1E1")
    repeat_header(table.rows[0])
    for fn in footnotes:
        cells = table.add_row().cells
        for cell, text in zip(cells, (fn["mark"], fn["row"], fn["rule"], fn["text"]), strict=True):
            cell.text = text
        _shade(cells[0], fn["colour"])
    def fit(texts: list[str], header: str, share: float) -> float:
        least = max(max(_word_width(t, False) for t in texts), _word_width(header, True)) + CELL_PAD_PT
        return max(least, min(max(text_width(t) for t in texts) + CELL_PAD_PT, available * share))

    head = view["footnote_header"]
    mark = fit([fn["mark"] for fn in footnotes], head[0], 0.05)
    row = fit([fn["row"] for fn in footnotes], head[1], 0.3)
    rule = fit([fn["rule"] for fn in footnotes], head[2], 0.15)
    _fixed(table, [mark, row, rule, max(available - mark - row - rule, 72.0)])
