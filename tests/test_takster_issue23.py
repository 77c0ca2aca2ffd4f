"""Issue 23: every number as the driftsherre wrote it, every flag that matters and no other, an annex that renders
whatever was submitted.

`fixtures/takster/indsendt-2027.yaml` is a made-up annex in the shape of a real one (seed 003 L2383–2905): four
driftsherrer, one writing Danish numbers (25.693.412), one English (12,345,678 — so a takst '2,920' is 2.920 kr.
and a budget '456,789' 456.789 kr.), one with nothing to settle its one ambiguous number, one with budgets in
both conventions; and every case of the issue's list. These tests load it, check it and read the PDF, the Word
document, the CSV and the Excel workbook back.
"""

from __future__ import annotations

import csv
import io
import re
import typing
from pathlib import Path
from typing import Any

import docx
import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader
from ruamel.yaml import YAML

from conftest import ROOT
from referat.cli import main
from referat.takster.annex import check_file, number_readings
from referat.takster.model import Role
from referat.takster.types import AnnexView
from referat.takster.view import table_view

FIXTURE = ROOT / "tests" / "fixtures" / "takster" / "indsendt-2027.yaml"
NORDBY, SYDHAVN, VEST, OESTKYST = "Nordby Kommune", "Sydhavn Kommune", "Region Vest", "Østkyst Kommune"

# Every marked cell the annex must get, and no other: (driftsherre, tilbud, ydelse, column, rule, how marked).
EXPECTED_MARKS = {
    (NORDBY, "Bostedet Lærkereden", "Boniveau 5", "ændring_pct", "P/L + 2 pp", "forklaret"),
    (NORDBY, "Bostedet Lærkereden", "Boniveau 6", "ændring_pct", "P/L + 2 pp", "uforklaret"),  # forklaring '-'
    (NORDBY, "Bofællesskabet Engen", "Engen i alt", "takst", "Formel", "uforklaret"),  # a block's own average
    (NORDBY, "Dagcentret Solsiden", "Kørsel", "takst", "Takst mangler", "uforklaret"),  # '-'
    (NORDBY, "Dagcentret Solsiden", "Værkstedsydelse", "takst", "Takst mangler", "uforklaret"),  # nothing
    (SYDHAVN, "Ungehuset Bølgen", "Aflastning", "belægning_pct", "Belægning", "uforklaret"),  # forklaring '.'
    (SYDHAVN, "Ungehuset Bølgen", "Aflastning", "takst", "Formel", "uforklaret"),  # '3,150' read, then checked
    (SYDHAVN, "Center for Autisme Sydhavn", "Takstgruppe 3 (under opstart)", "belægning_pct", "Belægning",
     "uforklaret"),  # 0 pladser, 80 %
    (VEST, "Specialcenter Vesterhavet", "Vesterhavet", "overhead_pct", "Overhead", "uforklaret"),  # its own takst
    (VEST, "Specialcenter Vesterhavet", "Basis", "takst", "Tvetydigt tal", "tvetydig"),
    (VEST, "Botilbud Klitten", "Klitten samlet", "antal_pladser", "Sum", "uforklaret"),
    (VEST, "Botilbud Klitten", "Klitten samlet", "budget", "Sum", "uforklaret"),
    (VEST, "Værestedet Fyret", "Dagophold", "takst", "Import", "uforklaret"),
}
# Warnings that mark no cell: Østkyst's budgets in both conventions, once for the section.
EXPECTED_SECTION_WARNINGS = {(OESTKYST, "Talformat")}

# Each number as its section's convention reads it: (driftsherre, ydelse, attribute) → value.
READ_AS = {
    (NORDBY, "Lærkereden", "budget"): 25_693_412, (NORDBY, "Lærkereden", "overhead_pct"): 5.25,
    (NORDBY, "Boniveau 3", "tariff"): 2406, (NORDBY, "Boniveau 3", "change_pct"): 2.85,
    (NORDBY, "Boniveau 6", "tariff"): 3958, (NORDBY, "Engen i alt", "tariff"): 2800,
    (NORDBY, "Niveau 1", "tariff"): 1850, (NORDBY, "Akutplads", "tariff"): 3100,
    (SYDHAVN, "Døgnophold", "budget"): 12_345_678, (SYDHAVN, "Døgnophold", "tariff"): 2920,
    (SYDHAVN, "Døgnophold", "occupancy_pct"): 96.5, (SYDHAVN, "Døgnophold", "change_pct"): 3.25,
    (SYDHAVN, "Weekendophold", "budget"): 456_789, (SYDHAVN, "Weekendophold", "tariff"): 1251,
    (SYDHAVN, "Takstgruppe 3 (under opstart)", "tariff"): 2950,
    (VEST, "Basis", "tariff"): 1.25,  # no evidence: the Danish reading, with a marker of its own
    (OESTKYST, "Niveau 1", "tariff"): 2150, (OESTKYST, "Ankeret Syd", "budget"): 5_400_000,
}
# What the annex prints for them: Danish notation, the decimals as submitted.
PRINTED = ["25.693.412", "5,25 %", "2.406", "2,85 %", "3.958", "2.800", "1.850", "3.100", "100 %", "97 %",
           "12.345.678", "2.920", "96,5 %", "3,25 %", "456.789", "1.251", "2.950", "1,250", "2.150", "5.400.000",
           "5,5 %", "-1,4 %"]
NEVER_PRINTED = ["2,41", "2,406", "456,789", "12,345,678", "2,92 ", "100,00 %", "97,00 %", "ikke oplyst: ",
                 "Generel overheadprocent: ikke oplyst"]


def _row(tb: Any, owner: str, service: str) -> Any:
    hits = [r for o, _, r in tb.rows() if o.name == owner and r.service == service]
    return hits[0]


def _mark(f: Any) -> str:
    return "tvetydig" if f.mark == "tvetydig" else ("forklaret" if f.explained else "uforklaret")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("issue23")
    assert main(["tariffs", "render", str(FIXTURE), "--format", "pdf,docx,csv,xlsx", "--out", str(folder)]) == 0
    return folder


def _pdf_pages(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


# --- Loads literally ------------------------------------------------------------------------------------------

def test_the_fixture_loads_literally_no_row_refused() -> None:
    tb, _findings, report = check_file(FIXTURE)
    assert tb is not None and report.errors == []
    raw = YAML(typ="safe").load(FIXTURE.read_text("utf-8"))
    rows = sum(len(offer["rækker"]) for owner in raw["driftsherrer"] for offer in owner["tilbud"])
    assert len(tb.rows()) == rows == 39


def test_every_number_is_read_in_its_sections_convention() -> None:
    tb = check_file(FIXTURE)[0]
    assert tb is not None
    got = {key: getattr(_row(tb, key[0], key[1]), key[2]) for key in READ_AS}
    assert got == pytest.approx(READ_AS)
    assert number_readings(tb) == [
        f"{NORDBY}: dansk (1.234.567,5) — tvetydige tal afgjort af kolonnens øvrige tal (9), takstformlen (1)",
        f"{SYDHAVN}: engelsk (1,234,567.5) — tvetydige tal afgjort af kolonnens øvrige tal (3), takstformlen (4)",
        f"{VEST}: ingen entydige tal at gå efter; 1 tvetydigt tal uden holdepunkt, læst på dansk",
        f"{OESTKYST}: dansk (1.234.567,5) — tvetydige tal afgjort af entydige tal i kolonner af samme slags (2)",
    ]


def test_every_expected_mark_and_no_other() -> None:
    tb, findings, report = check_file(FIXTURE)
    marks = {(f.owner, _offer_of(tb, f), f.service, f.column, f.rule, _mark(f)) for f in findings if f.highlight}
    assert marks == EXPECTED_MARKS
    assert {(f.owner, f.rule) for f in findings if not f.highlight} == EXPECTED_SECTION_WARNINGS
    assert len([f for f in findings if f.highlight]) == len(EXPECTED_MARKS)  # each once
    # every unexplained marking and the section's warning is a warning, none an error; explained ones say nothing
    assert report.errors == [] and len(report.warnings) == len(EXPECTED_MARKS) - 1 + len(EXPECTED_SECTION_WARNINGS)
    conflict = next(d.message for d in report.warnings if "Talformat" in d.message or "både på dansk" in d.message)
    assert "tallene i Budget er skrevet både på dansk (1.234,5) og engelsk (1,234.5)" in conflict
    assert "de tvetydige i Takst (som 1,234) er læst, som flest af dem er skrevet (dansk)" in conflict


def _offer_of(tb: Any, f: Any) -> str:
    """The offer a finding's row stands in (a takstgruppe's own tilbud name aside)."""
    for _o, offer, row in tb.rows():
        if id(row) == f.row_id:
            return str(offer.name)
    return str(f.offer)


def test_the_roles_the_issue_lists() -> None:
    tb = check_file(FIXTURE)[0]
    assert tb is not None
    kind = {(o.name, r.service): r.kind for o, _, r in tb.rows()}
    assert kind[(NORDBY, "Aflastning")] is Role.HEADING  # a name and a forklaring, with takst rows under it
    assert kind[(NORDBY, "Engen i alt")] is Role.BLOCK  # a block's total with its own average takst
    solsiden = [r for o, t, r in tb.rows() if t.name == "Dagcentret Solsiden"]
    assert [r.kind for r in solsiden[:2]] == [Role.TARIFF, Role.TARIFF]  # the same ydelse twice: two rows
    assert solsiden[-1].kind is Role.TARIFF and solsiden[-1].service is None  # offer name + forklaring: plain
    group = _row(tb, SYDHAVN, "Takstgruppe 1")
    assert group.kind is Role.SUB and group.offer_name == "Autismecenter Sydhavn, afd. Lyset"
    assert group.parent is _row(tb, SYDHAVN, "I alt")
    akut = _row(tb, NORDBY, "Akutplads")
    assert akut.kind is Role.TARIFF and not akut.closed  # 0 pladser closes nothing
    assert _row(tb, NORDBY, "Døgnophold").closed and _row(tb, NORDBY, "Udslusning").closed


# --- The PDF ----------------------------------------------------------------------------------------------------

def test_pdf_prints_every_number_as_submitted(out: Path) -> None:
    text = " ".join(_pdf_pages(out / "indsendt-2027.pdf"))
    for shown in PRINTED:
        assert shown in text, shown
    for wrong in NEVER_PRINTED:
        assert wrong not in text, wrong
    # rows as submitted: a '-' for a missing takst and budget; the same ydelse twice; the offer's name and a text
    assert "Dagcentret Solsiden Kørsel SEL § 104 Dag - -!4" in text
    assert "Dagcentret Solsiden Værkstedsydelse SEL § 104 Time -!5" in text
    assert "Dagcentret Solsiden Dagtilbud SEL § 104 Dag 745 3 % Med kørsel." in text
    assert "Dagcentret Solsiden Dagcentret flytter til nye lokaler i marts 2027." in text
    assert "Autismecenter Sydhavn, afd. Lyset Takstgruppe 1 10 11.000.000 3.107 2,4 %" in text


def test_pdf_footnotes_are_a_table_after_each_section_on_its_page(out: Path) -> None:
    pages = _pdf_pages(out / "indsendt-2027.pdf")
    for owner, first in ((NORDBY, "1 Bostedet Lærkereden › Boniveau 5 P/L + 2 pp ændringen 7,9 %"),
                         (SYDHAVN, "!1 Ungehuset Bølgen › Aflastning Belægning belægningsprocenten 92 % er under 95 %"),
                         (VEST, "!1 Specialcenter Vesterhavet › Vesterhavet Overhead overheadprocenten mangler")):
        page = next(p for p in pages if p.startswith(owner) or f" {owner} " in p[:60])
        assert "Markerede felter Nr. Række Regel Markering" in page and first in page, page[:300]
    vest = next(p for p in pages if p.startswith(VEST))
    assert "?2 Specialcenter Vesterhavet › Basis Tvetydigt tal '1,250' i Takst kan læses som 1,250" in vest
    assert "1,250?2" in vest and "-1,4 %" not in vest
    assert not any("Markerede felter" in p for p in pages if p.startswith(OESTKYST))  # nothing marked there


def test_pdf_colours_only_deviations_and_marks_the_open_number_blue(out: Path) -> None:
    from pypdf.generic import ContentStream

    reader = PdfReader(out / "indsendt-2027.pdf")
    fills: dict[tuple[float, ...], int] = {}
    for page in reader.pages:
        for args, op in ContentStream(page.get_contents(), reader).operations:
            if op in (b"rg", b"scn") and len(args) == 3:
                key = tuple(round(float(a), 3) for a in args)
                fills[key] = fills.get(key, 0) + 1
    yellow, orange, blue = (1.0, 0.949, 0.0), (1.0, 0.627, 0.251), (0.749, 0.867, 0.961)
    # cells + their footnotes' marks + the legend: 1 explained, 11 unexplained, 1 ambiguous
    assert (fills.get(yellow), fills.get(orange), fills.get(blue)) == (1 + 1 + 1, 11 + 11 + 1, 1 + 1 + 1)


def test_pdf_reading_guide_states_the_missing_overhead_once_and_the_index(out: Path) -> None:
    pages = _pdf_pages(out / "indsendt-2027.pdf")
    text = " ".join(pages)
    assert text.count("ikke oplyst") == 1 and "Generel overheadprocent er ikke oplyst for Region Vest" in pages[0]
    assert "Årets P/L-indeks: kommuner 3,1 %, regionen 2,46 %." in pages[0]
    assert "Blå felter med ? er tal, der kan læses på to måder" in pages[0]
    assert "Generel overheadprocent: 5,5 %" in text and "Generel overheadprocent: 6 %" in text


def test_pdf_overview_lists_the_largest_falls_too(out: Path) -> None:
    first = " ".join(_pdf_pages(out / "indsendt-2027.pdf")[:2])
    assert "Største stigninger Største fald" in first
    assert "Bostedet Ankeret, Korttidsophold: -1,4 %" in first
    assert "Bostedet Lærkereden, Boniveau 6: +8,4 %" in first


def test_pdf_notes_before_and_after_the_table_with_headings(out: Path) -> None:
    text = " ".join(_pdf_pages(out / "indsendt-2027.pdf"))
    before = text.index("Note til Nordby Kommunes takster Normering Taksterne for 2027 bygger på")
    assert before < text.index("Bostedet Lærkereden Hovedydelse") < text.index("Bemærkninger Boniveau 6 er et nyt niveau")
    assert "Notater til takstbilaget Bilag A: notat om Region Vests takstberegning" in text
    assert "Fordeling af fællesudgifter Fællesudgifterne er fordelt efter antal pladser." in text


# --- Word -------------------------------------------------------------------------------------------------------

def _section_table(document: Any, first_cell: str) -> Any:
    return next(t for t in document.tables if len(t.rows) > 1 and t.rows[1].cells[0].text == first_cell)


def test_word_prints_the_same_numbers_colours_and_notes(out: Path) -> None:
    document = docx.Document(str(out / "indsendt-2027.docx"))
    nordby = _section_table(document, "Bostedet Lærkereden")
    rows = {(r.cells[0].text, r.cells[1].text): r for r in nordby.rows[1:]}
    header = [c.text for c in nordby.rows[0].cells]
    takst, budget = header.index("Takst"), header.index("Budget")
    assert rows[("Bostedet Lærkereden", "Boniveau 3")].cells[takst].text == "2.406"
    assert rows[("Bostedet Lærkereden", "Lærkereden")].cells[budget].text == "25.693.412"
    assert rows[("Dagcentret Solsiden", "Kørsel")].cells[takst].text == "-!4"
    assert 'w:fill="FFA040"' in rows[("Bofællesskabet Engen", "Engen i alt")].cells[takst]._tc.xml
    sydhavn = _section_table(document, "Ungehuset Bølgen")
    assert [c.text for c in sydhavn.rows[3].cells][budget] == "456.789"
    vest = _section_table(document, "Specialcenter Vesterhavet")
    assert 'w:fill="BFDDF5"' in vest.rows[2].cells[takst]._tc.xml and vest.rows[2].cells[takst].text == "1,250?2"
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs.index("Note til Nordby Kommunes takster") < paragraphs.index("Bemærkninger")
    assert "Normering" in paragraphs and "Fordeling af fællesudgifter" in paragraphs
    footnotes = next(t for t in document.tables if [c.text for c in t.rows[0].cells] == ["Nr.", "Række", "Regel", "Markering"])
    assert [c.text for c in footnotes.rows[1].cells][:3] == ["1", "Bostedet Lærkereden › Boniveau 5", "P/L + 2 pp"]


def _longest_word_pt(texts: list[str], bold: bool) -> float:
    from fontTools.ttLib import TTFont

    from referat.text.fonts import FONT_DIR

    font = TTFont(FONT_DIR / ("LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"))
    cmap, hmtx, em = font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm
    return max((sum(hmtx[cmap[ord(c)]][0] for c in word) * 7.0 / em for t in texts for word in t.split()), default=0)


def test_word_columns_fit_their_content_and_break_no_word(out: Path) -> None:
    """Word breaks a word only when its column is narrower: every column is at least as wide as its longest word
    (measured here in the font the document names, Arial, whose metrics Liberation Sans has)."""
    document = docx.Document(str(out / "indsendt-2027.docx"))
    for first in ("Bostedet Lærkereden", "Ungehuset Bølgen", "Specialcenter Vesterhavet", "Bostedet Ankeret"):
        table = _section_table(document, first)
        assert 'w:type="fixed"' in table._tbl.xml
        grid = [int(c.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}w")) / 20
                for c in table._tbl.tblGrid.iterchildren()]
        for x, width in enumerate(grid):
            texts = [r.cells[x].text for r in table.rows[1:]]
            bold = _longest_word_pt([r.cells[x].text for r in table.rows[1:] if any(run.bold for p in r.cells[x].paragraphs
                                                                                  for run in p.runs)], True)
            header = _longest_word_pt([table.rows[0].cells[x].text], True)
            need = max(_longest_word_pt(texts, False), bold, header) + 2 * 5.4
            assert width >= need, (first, table.rows[0].cells[x].text, width, need)
        assert sum(grid) <= (29.7 - 2.4) / 2.54 * 72 + 1  # within the page


def test_word_has_the_pdfs_footer(out: Path) -> None:
    document = docx.Document(str(out / "indsendt-2027.docx"))
    footer = document.sections[0].footer
    xml = footer._element.xml
    assert footer.paragraphs[0].text.startswith("Takstbilag 2027 (eksempel)\tSide ")
    assert " af " in footer.paragraphs[0].text
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml) and re.search(r"> NUMPAGES <", xml)


# --- CSV and Excel ------------------------------------------------------------------------------------------------

def test_csv_carries_numbers_as_numbers_and_text_as_text(out: Path) -> None:
    rows = list(csv.reader(io.StringIO((out / "indsendt-2027.csv").read_text("utf-8-sig")), delimiter=";"))
    header = rows[0]
    table = [r for r in rows[1:] if r[1] not in ("note", "generel")]
    assert len(table) == 39  # every row
    by = {(r[0], r[header.index("Ydelse")]): r for r in table}
    col = header.index
    assert by[(NORDBY, "Lærkereden")][col("Budget")] == "25693412"
    assert by[(NORDBY, "Lærkereden")][col("Overhead pct.")] == "5,25"
    assert by[(NORDBY, "Boniveau 3")][col("Takst")] == "2406"
    assert by[(SYDHAVN, "Weekendophold")][col("Budget")] == "456789"
    assert by[(SYDHAVN, "Døgnophold")][col("Budg. bel. pct.")] == "96,5"
    assert by[(OESTKYST, "Korttidsophold")][col("Ændring i pct. ift. forrige år")] == "-1,4"  # a number, no apostrophe
    assert by[(NORDBY, "Kørsel")][col("Takst")] == "-" and by[(NORDBY, "Udslusning")][col("Takst")] == "udgår"
    assert by[(VEST, "Basis")][col("Markeringer")].startswith("Tvetydigt tal: Specialcenter Vesterhavet › Basis: ")
    notes = [r for r in rows if r[1] == "note"]
    assert [r[2] for r in notes[:2]] == ["Note til Nordby Kommunes takster", "Bemærkninger"]  # before, after


def test_excel_carries_numbers_with_their_formats_and_text_as_text(out: Path) -> None:
    wb = load_workbook(out / "indsendt-2027.xlsx")
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    by: dict[tuple[Any, Any], Any] = {}
    for r in ws.iter_rows(min_row=2):
        by.setdefault((r[0].value, r[header.index("Ydelse")].value), r)  # the first of two Dagtilbud rows

    def cell(owner: str, service: str, column: str) -> Any:
        return by[(owner, service)][header.index(column)]

    budget = cell(NORDBY, "Lærkereden", "Budget")
    assert (budget.value, budget.data_type, budget.number_format) == (25_693_412, "n", "#,##0")
    overhead = cell(NORDBY, "Lærkereden", "Overhead pct.")
    assert overhead.value == pytest.approx(0.0525) and overhead.number_format == "0.00%"
    full = cell(NORDBY, "Dagtilbud", "Budg. bel. pct.")
    assert full.value == pytest.approx(1.0) and full.number_format == "0%"  # a submitted 100 is 100 %
    occupancy = cell(SYDHAVN, "Døgnophold", "Budg. bel. pct.")
    assert occupancy.value == pytest.approx(0.965) and occupancy.number_format == "0.0%"
    assert cell(SYDHAVN, "Weekendophold", "Budget").value == 456_789
    assert cell(VEST, "Basis", "Takst").value == pytest.approx(1.25) and cell(VEST, "Basis", "Takst").number_format == "#,##0.000"
    dash = cell(NORDBY, "Kørsel", "Takst")
    assert (dash.value, dash.data_type) == ("-", "s")
    assert cell(NORDBY, "Boniveau 3", "Tilbud").data_type == "s"
    overview = wb["Oversigt"]
    assert [c.value for c in overview[2]][:2] == [NORDBY, 12]  # the count a number too


# --- Without explicit roles --------------------------------------------------------------------------------------

def test_the_same_annex_without_explicit_roles_renders_without_an_error(tmp_path: Path, run) -> None:
    text = FIXTURE.read_text("utf-8")
    plain = re.sub(r"(?m)^\s+rolle: \w+\n", "", text)
    plain = plain.replace("- tilbud: \"Autismecenter Sydhavn, afd. Lyset\"   # a takstgruppe with its own offer name\n"
                          "            ydelse:", "- tilbud: \"Autismecenter Sydhavn, afd. Lyset\"\n            ydelse:")
    assert "rolle:" not in plain
    path = tmp_path / "uden-roller.yaml"
    path.write_text(plain, "utf-8")
    code, _out, err = run("tariffs", "validate", path)
    assert code == 0 and ": fejl: " not in err, err
    tb, findings, report = check_file(path)
    assert tb is not None and len(tb.rows()) == 39 and report.errors == []
    # the total that does not add up is not guessed as one: its rows stay plain, and one warning says so
    klitten = [r for o, t, r in tb.rows() if t.name == "Botilbud Klitten"]
    assert {r.kind for r in klitten} == {Role.TARIFF}
    assert [f.rule for f in findings if f.offer == "Botilbud Klitten"] == ["Struktur"]
    assert "strukturen er ikke genkendt" in err
    # the rest is read as the explicit roles say
    assert _row(tb, NORDBY, "Lærkereden").kind is Role.BLOCK and _row(tb, SYDHAVN, "I alt").kind is Role.SUM
    code, _, err = run("tariffs", "render", path, "--format", "pdf,docx,csv,xlsx", "--out", tmp_path)
    assert code == 0, err
    rows = [r for r in csv.reader(io.StringIO((tmp_path / "uden-roller.csv").read_text("utf-8-sig")), delimiter=";")
            if r[1] not in ("note", "generel")]
    assert len(rows) == 1 + 39


# --- The Typst payload's types ------------------------------------------------------------------------------------

def _conforms(value: Any, hint: Any, where: str) -> None:
    """`value` has exactly the keys and the types `hint` (a TypedDict, list, union, literal …) declares."""
    origin = typing.get_origin(hint)
    if typing.is_typeddict(hint):
        assert isinstance(value, dict), where
        extras = typing.get_type_hints(hint, include_extras=True)  # NotRequired[…] seen through the string annotations
        required = {k for k, h in extras.items() if typing.get_origin(h) is not typing.NotRequired}
        hints = typing.get_type_hints(hint)
        assert set(value) <= set(hints) and required <= set(value), (where, set(value) ^ set(hints))
        for key, sub in value.items():
            _conforms(sub, hints[key], f"{where}.{key}")
    elif origin is list:
        assert isinstance(value, list), where
        for n, item in enumerate(value):
            _conforms(item, typing.get_args(hint)[0], f"{where}[{n}]")
    elif origin in (typing.Union, __import__("types").UnionType):
        errors = []
        for option in typing.get_args(hint):
            try:
                _conforms(value, option, where)
                return
            except AssertionError as exc:
                errors.append(exc)
        raise AssertionError(where, errors)
    elif origin is typing.Literal:
        assert value in typing.get_args(hint), (where, value)
    elif hint is type(None):
        assert value is None, where
    elif hint is float:
        assert isinstance(value, (int, float)) and not isinstance(value, bool), where
    else:
        assert isinstance(value, hint), (where, hint, value)


def test_the_view_the_writers_get_is_exactly_its_typed_dicts() -> None:
    tb, findings, _ = check_file(FIXTURE)
    assert tb is not None
    view = table_view(tb, findings, "Godkendt af DAS den 17. november 2026")
    _conforms(view, AnnexView, "view")


# --- tariffs import never drops a row -----------------------------------------------------------------------------

def test_import_keeps_a_row_with_a_bad_cell_and_the_annex_marks_it(tmp_path: Path, run) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Ark1"
    ws.append(["Driftsherre:", "Rebild Kommune"])
    ws.append(["Takstår:", 2027])
    ws.append(["#Note til Rebild Kommunes takster:"])  # a note above the table, its paragraphs under it
    ws.append(["Taksterne er beregnet på 365 dage."])
    ws.append(["Tilbud", "Ydelse", "Lovgrundlag", "Takstenhed", "Antal pladser", "Budget", "Takst",
               "Anvendt overheadprocent", "Rækketype"])
    ws.append(["Skovly", "Døgnophold", "SEL § 107", "Døgn", 12, 4_300_000, "#DIV/0!", 5])
    ws.append(["Skovly", "Aflastning", "SEL § 107", "Uge", None, None, 1200, 5])
    ws.append(["Skovly", "I alt", "SEL § 108", "Døgn", 10, 8_000_000, None, 5, "Sum"])
    ws.append(["Skovly, afd. Nord", "Takstgruppe 1", None, None, 10, 8_000_000, 2237, 5, "Underrække"])
    ws.append([])
    ws.append(["#Bemærkninger: Aflastning afregnes pr. døgn."])
    ws.append(["Fra 2027 også i weekender."])
    path = tmp_path / "skema.xlsx"
    wb.save(path)
    code, _, err = run("tariffs", "import", path, "--out", tmp_path / "t.yaml")
    assert code == 1  # the bad cells are errors of the run …
    assert "skema.xlsx!Ark1!G6: fejl: Takst: Excel-fejl #DIV/0! i cellen; ret formlen i skemaet" in err
    assert "skema.xlsx!Ark1!D7: fejl: Takstenhed: 'Uge' er ikke en takstenhed" in err
    data = YAML(typ="safe").load((tmp_path / "t.yaml").read_text("utf-8"))
    owner = data["driftsherrer"][0]
    rows = owner["tilbud"][0]["rækker"]
    assert [r["ydelse"] for r in rows] == ["Døgnophold", "Aflastning", "I alt", "Takstgruppe 1"]  # … no row dropped
    assert rows[0]["takst"] is None and rows[0]["importfejl"] == {
        "takst": "skema.xlsx!Ark1!G6: Excel-fejl #DIV/0! i cellen; ret formlen i skemaet"}
    assert rows[1]["takstenhed"] is None and "takstenhed" in rows[1]["importfejl"]
    assert rows[3]["tilbud"] == "Skovly, afd. Nord"  # a takstgruppe's own name, under its total
    assert owner["noter"] == [
        {"titel": "Note til Rebild Kommunes takster", "placering": "før", "tekst": "Taksterne er beregnet på 365 dage."},
        {"titel": "Bemærkninger", "tekst": "Aflastning afregnes pr. døgn.\n\nFra 2027 også i weekender."}]
    code, _, err = run("tariffs", "validate", tmp_path / "t.yaml")
    assert code == 0 and "cellen kunne ikke læses ved importen: skema.xlsx!Ark1!G6: Excel-fejl #DIV/0!" in err
    assert "gyldig (med advarsler)" in _  # never 'gyldig' alone after a bad cell
    code, _, err = run("tariffs", "render", tmp_path / "t.yaml", "--format", "pdf", "--out", tmp_path)
    assert code == 0, err
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "t.pdf").pages)
    assert "!1 Skovly › Døgnophold Import cellen kunne ikke læses ved importen" in text
    assert "Skovly, afd. Nord Takstgruppe 1" in text
