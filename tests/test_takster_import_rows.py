"""Issue 23, the importer's rows, columns and sheets (audit of tariffs import): hidden rows and columns are left
out and named, two columns of one meaning never overwrite each other silently, a bad Strukturændring cell keeps
the file renderable, a formula without a computed value is named, a merged Forklaring explains every row it
covers, two workbooks disagreeing on a driftsherre's overhead are named, a Lovgrundlag on the offer's name line
is the offer's, and an offer's name right after a note is no paragraph of it."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from ruamel.yaml import YAML

from conftest import ROOT
from referat.takster.annex import check_file
from referat.takster.columns import COLUMNS
from referat.takster.importer import import_workbooks

HEADER = {key: header for key, header, _, _ in COLUMNS}


def _skema(path: Path, rows: list[dict[str, Any] | str], owner: str = "Aalborg Kommune", overhead: Any = 5,
           change: Callable[[Worksheet], None] | None = None) -> Path:
    """The blank template filled in (as test_takster_import_structures._sheet does), rows from row 8 on; `change`
    edits the sheet before it is saved (hide a row, add a column, merge cells)."""
    wb = load_workbook(ROOT / "templates" / "takstskema.xlsx")
    ws = wb["Takstskema"]
    ws["B2"], ws["B3"], ws["B4"], ws["B5"] = owner, "kommune", 2026, overhead
    columns = {c.value: c.column for c in ws[7] if c.value}
    for n, row in enumerate(rows, start=8):
        if isinstance(row, str):
            ws.cell(row=n, column=1, value=row)
            continue
        for key, value in row.items():
            ws.cell(row=n, column=columns[HEADER[key]], value=value)
    if change is not None:
        change(ws)
    wb.save(path)
    return path


def _offers(result: Any) -> dict[str, dict[str, Any]]:
    assert result.text is not None, result.report.lines()
    data = YAML(typ="safe").load(result.text)
    return {o["navn"]: o for d in data["driftsherrer"] for o in d["tilbud"]}


ROW = {"ydelse": "Døgnophold", "lovgrundlag": "SEL § 107", "antal_pladser": 10, "takstenhed": "Døgn",
       "belægning_pct": 98, "budget": 3577000, "takst": 1000}


def test_hidden_rows_and_columns_are_left_out_and_named(tmp_path: Path) -> None:
    def hide(ws: Worksheet) -> None:
        ws.row_dimensions[10].hidden = True  # a draft row
        ws["T7"] = "Bemærkninger"  # an internal note column, hidden
        ws["T9"] = "INTERN: tjek med økonomi"
        ws.column_dimensions["T"].hidden = True

    rows: list[dict[str, Any] | str] = [
        {"tilbud": "Skovly"},
        {**ROW, "ændring_pct": 2.1},
        {**ROW, "ydelse": "Kladde", "takst": 9999, "ændring_pct": 222},
        {**ROW, "ydelse": "Aflastning", "ændring_pct": 1.5},
    ]
    result = import_workbooks([_skema(tmp_path / "skema.xlsx", rows, change=hide)])
    assert result.text is not None
    assert "Kladde" not in result.text and "222" not in result.text and "9999" not in result.text
    assert "INTERN" not in result.text and "forklaring" not in result.text
    assert [r["ydelse"] for r in _offers(result)["Skovly"]["rækker"]] == ["Døgnophold", "Aflastning"]
    lines = result.report.lines()
    assert any("skema.xlsx!Takstskema" in line and "advarsel" in line and "skjult række 10" in line
               and "skjult kolonne T ('Bemærkninger')" in line and "som ikke importeres" in line for line in lines), lines


def test_a_hidden_labelled_cell_above_the_header_is_not_read(tmp_path: Path) -> None:
    def hide(ws: Worksheet) -> None:
        ws.row_dimensions[5].hidden = True  # Generel overheadprocent

    result = import_workbooks([_skema(tmp_path / "skema.xlsx", [{"tilbud": "Skovly"}, ROW], overhead=17, change=hide)])
    assert result.data is not None and result.data["driftsherrer"][0]["overhead_pct"] is None
    assert any("skjult række 5," in line for line in result.report.lines()), result.report.lines()


def test_a_row_of_height_zero_and_a_column_of_width_zero_are_hidden_too(tmp_path: Path) -> None:
    """Excel hides them as surely as 'hidden' (openpyxl cannot write them: the saved sheet's XML is edited)."""
    rows: list[dict[str, Any] | str] = [{"tilbud": "Skovly"}, ROW, {**ROW, "ydelse": "Kladde"},
                                        {**ROW, "ydelse": "Aflastning", "forklaring": "HEMMELIG"}]
    skema = _skema(tmp_path / "skema.xlsx", rows)
    with zipfile.ZipFile(skema) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    sheet = sheet.replace('<col width="50" customWidth="1" min="18" max="18"/>', '<col width="0" customWidth="1" min="18" max="18"/>')
    sheet = re.sub(r'<row r="10"( [^>]*)?>', '<row r="10" ht="0" customHeight="1">', sheet)
    assert 'width="0"' in sheet and 'ht="0"' in sheet
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(skema, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    result = import_workbooks([skema])
    assert result.text is not None and "Kladde" not in result.text and "HEMMELIG" not in result.text
    assert any("skjult række 10" in line and "skjult kolonne R ('Forklaring')" in line
               for line in result.report.lines()), result.report.lines()


def test_two_columns_of_one_meaning_keep_the_first_and_name_both_header_cells(tmp_path: Path) -> None:
    def second(ws: Worksheet) -> None:
        ws["T7"], ws["T9"], ws["T10"] = "Bemærkning", "tjek med økonomi", "intern"
        ws["U7"], ws["U9"] = "Takst", 7777

    rows: list[dict[str, Any] | str] = [{"tilbud": "Skovly"}, {**ROW, "forklaring": "Ny normering"},
                                        {**ROW, "ydelse": "Aflastning"}]
    result = import_workbooks([_skema(tmp_path / "skema.xlsx", rows, change=second)])
    assert result.text is not None
    first, other = _offers(result)["Skovly"]["rækker"]
    assert first["forklaring"] == "Ny normering" and first["takst"] == 1000
    assert "forklaring" not in other
    assert "økonomi" not in result.text and "intern" not in result.text and "7777" not in result.text
    lines = result.report.lines()
    assert any("skema.xlsx!Takstskema!T7: advarsel" in line and "'Bemærkning' (T7)" in line and "'Forklaring' (R7)" in line
               for line in lines), lines
    assert any("skema.xlsx!Takstskema!U7: advarsel" in line and "'Takst' (U7)" in line and "'Takst' (J7)" in line
               for line in lines), lines


def test_a_bad_strukturaendring_cell_is_marked_and_the_annex_still_renders(tmp_path: Path, run) -> None:
    rows: list[dict[str, Any] | str] = [{"tilbud": "Skovly"}, {**ROW, "strukturændring": "ja, ny model"},
                                        {**ROW, "ydelse": "Aflastning", "strukturændring": 1}]
    skema = _skema(tmp_path / "skema.xlsx", rows)
    out = tmp_path / "takster.yaml"
    code, _, err = run("tariffs", "import", skema, "--out", out)
    assert code == 1 and "'ja, ny model' skal være ja eller nej" in err, err
    assert "None" not in err
    text = out.read_text("utf-8")
    assert "strukturændring: null" not in text and text.count("importfejl") == 2, text
    messages = check_file(out)[2].lines()
    assert not any("None" in m for m in messages), messages
    assert any("cellen kunne ikke læses ved importen" in m and "ja, ny model" in m for m in messages), messages
    code, _, err = run("tariffs", "render", out, "--format", "csv", "--out", tmp_path)
    assert code == 0 and "None" not in err, err
    csv = (tmp_path / "takster.csv").read_text("utf-8-sig")
    assert "Døgnophold" in csv and "Aflastning" in csv, err


def test_a_formula_without_a_computed_value_is_named(tmp_path: Path) -> None:
    # openpyxl, like any program that does not compute, saves a formula with no cached value
    rows: list[dict[str, Any] | str] = [{"tilbud": "Skovly"}, {**ROW, "takst": "=H9/(D9*G9/100*365)"}]
    result = import_workbooks([_skema(tmp_path / "skema.xlsx", rows, overhead="=2+3")])
    lines = result.report.lines()
    assert any("skema.xlsx!Takstskema!B5: advarsel" in line and "ingen beregnet værdi" in line for line in lines), lines
    assert any("skema.xlsx!Takstskema!J9: advarsel" in line and "formel" in line and "ingen beregnet værdi" in line
               for line in lines), lines


def test_a_merged_forklaring_explains_every_row_it_covers(tmp_path: Path) -> None:
    def merge(ws: Worksheet) -> None:
        ws.merge_cells("R9:R11")

    rows: list[dict[str, Any] | str] = [{"tilbud": "Skovly"}, {**ROW, "forklaring": "Ny normering"},
                                        {**ROW, "ydelse": "Aflastning"}, {**ROW, "ydelse": "Akut"}]
    result = import_workbooks([_skema(tmp_path / "skema.xlsx", rows, change=merge)])
    assert [r.get("forklaring") for r in _offers(result)["Skovly"]["rækker"]] == ["Ny normering"] * 3


def test_two_workbooks_disagreeing_on_a_driftsherres_overhead_are_named(tmp_path: Path) -> None:
    one = _skema(tmp_path / "a.xlsx", [{"tilbud": "Skovly"}, ROW], overhead=5)
    two = _skema(tmp_path / "b.xlsx", [{"tilbud": "Engly"}, ROW], overhead=6)
    three = _skema(tmp_path / "c.xlsx", [{"tilbud": "Solly"}, ROW], change=lambda ws: ws.__setitem__("B3", "Region"))
    result = import_workbooks([one, two, three])
    assert result.data is not None
    assert [(d["type"], d["overhead_pct"]) for d in result.data["driftsherrer"]] == [("kommune", 5)]
    lines = result.report.lines()
    assert any("b.xlsx!Takstskema!B5: advarsel: Generel overheadprocent for Aalborg Kommune er 6 % her, men 5 % i "
               "a.xlsx!Takstskema!B5" in line for line in lines), lines
    assert any("c.xlsx!Takstskema!B3: advarsel: Driftsherretype for Aalborg Kommune er region her, men kommune i "
               "a.xlsx!Takstskema!B3" in line for line in lines), lines
    assert len(lines) == 2, lines  # once per cell, not once per row


def test_a_lovgrundlag_on_the_offers_name_line_is_the_offers(tmp_path: Path) -> None:
    bare = {k: v for k, v in ROW.items() if k != "lovgrundlag"}
    rows: list[dict[str, Any] | str] = [{"tilbud": "Skovly", "lovgrundlag": "SEL § 107"}, bare,
                                        {**bare, "ydelse": "Aflastning"}]
    skema = _skema(tmp_path / "skema.xlsx", rows)
    result = import_workbooks([skema])
    assert _offers(result)["Skovly"].get("lovgrundlag") == "SEL § 107"
    out = tmp_path / "takster.yaml"
    out.write_text(result.text or "", "utf-8")
    messages = [m.rpartition("advarsel: ")[2] for m in check_file(out)[2].lines()]
    assert messages and not any("lovgrundlag" in m for m in messages), messages


def test_an_offers_name_right_after_a_note_starts_the_offer(tmp_path: Path) -> None:
    rows: list[dict[str, Any] | str] = [{"tilbud": "Skovly"}, ROW, "#Note til Skovly: Normeringen er uændret.",
                                        {"tilbud": "Bofællesskabet Engly (SEL § 108)"},
                                        {**ROW, "ydelse": "Aflastning"}]
    result = import_workbooks([_skema(tmp_path / "skema.xlsx", rows)])
    offers = _offers(result)
    assert [r["ydelse"] for r in offers["Skovly"]["rækker"]] == ["Døgnophold"]
    assert [r["ydelse"] for r in offers["Bofællesskabet Engly (SEL § 108)"]["rækker"]] == ["Aflastning"]
    assert "Engly" not in YAML(typ="safe").load(result.text)["driftsherrer"][0]["noter"][0]["tekst"]


def test_a_row_with_text_only_in_a_column_not_imported_is_named(tmp_path: Path) -> None:
    """A row whose only text stands in a column the takstskema does not have ('Intern' in T) was counted as a row
    and written as an empty record (the annex showed a row of nothing), without a word."""
    def intern(ws: Worksheet) -> None:
        ws["T7"] = "Intern"
        ws["T10"] = "spørg økonomi om budgettet"

    rows: list[dict[str, Any] | str] = [{"tilbud": "Skovly"}, {**ROW, "ændring_pct": 2.1}, {},
                                        {**ROW, "ydelse": "Aflastning", "ændring_pct": 1.5}]
    result = import_workbooks([_skema(tmp_path / "skema.xlsx", rows, change=intern)])
    assert [r.get("ydelse") for r in _offers(result)["Skovly"]["rækker"]] == ["Døgnophold", "Aflastning"]
    assert "spørg økonomi" not in (result.text or "")
    assert [line.split("/")[-1] for line in result.report.lines() if "T10" in line] == [
        ("skema.xlsx!Takstskema!A10: advarsel: rækken har kun indhold i kolonner, som ikke importeres "
         "(T10 ('Intern')); den er ikke taget med i takstbilaget")]
