"""Markdown as people type it: a list typed directly under a paragraph line is a list in every writer.

The texts are the real ones from the example agendas (`agendas/2023-03-31-das-social/punkter/05-…` and
`01-temadroeftelse.yaml`) and the published minutes (seed 002 L1053–1055, in tests/fixtures/seeds/), typed the way
people type them: the list right under the line that introduces it, with no blank line between.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from referat.text.richtext import parse

ITEM = "01-punkt.yaml"

HYPOTESER = [  # agendas/2023-03-31-das-social/punkter/05-datagruppe-udgiftsudvikling.yaml L14–17
    "Kommunal kompensering for kapacitetsudfordringer i den regionale behandlingspsykiatri.",
    "Sammenhænge til normalområderne, hvilket fører til afledte udgifter på specialområdet.",
]
SPØRGSMÅL = [  # agendas/2023-03-31-das-social/punkter/01-temadroeftelse.yaml L24–25
    "Hvad er der af karakteristika i og omkring sagerne?",
    ("Og hvad giver denne vide af handlemuligheder lokalt og i det strategisk samarbejde i de enkelte KKR / "
     "rammeaftaleområder / Sundhedsklynge."),
]

CASE = (
    "Arbejdsgruppen anbefaler, at der fokuseres på følgende hypoteser:\n"
    f"1. {HYPOTESER[0]}\n"
    f"2. {HYPOTESER[1]}\n"
    "\n"
    "Komponent forelægger analysens samlede resultater:\n"
    f"- {SPØRGSMÅL[0]}\n"
    f"- {SPØRGSMÅL[1]}\n"
    "\n"
    "Høringssvar sendes inden fristen:\n"
    "- Aalborg Kommune, som samler\n"
    "  svarene fra kommunerne\n"
    "- Region Nordjylland\n"
    "\n"
    "Det indstilles, at forretningsudvalget\n"  # seed 002 L1053, with "1)" as many type it
    "1) tager orienteringen til efterretning\n"
    "2) drøfter sagen\n"
    "\n"
    "Taksten stiger 2 - 3 pct. og - som sagt -\n"
    "falder ikke. Fristen er den\n"
    "15. marts 2026.\n"
)


def _yaml_block(text: str) -> str:
    return "".join(f"  {line}\n" if line else "\n" for line in text.splitlines())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import MEETING, dedent
    from referat.cli import main

    folder = tmp_path_factory.mktemp("lister") / "møde"
    (folder / "punkter").mkdir(parents=True)
    (folder / "bilag").mkdir()
    item = "titel: Lister\nsagsfremstilling: |\n" + _yaml_block(CASE)
    (folder / "punkter" / ITEM).write_text(item, encoding="utf-8")
    (folder / "møde.yaml").write_text(dedent(MEETING.format(fase="dagsorden", items=ITEM)), encoding="utf-8")
    out = folder.parent / "out"
    assert main(["build", str(folder), "--format", "txt,docx,pdf", "--out", str(out)]) == 0
    return out


# --- the parsed tree ---------------------------------------------------------------------------------------

def _lists(blocks: list[dict[str, Any]]) -> list[tuple[bool, int, list[str]]]:
    """(ordered, start, item texts) of the top-level lists."""
    from referat.text.richtext import inline_text

    return [(b["ordered"], b["start"], [" ".join(inline_text(p["inlines"]) for p in item) for item in b["items"]])
            for b in blocks if b["type"] == "list"]


def _pars(blocks: list[dict[str, Any]]) -> list[str]:
    from referat.text.richtext import inline_text

    return [inline_text(b["inlines"]) for b in blocks if b["type"] == "par"]


def test_lists_under_a_paragraph_line_are_lists() -> None:
    blocks = parse(CASE)
    assert _lists(blocks) == [
        (True, 1, HYPOTESER),
        (False, 1, SPØRGSMÅL),
        (False, 1, ["Aalborg Kommune, som samler svarene fra kommunerne", "Region Nordjylland"]),
        (True, 1, ["tager orienteringen til efterretning", "drøfter sagen"]),
    ]
    assert _pars(blocks) == [
        "Arbejdsgruppen anbefaler, at der fokuseres på følgende hypoteser:",
        "Komponent forelægger analysens samlede resultater:",
        "Høringssvar sendes inden fristen:",
        "Det indstilles, at forretningsudvalget",
        # a dash inside a line is text, and so is a wrapped line that starts with a number other than 1
        "Taksten stiger 2 - 3 pct. og - som sagt - falder ikke. Fristen er den 15. marts 2026.",
    ]


@pytest.mark.parametrize(("typed", "lists", "pars"), [
    ("fristen: - Aalborg Kommune - Region Nordjylland", [], ["fristen: - Aalborg Kommune - Region Nordjylland"]),
    ("Fristen:\n* Aalborg\n+ Rebild", [(False, 1, ["Aalborg", "Rebild"])], ["Fristen:"]),
    ("Fristen:\n   - Aalborg", [(False, 1, ["Aalborg"])], ["Fristen:"]),
    ("Punkter:\n1) a\n2) b\n\n3) c", [(True, 1, ["a", "b", "c"])], ["Punkter:"]),
    ("5) a\n6) b", [(True, 5, ["a", "b"])], []),
    ("Der er\n2. behandling i maj", [], ["Der er 2. behandling i maj"]),
    ("Tekst:\n- a\n1. b", [(False, 1, ["a"]), (True, 1, ["b"])], ["Tekst:"]),
    ("1) a\n- b\n1) c", [(True, 1, ["a"]), (False, 1, ["b"]), (True, 1, ["c"])], []),
    ("- Budgettet for\n2026. Herefter", [(False, 1, ["Budgettet for 2026. Herefter"])], []),
    ("Tekst:\n-5 er negativt\n-- og dette", [], ["Tekst: -5 er negativt -- og dette"]),
])
def test_what_starts_a_list_and_what_does_not(typed: str, lists: list[Any], pars: list[str]) -> None:
    blocks = parse(typed)
    assert (_lists(blocks), _pars(blocks)) == (lists, pars)


def test_a_list_item_continues_on_an_indented_line_and_keeps_its_sub_list() -> None:
    blocks = parse("Punkter:\n1. første punkt,\n   fortsat\n    - under\n2. andet")
    (lst,) = [b for b in blocks if b["type"] == "list"]
    first, second = lst["items"]
    assert first[0]["inlines"] == [{"type": "text", "v": "første punkt, fortsat"}]
    assert _lists(first) == [(False, 1, ["under"])]
    assert second[0]["inlines"] == [{"type": "text", "v": "andet"}]


# --- every writer ------------------------------------------------------------------------------------------

def test_text_edition_prints_the_lists(built: Path) -> None:
    text = (built / "dagsorden.txt").read_text("utf-8")
    assert "Arbejdsgruppen anbefaler, at der fokuseres på følgende hypoteser:\n\n1. Kommunal kompensering" in text
    assert f"\n2. {HYPOTESER[1]}\n" in text
    assert f"Komponent forelægger analysens samlede resultater:\n\n• {SPØRGSMÅL[0]}\n" in text
    assert "\n• Aalborg Kommune, som samler svarene fra kommunerne\n• Region Nordjylland\n" in text
    assert "\n1. tager orienteringen til efterretning\n2. drøfter sagen\n" in text
    assert "fristen: - Aalborg" not in text and "1)" not in text
    assert "Taksten stiger 2 - 3 pct. og - som sagt - falder ikke. Fristen er den 15. marts 2026." in text


def _numbering_format(document: Any, paragraph: Any) -> str | None:
    """The numFmt ('decimal', 'bullet') of a list paragraph's level, read from numbering.xml; None if no list."""
    numpr = paragraph._p.pPr.numPr if paragraph._p.pPr is not None else None
    if numpr is None:
        return None
    num_id, level = numpr.numId.val, numpr.ilvl.val
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == str(num_id))
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(a for a in numbering.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id)
    lvl = next(lv for lv in abstract.findall(qn("w:lvl")) if lv.get(qn("w:ilvl")) == str(level))
    return lvl.find(qn("w:numFmt")).get(qn("w:val"))


def test_word_has_real_list_paragraphs(built: Path) -> None:
    document = docx.Document(str(built / "dagsorden.docx"))
    paragraphs = {p.text: p for p in document.paragraphs}
    expected = {**{t: "decimal" for t in HYPOTESER}, **{t: "bullet" for t in SPØRGSMÅL},
                "Aalborg Kommune, som samler svarene fra kommunerne": "bullet", "Region Nordjylland": "bullet",
                "tager orienteringen til efterretning": "decimal", "drøfter sagen": "decimal"}
    for text, fmt in expected.items():
        assert text in paragraphs, text
        assert _numbering_format(document, paragraphs[text]) == fmt, text
    for lead in ("Arbejdsgruppen anbefaler, at der fokuseres på følgende hypoteser:", "Høringssvar sendes inden fristen:",
                 "Det indstilles, at forretningsudvalget"):
        assert _numbering_format(document, paragraphs[lead]) is None, lead
    # the two ordered lists are separate lists, each starting at 1
    first, second = (paragraphs[HYPOTESER[0]], paragraphs["tager orienteringen til efterretning"])
    assert first._p.pPr.numPr.numId.val != second._p.pPr.numPr.numId.val
    assert not any("- Aalborg" in t or "1)" in t for t in paragraphs)


def test_pdf_shows_list_items_on_their_own_lines(built: Path) -> None:
    text = "\n".join(page.extract_text() for page in PdfReader(built / "dagsorden.pdf").pages)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "Arbejdsgruppen anbefaler, at der fokuseres på følgende hypoteser:" in lines
    assert any(line.startswith("1. Kommunal kompensering") for line in lines), lines
    assert any(line.startswith("2. Sammenhænge til normalområderne") for line in lines), lines
    assert "• Hvad er der af karakteristika i og omkring sagerne?" in lines
    assert "• Aalborg Kommune, som samler svarene fra kommunerne" in lines
    assert "• Region Nordjylland" in lines
    assert "1. tager orienteringen til efterretning" in lines and "2. drøfter sagen" in lines
    assert "Høringssvar sendes inden fristen:" in lines
    assert not any("fristen: -" in line or "1)" in line for line in lines)


def test_a_block_that_changes_list_kind_on_every_line() -> None:
    """Cut at every change at once: 2.000 one-item lists, alternately bullets and numbers."""
    blocks = parse("- a\n1. b\n" * 1000)
    assert [b["ordered"] for b in blocks] == [False, True] * 1000
    assert all(b["type"] == "list" and len(b["items"]) == 1 for b in blocks)
