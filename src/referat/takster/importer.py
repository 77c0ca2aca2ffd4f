"""`referat takster import`: takstskemaer (Excel) → a takstbilag YAML, every bad cell named.

Headers are found by their names (any row in the first 30), so an older skema or one with extra columns
still imports. A driftsherre's name, type, year and general overhead are read from labelled cells above the
header ("Driftsherre:" and its neighbour), from a Driftsherre column, or else from the sheet's name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..diagnostics import Location, ReferatError, Report
from ..render.danish import join_or
from ..render.richtext import printable
from ..xlsxcheck import IMPORT_CELLS, check_workbook
from .columns import HEADER_LOOKUP, KIND, META, fold
from .model import Status, Unit
from .numbers import EMPTY, CellError, is_excel_error, parse_number

HEADER_SCAN_ROWS = 30
REQUIRED = ("ydelse", "takstenhed")
_UNITS = {u.value.lower(): u.value for u in Unit} | {"døgn (24 timer)": "Døgn", "doegn": "Døgn", "md.": "Måned",
                                                      "måned": "Måned", "stk.": "Styk", "timer": "Time"}
_STATUS = {s.value: s.value for s in Status} | {"udgaar": "udgår", "lukker": "udgår", "udsat": "udskudt"}
_YES = {"ja": True, "j": True, "x": True, "sand": True, "true": True, "nej": False, "n": False, "": False,
        "falsk": False, "false": False}


@dataclass
class ImportResult:
    text: str | None
    rows: int
    report: Report = field(default_factory=Report)
    data: dict[str, Any] | None = None


@dataclass
class _Owner:
    name: str
    type: str = "kommune"
    overhead: float | None = None
    offers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def import_workbooks(paths: list[Path], year: int | None = None) -> ImportResult:
    report = Report()
    owners: dict[str, _Owner] = {}
    years: set[int] = set()
    count = 0
    for path in paths:
        problem = _unreadable(path)
        if problem:
            report.error(Location(path), problem)
            continue
        try:  # bounds before openpyxl reads anything (one value in XFD1048576, a zip bomb)
            check_workbook(path, IMPORT_CELLS, "slet indhold uden for skemaet, eller brug den tomme skabelon")
        except ReferatError as exc:
            report.extend(exc.report)
            continue
        try:
            workbook = load_workbook(path, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged or foreign file
            report.error(Location(path), f"filen kan ikke læses som Excel (.xlsx) ({type(exc).__name__})")
            continue
        found = False
        for ws in workbook.worksheets:
            if ws.sheet_state != "visible":  # a hidden draft is no driftsherre: never imported
                report.warning(Location(path, where=ws.title), f"arket '{ws.title}' er skjult og importeres ikke")
                continue
            header_row, columns = _header(ws)
            if header_row is None:
                continue
            found = True
            meta = _meta(ws, header_row, path, report)
            if meta.get("år"):
                years.add(int(meta["år"]))
            count += _read_rows(ws, path, header_row, columns, meta, owners, report)
        if not found:
            report.error(Location(path), "ingen ark har en overskriftsrække med kolonner som Tilbud, Ydelse, "
                                         "Takstenhed og Takst")
    if not owners:  # nothing read: the messages above say why; the year is beside the point
        if not report.has_errors:
            report.error(Location(paths[0] if paths else Path(".")), "skemaerne indeholder ingen takstrækker")
        return ImportResult(None, count, report)
    if year is None:
        if len(years) > 1:
            report.error(Location(paths[0]), f"skemaerne angiver forskellige takstår: {', '.join(map(str, sorted(years)))}; "
                                             "angiv --år")
        year = min(years) if years else None
    if year is None:
        report.error(Location(paths[0] if paths else Path(".")), "takståret står ikke i skemaet; angiv --år")
        return ImportResult(None, count, report)
    data = _data(owners, year)
    return ImportResult(to_yaml(data), count, report, data)


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
        return f"filen kan ikke læses ({exc.strerror})"
    if not head:
        return "filen er tom (0 byte)"
    if head == _OLE2:
        return ("filen er krypteret med adgangskode eller gemt i det gamle .xls-format; gem den som "
                "Excel-projektmappe (.xlsx) uden adgangskode")
    return None


def _header(ws: Worksheet) -> tuple[int | None, dict[int, str]]:
    for row in ws.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS):
        columns = {}
        for cell in row:
            if isinstance(cell.value, str) and fold(cell.value) in HEADER_LOOKUP:
                columns[cell.column] = HEADER_LOOKUP[fold(cell.value)]
        if {"ydelse", "takstenhed"} <= set(columns.values()) and len(columns) >= 4:
            return row[0].row, columns
    return None, {}


def _meta(ws: Worksheet, header_row: int, path: Path, report: Report) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for row in ws.iter_rows(min_row=1, max_row=header_row - 1):
        for cell in row:
            if not isinstance(cell.value, str):
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
                        if number is not None and key == "overhead" and _is_percent_cell(ws.cell(row=cell.row, column=cell.column + 1)):
                            number *= 100
                        meta[key] = number
                    elif value not in (None, ""):
                        meta[key] = str(value).strip()
    if "type" in meta and meta["type"].lower() not in ("kommune", "region"):
        report.error(Location(path, where=ws.title), f"driftsherretypen '{meta['type']}' skal være kommune eller region")
        meta.pop("type")
    return meta


def _is_percent_cell(cell: Any) -> bool:
    return isinstance(cell.value, (int, float)) and "%" in (cell.number_format or "")


def _read_rows(ws: Worksheet, path: Path, header_row: int, columns: dict[int, str], meta: dict[str, Any],
               owners: dict[str, _Owner], report: Report) -> int:
    count = 0
    last_offer: str | None = None
    owner_column = next((c for c, k in columns.items() if k == "driftsherre"), None)
    for row in ws.iter_rows(min_row=header_row + 1):
        values = {columns[c.column]: c for c in row if c.column in columns}
        if all(c.value is None or (isinstance(c.value, str) and not c.value.strip()) for c in values.values()):
            continue
        record: dict[str, Any] = {}
        ok = True
        bad: set[str] = set()
        for key, cell in values.items():
            where = Location(path, where=f"{ws.title}!{cell.coordinate}")
            try:
                value = _value(key, cell)
            except CellError as exc:
                report.error(where, f"{_label(key)}: {exc}")
                bad.add(key)
                ok = ok and key not in REQUIRED and key != "takst"
                continue
            if value is not None:
                record[key] = value
        first = row[0].row
        here = Location(path, where=f"{ws.title}!A{first}")
        offer = record.pop("tilbud", None) or last_offer
        if offer is None:
            report.error(here, "rækken har intet tilbud, og der står intet tilbud over den")
            continue
        last_offer = offer
        for key in REQUIRED:
            if key not in record and key not in bad and key in columns.values():
                report.error(here, f"{_label(key)} mangler")
                ok = False
        if "takst" not in record and "status" not in record and ok and "takst" not in bad:
            takst_cell = next((c for c in row if columns.get(c.column) == "takst"), None)
            if takst_cell is not None:
                report.error(Location(path, where=f"{ws.title}!{takst_cell.coordinate}"),
                             "Takst mangler (angiv den, eller Status: udskudt/udgår)")
        if not ok:
            continue
        owner_name = (str(ws.cell(row=first, column=owner_column).value).strip() if owner_column else None) \
            or meta.get("driftsherre") or ws.title
        owner = owners.setdefault(owner_name, _Owner(owner_name))
        owner.type = meta.get("type", owner.type).lower()
        if meta.get("overhead") is not None:
            owner.overhead = meta["overhead"]
        record["_kilde"] = f"{path.name}!{ws.title}!{first}"
        owner.offers.setdefault(offer, []).append(record)
        count += 1
    return count


def _label(key: str) -> str:
    from .columns import COLUMNS

    return next(header for k, header, _, _ in COLUMNS if k == key)


def _value(key: str, cell: Any) -> Any:
    raw = cell.value
    kind = KIND.get(key, "text")
    if cell.data_type == "e" or is_excel_error(raw):
        raise CellError(f"Excel-fejl {str(raw).upper()} i cellen; ret formlen i skemaet")
    if kind in ("number", "percent"):
        value = parse_number(raw)
        if value is not None and kind == "percent" and _is_percent_cell(cell):
            value *= 100
        if value is not None and key in ("antal_pladser", "pladser_sidste_år", "betalingsdage", "budget") and value < 0:
            raise CellError(f"{value:g} kan ikke være negativ")
        return None if value is None else (int(value) if float(value).is_integer() else round(value, 6))
    if raw is None:
        return None
    text = str(raw).strip()
    if key == "takstenhed":
        if text.lower() not in _UNITS:
            raise CellError(f"'{text}' er ikke en takstenhed; brug {join_or([u.value for u in Unit])}")
        return _UNITS[text.lower()]
    if key == "status":
        if text in EMPTY:
            return None
        if text.lower() not in _STATUS:
            raise CellError(f"'{text}' er ikke en status; brug udgår eller udskudt")
        return _STATUS[text.lower()]
    if key == "strukturændring":
        if text.lower() not in _YES:
            raise CellError(f"'{text}' skal være ja eller nej")
        return _YES[text.lower()] or None
    if text in EMPTY and key != "ydelse":
        return None
    return printable(text) if text else None


def _data(owners: dict[str, _Owner], year: int) -> dict[str, Any]:
    return {
        "år": year,
        "pl_indeks": {"kommune": None, "region": None},
        "driftsherrer": [
            {"navn": o.name, "type": o.type, "overhead_pct": o.overhead,
             "tilbud": [{"navn": name, "rækker": rows} for name, rows in o.offers.items()]}
            for o in owners.values()
        ],
    }


_ORDER = ["ydelse", "lovgrundlag", "antal_pladser", "pladser_sidste_år", "takstenhed", "belægning_pct", "budget",
          "overhead_pct", "takst", "takst_sidste_år", "ændring_pct", "betalingsdage", "strukturændring", "status",
          "basistakst", "regulering_kr", "forklaring"]


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def to_yaml(data: dict[str, Any]) -> str:
    """The takstbilag as YAML text, each row commented with the cell it came from."""
    lines = [
        "# yaml-language-server: $schema=../../schemas/takstbilag.schema.json",
        "# Importeret med 'referat takster import'. Angiv årets P/L-indeks (pct.), fx kommune: 3.1, region: 2.46.",
        f"år: {data['år']}",
        "pl_indeks:",
        *(f"  {k}: {_scalar(v)}" for k, v in data["pl_indeks"].items()),
        "driftsherrer:",
    ]
    for owner in data["driftsherrer"]:
        lines += [f"  - navn: {_scalar(owner['navn'])}", f"    type: {owner['type']}"]
        if owner["overhead_pct"] is not None:
            lines.append(f"    overhead_pct: {_scalar(owner['overhead_pct'])}")
        lines.append("    tilbud:")
        for offer in owner["tilbud"]:
            lines += [f"      - navn: {_scalar(offer['navn'])}", "        rækker:"]
            for row in offer["rækker"]:
                keys = [k for k in _ORDER if k in row]
                for n, key in enumerate(keys):
                    lead = "          - " if n == 0 else "            "
                    comment = f"  # {row['_kilde']}" if n == 0 and "_kilde" in row else ""
                    lines.append(f"{lead}{key}: {_scalar(row[key])}{comment}")
    return "\n".join(lines) + "\n"
