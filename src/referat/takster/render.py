"""Writers for the annex: PDF (Typst), CSV and Excel (openpyxl), from one table view (`types.AnnexView`); Word is
in `word.py`.

CSV and Excel carry numbers as numbers (issue 23): CSV in the Danish way a spreadsheet reads it (semicolons, a
decimal comma, no thousands separator), Excel as numeric cells with a number format that shows the decimals the
driftsherre wrote (`#,##0`, `#,##0.00`, percentages as fractions with `0%` / `0.00%`); text stays text. A driftsherre's
general overhead, a line above its table in the PDF and Word, is a row of its own before its rows (kind `generel`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from ..csvcell import FORMULA_START
from ..csvcell import csv_text as _csv_text
from ..render.pdf import compile_typst
from .row import DASHES  # a dash alone is no formula: printed as written, without the guard's apostrophe
from .types import AnnexCell, AnnexRow, AnnexSection, AnnexView
from .view import BLUE, ORANGE, YELLOW

BOLD_KINDS = ("overskrift", "blokhoved", "sum")


def pdf(view: AnnexView, when: dt.date) -> bytes:
    return compile_typst("takstbilag.typ", view, when, accessible=True)[0]


def flag_text(section: AnnexSection, cell: AnnexCell) -> str:
    """A cell's markings in words, for a CSV column or an Excel comment."""
    out = []
    for n in cell["flag"]:
        fn = section["footnotes"][n - 1]
        how = "Tvetydigt tal" if fn["ambiguous"] else ("Forklaret" if fn["explained"] else "Uforklaret")
        out.append(f"{how}: {fn['row']}: {fn['text']}")
    return "; ".join(out)


def csv_number(cell: AnnexCell) -> str:
    """A number as a Danish spreadsheet reads it from CSV: '17698460', '3,77', '-1,52' (no thousands separator)."""
    places = cell.get("decimals", 0)
    return f"{cell['number']:.{places}f}".replace(".", ",")


def _table_rows(section: AnnexSection) -> list[AnnexRow]:
    """A section's rows as the table editions list them: the general overhead first, as in the PDF, then its rows."""
    return ([section["overhead"]] if section["overhead"] else []) + section["rows"]


def csv_bytes(view: AnnexView) -> bytes:
    """One line per row with the driftsherre first; semicolons and decimal commas, as Danish Excel reads CSV.
    Numbers are written as numbers (no thousands separator), text guarded against formula injection."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Driftsherre", "Rækketype", *(c["label"].replace("\u00ad", "") for c in view["columns"]),
                     "Markeringer"])
    for s in view["sections"]:
        for note in s["notes_before"]:
            writer.writerow([_csv_text(s["owner"]), "note", _csv_text(note["title"] or ""), _csv_text(note["text"])])
        for row in _table_rows(s):
            marks = "; ".join(flag_text(s, cell) for cell in row["cells"] if cell["flag"])
            cells = [csv_number(cell) if "number" in cell else cell["text"] if cell["text"] in DASHES
                     else _csv_text(cell["text"]) for cell in row["cells"]]
            writer.writerow([_csv_text(s["owner"]), row["kind"], *cells, _csv_text(marks)])
        for note in s["notes_after"]:
            writer.writerow([_csv_text(s["owner"]), "note", _csv_text(note["title"] or ""), _csv_text(note["text"])])
    for note in view["notes"]:
        writer.writerow(["", "note", _csv_text(note["title"] or ""), _csv_text(note["text"])])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def excel_format(cell: AnnexCell) -> str:
    """The number format that shows a number with the decimals it was written with."""
    places = cell.get("decimals", 0)
    decimals = "." + "0" * places if places else ""
    return f"0{decimals}%" if cell.get("percent") else f"#,##0{decimals}"


def _text_cell(target: Any) -> None:
    """Text, never a formula: openpyxl stores any "=…" string as one."""
    if isinstance(target.value, str):
        target.data_type = "s"
        if target.value.startswith(FORMULA_START):
            target.quotePrefix = True


def xlsx(view: AnnexView, when: dt.date) -> bytes:
    # Excel's library is imported by its writer only: a PDF-only render does not pay for it.
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = str(view["year"])
    fills = {colour: PatternFill("solid", fgColor=colour) for colour in (YELLOW, ORANGE, BLUE)}
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
        for row in _table_rows(s):
            ws.append([s["owner"], *(c["number"] / 100 if c.get("percent") else c["number"] if "number" in c
                                     else c["text"] for c in row["cells"])])
            line = ws.max_row
            _text_cell(ws.cell(row=line, column=1))
            for k, value in enumerate(row["cells"], start=2):
                target = ws.cell(row=line, column=k)
                if "number" in value:
                    target.number_format = excel_format(value)
                else:
                    _text_cell(target)
                if row["kind"] in BOLD_KINDS and k != explanation:
                    target.font = bold
                if value["flag"] and value["colour"]:
                    target.fill = fills[value["colour"]]
                    target.comment = Comment(flag_text(s, value), "referat")
            if row["kind"] == "underrække":
                ws.cell(row=line, column=ydelse).alignment = Alignment(indent=1)
    for col in ws.columns:
        ws.column_dimensions[col[0].column_letter].width = 16
    for cells in ws.iter_rows(min_row=1, max_row=1):
        for c in cells:
            c.alignment = Alignment(wrap_text=True)
    counts = [[int(v) if v.isdigit() else v for v in row] for row in view["summary"]]  # the counts as numbers
    _sheet_rows(wb.create_sheet("Oversigt"), [view["summary_header"], *counts], bold)
    legend = wb["Oversigt"]
    legend.append([])
    for item in view["colours"]:
        legend.append([item["mark"], item["text"]])
        legend.cell(row=legend.max_row, column=1).fill = fills[item["colour"]]
    notes = [[s["owner"], n["title"] or "", n["text"]] for s in view["sections"]
             for n in s["notes_before"] + s["notes_after"]]
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


def _sheet_rows(ws: Any, rows: list[list[Any]], bold: Any) -> None:
    for values in rows:
        ws.append(values)
        for cell in ws[ws.max_row]:
            _text_cell(cell)
    for cell in ws[1]:
        cell.font = bold
    for col in ws.columns:
        ws.column_dimensions[col[0].column_letter].width = 24
