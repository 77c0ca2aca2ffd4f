"""A takstskema's cells read as Excel shows them (issue 23: every number printed as the driftsherre wrote it):
a '%' in quotes or after a backslash is text, not a percent format; a number shows the decimals its format gives
it; a number typed as text keeps the decimals it was typed with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from referat.takster.importer import import_workbooks
from test_takster_import_structures import KEYS, _sheet

ROW = {"tilbud": "Botilbud Sonjavej", "ydelse": "Sonjavej A-C Huse", "lovgrundlag": "ABL § 105", "antal_pladser": 22,
       "takstenhed": "Døgn"}


def _formatted(path: Path, values: dict[str, tuple[Any, str]], overhead: tuple[Any, str] | None = None) -> Path:
    """A takstskema with one row whose cells hold `values` (key → (value, number format)); the general overhead
    (B5) likewise."""
    _sheet(path, [ROW | {key: value for key, (value, _) in values.items()}],
           overhead=overhead[0] if overhead else 5)
    wb = load_workbook(path)
    ws = wb["Takstskema"]
    for key, (_, code) in values.items():
        ws.cell(row=8, column=KEYS.index(key) + 1).number_format = code
    if overhead:
        ws["B5"].number_format = overhead[1]
    wb.save(path)
    return path


def _row(path: Path) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    result = import_workbooks([path])
    assert result.data is not None, result.report.lines()
    owner = result.data["driftsherrer"][0]
    return owner, owner["tilbud"][0]["rækker"][0], result.report.lines()


@pytest.mark.parametrize(("code", "shown"), [('0.0" %"', (6.5, 98, 5.5, 3.1)), ('0" %"', (7, 98, 6, 3)),
                                             ('0.0\\ \\%', (6.5, 98, 5.5, 3.1)), ('#,##0.0 "%"', (6.5, 98, 5.5, 3.1)),
                                             ('[$%-406]0.0', (6.5, 98, 5.5, 3.1)),
                                             ('0.0"%";-0.0"%"', (6.5, 98, 5.5, 3.1))])
def test_a_quoted_or_escaped_percent_sign_is_no_percent_format(tmp_path: Path, code: str,
                                                               shown: tuple[float, ...]) -> None:
    """Excel shows 5.5 in '0.0" %"' as '5,5 %' (the quoted % does not scale); it was read as 550. In '0" %"' it
    shows '6 %' (the number as its format shows it)."""
    path = _formatted(tmp_path / "skema.xlsx", {"belægning_pct": (98, code), "overhead_pct": (5.5, code),
                                                "ændring_pct": (3.1, code), "takst": (2249, "#,##0")},
                      overhead=(6.5, code))
    owner, row, lines = _row(path)
    assert lines == []
    assert (owner["overhead_pct"], row["belægning_pct"], row["overhead_pct"], row["ændring_pct"]) == shown


@pytest.mark.parametrize("code", ["0.0%", '0.0%" "', '"ca. "0.0%', "0.0%;-0.0%"])
def test_an_unquoted_percent_sign_scales_as_in_excel(tmp_path: Path, code: str) -> None:
    path = _formatted(tmp_path / "skema.xlsx", {"belægning_pct": (0.98, code), "overhead_pct": (0.055, code),
                                                "ændring_pct": (0.031, code)}, overhead=(0.065, code))
    owner, row, lines = _row(path)
    assert lines == []
    assert (owner["overhead_pct"], row["belægning_pct"], row["overhead_pct"], row["ændring_pct"]) == (6.5, 98, 5.5, 3.1)


def test_the_section_for_negative_numbers_decides_for_a_negative_change(tmp_path: Path) -> None:
    """'0.0%;-0.0" %"': a fall is shown as typed (−2,5 %), a rise × 100."""
    path = _formatted(tmp_path / "skema.xlsx", {"ændring_pct": (-2.5, '0.0%;-0.0" %"')})
    assert _row(path)[1]["ændring_pct"] == -2.5


def _annex(tmp_path: Path, skema: Path, run: Any) -> tuple[str, list[str]]:
    """Import the skema, render the annex as CSV; the YAML written and the CSV's lines."""
    out = tmp_path / "takster.yaml"
    code, _, err = run("tariffs", "import", skema, "--out", out)
    assert code == 0, err
    code, _, err = run("tariffs", "render", out, "--format", "csv", "--out", tmp_path)
    assert code == 0, err
    return out.read_text("utf-8"), (tmp_path / "takster.csv").read_text("utf-8-sig").splitlines()


def test_a_number_is_read_as_its_number_format_shows_it(tmp_path: Path, run: Any) -> None:
    """A formula's result 3240.247792453 in a '#,##0' cell shows '3.240' in Excel (what the driftsherre saw and
    submitted); the annex printed '3.240,247792'. A '0.00' cell shows 98 as '98,00'."""
    path = _formatted(tmp_path / "skema.xlsx", {"takst": (3240.247792453, "#,##0"), "budget": (25497719.4, "#,##0"),
                                                "belægning_pct": (98, "0.00"), "overhead_pct": (0.0525, "0.0%"),
                                                "ændring_pct": (13.2999, "0.0#")})
    yaml, csv = _annex(tmp_path, path, run)
    assert "takst: 3240\n" in yaml and "budget: 25497719\n" in yaml and "belægning_pct: 98.00\n" in yaml
    assert "overhead_pct: 5.3\n" in yaml and "ændring_pct: 13.3\n" in yaml  # 5,25 % in '0.0%' shows 5,3 %
    row = next(line for line in csv if "Sonjavej A-C Huse" in line).split(";")
    assert row[2:12] == ["Botilbud Sonjavej", "Sonjavej A-C Huse", "ABL § 105", "22", "Døgn", "98,00", "25497719",
                         "5,3", "3240", "13,3"], row


def test_a_number_typed_as_text_keeps_its_written_decimals(tmp_path: Path, run: Any) -> None:
    """'3.249,50' and '11.622.360,50' printed as '3.249,5' and '11.622.360,5'."""
    path = _formatted(tmp_path / "skema.xlsx", {"takst": ("3.249,50", "@"), "budget": ("11.622.360,50", "@"),
                                                "belægning_pct": ("98,0 %", "@")})
    yaml, csv = _annex(tmp_path, path, run)
    assert "takst: 3249.50\n" in yaml and "budget: 11622360.50\n" in yaml and "belægning_pct: 98.0\n" in yaml
    row = next(line for line in csv if "Sonjavej A-C Huse" in line).split(";")
    assert (row[7], row[8], row[10]) == ("98,0", "11622360,50", "3249,50"), row
    from referat.takster.annex import check_file

    tb = check_file(tmp_path / "takster.yaml")[0]
    assert tb is not None
    from referat.takster.view import table_view

    cells = table_view(tb, [])["sections"][0]["rows"][0]["cells"]
    assert [c["text"] for c in cells[5:9]] == ["98,0 %", "11.622.360,50", "", "3.249,50"]


def test_a_yaml_number_keeps_its_trailing_zeros() -> None:
    """The loader keeps the decimals a YAML number was written with, which a float drops (`98.00`)."""
    from referat.takster.row import Row

    row = Row.model_validate({"takst": 3249.5, "budget": 1.0})
    assert (row.decimals("takst"), row.decimals("budget")) == (1, 0)
    from referat.load.nodes import FixedFloat

    row = Row.model_validate({"takst": FixedFloat(3249.5, 2), "belægning_pct": FixedFloat(98, 1)})
    assert (row.decimals("takst"), row.decimals("belægning_pct"), row.tariff) == (2, 1, 3249.5)


GENERAL = """\
år: 2027
pl_indeks: {kommune: 3.1, region: 2.46}
driftsherrer:
  - navn: Nordby Kommune
    type: kommune
    overhead_pct: "5,50"
    tilbud:
      - navn: Botilbud Lærkereden
        lovgrundlag: SEL § 107
        rækker:
          - {ydelse: Døgnophold, antal_pladser: 10, takstenhed: Døgn, belægning_pct: 98, budget: 3650000, takst: 1020}
  - navn: Sydby Kommune
    type: kommune
    tilbud:
      - navn: Bostedet Vest
        lovgrundlag: SEL § 107
        rækker:
          - {ydelse: Døgnophold, antal_pladser: 10, takstenhed: Døgn, belægning_pct: 98, budget: 3650000, takst: 1020,
             overhead_pct: 6}
"""


def test_the_general_overhead_is_in_every_format(tmp_path: Path, run: Any) -> None:
    """A row relying on its driftsherre's general overhead had none in CSV and Excel: the section's line 'Generel
    overheadprocent: 5,50 %' was in the PDF and Word only. Now CSV and Excel have it as a row of its own before the
    driftsherre's rows (Rækketype 'generel'), its number under Overhead pct."""
    import csv
    import io

    from docx import Document
    from pypdf import PdfReader

    path = tmp_path / "takster.yaml"
    path.write_text(GENERAL, "utf-8")
    code, _, err = run("tariffs", "render", path, "--format", "pdf,docx,csv,xlsx", "--out", tmp_path)
    assert code == 0, err
    rows = list(csv.reader(io.StringIO((tmp_path / "takster.csv").read_text("utf-8-sig")), delimiter=";"))
    header = rows[0]
    general = [r for r in rows if r[1] == "generel"]
    assert [(r[0], r[header.index("Ydelse")], r[header.index("Overhead pct.")]) for r in general] == [
        ("Nordby Kommune", "Generel overheadprocent", "5,50")]  # Sydby Kommune stated none
    assert rows.index(general[0]) == 1  # before Nordby's rows
    ws = load_workbook(tmp_path / "takster.xlsx").worksheets[0]
    xlsx_header = [c.value for c in ws[1]]
    line = ws[2]
    overhead = line[xlsx_header.index("Overhead pct.")]
    assert (line[0].value, line[xlsx_header.index("Ydelse")].value) == ("Nordby Kommune", "Generel overheadprocent")
    assert overhead.value == pytest.approx(0.055) and overhead.number_format == "0.00%"
    assert ws[3][xlsx_header.index("Ydelse")].value == "Døgnophold"
    pdf = " ".join(page.extract_text() for page in PdfReader(tmp_path / "takster.pdf").pages)
    assert "Generel overheadprocent: 5,50 %" in pdf
    assert any(p.text == "Generel overheadprocent: 5,50 %" for p in Document(str(tmp_path / "takster.docx")).paragraphs)


UNSTATED = """\
år: 2027
pl_indeks: {kommune: 3.1, region: 2.46}
driftsherrer:
  - navn: Nordby Kommune
    type: kommune
    overhead_pct: 5
    tilbud:
      - navn: Botilbud Lærkereden
        lovgrundlag: SEL § 107
        rækker:
          - {ydelse: Døgnophold, takstenhed: Døgn, takst: 1130, takst_sidste_år: 1000, forklaring: Ny normering}
          - {ydelse: Aflastning, takstenhed: Døgn, takst: 1031, takst_sidste_år: 1000, ændring_pct: 3.1}
"""


def test_the_overview_says_a_change_it_computed_is_computed(tmp_path: Path, run: Any) -> None:
    """The overview's largest rises listed '+13,00 %' for a row whose submission stated no change (computed from
    takst and last year's takst), while the table's Ændring cell is blank. It now says '(beregnet)', with a sentence
    saying what that means; the table still prints no computed change."""
    import csv
    import io

    from pypdf import PdfReader

    path = tmp_path / "takster.yaml"
    path.write_text(UNSTATED, "utf-8")
    summary = tmp_path / "oversigt.md"
    code, _, err = run("tariffs", "summary", path, "--out", summary)
    assert code == 0, err
    md = summary.read_text("utf-8")
    row = next(line for line in md.splitlines() if line.startswith("| Nordby Kommune"))
    assert "Botilbud Lærkereden, Døgnophold: +13,00 % (beregnet); Botilbud Lærkereden, Aflastning: +3,1 % |" in row
    assert "En ændring i oversigten mærket (beregnet) har driftsherren ikke angivet" in md
    code, _, err = run("tariffs", "render", path, "--format", "pdf,csv", "--out", tmp_path)
    assert code == 0, err
    rows = list(csv.reader(io.StringIO((tmp_path / "takster.csv").read_text("utf-8-sig")), delimiter=";"))
    day = next(r for r in rows if "Døgnophold" in r)
    assert day[rows[0].index("Ændring i pct. ift. forrige år")] == ""  # the table states no computed change
    pdf = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(tmp_path / "takster.pdf").pages)
    assert "+13,00 % (beregnet)" in pdf and "mærket (beregnet) har driftsherren ikke angivet" in pdf


def test_an_overview_of_stated_changes_has_no_computed_note(tmp_path: Path, run: Any) -> None:
    path = tmp_path / "takster.yaml"
    path.write_text(UNSTATED.replace("forklaring: Ny normering", "ændring_pct: 13, forklaring: Ny normering"), "utf-8")
    summary = tmp_path / "oversigt.md"
    assert run("tariffs", "summary", path, "--out", summary)[0] == 0
    md = summary.read_text("utf-8")
    assert "+13 %;" in md and "beregnet" not in md


def test_an_ambiguous_number_decided_by_its_workbook_keeps_its_written_decimals(tmp_path: Path) -> None:
    """'5,250' beside a Danish '96,5' in a column of the same kind is 5,250 %, written '5.250' (was 5.25)."""
    path = _formatted(tmp_path / "skema.xlsx", {"belægning_pct": ("96,5", "@"), "overhead_pct": ("5,250", "@"),
                                                "takst": (2249, "#,##0")})
    result = import_workbooks([path])
    assert result.text is not None and "overhead_pct: 5.250\n" in result.text, result.report.lines()
