"""Every kind of bilag as PDF pages: PDF as is, Excel as tables, Word through LibreOffice, images on a page."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from ..diagnostics import Location, ReferatError
from ..pdfcheck import pdf_problem
from ..render.danish import number
from ..render.libreoffice import INSTALL_HINT, docx_to_pdf, find_soffice
from ..render.pdf import compile_typst, with_asset
from ..render.richtext import printable

WORD = (".docx", ".doc")
EXCEL = (".xlsx", ".xlsm")
IMAGES = (".png", ".jpg", ".jpeg")
MAX_SHEET_CELLS = 200_000


def check_converters(paths: list[Path], where: Path) -> None:
    """Fail before any work if Word bilag need LibreOffice and it is missing, naming every such file."""
    word = [p for p in paths if p.suffix.lower() in WORD]
    if word and find_soffice() is None:
        names = ", ".join(f"bilag/{p.name}" for p in word)
        raise ReferatError(f"disse Word-bilag skal konverteres med LibreOffice, som ikke er installeret: {names}; "
                           f"{INSTALL_HINT}", Location(where))


def previous_minutes_pdf(folder: Path, public: bool) -> PdfReader:
    """The minutes (without their bilag) of an earlier meeting, built now from its folder."""
    from ..render.build import load_valid
    from ..render.pdf import write_pdf
    from ..render.view import document_view

    meeting, _ = load_valid(folder)
    pdf = write_pdf(document_view(meeting, "referat", public), meeting.date, meeting.profile.logo_path())
    return PdfReader(io.BytesIO(pdf))


def archived_minutes_pdf(folder: Path, reference: str, public: bool, where: Location) -> PdfReader:
    """The signed minutes of an earlier meeting exactly as archived (`arkiv: udvalg/dato`)."""
    from ..archive.recheck import closed_items
    from ..archive.store import find_archived

    _, manifest, data = find_archived(folder, reference, where)
    why = closed_items(manifest, data) if public else None  # read from the signed PDF, not trusted from the manifest
    if why:
        raise ReferatError(f"det arkiverede referat {reference} {why} og kan ikke indgå i den "
                           "offentlige udgave; sæt 'offentlig: false' på bilaget", where)
    return PdfReader(io.BytesIO(data))


def bilag_pdf(path: Path, title: str, when: dt.date, approval: str | None = None) -> PdfReader:
    """The bilag's pages, ready to append; a clear message naming the file when it cannot be used.

    A takstbilag (.yaml) is rendered as the annex; `approval` is its approval line, if the decision gave one.
    """
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        from ..takster.annex import render_annex

        return PdfReader(io.BytesIO(render_annex(path, ["pdf"], approval, when)["pdf"]))
    if suffix == ".pdf":
        problem = pdf_problem(path)
        if problem:
            raise ReferatError(f"bilaget {problem}", Location(path))
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            reader.decrypt("")
        return reader
    if suffix in EXCEL:
        return PdfReader(io.BytesIO(_sheet_pdf(path, title, when)))
    if suffix in WORD:
        return PdfReader(io.BytesIO(docx_to_pdf(path.read_bytes(), path.stem, path)))
    if suffix in IMAGES:
        data, assets = with_asset({"title": printable(title)}, "image", path)
        try:
            return PdfReader(io.BytesIO(compile_typst("image.typ", data, when, assets)[0]))
        except ReferatError:
            raise ReferatError("billedet kan ikke læses (beskadiget eller ukendt format)", Location(path)) from None
    raise ReferatError(f"filtypen '{suffix}' understøttes ikke som bilag", Location(path))


def _sheet_pdf(path: Path, title: str, when: dt.date) -> bytes:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise ReferatError(f"Excel-filen kan ikke åbnes ({type(exc).__name__})", Location(path)) from None
    sheets = []
    cells = 0
    try:
        for ws in workbook.worksheets:
            rows = []
            for row in ws.iter_rows(values_only=True):
                values = [_cell(v) for v in row]
                while values and values[-1] == "":
                    values.pop()
                if values:
                    rows.append(values)
                    cells += len(values)
                if cells > MAX_SHEET_CELLS:
                    raise ReferatError(f"Excel-filen har over {MAX_SHEET_CELLS} udfyldte celler; gem det relevante "
                                       "udsnit som PDF", Location(path, where=ws.title))
            sheets.append({"name": printable(ws.title), "rows": rows})
    finally:
        workbook.close()
    return compile_typst("sheet.typ", {"title": printable(title), "sheets": sheets}, when)[0]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, int):
        return number(value)
    if isinstance(value, float):
        return number(value, 0 if value.is_integer() else 2)
    if isinstance(value, dt.datetime):
        return f"{value:%d.%m.%Y}" if value.time() == dt.time() else f"{value:%d.%m.%Y %H.%M}"
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    return printable(str(value))
