"""Writers for the annex: PDF (Typst), Word (python-docx), CSV and Excel (openpyxl), from one table view."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from ..csvcell import FORMULA_START
from ..csvcell import csv_text as _csv_text
from ..render.pdf import compile_typst
from .view import ORANGE, YELLOW

BOLD_KINDS = ("overskrift", "blokhoved", "sum")
INDENT = "    "  # a sub-row's ydelse in CSV and Excel, where a cell has no indentation of its own


def pdf(view: dict[str, Any], when: dt.date) -> bytes:
    return compile_typst("takstbilag.typ", view, when, accessible=True)[0]


def _shade(cell: Any, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour)
    tcpr.append(shd)


def docx(view: dict[str, Any], when: dt.date) -> bytes:
    # Word and Excel libraries are imported by their writers only: a PDF-only render does not pay for them.
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.shared import Cm, Pt

    from ..render.word.oxml import repeat_header, set_language

    doc = Document()
    set_language(doc, "da-DK")
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.2))
    normal = doc.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(7)
    doc.add_paragraph(view["title"], style="Title")
    if view["approval"]:
        doc.add_paragraph().add_run(view["approval"]).italic = True
    doc.add_paragraph(view["guide_title"], style="Heading 1")
    from ..text.richtext import plain_text

    for block in view["guide"]:
        if block["type"] == "list":
            for item in block["items"]:
                doc.add_paragraph(plain_text(item, sep=" "), style="List Bullet")
        elif block["type"] in ("par", "heading"):
            doc.add_paragraph(plain_text([block]))
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
    ydelse = next(i for i, c in enumerate(view["columns"]) if c["key"] == "ydelse")
    for s in view["sections"]:
        heading = doc.add_paragraph(s["owner"], style="Heading 1")
        heading.paragraph_format.page_break_before = True
        doc.add_paragraph(s["info"])
        table = doc.add_table(rows=1, cols=len(view["columns"]))
        table.style = "Table Grid"
        for cell, col in zip(table.rows[0].cells, view["columns"], strict=True):
            cell.text = col["label"].replace("\u00ad", "")
            cell.paragraphs[0].runs[0].bold = True
            _shade(cell, "E1E1E1")
        repeat_header(table.rows[0])
        for row in s["rows"]:
            cells = table.add_row()
            trpr = cells._tr.get_or_add_trPr()
            trpr.append(OxmlElement("w:cantSplit"))
            for x, (cell, value, col) in enumerate(zip(cells.cells, row["cells"], view["columns"], strict=True)):
                paragraph = cell.paragraphs[0]
                paragraph.add_run(value["text"]).bold = (row["kind"] in BOLD_KINDS and col["key"] != "forklaring") or None
                if row["kind"] == "underrække" and x == ydelse:
                    paragraph.paragraph_format.left_indent = Cm(0.3)
                if value["flag"]:
                    paragraph.add_run(value["label"]).font.superscript = True
                    _shade(cell, value["colour"])
                if col["align"] == "right":
                    paragraph.alignment = 2
        if s["legend"]:
            doc.add_paragraph().add_run(view["legend_title"]).bold = True
            for item in s["legend"]:
                p = doc.add_paragraph()
                p.add_run(("" if item["explained"] else "!") + str(item["n"])).font.superscript = True
                p.add_run(" " + item["text"])
        _docx_notes(doc, view["notes_title"], s["notes"])
    if view["notes"]:
        heading = doc.add_paragraph(view["annex_notes_title"], style="Heading 1")
        heading.paragraph_format.page_break_before = True
        _docx_notes(doc, None, view["notes"])
    props = doc.core_properties
    props.title = view["title"]
    props.language = view["lang"]
    props.author = "referat"
    stamp = dt.datetime(when.year, when.month, when.day, 12, 0)
    props.created = props.modified = stamp
    out = io.BytesIO()
    doc.save(out)
    from ..render.word.writer import _normalise_zip

    return _normalise_zip(out.getvalue(), stamp)


def _docx_notes(doc: Any, title: str | None, notes: list[dict[str, Any]]) -> None:
    if not notes:
        return
    if title:
        doc.add_paragraph().add_run(title).bold = True
    for note in notes:
        if note["title"]:
            doc.add_paragraph().add_run(note["title"]).bold = True
        doc.add_paragraph(note["text"])


def _flag_text(s: dict[str, Any], cell: dict[str, Any]) -> str:
    return "; ".join(("Forklaret: " if s["legend"][n - 1]["explained"] else "Uforklaret: ") + s["legend"][n - 1]["text"]
                     for n in cell["flag"])


def csv_bytes(view: dict[str, Any]) -> bytes:
    """One line per tariff with the driftsherre first; semicolons and decimal commas, as Danish Excel reads CSV."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Driftsherre", "Rækketype", *(c["label"].replace("\u00ad", "") for c in view["columns"]),
                     "Markeringer"])
    text_columns = [c["align"] == "left" for c in view["columns"]]  # the numbers are ours, formatted Danish
    for s in view["sections"]:
        for row in s["rows"]:
            marks = "; ".join(_flag_text(s, cell) for cell in row["cells"] if cell["flag"])
            cells = [_csv_text(cell["text"]) if is_text else cell["text"]
                     for cell, is_text in zip(row["cells"], text_columns, strict=True)]
            writer.writerow([_csv_text(s["owner"]), row["kind"], *cells, _csv_text(marks)])
        for note in s["notes"]:
            writer.writerow([_csv_text(s["owner"]), "note", _csv_text(note["title"] or ""), _csv_text(note["text"])])
    for note in view["notes"]:
        writer.writerow(["", "note", _csv_text(note["title"] or ""), _csv_text(note["text"])])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx(view: dict[str, Any], when: dt.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = str(view["year"])
    fills = {YELLOW: PatternFill("solid", fgColor=YELLOW), ORANGE: PatternFill("solid", fgColor=ORANGE)}
    header = [c["label"].replace("\u00ad", "") for c in view["columns"]]
    ws.append(["Driftsherre", *header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    ws.print_options.gridLines = True
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = "1:1"
    bold = Font(bold=True)
    ydelse = 2 + next(i for i, c in enumerate(view["columns"]) if c["key"] == "ydelse")
    explanation = 2 + next(i for i, c in enumerate(view["columns"]) if c["key"] == "forklaring")
    for s in view["sections"]:
        for row in s["rows"]:
            ws.append([s["owner"], *(c["text"] for c in row["cells"])])
            for cell in ws[ws.max_row]:  # text, never a formula: openpyxl stores any "=…" string as one
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    cell.data_type = "s"
                    cell.quotePrefix = True
                if row["kind"] in BOLD_KINDS and cell.column != explanation:
                    cell.font = bold
            if row["kind"] == "underrække":
                ws.cell(row=ws.max_row, column=ydelse).alignment = Alignment(indent=1)
            for k, value in enumerate(row["cells"], start=2):
                if value["flag"]:
                    target = ws.cell(row=ws.max_row, column=k)
                    target.fill = fills[value["colour"]]
                    target.comment = Comment(_flag_text(s, value), "referat")
    for col in ws.columns:
        ws.column_dimensions[col[0].column_letter].width = 16
    for cells in ws.iter_rows(min_row=1, max_row=1):
        for c in cells:
            c.alignment = Alignment(wrap_text=True)
    _sheet_rows(wb.create_sheet("Oversigt"), [view["summary_header"], *view["summary"]], bold)
    legend = wb["Oversigt"]
    legend.append([])
    for item in view["colours"]:
        legend.append([item["mark"], item["text"]])
        legend.cell(row=legend.max_row, column=1).fill = fills[item["colour"]]
    notes = [[s["owner"], n["title"] or "", n["text"]] for s in view["sections"] for n in s["notes"]]
    notes += [["", n["title"] or "", n["text"]] for n in view["notes"]]
    if notes:
        _sheet_rows(wb.create_sheet("Noter"), [["Driftsherre", "Titel", "Note"], *notes], bold)
    wb.properties.title = view["title"]
    stamp = dt.datetime(when.year, when.month, when.day, 12, 0)
    wb.properties.created = wb.properties.modified = stamp
    out = io.BytesIO()
    wb.save(out)
    from .template import stable_xlsx

    return stable_xlsx(out.getvalue(), stamp)  # same annex → same bytes


def _sheet_rows(ws: Any, rows: list[list[str]], bold: Any) -> None:
    for values in rows:
        ws.append(values)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                cell.data_type = "s"
                cell.quotePrefix = True
    for cell in ws[1]:
        cell.font = bold
    for col in ws.columns:
        ws.column_dimensions[col[0].column_letter].width = 24
