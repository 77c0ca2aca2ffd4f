"""Every kind of bilag as PDF pages: PDF as is, Excel as tables, Word through LibreOffice, images on a page."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pikepdf

from ..diagnostics import Location
from ..errors import ConverterMissing, ImageUnreadable, InputError
from ..fileio import read_input
from ..files.imagemeta import HEAD_BYTES, PNG_SIGNATURE, strip_metadata, too_large
from ..files.libreoffice import CONVERT_HINT, bilag_to_pdf, check_word_size, find_soffice
from ..files.pdfcheck import open_pdf
from ..files.xlsxcheck import BILAG_CELLS, SHEET_ADVICE, UNREADABLE, SheetFacts, check_workbook
from ..render.pdf import compile_typst, with_asset
from ..text.danish import number
from ..text.richtext import printable
from ..view import labels as L
from .types import ImageData, Sheet, SheetData, SheetRow, SpanCell

WORD = (".docx", ".doc")
EXCEL = (".xlsx", ".xlsm")
IMAGES = (".png", ".jpg", ".jpeg")


def check_converters(paths: list[Path], where: Path) -> None:
    """Fail before any work if Word bilag need LibreOffice and it is missing, naming every such file."""
    word = [p for p in paths if p.suffix.lower() in WORD]
    if word and find_soffice() is None:
        names = ", ".join(f"bilag/{p.name}" for p in word)
        raise ConverterMissing(f"disse Word-bilag skal konverteres til PDF med LibreOffice, som ikke er installeret: {names}; "
                           f"{CONVERT_HINT}", Location(where))


def pdf_of(data: bytes) -> pikepdf.Pdf:
    """A PDF we made (or a converted or archived one) opened for copying."""
    return pikepdf.open(io.BytesIO(data))


def minutes_reader(data: bytes) -> pikepdf.Pdf:
    return pdf_of(data)


def bilag_pdf(path: Path, title: str, when: dt.date, approval: str | None = None) -> pikepdf.Pdf:
    """The bilag's pages, ready to append; a clear message naming the file when it cannot be used.

    A takstbilag (.yaml) is rendered as the annex; `approval` is its approval line, if the decision gave one.
    """
    from ..validate.bilag import bilag_path

    path = bilag_path(path)  # the name in the YAML may be composed (NFC), the one on disk decomposed (NFD)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        from ..takster.annex import render_annex

        return pdf_of(render_annex(path, ["pdf"], approval, when)["pdf"])
    if suffix == ".pdf":  # the reader validation opened (see pdfcheck): parsed once for checks, count and merge
        reader, problem = open_pdf(path)
        if reader is None:
            raise InputError(f"bilaget {problem}", Location(path))
        return reader
    if suffix in EXCEL:
        return pdf_of(_sheet_pdf(path, title, when))
    if suffix in WORD:
        check_word_size(path)
        return pdf_of(bilag_to_pdf(path, read_input(path, "Word-filen")))
    if suffix in IMAGES:
        return pdf_of(_image_pdf(path, title, when))
    raise InputError(f"filtypen '{suffix}' understøttes ikke som bilag", Location(path))


_PORTRAIT_PT, _LANDSCAPE_PT = 595.3 - 2 * 42.5, 841.9 - 2 * 42.5  # A4 less the 1.5 cm margins of sheet.typ
_MAX_FONT, _MIN_FONT, _EXCEL_FONT = 9.0, 6.0, 11.0
MAX_SHEET_CHARS = 2_000_000  # about 600 pages of small print: beyond that, a PDF of the relevant part


def _image_pdf(path: Path, title: str, when: dt.date) -> bytes:
    """The image on its own page, embedded without its metadata (EXIF, XMP, IPTC, comments: see imagemeta)."""
    broken = InputError("billedet kan ikke læses (beskadiget eller ukendt format)", Location(path))
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # read_input names the problem
    problem = too_large(b"", size)
    if problem:
        raise InputError(problem, Location(path))
    original = read_input(path, "billedet")
    problem = too_large(original[:HEAD_BYTES])
    if problem:
        raise InputError(problem, Location(path))
    clean = strip_metadata(original)
    if clean is None:
        raise broken
    with tempfile.TemporaryDirectory(prefix="referat-billede-") as tmp:
        copy = Path(tmp) / ("billede.png" if clean.startswith(PNG_SIGNATURE) else "billede.jpg")
        copy.write_bytes(clean)
        page: ImageData = {"title": printable(title)}
        data, assets = with_asset(page, "image", copy)
        try:
            return compile_typst("image.typ", data, when, assets)[0]
        except ImageUnreadable:  # the image's data, not the engine: said in this module's words, at the bilag
            raise broken from None


def _sheet_pdf(path: Path, title: str, when: dt.date) -> bytes:
    """The visible sheets as tables; hidden sheets, rows and columns are left out (never published)."""
    from openpyxl import load_workbook  # only for an Excel bilag (issue 17, start-up)

    facts = {f.name: f for f in check_workbook(path, BILAG_CELLS, SHEET_ADVICE, UNREADABLE)}
    try:
        workbook = load_workbook(path, data_only=True)  # full mode: widths, hidden rows, merges, print titles
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise InputError(f"Excel-filen kan ikke åbnes ({type(exc).__name__})", Location(path)) from None
    try:
        sheets = [sheet_view(ws, facts.get(ws.title), path) for ws in workbook.worksheets if ws.sheet_state == "visible"]
    finally:
        workbook.close()
    if not sheets:
        raise InputError("Excel-filen har ingen synlige ark", Location(path))
    data: SheetData = {"title": printable(title), "empty": L.SHEET_EMPTY, "sheets": sheets}
    return compile_typst("sheet.typ", data, when)[0]


def sheet_view(ws: Any, facts: SheetFacts | None, path: Path | None = None) -> Sheet:
    """One visible sheet as sheet.typ draws it: visible rows and columns only, widths from the sheet.

    Columns keep their widths relative to each other; the font shrinks (to 6 pt) so the sheet fits the
    page width, landscape when it does not fit portrait. A long text spills into empty cells to its right
    as in Excel (colspan) instead of wrapping one word per line; merged cells stay merged. The header rows
    (the sheet's print titles, else the first row) repeat on every page.
    """
    used_rows = facts.rows if facts is not None else ws.max_row
    used_cols = facts.cols if facts is not None else ws.max_column
    hidden_cols, widths = _columns(ws, used_cols)
    cols = [c for c in range(1, used_cols + 1) if c not in hidden_cols]
    rows = [r for r in range(1, used_rows + 1) if not _row_hidden(ws, r)] if cols else []
    grid: dict[tuple[int, int], Any] = {}
    for row in ws.iter_rows(min_row=1, max_row=used_rows, max_col=used_cols) if cols and rows else []:
        for cell in row:
            if cell.value is not None:
                grid[(cell.row, cell.column)] = cell
    head_rows = _title_rows(ws) or ({rows[0]} if rows else set())
    head_at = [i for i, r in enumerate(rows) if r in head_rows]
    first, last = (head_at[0], head_at[-1] + 1) if head_at else (0, 0)
    if head_at and last - first != len(head_at):  # not consecutive: repeat only the first row
        last = first + 1
    segment = {r: (0 if i < first else 1 if i < last else 2) for i, r in enumerate(rows)}
    spans, covered = _merges(ws, rows, cols, segment)
    texts = {key: _cell(cell.value, cell.number_format) for key, cell in grid.items()}
    if sum(len(t) for t in texts.values()) > MAX_SHEET_CHARS:
        raise InputError(f"arket '{ws.title}' har over {number(MAX_SHEET_CHARS)} tegn tekst (flere hundrede sider); "
                           f"{SHEET_ADVICE}", Location(path or Path("."), where=ws.title))
    pt = [_width_pt(widths[c] if c in widths else _autofit(texts, grid, covered, spans, rows, cols, i))
          for i, c in enumerate(cols)]
    natural = sum(pt)
    orientation = getattr(ws.page_setup, "orientation", None)
    landscape = orientation == "landscape" or natural * _MAX_FONT / _EXCEL_FONT > _PORTRAIT_PT
    usable = _LANDSCAPE_PT if landscape else _PORTRAIT_PT
    font = max(_MIN_FONT, min(_MAX_FONT, _EXCEL_FONT * usable / natural)) if natural else _MAX_FONT
    fits = natural * font / _EXCEL_FONT <= usable
    printed = [w * font / _EXCEL_FONT if fits else usable * w / natural for w in pt]  # the widths on paper
    out_rows: list[SheetRow] = []
    for r in rows:
        line: SheetRow = []
        skip_until = -1
        for i, c in enumerate(cols):
            if (r, c) in covered or i <= skip_until:
                continue
            cell = grid.get((r, c))
            text = texts.get((r, c), "")
            entry: SpanCell = {"t": text}
            span = 1
            if (r, c) in spans:
                span, entry["rs"], own = spans[(r, c)]
                entry["cs"] = span
                if not own:  # the part of a merged range below a header boundary: blank, as Excel shows it
                    entry["t"] = text = ""
            elif cell is not None and text and not getattr(cell.alignment, "wrap_text", False):
                needed = len(max(text.split(), key=len, default="")) * 0.55 * _EXCEL_FONT + 6
                needed = max(needed, min(len(text) * 0.5 * _EXCEL_FONT, 3 * pt[i]))
                width = pt[i]
                while width < needed and i + span < len(cols):
                    nxt = (r, cols[i + span])
                    if nxt in grid or nxt in covered or nxt in spans:
                        break
                    width += pt[i + span]
                    span += 1
                if span > 1:
                    entry["cs"] = span
                    skip_until = i + span - 1
            if text:
                entry["t"] = _breakable(text, sum(printed[i:i + span]), font)
            if cell is not None and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                entry["n"] = True
            line.append(entry if len(entry) > 1 else entry["t"])
        out_rows.append(line)
    return {
        "name": printable(ws.title), "landscape": landscape, "size": round(font, 2),
        "widths": [round(w * font / _EXCEL_FONT, 2) for w in pt], "fit": fits,
        "pre": out_rows[:first], "head": out_rows[first:last], "body": out_rows[last:],
    }


def _breakable(text: str, width: float, font: float) -> str:
    """`text` with a zero-width space every few characters inside words too long for a cell `width` pt wide.

    Typst breaks lines at spaces, hyphens and slashes only: a longer word would run over the next cell. The
    zero-width space is invisible and is not in the text a reader copies out of the PDF. Characters are
    taken as 0.55 em wide (Liberation Sans averages 0.5); only words a quarter longer than the cell are cut.
    """
    step = max(int((width - 5) / (font * 0.55)), 4)
    if not any(len(word) > step * 1.25 for word in text.split()):
        return text
    long_word = re.compile(r"\S{" + str(int(step * 1.25) + 1) + ",}")
    return long_word.sub(lambda m: "\u200b".join(m.group(0)[k:k + step] for k in range(0, len(m.group(0)), step)),
                         text)


def _autofit(texts: dict[tuple[int, int], str], grid: dict[tuple[int, int], Any], covered: set[tuple[int, int]],
             spans: dict[tuple[int, int], tuple[int, int, bool]], rows: list[int], cols: list[int], i: int) -> float:
    """A column without a width of its own: wide enough for its texts (as Excel's autofit), 8.43 to 45 characters.

    A text whose right neighbour is empty is left out: it spills over the neighbours instead, as in Excel.
    """
    c = cols[i]
    right = cols[i + 1] if i + 1 < len(cols) else None
    longest = 0
    for r in rows:
        text = texts.get((r, c))
        if not text or (r, c) in covered or ((r, c) in spans and spans[(r, c)][0] > 1):
            continue
        if right is not None and (r, right) not in grid and (r, right) not in covered:
            continue
        longest = max(longest, max(len(line) for line in text.splitlines() or [""]))
    return max(8.43, min(longest * 1.05 + 1, 45.0))


def _width_pt(width: float | None) -> float:
    """An Excel column width (characters of the default font) in points at 100 %, as Excel prints it."""
    chars = 8.43 if width is None else max(float(width), 0.0)
    return max(int(chars * 7 + 5), 24) * 0.75  # pixels at 96 dpi, never narrower than about 3 characters


def _columns(ws: Any, used_cols: int) -> tuple[set[int], dict[int, float]]:
    from openpyxl.utils import column_index_from_string

    hidden: set[int] = set()
    widths: dict[int, float] = {}
    default = ws.sheet_format.defaultColWidth if ws.sheet_format is not None else None
    for dim in ws.column_dimensions.values():
        low = dim.min or column_index_from_string(dim.index)
        high = min(dim.max or low, used_cols)
        for c in range(low, high + 1):
            if dim.hidden or (dim.width is not None and dim.width <= 0):
                hidden.add(c)
            elif dim.customWidth or dim.width != 13:  # 13 is openpyxl's stand-in for "no width given"
                widths[c] = dim.width
    if default:
        for c in range(1, used_cols + 1):
            widths.setdefault(c, float(default))
    return hidden, widths


def _row_hidden(ws: Any, r: int) -> bool:
    dim = ws.row_dimensions.get(r) if hasattr(ws.row_dimensions, "get") else None
    return dim is not None and (bool(dim.hidden) or (dim.height is not None and dim.height <= 0))


def _merges(ws: Any, rows: list[int], cols: list[int], segment: dict[int, int]
            ) -> tuple[dict[tuple[int, int], tuple[int, int, bool]], set[tuple[int, int]]]:
    """Merged ranges as (colspan, rowspan, holds the value) on their first visible cell, counted in visible
    rows and columns. A range crossing the border of the repeated header is cut there (a table's header
    cannot share a cell with its body); the part below is a blank cell of the same width."""
    row_set, col_set = set(rows), set(cols)
    spans: dict[tuple[int, int], tuple[int, int, bool]] = {}
    covered: set[tuple[int, int]] = set()
    for merged in ws.merged_cells.ranges:
        vis_rows = [r for r in range(merged.min_row, merged.max_row + 1) if r in row_set]
        vis_cols = [c for c in range(merged.min_col, merged.max_col + 1) if c in col_set]
        if not vis_rows or not vis_cols:
            continue
        parts: list[list[int]] = []
        for r in vis_rows:
            if parts and segment[parts[-1][0]] == segment[r]:
                parts[-1].append(r)
            else:
                parts.append([r])
        for n, part in enumerate(parts):
            spans[(part[0], vis_cols[0])] = (len(vis_cols), len(part), n == 0)
            covered.update((r, c) for r in part for c in vis_cols if (r, c) != (part[0], vis_cols[0]))
    return spans, covered


def _title_rows(ws: Any) -> set[int]:
    """The sheet's print titles (rows repeated at the top of each printed page), if set."""
    titles = getattr(ws, "print_title_rows", None)
    if not titles:
        return set()
    numbers = [int(n) for n in re.findall(r"\d+", str(titles))]
    if len(numbers) < 2 or numbers[1] < numbers[0] or numbers[1] - numbers[0] > 20:
        return set()
    return set(range(numbers[0], numbers[1] + 1))


def _cell(value: object, number_format: str | None = None) -> str:
    if value is None:
        return ""
    fmt = number_format or ""
    if fmt.count(";") >= 2 and not fmt.replace(";", "").strip():  # ";;;": Excel shows nothing, so neither do we
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in fmt:
        return f"{_number(value * 100, _decimals(fmt))} %"
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, int):
        return _number(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return _number(value, _decimals(fmt) if "0" in fmt else (0 if value.is_integer() else 2))
    if isinstance(value, dt.datetime):
        return f"{value:%d.%m.%Y}" if value.time() == dt.time() else f"{value:%d.%m.%Y %H.%M}"
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    return printable(str(value))


def _number(value: float, decimals: int = 0) -> str:
    """1.234.567 · 4,62 — as render.danish.number, without babel's cost per call (a sheet has many), and
    rounding half away from zero on the decimal value, as Excel shows it (1439,365 → 1.439,37)."""
    exact = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{exact:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _decimals(number_format: str) -> int:
    """The decimals an Excel number format shows ("0.0%" → 1, "#,##0.00" → 2, "0" → 0)."""
    match = re.search(r"\.([0#]+)", number_format)
    return min(len(match.group(1)), 6) if match else 0
