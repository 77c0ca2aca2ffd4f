"""Property tests: the Markdown → document path, the takst importer and Danish/English number reading.

(a) Whatever text a sagsfremstilling holds, the document view and the text, Word and PDF writers never raise,
    and no word is lost: every word Python-Markdown keeps as text is in the output.
(b) Whatever a takstskema's cells hold, the importer never raises, names every bad cell once as
    `skema.xlsx!Ark!D5`, and never reads a cell as a number it does not hold (text is never a silent 0).
(c) Numbers formatted the Danish or the English way, with thousands separators, read back as the same number.
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from pypdf import PdfReader

from conftest import MEETING
from referat.model.meeting import Meeting
from referat.render.pdf import write_pdf
from referat.render.text import write_text
from referat.render.word import write_docx
from referat.takster.importer import import_workbooks
from referat.takster.numbers import CellError, parse_number
from referat.text import richtext
from referat.view.document import document_view

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])  # Word and PDF

LETTERS = re.compile(r"[A-Za-zÆØÅæøå]+")


# --------------------------------------------------------------------------------------------------
# (a) Markdown → document

@pytest.fixture(scope="module")
def meeting(tmp_path_factory: pytest.TempPathFactory) -> Meeting:
    """A valid one-item meeting; each example puts its text into the item's sagsfremstilling."""
    from referat.app.pipeline import load

    folder = tmp_path_factory.mktemp("egenskaber") / "møde"
    (folder / "punkter").mkdir(parents=True)
    (folder / "bilag").mkdir()
    (folder / "punkter" / "a.yaml").write_text("titel: Punktet\nsagsfremstilling: x\n", "utf-8")
    (folder / "møde.yaml").write_text(MEETING.format(fase="dagsorden", items="a.yaml"), "utf-8")
    return load(folder).meeting


def view_of(meeting: Meeting, text: str) -> dict[str, Any]:
    meeting.items[0].case = text
    return document_view(meeting, "dagsorden")


def words_markdown_keeps(text: str) -> list[str]:
    """The letter-words of the text Python-Markdown's tree holds for `text` (link targets are not text)."""
    blocks = richtext.parse(text)
    if not blocks:
        return []  # blank: nothing parsed, nothing printed
    richtext._parse(text)  # parse() answers a text seen before from its cache: parse it here, so that the parser
    root = getattr(richtext._parser(), "captured", None)  # holds this text's tree
    if root is None or richtext._depth(blocks) > richtext.MAX_NESTING:
        return LETTERS.findall(text)  # printed as typed (too deeply nested for Markdown)
    return LETTERS.findall(_tree_text(root))


def _tree_text(el: Any) -> str:
    """The text of Python-Markdown's tree as a reader should see it: code is stored HTML-escaped there."""
    if el.tag == "code":
        inner = "".join(el.itertext()).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    else:
        inner = (el.text or "") + "".join(_tree_text(child) for child in el)
    return inner + (el.tail or "")


def missing(words: list[str], output: str) -> list[str]:
    folded = output.casefold()  # the text writer prints headings in capitals
    return [w for w in words if w.casefold() not in folded]


ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)
# Text of letters, spaces, line breaks and control characters only: no Markdown at all, so every word survives.
PLAIN_TEXT = st.text(st.sampled_from("abcæøå ABCÆØÅ\n\t\x00\x07\x1b\x7f\x85\u2028\ufeff\ue000\U0010fffd"), max_size=300)

WORDS = ["æble", "Pære", "kommune", "TAKST", "Ålborg", "økonomi", "bilag", "borger", "møde", "sag", "Bifrost"]
TEMPLATES = ["{w}", "**{w}**", "*{w}*", "_{w}_", "***{w}***", "- {w}", "* {w}", "1. {w}", "    - {w}", "# {w}",
             "### {w}", "{w}\n===", "[{w}](https://eksempel.dk/{n})", "[{w}][ref{n}]", "<b>{w}</b>",
             "<script>{w}</script>", "\\*{w}\\*", "{w}\\\\", "\\# {w}", "`{w}`", "> {w}", "{w}  ", "&amp; {w}",
             "{{{{ {w} }}}}", "#set {w}", "$ {w} $", "{w} & {w}", "\\\\{w}"]
TABLE = "| {w} | {v} |\n|---|---|\n| {u} | **{w}** |"


@st.composite
def markdownish(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Markdown-ish text and the words it shows (link targets hold none of them)."""
    parts: list[str] = []
    shown: list[str] = []
    for n in range(draw(st.integers(1, 12))):
        if draw(st.integers(0, 9)) == 0:
            w, v, u = (draw(st.sampled_from(WORDS)) for _ in range(3))
            parts.append("\n\n" + TABLE.format(w=w, v=v, u=u) + "\n\n")
            shown += [w, v, u]
            continue
        w = draw(st.sampled_from(WORDS))
        parts.append(draw(st.sampled_from(TEMPLATES)).format(w=w, n=n))
        parts.append(draw(st.sampled_from(["\n", "\n\n", " ", "\n    "])))
        shown.append(w)
    return "".join(parts), shown


@FAST
@given(text=ANY_TEXT)
def test_any_text_renders_to_text_and_keeps_every_word(meeting: Meeting, text: str) -> None:
    output = write_text(view_of(meeting, text))
    assert not missing(words_markdown_keeps(text), output)


@FAST
@given(text=PLAIN_TEXT)
def test_plain_text_with_control_characters_keeps_every_word(meeting: Meeting, text: str) -> None:
    output = write_text(view_of(meeting, text))
    assert not missing(LETTERS.findall(text), output)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ue000\U0010fffd]", output)  # shown as pictures


@FAST
@given(case=markdownish())
def test_markdown_fragments_keep_their_words_and_literal_markup(meeting: Meeting, case: tuple[str, list[str]]) -> None:
    text, shown = case
    output = write_text(view_of(meeting, text))
    assert not missing(shown, output), text
    for literal in ("<b>", "<script>", "&amp;", "#set", "{{"):
        if literal in text:
            assert literal in output.casefold(), (literal, text)  # casefold: headings print in capitals


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(paragraphs + cells)


@SLOW
@given(text=ANY_TEXT)
def test_any_text_renders_to_word_and_pdf(meeting: Meeting, text: str) -> None:
    from conftest import ROOT

    view = view_of(meeting, text)
    word = write_docx(view, ROOT / "templates" / "word" / "dokument.docx", meeting.date)
    assert not missing(words_markdown_keeps(text), _docx_text(word))
    pdf = write_pdf(view, meeting.date)
    assert pdf.startswith(b"%PDF-")


@SLOW
@given(case=markdownish())
def test_markdown_fragments_keep_their_words_in_word_and_pdf(meeting: Meeting, case: tuple[str, list[str]]) -> None:
    from conftest import ROOT

    text, shown = case
    view = view_of(meeting, text)
    word = write_docx(view, ROOT / "templates" / "word" / "dokument.docx", meeting.date)
    assert not missing(shown, _docx_text(word)), text
    reader = PdfReader(io.BytesIO(write_pdf(view, meeting.date)))
    extracted = "".join(page.extract_text() for page in reader.pages)
    assert not missing(shown, re.sub(r"[\s\-\u00ad]", "", extracted)), text  # words may break at a line end


# --------------------------------------------------------------------------------------------------
# (b) the takst importer

HEADER = ["Tilbud", "Ydelse", "Takstenhed", "Antal pladser", "Budget", "Takst", "Budg. bel. pct.", "Forklaring"]
NUMBER_COLUMNS = {"Antal pladser": "antal_pladser", "Budget": "budget", "Takst": "takst",
                  "Budg. bel. pct.": "belægning_pct"}
NON_NEGATIVE = {"Antal pladser", "Budget"}
EXCEL_ERRORS = ["#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#N/A", "#DIVISION/0!", "#VÆRDI!"]

Cell = tuple[Any, tuple[Any, ...]]  # (what is written, ("num", value) | ("empty",) | ("bad",) | ("text", value))


def _grouped(integer: int, sep: str) -> str:
    return f"{integer:,}".replace(",", sep)


# docs/format.md: one separator group typed as text ('2,406', '1.000 kr.') reads two ways; the importer reads it
# as its workbook's other numbers decide, else keeps it as written and warns, naming both readings (issue 23).
AMBIGUOUS_TEXT = re.compile(r"^\s*-?[1-9]\d{0,2}[.,]\d{3}\s*(kr\.?|%)?\s*$", re.IGNORECASE)


@st.composite
def formatted_number(draw: st.DrawFn) -> Cell:
    """A non-negative number typed as a secretariat would, and its value by the documented rule (Danish
    first, docs/format.md): one comma group alone ('1,000', '12,345') is a decimal comma, so its value is 1.0 or
    12.345; commas are thousands only with two or more groups ('1,000,000') or a decimal point after them."""
    integer = draw(st.integers(0, 10**9))
    decimals = draw(st.sampled_from(["", "5", "25", "1234", "05"]))
    style = draw(st.sampled_from(["da", "en", "da-plain", "en-plain", "da-space"]))
    sep_thousands, sep_decimal = {"da": (".", ","), "en": (",", "."), "da-plain": ("", ","), "en-plain": ("", "."),
                                  "da-space": ("\u00a0", ",")}[style]
    text = _grouped(integer, sep_thousands) if sep_thousands else str(integer)
    if decimals:
        text += sep_decimal + decimals
    value = float(f"{integer}.{decimals}" if decimals else integer)
    if re.fullmatch(r"\d{1,3},\d{3}", text):  # a single comma group: a decimal comma, not thousands
        value = float(text.replace(",", "."))
    text = draw(st.sampled_from(["", " ", "  "])) + text + draw(st.sampled_from(["", " %", "%", " kr.", " kr", " "]))
    if AMBIGUOUS_TEXT.match(text):  # issue 23: read as the workbook decides, or kept as written with a warning
        return text, ("ambiguous", text.strip())
    return text, ("num", value)


def number_cell(column: str) -> st.SearchStrategy[Cell]:
    good = st.one_of(
        st.integers(0, 10**12).map(lambda i: (i, ("num", float(i)))),
        # a cell holds what Excel holds: 15 significant digits (openpyxl writes "%.16g")
        st.floats(0, 1e12, allow_nan=False).map(lambda f: float(f"{f:.15g}")).map(lambda f: (f, ("num", f))),
        formatted_number(),
    )
    empty = st.sampled_from([None, "", "-", "–", "—", "   "]).map(lambda v: (v, ("empty",)))
    bad_values = ["x", "X", " x ", "abc", "12 stk", "1.2.3", "1,2,3", "12abc", "ca. 100", "9" * 400, *EXCEL_ERRORS]
    bad = st.one_of(st.sampled_from(bad_values), st.booleans()).map(lambda v: (v, ("bad",)))
    if column in NON_NEGATIVE:
        bad = st.one_of(bad, st.integers(-10**6, -1).map(lambda v: (v, ("bad",))))
    return st.one_of(good, empty, bad)


UNIT_CELL = st.one_of(st.sampled_from(["Døgn", "døgn", "Dag", "Time", "Styk", "Måned", "md."]).map(lambda v: (v, ("text", v))),
                      st.sampled_from(["Uge", "x", "#REF!", 7]).map(lambda v: (v, ("bad",))))
NOTE_CELL = st.one_of(st.none().map(lambda v: (v, ("empty",))),
                      st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)  # openpyxl
                      .filter(lambda s: s.strip() not in ("", "-", "–", "—") and not s.startswith("=")
                              and s.strip().upper() not in EXCEL_ERRORS).map(lambda v: (v, ("text", v))),
                      st.sampled_from(EXCEL_ERRORS).map(lambda v: (v, ("bad",))))


@st.composite
def sheet_rows(draw: st.DrawFn) -> list[dict[str, Cell]]:
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        row: dict[str, Cell] = {"Tilbud": ("Skovly", ("text", "Skovly")), "Ydelse": ("Hovedydelse", ("text", "Hovedydelse")),
                                "Takstenhed": draw(UNIT_CELL), "Forklaring": draw(NOTE_CELL)}
        for column in NUMBER_COLUMNS:
            row[column] = draw(number_cell(column))
        rows.append(row)
    return rows


def _expected_value(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 6)


def _ambiguous_row(column: str) -> list[dict[str, Cell]]:
    """The two cases a fresh clone's hypothesis run found: '1,000' in Budget and in Budg. bel. pct."""
    row: dict[str, Cell] = {"Tilbud": ("Skovly", ("text", "Skovly")), "Ydelse": ("Hovedydelse", ("text", "Hovedydelse")),
                            "Takstenhed": ("Døgn", ("text", "Døgn")), "Forklaring": (None, ("empty",)),
                            "Antal pladser": (0, ("num", 0.0)), "Budget": (0, ("num", 0.0)), "Takst": (0, ("num", 0.0)),
                            "Budg. bel. pct.": (0, ("num", 0.0))}
    row[column] = ("1,000", ("ambiguous", "1,000"))
    return [row]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rows=sheet_rows())
@example(rows=_ambiguous_row("Budget"))
@example(rows=_ambiguous_row("Budg. bel. pct."))
def test_importer_names_every_bad_cell_once_and_never_invents_a_number(tmp_path: Path, rows: list[dict[str, Cell]]) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Ark1"
    ws.append(["Takstår:", 2026])
    ws.append([])
    ws.append(HEADER)
    for row in rows:
        ws.append([row[column][0] for column in HEADER])
    path = tmp_path / "skema.xlsx"
    wb.save(path)

    result = import_workbooks([path])  # never raises

    expected: Counter[str] = Counter()
    warned: Counter[str] = Counter()
    imported_rows: dict[int, dict[str, Cell]] = {}
    for n, row in enumerate(rows, start=4):
        for k, column in enumerate(HEADER):
            if row[column][1] == ("bad",):
                expected[f"Ark1!{'ABCDEFGH'[k]}{n}"] += 1
            if _fraction(column, row[column]):  # issue 11: read as a percent, with a warning naming the cell
                warned[f"Ark1!{'ABCDEFGH'[k]}{n}"] += 1
        # Issue 23: no row is left out — a bad unit or tariff stands as null with the cell's message (importfejl);
        # a row without a takst may be a block header, a sum row or a heading, which the takstbilag's rules decide.
        imported_rows[n] = row
    got = Counter(d.location.where for d in result.report.items if d.severity == "fejl")
    assert all(d.location.path == path for d in result.report.items)
    assert got == expected, result.report.lines()
    # the workbook's one warning where its unambiguous numbers point both ways (issue 23)
    mixed = [d for d in result.report.items if "er skrevet både på dansk" in d.message]
    assert len(mixed) <= 1
    for d in result.report.items:
        assert d.format().split(f": {d.severity}: ")[0].endswith(f"skema.xlsx!{d.location.where}")

    records = {}
    if result.data is not None:
        for owner in result.data["driftsherrer"]:
            for offer in owner["tilbud"]:
                for record in offer["rækker"]:
                    records[int(record["_kilde"].rsplit("!", 1)[1])] = record
    assert set(records) == set(imported_rows)
    for n, row in imported_rows.items():
        record = records[n]
        for column, key in NUMBER_COLUMNS.items():
            kind = row[column][1]
            if _fraction(column, row[column]):
                assert record[key] == _expected_value(round(kind[1] * 100, 6)), (column, row[column])
            elif kind[0] == "num":
                assert record[key] == _expected_value(kind[1]), (column, row[column])
            elif kind[0] == "ambiguous":  # one of its two readings, or as written with a warning naming both
                core = re.sub(r"(?i)\s*(kr\.?|%)\s*$", "", kind[1])
                sep = "," if "," in core else "."
                if record[key] == kind[1]:
                    warned[f"Ark1!{'ABCDEFGH'[HEADER.index(column)]}{n}"] += 1
                else:
                    assert record[key] in (float(core.replace(sep, "")), float(core.replace(sep, "."))), (column, row[column])
            elif isinstance(row[column][0], str) and row[column][0].strip() in ("-", "–", "—"):
                assert record[key] == "-", (column, row[column], record)  # issue 12: a dash is kept as written
            elif kind[0] == "bad":  # issue 23: null, with the cell's message; never a 0 nobody typed
                assert record[key] is None and key in record["importfejl"], (column, row[column], record)
            else:  # empty: absent
                assert key not in record, (column, row[column], record)
        if row["Takstenhed"][1][0] == "bad":
            assert record["takstenhed"] is None and "takstenhed" in record["importfejl"]
    assert Counter(d.location.where for d in result.report.items
                   if d.severity == "advarsel" and d not in mixed) == warned, result.report.lines()


def _fraction(column: str, cell: Cell) -> bool:
    """0 < x < 1 typed as a number in a General-format percent cell: 0.98 for 98 % (issue 11)."""
    return (column == "Budg. bel. pct." and cell[1][0] == "num" and isinstance(cell[0], (int, float))
            and not isinstance(cell[0], bool) and 0 < cell[1][1] < 1)


# --------------------------------------------------------------------------------------------------
# (c) numbers

DANISH = str.maketrans({",": ".", ".": ","})


@FAST
@given(x=st.floats(-1e12, 1e12, allow_nan=False), decimals=st.sampled_from([0, 1, 2, 4, 6]),
       suffix=st.sampled_from(["", " kr.", " %", "%", " DKK"]))
@example(x=1000.0, decimals=0, suffix="")  # '1,000' is 1,0 (decimal comma); '1.000' is 1000
@example(x=1234567.0, decimals=0, suffix=" kr.")  # '1,234,567' is English thousands
@example(x=-1234.5, decimals=1, suffix="")  # '-1,234.5' likewise
def test_numbers_round_trip_danish_and_english(x: float, decimals: int, suffix: str) -> None:
    """Every form reads back as the number, except the one the documented rule reads otherwise: an English
    number with a single comma group and no decimal point ('1,000', '-12,345') is a Danish decimal comma."""
    english = f"{x:,.{decimals}f}"
    danish = english.translate(DANISH)
    expected = float(f"{x:.{decimals}f}")
    for typed in (english, danish, english.replace(",", ""), danish.replace(".", ""),
                  danish.replace(".", "\u00a0"), danish.replace(".", " ")):
        value = expected
        if re.fullmatch(r"-?\d{1,3},\d{3}", typed):  # '1,000' typed the English way: a decimal comma
            value = float(typed.replace(",", "."))
        assert parse_number(typed + suffix) == value, typed + suffix


@FAST
@given(x=st.floats(1000, 1e12, allow_nan=False))
def test_three_decimals_with_thousands_separators_round_trip(x: float) -> None:
    english = f"{x:,.3f}"
    assert parse_number(english) == parse_number(english.translate(DANISH)) == float(f"{x:.3f}")


@pytest.mark.parametrize(("typed", "value"), [("1.234", 1234), ("1,234", 1.234), ("12.345.678", 12345678),
                                              ("1,234,567", 1234567), ("1,234.5", 1234.5), ("1,2345", 1.2345),
                                              ("12,5", 12.5), ("0,125", 0.125)])
def test_a_single_separator_before_three_digits_is_read_the_danish_way(typed: str, value: float) -> None:
    """The documented rule for the ambiguous forms, Danish first: '1.234' is 1234 (dot = thousands) and
    '1,234' and '0,125' are decimal commas; commas are thousands only in '1,234,567' or '1,234.5'."""
    assert parse_number(typed) == value


@FAST
@given(value=st.one_of(st.text(max_size=40), st.floats(), st.integers(), st.booleans(), st.none()))
def test_parse_number_gives_a_finite_number_none_or_a_danish_message(value: object) -> None:
    try:
        number = parse_number(value)
    except CellError as exc:
        assert str(exc)
        return
    assert number is None or math.isfinite(number)
    assume(number is not None)
