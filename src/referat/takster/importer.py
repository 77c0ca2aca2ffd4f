"""`referat tariffs import`: takstskemaer (Excel) → a takstbilag YAML, every bad cell named, no row dropped.

Headers are found by their names (any row in the first 30), so an older skema or one with extra columns
still imports. A driftsherre's name, type, year and general overhead are read from labelled cells above the
header ("Driftsherre:" and its neighbour), from a Driftsherre column, or else from the sheet's name.

A cell that cannot be read is named in the run's output and kept as `null` with its message under the row's
`importfejl` (the annex marks it); the row is never left out (issue 23). Numbers typed as text are read in the
convention each driftsherre's workbook shows (`convention`): an ambiguous `1,234` is written to the YAML as the
number its workbook's evidence decides, or as typed, with a warning, where nothing decides it. Notes above the
table are printed before it, notes below it after; the lines that follow a note are its paragraphs.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..diagnostics import Location, ReferatError, Report
from ..fileio import read_reason
from ..files.xlsxcheck import IMPORT_CELLS, ZIP_ERRORS, SheetFacts, check_workbook
from ..load.nodes import FixedFloat
from ..progress import Progress
from ..text.danish import join_or
from ..text.richtext import printable
from ..text.tomarkdown import escape
from .columns import HEADER_LOOKUP, KIND, LABELS, META, ROLES, fold
from .convention import Convention, SectionReading, Written, agrees, ambiguous, decide, reading
from .convention import decimals as written_decimals
from .model import DASHES, LIMIT, Status, Unit
from .numbers import EMPTY, CellError, NumberFormat, is_excel_error, parse_number, shown_value
from .row import MAX_DECIMALS, float_decimals, formula_tariff
from .rules import conflict_message

HEADER_SCAN_ROWS = 30
REQUIRED = ("ydelse", "takstenhed")  # missing: a warning on the row, never a refusal
FRACTION_PERCENT = ("belægning_pct", "overhead_pct")  # 0.98 typed for 98 % in a General-format cell
# Numbers the takstbilag cannot hold negative (model.NonNeg, and a budget or a number of days).
_NOT_NEGATIVE = ("antal_pladser", "pladser_sidste_år", "betalingsdage", "budget", "belægning_pct", "overhead_pct",
                 "takst", "takst_sidste_år")
# A note below a driftsherre's table ("#Note til …", "Bemærkning: …"), or a notat-bilag of the annex ("Bilag A: …").
_NOTE = re.compile(r"^\s*(#|note\b|notat\b|bemærkning(er)?\b)", re.IGNORECASE)
_ANNEX_NOTE = re.compile(r"^\s*#?\s*bilag\s+[A-ZÆØÅ0-9]{1,3}\s*[:.–-]", re.IGNORECASE)
_UNITS = {u.value.lower(): u.value for u in Unit} | {"døgn (24 timer)": "Døgn", "doegn": "Døgn", "md.": "Måned",
                                                      "måned": "Måned", "stk.": "Styk", "timer": "Time"}
_STATUS = {s.value: s.value for s in Status} | {"udgaar": "udgår", "lukker": "udgår", "udsat": "udskudt"}
_YES = {"ja": True, "j": True, "x": True, "sand": True, "true": True, "nej": False, "n": False, "": False,
        "falsk": False, "false": False}


@dataclass(frozen=True)
class _Choice:
    """A column whose cell names one of a closed set: its values by the cell's text as `folded`, what the
    column holds and its choices (for the message when the cell names none of them)."""

    values: dict[str, str]
    folded: Callable[[str], str]
    what: str
    choices: str


_CHOICES = {
    "takstenhed": _Choice(_UNITS, str.lower, "en takstenhed", join_or([u.value for u in Unit])),
    "rolle": _Choice(ROLES, fold, "en rækketype", "overskrift, blokhoved, underrække, sum eller takst"),
    "status": _Choice(_STATUS, str.lower, "en status", "udgår eller udskudt"),
}


@dataclass
class ImportResult:
    text: str | None
    rows: int
    report: Report = field(default_factory=Report)
    data: dict[str, Any] | None = None
    readings: list[str] = field(default_factory=list)  # per workbook and driftsherre: the number convention read


@dataclass
class _Owner:
    name: str
    type: str = "kommune"
    overhead: float | None = None
    offers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    notes: list[dict[str, str]] = field(default_factory=list)
    laws: dict[str, str] = field(default_factory=dict)  # offer → the Lovgrundlag typed on its name line
    at: dict[str, Location] = field(default_factory=dict)  # "type"/"overhead" → the cell its value came from
    told: set[tuple[str, str]] = field(default_factory=set)  # the disagreements already warned about


@dataclass
class _Submission:
    """A driftsherre's cells in one workbook: the evidence for its number convention, and the ambiguous cells
    to read in it."""

    cells: list[Written] = field(default_factory=list)
    pending: dict[Written, tuple[dict[str, Any], Location]] = field(default_factory=dict)
    inherited: dict[int, dict[str, Any]] = field(default_factory=dict)  # record → unit, belægning, days of its offer
    first: Location | None = None


def import_workbooks(paths: list[Path], year: int | None = None, shown: Progress | None = None) -> ImportResult:
    """`shown`: the progress line, told the rows of each sheet as it is read."""
    report = Report()
    owners: dict[str, _Owner] = {}
    annex_notes: list[dict[str, str]] = []
    years: set[int] = set()
    readings: list[str] = []
    count = 0
    for path in paths:
        problem = _unreadable(path)
        if problem:
            report.error(Location(path), problem)
            continue
        try:  # bounds before openpyxl reads anything (one value in XFD1048576, a zip bomb)
            facts = check_workbook(path, IMPORT_CELLS, "slet indhold uden for skemaet, eller brug den tomme skabelon")
        except ReferatError as exc:
            report.extend(exc.report)
            continue
        try:
            workbook = load_workbook(path, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged or foreign file
            report.error(Location(path), f"filen kan ikke læses som Excel (.xlsx) ({type(exc).__name__})")
            continue
        found = False
        uncomputed = _uncomputed(path, facts)
        submissions: dict[str, _Submission] = {}
        rows = {f.name: f.rows for f in facts}
        if shown is not None:
            shown.grow(sum(rows.values()))
        for ws in workbook.worksheets:
            if shown is not None:
                shown.step(f"{path.name}!{ws.title}", rows.get(ws.title, 0))
            if ws.sheet_state != "visible":  # a hidden draft is no driftsherre: never imported
                report.warning(Location(path, where=ws.title), f"arket '{ws.title}' er skjult og importeres ikke")
                continue
            hidden = _hidden(ws)
            header_row, columns = _header(ws, hidden)
            _warn_hidden(ws, path, hidden, header_row, report)
            if header_row is None:
                continue
            _same_meaning(ws, path, header_row, columns, report)
            found = True
            meta = _meta(ws, header_row, path, report, hidden)
            blank = uncomputed.get(ws.title, frozenset())
            for key, at in meta.get("_at", {}).items():
                if meta.get(key) is None and at.where and at.where.rpartition("!")[2] in blank:
                    report.warning(at, f"{_UNCOMPUTED}; den er læst som tom. {_RECOMPUTE}")
            if meta.get("år"):
                years.add(int(meta["år"]))
            count += _read_rows(ws, path, header_row, columns, meta, owners, report, annex_notes, submissions, hidden,
                                blank)
        for name, submission in submissions.items():
            section = _read_submission(submission, report)
            if section.read_any:
                readings.append(f"{path.name} ({name}): {section.summary(LABELS)}")
        submissions.clear()
        if not found:
            report.error(Location(path), "ingen ark har en overskriftsrække med kolonner som Tilbud, Ydelse, "
                                         "Takstenhed og Takst")
    if not owners:  # nothing read: the messages above say why; the year is beside the point
        if not report.has_errors:
            report.error(Location(paths[0] if paths else Path(".")), "skemaerne indeholder ingen takstrækker")
        return ImportResult(None, count, report, readings=readings)
    if year is None:
        if len(years) > 1:
            report.error(Location(paths[0]), f"skemaerne angiver forskellige takstår: {', '.join(map(str, sorted(years)))}; "
                                             "angiv --år")
        year = min(years) if years else None
    if year is None:
        report.error(Location(paths[0] if paths else Path(".")), "takståret står ikke i skemaet; angiv --år")
        return ImportResult(None, count, report, readings=readings)
    data = _data(owners, year, annex_notes)
    return ImportResult(to_yaml(data), count, report, data, readings)


_SHARED = ("takstenhed", "belægning_pct", "betalingsdage")  # what a takstgruppe may leave to the row above it


def _expected(record: dict[str, Any], inherited: dict[str, Any]) -> float | None:
    """The takst the record's own budget gives with its (or its offer's) belægning, Døgn and Dag rows and payment
    days (`row.formula_tariff`, the annex check's formula); None where a number in it is not read yet."""
    unit = record.get("takstenhed", inherited.get("takstenhed"))
    occupancy = record.get("belægning_pct", inherited.get("belægning_pct"))
    budget = record.get("budget")
    places, regulation, base = (None if record.get(k) == "-" else record.get(k)
                                for k in ("antal_pladser", "regulering_kr", "basistakst"))
    if unit not in ("Døgn", "Dag") or not (_number(budget) and budget) or not (_number(occupancy) and occupancy) \
            or not all(v is None or _number(v) for v in (places, regulation, base)):
        return None
    days = 250 if record.get("betalingsdage", inherited.get("betalingsdage")) == 250 else 365
    return formula_tariff(budget, places, occupancy, days, regulation, base)


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _read_submission(submission: _Submission, report: Report) -> SectionReading:
    """Decide a driftsherre's workbook's number convention and write its ambiguous cells in it: a number where
    the evidence decides, the text as typed (with a warning naming both readings) where nothing does."""
    formula: dict[Written, Convention] = {}
    for cell, (record, _) in submission.pending.items():
        if cell.key == "takst" and not any(isinstance(record.get(k), str) and ambiguous(record[k])
                                           for k in ("budget", "antal_pladser", "belægning_pct")):
            convention = agrees(_expected(record, submission.inherited.get(id(record), {})), cell.text)
            if convention is not None:
                formula[cell] = convention
    section = decide(submission.cells, formula)
    for cell, decision in section.decisions.items():
        record, where = submission.pending[cell]
        if decision.convention is not None:
            value = reading(cell.text, decision.convention)
            record[cell.key] = fixed(value, written_decimals(cell.text, decision.convention))
            continue
        danish, english = reading(cell.text, Convention.DANISH), reading(cell.text, Convention.ENGLISH)
        sep = "," if "," in cell.text else "."
        decimal, thousands = (danish, english) if sep == "," else (english, danish)
        report.warning(where, f"{LABELS[cell.key]}: '{cell.text}' kan læses som {number_text(decimal)} "
                              f"({'komma' if sep == ',' else 'punktum'} som decimaltegn) eller {number_text(thousands)} "
                              f"({'komma' if sep == ',' else 'punktum'} som tusindtalsseparator), og intet andet tal i "
                              "skemaet afgør det; det står i takstbilaget som skrevet. Skriv tallet entydigt")
    if section.conflicts and submission.first is not None:
        report.warning(submission.first, conflict_message(section))
    return section


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of old .xls files and of encrypted .xlsx files


def _unreadable(path: Path) -> str | None:
    """Why `path` is no workbook to open, said plainly, or None to let openpyxl try."""
    if not path.exists():
        return "filen findes ikke"
    if path.is_dir():
        return "er en mappe, ikke en fil"
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        return f"filen kan ikke læses ({read_reason(exc)})"
    if not head:
        return "filen er tom (0 byte)"
    if head == _OLE2:
        return ("filen er krypteret med adgangskode eller gemt i det gamle .xls-format; gem den som "
                "Excel-projektmappe (.xlsx) uden adgangskode")
    return None


@dataclass(frozen=True)
class _Hidden:
    """A sheet's hidden rows and columns (hidden, or shrunk to height or width 0; a filter or a collapsed outline
    hides rows the same way): never read, as `files.xlsxcheck` counts them for bilag."""

    rows: frozenset[int] = frozenset()
    cols: frozenset[int] = frozenset()

    def visible(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(c for c in row if c.column not in self.cols) if self.cols else row


def _hidden(ws: Worksheet) -> _Hidden:
    rows = frozenset(r for r, d in ws.row_dimensions.items()
                     if r <= ws.max_row and (d.hidden or (d.ht is not None and d.ht == 0)))
    cols: set[int] = set()
    for key, d in ws.column_dimensions.items():
        if d.hidden or (d.width is not None and d.width == 0):
            low = d.min or column_index_from_string(key)
            cols.update(range(low, min(d.max or low, ws.max_column) + 1))
    return _Hidden(rows, frozenset(cols))


def _blank(value: Any) -> bool:
    """An empty cell: nothing, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def _spans(numbers: list[int]) -> str:
    """10, 12–14: row numbers as ranges."""
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def _headed(ws: Worksheet, header_row: int | None, column: int) -> str:
    """A column's header as a message names it beside the column's letter: " ('Bemærkninger')"; "" without one."""
    head = ws.cell(row=header_row, column=column).value if header_row is not None else None
    return "" if _blank(head) else f" ('{printable(str(head).strip())}')"


def _warn_hidden(ws: Worksheet, path: Path, hidden: _Hidden, header_row: int | None, report: Report) -> None:
    """One warning naming the hidden rows and columns that hold something (an empty hidden row hides nothing),
    as a hidden sheet is named: they are not imported, so nothing hidden reaches the annex."""
    rows = [r for r in sorted(hidden.rows) if any(not _blank(c.value) for c in ws[r] if c.column not in hidden.cols)]
    cols = [c for c in sorted(hidden.cols)
            if any(not _blank(cell.value) for (cell,) in ws.iter_rows(min_col=c, max_col=c))]
    if not rows and not cols:
        return
    parts = []
    if rows:
        parts.append(f"skjult{'e' if len(rows) > 1 else ''} række{'r' if len(rows) > 1 else ''} {_spans(rows)}")
    if cols:
        parts.append(f"skjult{'e' if len(cols) > 1 else ''} kolonne{'r' if len(cols) > 1 else ''} "
                     f"{', '.join(get_column_letter(c) + _headed(ws, header_row, c) for c in cols)}")
    report.warning(Location(path, where=ws.title), f"arket '{ws.title}' har {' og '.join(parts)}, som ikke importeres; "
                                                   "vis dem i skemaet, hvis de skal med i takstbilaget")


def _same_meaning(ws: Worksheet, path: Path, header_row: int, columns: dict[int, str], report: Report) -> None:
    """Two columns that mean the same ('Forklaring' and 'Bemærkning', two 'Takst'): the first (leftmost) is read,
    the other left out with a warning at its header naming both, so that neither overwrites the other unseen."""
    first: dict[str, int] = {}
    for column, key in sorted(columns.items()):
        if key not in first:
            first[key] = column
            continue
        del columns[column]
        kept, other = ws.cell(row=header_row, column=first[key]), ws.cell(row=header_row, column=column)
        report.warning(Location(path, where=f"{ws.title}!{other.coordinate}"),
                       f"kolonnen '{printable(str(other.value).strip())}' ({other.coordinate}) betyder det samme som "
                       f"'{printable(str(kept.value).strip())}' ({kept.coordinate}): {LABELS[key]}; kun den første "
                       f"({kept.column_letter}) er importeret, og kolonne {other.column_letter} importeres ikke. "
                       "Slet eller omdøb den ene kolonne")


_UNCOMPUTED = ("cellen har en formel, men ingen beregnet værdi (skemaet er gemt af et program, der ikke regner "
               "formler ud)")
_RECOMPUTE = "Åbn skemaet i Excel eller LibreOffice, og gem det igen"


def _uncomputed(path: Path, facts: list[SheetFacts]) -> dict[str, frozenset[str]]:
    """Per sheet, the cells holding a formula with no value saved beside it: `load_workbook(data_only=True)` reads
    them as empty, as a workbook written by a program that does not compute formulas has them. The sheets' XML
    is within `check_workbook`'s bounds already; a part that cannot be read here is left to openpyxl."""
    found: dict[str, frozenset[str]] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for sheet in facts:
                if sheet.part is None or sheet.hidden:
                    continue
                cells: set[str] = set()
                with archive.open(sheet.part) as stream:
                    for _, element in ElementTree.iterparse(stream):  # expat ≥ 2.4 refuses entity bombs
                        tag = element.tag.rpartition("}")[2]
                        if tag == "row":
                            element.clear()  # its cells are read: memory stays one row's
                        if tag != "c":
                            continue
                        children = {child.tag.rpartition("}")[2]: child for child in element}
                        value = children.get("v")
                        if "f" in children and (value is None or (not value.text and element.get("t") != "str")):
                            cells.add(element.get("r", ""))
                        element.clear()
                if cells:
                    found[sheet.name] = frozenset(cells)
    except (*ZIP_ERRORS, KeyError, ElementTree.ParseError):
        return found
    return found


def _header(ws: Worksheet, hidden: _Hidden = _Hidden()) -> tuple[int | None, dict[int, str]]:
    for row in ws.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS):
        if row and row[0].row in hidden.rows:
            continue
        columns = {}
        for cell in hidden.visible(row):
            if isinstance(cell.value, str) and fold(cell.value) in HEADER_LOOKUP:
                columns[cell.column] = HEADER_LOOKUP[fold(cell.value)]
        if {"ydelse", "takstenhed"} <= set(columns.values()) and len(columns) >= 4:
            return row[0].row, columns
    return None, {}


def _meta(ws: Worksheet, header_row: int, path: Path, report: Report, hidden: _Hidden = _Hidden()) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for row in ws.iter_rows(min_row=1, max_row=header_row - 1):
        if row and row[0].row in hidden.rows:  # a hidden label or value is not read (`_warn_hidden` names it)
            continue
        for cell in hidden.visible(row):
            if not isinstance(cell.value, str) or cell.column + 1 in hidden.cols:
                continue
            label = fold(cell.value)
            for key, names in META.items():
                if label in {fold(n) for n in names}:
                    value = ws.cell(row=cell.row, column=cell.column + 1).value
                    where = Location(path, where=f"{ws.title}!{ws.cell(row=cell.row, column=cell.column + 1).coordinate}")
                    if key in ("overhead", "år"):
                        try:
                            number = parse_number(value)
                        except CellError as exc:
                            report.error(where, str(exc))
                            continue
                        target = ws.cell(row=cell.row, column=cell.column + 1)
                        if number is not None and key == "overhead":
                            number = as_shown(target, _percent(target, number, where, "Generel overheadprocent",
                                                               report))
                        meta[key] = number
                    elif value not in (None, ""):
                        meta[key] = str(value).strip()
                    meta.setdefault("_at", {})[key] = where  # the cell it came from, for `_owner`'s messages
    if "type" in meta and meta["type"].lower() not in ("kommune", "region"):
        report.error(Location(path, where=ws.title), f"driftsherretypen '{meta['type']}' skal være kommune eller region")
        meta.pop("type")
    return meta


def _is_percent_cell(cell: Any) -> bool:
    """A number that Excel shows × 100: its format's section for it has an unquoted, unescaped '%' (`0.0%`, not
    `0.0" %"` or `0.0\\ \\%`, which show the number as it is with a '%' after it)."""
    value = cell.value
    return isinstance(value, (int, float)) and not isinstance(value, bool) \
        and NumberFormat(cell.number_format, value).percent


def _texts(row: tuple[Any, ...]) -> list[Any]:
    return [c.value for c in row if c.value is not None and not (isinstance(c.value, str) and not c.value.strip())]


def _note(row: tuple[Any, ...]) -> dict[str, str] | None:
    """A row holding one text only, that reads as a note: {titel, tekst} (the title before the first ':'); its
    text as Markdown that prints literally."""
    texts = _texts(row)
    if len(texts) != 1 or not isinstance(texts[0], str) or not (_NOTE.match(texts[0]) or _ANNEX_NOTE.match(texts[0])):
        return None
    text = printable(texts[0].strip().lstrip("#").strip())
    title, sep, body = text.partition(":")
    if sep and body.strip() and len(title) <= 120 and "\n" not in title:
        return {"titel": title.strip(), "tekst": markdown_literal(body.strip())}
    if sep and not body.strip():  # '#Note til Aalborg Kommunes takster:' with its paragraphs on the lines below
        return {"titel": title.strip(), "tekst": ""}
    return {"tekst": markdown_literal(text)}


_SENTENCE = re.compile(r"[.!?:;)]\s*$")


def _paragraph(row: tuple[Any, ...]) -> str | None:
    """The one text of a row that reads as a sentence (it ends in '.', '!', '?', ':' or is long): a paragraph of
    the note above it, not an offer's name on a line of its own."""
    texts = _texts(row)
    if len(texts) != 1 or not isinstance(texts[0], str):
        return None
    text = texts[0].strip()
    return text if _SENTENCE.search(text) or len(text) > 80 else None


def _continue(note: dict[str, str], text: str) -> None:
    note["tekst"] = (note["tekst"] + "\n\n" if note["tekst"] else "") + markdown_literal(printable(text))




def markdown_literal(text: str) -> str:
    """Text from a workbook as Markdown that prints exactly as typed, line by line (a note's text is Markdown in
    the takstbilag): `text.tomarkdown.escape`, which escapes only what Markdown reads as markup — a backslash
    before '<', '~' or a digit would print."""
    return "\n".join(escape(line, pipes=True) for line in text.split("\n"))


def _notes_above(ws: Worksheet, header_row: int, hidden: _Hidden = _Hidden()) -> list[dict[str, str]]:
    """Notes a driftsherre wrote above its table (printed before it): note rows and their paragraphs."""
    notes: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for row in ws.iter_rows(min_row=1, max_row=header_row - 1):
        if row and row[0].row in hidden.rows:
            continue
        row = hidden.visible(row)
        note = _note(row)
        if note is not None:
            current = {**note, "placering": "før"}
            notes.append(current)
            continue
        paragraph = _paragraph(row)
        if current is not None and paragraph is not None:
            _continue(current, paragraph)
        elif _texts(row):
            current = None
    return [n for n in notes if n["tekst"] or n.get("titel")]


def _names_offer(row: tuple[Any, ...], following: list[tuple[Any, ...]], columns: dict[int, str]) -> bool:
    """A line of one text in the Tilbud column that the table's rows follow (the next line that is not blank has
    cells of the table and no offer of its own): the name of the offer they belong to, even where it reads as a
    sentence ('Bofællesskabet Engly (SEL § 108)') right after a note — not a paragraph of the note."""
    if not any(columns.get(c.column) == "tilbud" and not _blank(c.value) for c in row):
        return False
    for line in following:
        cells = [c for c in line if not _blank(c.value)]
        if not cells:
            continue
        keys = {columns.get(c.column) for c in cells}
        return "tilbud" not in keys and bool(keys - {None}) and _note(line) is None
    return False


def _import_error(record: dict[str, Any], key: str, message: str) -> None:
    """A cell that could not be read: null in the YAML, its message under `importfejl` (the annex marks it). A
    yes/no cell (Strukturændring) is left out instead: the takstbilag holds no null for it (validate refused the
    whole file with "'None' skal være true eller false"), and the row reads as nej, marked."""
    if KIND.get(key) != "bool":
        record[key] = None
    record.setdefault("importfejl", {})[key] = message


def _read_rows(ws: Worksheet, path: Path, header_row: int, columns: dict[int, str], meta: dict[str, Any],
               owners: dict[str, _Owner], report: Report, annex_notes: list[dict[str, str]],
               submissions: dict[str, _Submission], hidden: _Hidden = _Hidden(),
               uncomputed: frozenset[str] = frozenset()) -> int:
    count = 0
    last_offer: str | None = None
    last_note: dict[str, str] | None = None  # the note whose paragraphs may follow
    plain_changes: list[dict[str, Any]] = []  # records whose change was a General-format number
    owner_column = next((c for c, k in columns.items() if k == "driftsherre"), None)
    spread = _merged_down(ws, header_row, columns, hidden)
    above = _notes_above(ws, header_row, hidden)
    if above:
        name = meta.get("driftsherre") or ws.title
        _owner(owners, name, meta, report).notes.extend(above)
    lines = [visible for row in ws.iter_rows(min_row=header_row + 1)
             if row and row[0].row not in hidden.rows and (visible := hidden.visible(row))]
    for n, row in enumerate(lines):
        values = {columns[c.column]: c for c in row if c.column in columns}
        if all(_blank(c.value) for c in row):  # (the cells of `values` are cells of the row)
            continue
        first = row[0].row
        here = Location(path, where=f"{ws.title}!A{first}")
        owner_name = (str(ws.cell(row=first, column=owner_column).value or "").strip() if owner_column else None) \
            or meta.get("driftsherre") or ws.title
        note = _note(row)
        if note is not None:
            if _ANNEX_NOTE.match(next(str(c.value) for c in row if c.value is not None)):
                annex_notes.append(note)
            else:
                _owner(owners, owner_name, meta, report).notes.append(note)
            last_note = note
            continue
        paragraph = _paragraph(row) if last_note is not None else None
        if paragraph is not None and last_note is not None and not _names_offer(row, lines[n + 1:], columns):
            _continue(last_note, paragraph)
            continue
        last_note = None
        if all(_blank(c.value) for c in values.values()) and not any((c.row, c.column) in spread for c in row):
            # text only in columns the takstskema does not have (or a second column of one meaning): not a row
            cells = ", ".join(c.coordinate + _headed(ws, header_row, c.column) for c in row if not _blank(c.value))
            report.warning(here, f"rækken har kun indhold i kolonner, som ikke importeres ({cells}); den er ikke taget "
                                 "med i takstbilaget")
            continue
        submission = submissions.setdefault(owner_name, _Submission())
        record: dict[str, Any] = {}
        for key, cell in list(values.items()):
            if cell.value is None and (cell.row, cell.column) in spread:
                values[key] = spread[(cell.row, cell.column)]
        for key, cell in values.items():
            where = Location(path, where=f"{ws.title}!{cell.coordinate}")
            if cell.value is None and cell.coordinate in uncomputed:
                report.warning(where, f"{LABELS[key]}: {_UNCOMPUTED}; den er læst som tom. {_RECOMPUTE}")
            try:
                value = _value(key, cell, where, report)
            except CellError as exc:
                report.error(where, f"{LABELS[key]}: {exc}")
                if key != "tilbud":
                    _import_error(record, key, f"{path.name}!{ws.title}!{cell.coordinate}: {exc}")
                continue
            if value is not None:
                record[key] = value
                if key == "ændring_pct" and isinstance(cell.value, (int, float)) and not _is_percent_cell(cell):
                    plain_changes.append(record)
                if isinstance(cell.value, str) and KIND.get(key) in ("number", "percent") and value != "-":
                    written = Written(key, printable(cell.value.strip()), id(record))
                    submission.cells.append(written)
                    if ambiguous(written.text):
                        submission.pending[written] = (record, where)
                if submission.first is None:
                    submission.first = where
        offer = record.pop("tilbud", None)
        if offer is not None and set(record) <= {"lovgrundlag"}:  # the offer's name on a line of its own
            last_offer = offer
            if "lovgrundlag" in record:  # typed beside the name: the offer's, for all its rows without their own
                laws = _owner(owners, owner_name, meta, report).laws
                if laws.setdefault(offer, record["lovgrundlag"]) != record["lovgrundlag"]:
                    report.warning(here, f"{LABELS['lovgrundlag']} for {offer} er '{record['lovgrundlag']}' her, men "
                                         f"'{laws[offer]}' længere oppe; '{laws[offer]}' (den første) er brugt")
            continue
        if offer is not None and last_offer is not None and offer != last_offer and record.get("rolle") == "underrække":
            record["tilbud"] = offer  # a takstgruppe with its own name under its block's total (issue 23)
            offer = last_offer
        offer = offer or last_offer
        if offer is None:
            report.error(here, "rækken har intet tilbud, og der står intet tilbud over den")
            continue
        last_offer = offer
        has_numbers = any(k in record for k in ("antal_pladser", "budget", "belægning_pct", "takst", "takst_sidste_år",
                                                "ændring_pct", "overhead_pct", "pladser_sidste_år"))
        for key in REQUIRED:  # a heading ('Hovedydelse') has no unit; the rules say what a row lacks
            if key not in record and key in columns.values() and has_numbers and key == "ydelse":
                report.warning(here, f"{LABELS[key]} mangler; rækken er taget med uden")
        owner = _owner(owners, owner_name, meta, report)
        record["_kilde"] = f"{path.name}!{ws.title}!{first}"
        above = owner.offers.setdefault(offer, [])
        submission.inherited[id(record)] = {k: next((r[k] for r in reversed(above) if isinstance(r.get(k), (int, float, str))), None)
                                            for k in _SHARED}
        above.append(record)
        count += 1
    _fractions_of_change(ws, path, columns, header_row, plain_changes, report)
    return count


_MERGED_TEXT = ("forklaring", "lovgrundlag")  # a text a merged cell gives every row it covers


def _merged_down(ws: Worksheet, header_row: int, columns: dict[int, str],
                 hidden: _Hidden) -> dict[tuple[int, int], Any]:
    """(row, column) → the cell whose text a merged Forklaring or Lovgrundlag (J6:J8) shows on that row too: in
    Excel the one text stands beside every row the merge covers, so each of them has it (openpyxl gives only the
    first row the value). Numbers merged down are not spread: a budget merged over a block is the block's. A
    merge from the header down, or from a hidden row, gives nothing."""
    spread: dict[tuple[int, int], Any] = {}
    for merged in ws.merged_cells.ranges:
        if columns.get(merged.min_col) not in _MERGED_TEXT or merged.min_row <= header_row \
                or merged.min_row in hidden.rows:
            continue
        anchor = ws.cell(row=merged.min_row, column=merged.min_col)
        for row in range(merged.min_row + 1, merged.max_row + 1):
            spread[(row, merged.min_col)] = anchor
    return spread


def _fractions_of_change(ws: Worksheet, path: Path, columns: dict[int, str], header_row: int,
                         records: list[dict[str, Any]], report: Report) -> None:
    """A change column typed as fractions in General format (0.031 for 3,1 %): when every one of at least three
    numbers is below 1 and not all are 0, they are read as percent, with one warning naming the column."""
    values = [r["ændring_pct"] for r in records if isinstance(r.get("ændring_pct"), (int, float))]
    if len(values) < 3 or any(abs(v) >= 1 for v in values) or not any(values):
        return
    for r in records:
        if isinstance(r.get("ændring_pct"), (int, float)):
            value = round(r["ændring_pct"] * 100, 6)
            r["ændring_pct"] = int(value) if float(value).is_integer() else value
    column = next(c for c, k in columns.items() if k == "ændring_pct")
    where = Location(path, where=f"{ws.title}!{ws.cell(row=header_row, column=column).coordinate}")
    report.warning(where, f"{LABELS['ændring_pct']}: alle {len(values)} tal i kolonnen er under 1 og står i "
                          f"celleformatet Standard; de er læst som brøker, fx {number_text(values[0])} som "
                          f"{number_text(values[0] * 100)} %. Skriv procenten, eller formatér cellerne som procent")


def _owner(owners: dict[str, _Owner], name: str, meta: dict[str, Any], report: Report | None = None) -> _Owner:
    """The driftsherre `name`, with the type and general overhead of the sheet's labelled cells. Two sheets or
    workbooks that disagree on them: the first value read is kept, and the later cell is warned about, naming
    both (the takstbilag holds one type and one overhead per driftsherre)."""
    owner = owners.setdefault(name, _Owner(name))
    at: dict[str, Location] = meta.get("_at", {})
    for key, label in (("type", "Driftsherretype"), ("overhead", "Generel overheadprocent")):
        value: Any = meta.get(key)
        if value is None:
            continue
        value = value.lower() if isinstance(value, str) else value
        if key not in owner.at:
            if key == "type":
                owner.type = str(value)
            else:
                owner.overhead = value
            owner.at[key] = at.get(key, Location(Path(name)))
            continue
        kept = owner.type if key == "type" else owner.overhead
        if value != kept and report is not None and (key, str(value)) not in owner.told:
            owner.told.add((key, str(value)))
            show = (lambda v: v) if key == "type" else (lambda v: f"{number_text(v)} %")
            first = owner.at[key]
            report.warning(at.get(key, first), f"{label} for {name} er {show(value)} her, men {show(kept)} i "
                                               f"{first.path.name}{'!' + first.where if first.where else ''}; "
                                               f"{show(kept)} (den første) er brugt. Ret den ene, så de er ens")
    return owner


def _percent(cell: Any, value: float, where: Location, label: str, report: Report) -> float:
    """A percent cell: a percent-formatted 0.98 is 98; a General-format 0 < x < 1 is read as x × 100, with a
    warning naming the cell and both readings (6,2 % typed as 0.062)."""
    if _is_percent_cell(cell):
        return round(value * 100, 6)
    if isinstance(cell.value, (int, float)) and 0 < value < 1:
        report.warning(where, f"{label}: {number_text(value)} er læst som {number_text(value * 100)} % "
                              f"(ikke {number_text(value)} %); skriv procenten, fx {number_text(value * 100)}, "
                              "eller formatér cellen som procent")
        return round(value * 100, 6)
    return value


def number_text(value: float) -> str:
    from ..text.danish import number

    target = round(value, 6)
    decimals = next(d for d in range(7) if round(value, d) == target)
    return number(target, decimals)


def as_shown(cell: Any, value: float) -> int | float:
    """A cell's number as the driftsherre saw it in the skema: a number typed as text with the decimals it was
    typed with ('3.249,50' keeps both); a number (typed, or a formula's result) as its number format shows it —
    3240.247792453 in '#,##0' is 3.240, 98 in '0.00' is 98,00 — and as it is (to six decimals) in General."""
    raw = cell.value
    places: int | None = None
    if isinstance(raw, str):
        places = written_decimals(raw) if "," in raw or "." in raw else 0
    elif isinstance(raw, (int, float)) and not isinstance(raw, bool) and cell.number_format != "General":
        places = NumberFormat(cell.number_format, raw).decimals(value)
    return fixed(value if places is None else shown_value(value, places), places)


def fixed(value: float, places: int | None) -> int | float:
    """A number for the YAML: an int where it is whole and shown without decimals; a float with its decimals kept
    where they end in zeros (`FixedFloat`, written `98.00`); else the float to six decimals."""
    value = round(value, MAX_DECIMALS if places is None else min(places, MAX_DECIMALS))
    if float(value).is_integer() and not places:
        return int(value)
    if places and float_decimals(value) < min(places, MAX_DECIMALS):
        return FixedFloat(value, min(places, MAX_DECIMALS))
    return value


def _value(key: str, cell: Any, where: Location | None = None, report: Report | None = None) -> Any:
    raw = cell.value
    kind = KIND.get(key, "text")
    if cell.data_type == "e" or is_excel_error(raw):
        raise CellError(f"Excel-fejl {str(raw).upper()} i cellen; ret formlen i skemaet")
    if kind in ("number", "percent"):
        if isinstance(raw, str) and raw.strip() in DASHES and key != "betalingsdage":
            return "-"  # kept as written: the annex prints '-' where the driftsherre wrote '-'
        value = parse_number(raw)
        if value is not None and kind == "percent" and where is not None and report is not None \
                and key in FRACTION_PERCENT:
            value = _percent(cell, value, where, LABELS[key], report)
        elif value is not None and kind == "percent" and _is_percent_cell(cell):
            value *= 100
        if value is not None and key in _NOT_NEGATIVE and value < 0:
            raise CellError(f"{number_text(value)} kan ikke være negativ")
        if value is not None and abs(value) > LIMIT:
            raise CellError(f"{value:g} er urimeligt stort (over 1.000.000.000.000); ret tallet")
        if key == "betalingsdage" and value is not None and value not in (250, 365):
            raise CellError(f"{number_text(value)} betalingsdage: skriv 365 eller 250 (5 dage × 50 uger)")
        if value is not None and isinstance(raw, str) and ambiguous(raw):
            return printable(raw.strip())  # '2,406': read in the convention its workbook shows (_read_submission)
        return None if value is None else as_shown(cell, value)
    if raw is None:
        return None
    text = str(raw).strip()
    choice = _CHOICES.get(key)
    if choice is not None:
        if text in EMPTY:
            return None
        if choice.folded(text) not in choice.values:
            raise CellError(f"'{text}' er ikke {choice.what}; brug {choice.choices}")
        return choice.values[choice.folded(text)]
    if key == "strukturændring":
        if text.lower() not in _YES:
            raise CellError(f"'{text}' skal være ja eller nej")
        return _YES[text.lower()] or None
    if text in EMPTY and key != "ydelse":
        return None
    return printable(text) if text else None


def _whole(notes: list[dict[str, str]]) -> list[dict[str, str]]:
    """Notes as the takstbilag holds them: a title with no paragraphs under it is the note's text."""
    out = []
    for note in notes:
        if not note["tekst"]:
            note = {k: v for k, v in note.items() if k != "titel"} | {"tekst": markdown_literal(note.get("titel", ""))}
        if note["tekst"]:
            out.append(note)
    return out


def _data(owners: dict[str, _Owner], year: int, notes: list[dict[str, str]] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "år": year,
        "pl_indeks": {"kommune": None, "region": None},
        "driftsherrer": [
            {"navn": o.name, "type": o.type, "overhead_pct": o.overhead,
             "tilbud": [{"navn": name, **({"lovgrundlag": o.laws[name]} if name in o.laws else {}), "rækker": rows}
                        for name, rows in o.offers.items() if rows],
             **({"noter": whole} if (whole := _whole(o.notes)) else {})}
            for o in owners.values() if any(o.offers.values())  # a sheet of notes only is no driftsherre
        ],
    }
    if notes and (whole := _whole(notes)):
        data["noter"] = whole
    return data


_ORDER = ["rolle", "tilbud", "ydelse", "lovgrundlag", "antal_pladser", "pladser_sidste_år", "takstenhed", "belægning_pct", "budget",
          "overhead_pct", "takst", "takst_sidste_år", "ændring_pct", "betalingsdage", "strukturændring", "status",
          "basistakst", "regulering_kr", "forklaring", "importfejl"]


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, FixedFloat):
        return f"{value:.{value.places}f}"  # 98.00: the decimals as written, which the loader keeps
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)  # JSON is YAML: a string, or importfejl's flow mapping


def to_yaml(data: dict[str, Any]) -> str:
    """The takstbilag as YAML text, each row commented with the cell it came from."""
    lines = [
        "# yaml-language-server: $schema=../../schemas/takstbilag.schema.json",
        "# Importeret med 'referat tariffs import'. Angiv årets P/L-indeks (pct.), fx kommune: 3.1, region: 2.46.",
        f"år: {data['år']}",
        "pl_indeks:",
        *(f"  {k}: {_scalar(v)}" for k, v in data["pl_indeks"].items()),
        "driftsherrer:",
    ]
    for owner in data["driftsherrer"]:
        lines += [f"  - navn: {_scalar(owner['navn'])}", f"    type: {owner['type']}"]
        if owner["overhead_pct"] is not None:
            lines.append(f"    overhead_pct: {_scalar(owner['overhead_pct'])}")
        lines += _notes_yaml(owner.get("noter", []), "    ")
        lines.append("    tilbud:")
        for offer in owner["tilbud"]:
            lines.append(f"      - navn: {_scalar(offer['navn'])}")
            if "lovgrundlag" in offer:
                lines.append(f"        lovgrundlag: {_scalar(offer['lovgrundlag'])}")
            lines.append("        rækker:")
            for row in offer["rækker"]:
                keys = [k for k in _ORDER if k in row]
                for n, key in enumerate(keys):
                    lead = "          - " if n == 0 else "            "
                    comment = f"  # {row['_kilde']}" if n == 0 and "_kilde" in row else ""
                    lines.append(f"{lead}{key}: {_scalar(row[key])}{comment}")
    lines += _notes_yaml(data.get("noter", []), "")
    return "\n".join(lines) + "\n"


def _notes_yaml(notes: list[dict[str, str]], indent: str) -> list[str]:
    if not notes:
        return []
    lines = [f"{indent}noter:"]
    for note in notes:
        keys = [k for k in ("titel", "placering", "tekst") if k in note]
        for n, key in enumerate(keys):
            lines.append(f"{indent}  {'- ' if n == 0 else '  '}{key}: {_scalar(note[key])}")
    return lines
