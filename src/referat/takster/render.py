"""Writers for the annex: PDF (Typst), Word (python-docx), CSV and Excel (openpyxl), from one table view."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from ..csvcell import FORMULA_START
from ..csvcell import csv_text as _csv_text
from ..render.pdf import compile_typst

YELLOW = "FFF200"


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
    from ..render.richtext import inline_text

    for block in view["guide"]:
        if block["type"] == "list":
            for item in block["items"]:
                doc.add_paragraph(" ".join(inline_text(b["inlines"]) for b in item if b["type"] == "par"),
                                  style="List Bullet")
        elif block["type"] in ("par", "heading"):
            doc.add_paragraph(inline_text(block["inlines"]))
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
            for cell, value, col in zip(cells.cells, row, view["columns"], strict=True):
                cell.text = value["text"]
                if value["flag"]:
                    cell.paragraphs[0].add_run(",".join(map(str, value["flag"]))).font.superscript = True
                    _shade(cell, YELLOW)
                if col["align"] == "right":
                    cell.paragraphs[0].alignment = 2
        if s["legend"]:
            doc.add_paragraph().add_run(view["legend_title"]).bold = True
            for item in s["legend"]:
                p = doc.add_paragraph()
                p.add_run(str(item["n"])).font.superscript = True
                p.add_run(" " + item["text"])
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


def csv_bytes(view: dict[str, Any]) -> bytes:
    """One line per tariff with the driftsherre first; semicolons and decimal commas, as Danish Excel reads CSV."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Driftsherre", *(c["label"].replace("\u00ad", "") for c in view["columns"]), "Markeringer"])
    text_columns = [c["align"] == "left" for c in view["columns"]]  # the numbers are ours, formatted Danish
    for s in view["sections"]:
        for row in s["rows"]:
            marks = "; ".join(s["legend"][n - 1]["text"] for cell in row for n in cell["flag"])
            cells = [_csv_text(cell["text"]) if is_text else cell["text"] for cell, is_text in zip(row, text_columns, strict=True)]
            writer.writerow([_csv_text(s["owner"]), *cells, _csv_text(marks)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def xlsx(view: dict[str, Any], when: dt.date) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = str(view["year"])
    fill = PatternFill("solid", fgColor=YELLOW)
    header = [c["label"].replace("\u00ad", "") for c in view["columns"]]
    ws.append(["Driftsherre", *header])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for s in view["sections"]:
        for row in s["rows"]:
            ws.append([s["owner"], *(c["text"] for c in row)])
            for cell in ws[ws.max_row]:  # text, never a formula: openpyxl stores any "=…" string as one
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                    cell.data_type = "s"
                    cell.quotePrefix = True
            for k, value in enumerate(row, start=2):
                if value["flag"]:
                    target = ws.cell(row=ws.max_row, column=k)
                    target.fill = fill
                    from openpyxl.comments import Comment

                    target.comment = Comment("\n".join(s["legend"][n - 1]["text"] for n in value["flag"]), "referat")
    for col in ws.columns:
        ws.column_dimensions[col[0].column_letter].width = 16
    for cells in ws.iter_rows(min_row=1, max_row=1):
        for c in cells:
            c.alignment = Alignment(wrap_text=True)
    wb.properties.title = view["title"]
    wb.properties.created = wb.properties.modified = dt.datetime(when.year, when.month, when.day, 12, 0)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
