"""Issue 12: the Excel route carries the structures — a takstskema with a block header and sub-rows, a sum row,
'-' cells, a heading, a closed offer and notes imports to the same takstbilag as typed by hand; and issue 11's
'6,2 % typed as 0.062 in a General-format cell' is read as 6,2 % with a warning naming the cell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from ruamel.yaml import YAML

from conftest import ROOT
from referat.takster.annex import check_file
from referat.takster.columns import COLUMNS
from referat.takster.importer import import_workbooks

HAND_TYPED = """\
år: 2026
pl_indeks: {kommune: null, region: null}
driftsherrer:
  - navn: "Aalborg Kommune"
    type: kommune
    overhead_pct: 5
    noter:
      - titel: "Note til Botilbud Attruphøj"
        tekst: "Normeringen er uændret; se tabellen."
    tilbud:
      - navn: "Botilbud Attruphøj"
        rækker:
          - ydelse: "Hovedydelse"
          - ydelse: "Attruphøj"                 # 003 L2617 laid out as a block header
            lovgrundlag: "ABL § 105"
            antal_pladser: 28
            takstenhed: "Døgn"
            belægning_pct: 98
            budget: 50151733
          - ydelse: "Boniveau 4"                # 003 L2627
            budget: "-"
            takst: 2823
            ændring_pct: 3.77
          - ydelse: "Boniveau 5"                # 003 L2629
            budget: "-"
            takst: 3114
            ændring_pct: 3.39
      - navn: "Botilbud Studievej"
        rækker:
          - rolle: sum
            ydelse: "I alt"
            lovgrundlag: "SEL § 107"
            antal_pladser: 28
            takstenhed: "Døgn"
            belægning_pct: 98
            budget: 46814495
          - ydelse: "Takstgruppe 1"             # 003 L2474
            antal_pladser: 16
            budget: 17337720
            takst: 3029
          - ydelse: "Takstgruppe 2"             # 003 L2609
            antal_pladser: 12
            budget: 29476775
            takst: 6867
      - navn: "Bostedet Kastanjen"
        rækker:
          - ydelse: "Døgnophold"
            lovgrundlag: "SEL § 107"
            antal_pladser: 0
            takstenhed: "Døgn"
            forklaring: "Lukket 1/11-2024"
noter:
  - titel: "Bilag A"
    tekst: "notat om takstberegning for Attruphøj"
"""

KEYS = [key for key, _, _, _ in COLUMNS]


def _sheet(path: Path, rows: list[dict[str, Any] | str], overhead: Any = 5) -> Path:
    """A filled-in takstskema: labelled cells above the header (as the template has them), then the rows."""
    wb = load_workbook(ROOT / "templates" / "takstskema.xlsx")
    ws = wb["Takstskema"]
    ws["B2"], ws["B3"], ws["B4"], ws["B5"] = "Aalborg Kommune", "kommune", 2026, overhead
    headers = {c.value: c.column for c in ws[7] if c.value}
    header_of = {key: header for key, header, _, _ in COLUMNS}
    for n, row in enumerate(rows, start=8):
        if isinstance(row, str):  # a note on a line of its own, in column A
            ws.cell(row=n, column=1, value=row)
            continue
        for key, value in row.items():
            ws.cell(row=n, column=headers[header_of[key]], value=value)
    wb.save(path)
    return path


ROWS: list[dict[str, Any] | str] = [
    {"tilbud": "Botilbud Attruphøj"},
    {"ydelse": "Hovedydelse"},
    {"ydelse": "Attruphøj", "lovgrundlag": "ABL § 105", "antal_pladser": 28, "takstenhed": "Døgn",
     "belægning_pct": 98, "budget": 50151733},
    {"ydelse": "Boniveau 4", "budget": "-", "takst": 2823, "ændring_pct": 3.77},
    {"ydelse": "Boniveau 5", "budget": "-", "takst": 3114, "ændring_pct": 3.39},
    "#Note til Botilbud Attruphøj: Normeringen er uændret; se tabellen.",
    {"tilbud": "Botilbud Studievej", "rolle": "Sum", "ydelse": "I alt", "lovgrundlag": "SEL § 107",
     "antal_pladser": 28, "takstenhed": "Døgn", "belægning_pct": 98, "budget": "46.814.495"},
    {"ydelse": "Takstgruppe 1", "antal_pladser": 16, "budget": 17337720, "takst": 3029},
    {"ydelse": "Takstgruppe 2", "antal_pladser": 12, "budget": "29,476,775", "takst": "6.867"},
    {"tilbud": "Bostedet Kastanjen", "ydelse": "Døgnophold", "lovgrundlag": "SEL § 107", "antal_pladser": 0,
     "takstenhed": "Døgn", "forklaring": "Lukket 1/11-2024"},
    "Bilag A: notat om takstberegning for Attruphøj",
]


def test_a_takstskema_with_every_structure_imports_to_the_hand_typed_yaml(tmp_path: Path, run) -> None:
    skema = _sheet(tmp_path / "skema.xlsx", ROWS)
    result = import_workbooks([skema])
    assert result.report.items == [], result.report.lines()
    yaml = YAML(typ="safe")
    assert yaml.load(result.text) == yaml.load(HAND_TYPED)
    out = tmp_path / "takster.yaml"
    code, _, err = run("takster", "import", skema, "--out", out)
    assert code == 0, err
    hand = tmp_path / "hand.yaml"
    hand.write_text(HAND_TYPED, "utf-8")
    # the imported file and the hand-typed one say the same, and both validate (the P/L index is not given yet)
    imported_msgs = [line.split(": ", 1)[1] for line in check_file(out)[2].lines()]
    hand_msgs = [line.split(": ", 1)[1] for line in check_file(hand)[2].lines()]
    assert imported_msgs == hand_msgs and not any(m.startswith("fejl") for m in hand_msgs), hand_msgs
    code, _, err = run("takster", "render", out, "--format", "csv", "--out", tmp_path)
    assert code == 0, err
    csv = (tmp_path / "takster.csv").read_text("utf-8-sig").splitlines()
    assert any(";underrække;Botilbud Attruphøj;Boniveau 4;;;;;-;;2823;" in line for line in csv), csv  # a number
    assert any(line.startswith("Aalborg Kommune;note;Note til Botilbud Attruphøj;") for line in csv)


def test_the_blank_template_has_the_rækketype_column_and_explains_the_structures() -> None:
    wb = load_workbook(ROOT / "templates" / "takstskema.xlsx")
    headers = [c.value for c in wb["Takstskema"][7] if c.value]
    assert "Rækketype" in headers
    guide = " ".join(str(c.value) for row in wb["Vejledning"].iter_rows() for c in row if c.value)
    assert "Blokhoved og underrækker" in guide and "Sumrække" in guide and "#Note til" in guide
    rules = [dv.formula1 for dv in wb["Takstskema"].data_validations.dataValidation]
    assert '"overskrift,blokhoved,underrække,sum,takst"' in rules


def test_a_missing_ydelse_is_a_warning_and_the_row_is_kept(tmp_path: Path) -> None:
    skema = _sheet(tmp_path / "skema.xlsx", [
        {"tilbud": "Botilbud Sonjavej", "lovgrundlag": "ABL § 105", "antal_pladser": 22, "takstenhed": "Døgn",
         "belægning_pct": 98, "budget": 17698460, "takst": 2249}])
    result = import_workbooks([skema])
    assert [line.split("/")[-1] for line in result.report.lines()] == [
        "skema.xlsx!Takstskema!A8: advarsel: Ydelse mangler; rækken er taget med uden"]
    assert result.data is not None and result.data["driftsherrer"][0]["tilbud"][0]["rækker"][0]["takst"] == 2249


def test_a_fraction_in_a_general_format_percent_cell_is_read_as_percent_with_a_warning(tmp_path: Path) -> None:
    """Issue 11: 6,2 % typed as 0.062 in a General-format cell was stored silently."""
    skema = _sheet(tmp_path / "skema.xlsx", [
        {"tilbud": "Botilbud Sonjavej", "ydelse": "Sonjavej A-C Huse", "lovgrundlag": "ABL § 105",
         "antal_pladser": 22, "takstenhed": "Døgn", "belægning_pct": 0.98, "budget": 17698460, "overhead_pct": 0.062,
         "takst": 2249}], overhead=0.055)
    result = import_workbooks([skema])
    got = sorted(line.split("/")[-1] for line in result.report.lines())
    col = {key: chr(ord("A") + KEYS.index(key)) for key in ("belægning_pct", "overhead_pct")}
    assert got == sorted([
        ("skema.xlsx!Takstskema!B5: advarsel: Generel overheadprocent: 0,055 er læst som 5,5 % (ikke 0,055 %); "
        "skriv procenten, fx 5,5, eller formatér cellen som procent"),
        (f"skema.xlsx!Takstskema!{col['belægning_pct']}8: advarsel: Budg. bel. pct.: 0,98 er læst som 98 % "
        "(ikke 0,98 %); skriv procenten, fx 98, eller formatér cellen som procent"),
        (f"skema.xlsx!Takstskema!{col['overhead_pct']}8: advarsel: Anvendt overheadprocent: 0,062 er læst som 6,2 % "
        "(ikke 0,062 %); skriv procenten, fx 6,2, eller formatér cellen som procent"),
    ])
    assert result.data is not None
    owner = result.data["driftsherrer"][0]
    row = owner["tilbud"][0]["rækker"][0]
    assert (owner["overhead_pct"], row["belægning_pct"], row["overhead_pct"]) == (5.5, 98, 6.2)


def test_a_percent_formatted_cell_is_read_without_a_warning(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Driftsherre:", "Rebild Kommune"])
    ws.append(["Takstår:", 2026])
    ws.append(["Tilbud", "Ydelse", "Takstenhed", "Antal pladser", "Budget", "Takst", "Anvendt overheadprocent"])
    ws.append(["Skovly", "A", "Døgn", 12, 1234567, 288, 0.062])
    ws["G4"].number_format = "0.0%"
    wb.save(tmp_path / "s.xlsx")
    result = import_workbooks([tmp_path / "s.xlsx"])
    assert result.report.items == []
    assert result.data is not None and result.data["driftsherrer"][0]["tilbud"][0]["rækker"][0]["overhead_pct"] == 6.2


def test_a_change_column_of_fractions_is_read_as_percent_with_one_warning(tmp_path: Path) -> None:
    rows: list[dict[str, Any] | str] = [
        {"tilbud": "Botilbud Sonjavej", "ydelse": f"Boniveau {n}", "lovgrundlag": "ABL § 105", "takstenhed": "Døgn",
         "takst": 1400 + n, "ændring_pct": change} for n, change in ((2, 0.031), (3, 0.079), (4, -0.0052))]
    result = import_workbooks([_sheet(tmp_path / "skema.xlsx", rows)])
    col = chr(ord("A") + KEYS.index("ændring_pct"))
    assert [line.split("/")[-1] for line in result.report.lines()] == [
        (f"skema.xlsx!Takstskema!{col}7: advarsel: Ændring i pct. ift. forrige år: alle 3 tal i kolonnen er under 1 "
        "og står i celleformatet Standard; de er læst som brøker, fx 0,031 som 3,1 %. Skriv procenten, eller "
        "formatér cellerne som procent")]
    assert result.data is not None
    assert [r["ændring_pct"] for r in result.data["driftsherrer"][0]["tilbud"][0]["rækker"]] == [3.1, 7.9, -0.52]
    # with a change of 3,2 among them, the small ones are real percentages: nothing is converted
    rows.append({"ydelse": "Boniveau 5", "takstenhed": "Døgn", "takst": 1500, "ændring_pct": 3.2})
    result = import_workbooks([_sheet(tmp_path / "skema2.xlsx", rows)])
    assert result.report.items == []


def test_an_ambiguous_comma_in_a_cell_is_read_as_the_formula_says_at_import(tmp_path: Path) -> None:
    """Issue 23: 17.698.460 / (22 × 0,98 × 365) = 2.249,02 — the '2,249' typed beside it is 2249, written as the number."""
    skema = _sheet(tmp_path / "skema.xlsx", [
        {"tilbud": "Botilbud Sonjavej", "ydelse": "Sonjavej A-C Huse", "lovgrundlag": "ABL § 105",
         "antal_pladser": 22, "takstenhed": "Døgn", "belægning_pct": 98, "budget": 17698460, "takst": "2,249"}])
    result = import_workbooks([skema])
    assert result.report.items == []
    assert result.text is not None and "takst: 2249\n" in result.text
    assert result.readings == [("skema.xlsx (Aalborg Kommune): engelsk (1,234,567.5) — tvetydige tal afgjort af "
                               "takstformlen (1)")]


def test_the_import_reads_a_takst_two_ways_with_the_annex_checks_own_formula(tmp_path: Path) -> None:
    """The import settled a takst written two ways with a formula of its own that left out the basistakst of a
    two-part model, which the annex's check adds: 2.000 + 1.000.000 / (10 × 0,98 × 365) = 2.279,55, so '2,280'
    beside it was named as undecidable (the level budget's 279,55 alone fits neither 2.280 nor 2,28). One formula
    now (`row.formula_tariff`)."""
    skema = _sheet(tmp_path / "skema.xlsx", [
        {"tilbud": "Botilbud Skovly", "ydelse": "Skovly", "lovgrundlag": "ABL § 105", "antal_pladser": 10,
         "takstenhed": "Døgn", "belægning_pct": 98, "budget": 1000000, "basistakst": 2000, "takst": "2,280"}])
    result = import_workbooks([skema])
    assert result.report.items == []
    assert result.text is not None and "takst: 2280\n" in result.text
    assert result.readings == [("skema.xlsx (Aalborg Kommune): engelsk (1,234,567.5) — tvetydige tal afgjort af "
                               "takstformlen (1)")]


def test_an_ambiguous_comma_nothing_settles_is_named_at_import_and_kept_as_written(tmp_path: Path) -> None:
    skema = _sheet(tmp_path / "skema.xlsx", [
        {"tilbud": "Botilbud Sonjavej", "ydelse": "Sonjavej A-C Huse", "lovgrundlag": "ABL § 105",
         "takstenhed": "Døgn", "takst": "2,249"}])
    result = import_workbooks([skema])
    col = chr(ord("A") + KEYS.index("takst"))
    assert [line.split("/")[-1] for line in result.report.lines()] == [
        (f"skema.xlsx!Takstskema!{col}8: advarsel: Takst: '2,249' kan læses som 2,249 (komma som decimaltegn) eller "
         "2.249 (komma som tusindtalsseparator), og intet andet tal i skemaet afgør det; det står i takstbilaget som "
         "skrevet. Skriv tallet entydigt")]
    assert result.text is not None and 'takst: "2,249"' in result.text
    (tmp_path / "t.yaml").write_text(result.text.replace("kommune: null", "kommune: 3.1"), "utf-8")
    assert any("'2,249' i Takst kan læses som 2,249 (komma som decimaltegn) eller 2.249" in line
               for line in check_file(tmp_path / "t.yaml")[2].lines())


@pytest.mark.parametrize("typed", [
    "1. Taksten er hævet.\n2) Pladser ændret",
    "Belægning < 95 % ~ ca. {note}",
    "*fed* og _kursiv_ [x](y) # ikke en overskrift | ikke en tabel",
    "- ikke en liste\n+ heller ikke\n> intet citat",
], ids=["tal", "tegn", "markup", "linjestart"])
def test_a_note_from_a_workbook_prints_as_typed(typed: str) -> None:
    """A note's text is Markdown in the takstbilag: the import escapes what Markdown would read as markup, and
    nothing else (a backslash before '<', '~' or a digit printed)."""
    from referat.takster.importer import markdown_literal
    from referat.text.richtext import parse, plain_text

    assert plain_text(parse(markdown_literal(typed))) == " ".join(typed.split("\n"))
