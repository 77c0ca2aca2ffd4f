"""The committee's own layout (issue 27): the profile's `opsætning`, the per-item lead-in and free sections, read by
every writer from the view — and what a reader sees because of them in PDF (pypdf), Word (python-docx), HTML and
text alike.

* Each option is tested by building the same small meeting with DAS Social's profile and with the profile changed
  in that one option only, and reading the four formats back.
* The example meeting's referat is compared line by line with the published minutes (seed 002, lines in
  tests/fixtures/seeds/) and the front page with its description (DOMAIN.md §2: 002 kept none).
* KKR Nordjylland's example builds its agenda and packet with the bilag covers of seed 001, and `referat new
  --udvalg kkr-nordjylland` scaffolds a meeting that validates, builds and packs.
* Golden files (tests/golden/layout/) hold the front page and an item's header in every format for each
  profile in templates/udvalg/ (the layout combinations the project's profiles use).
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pypdf import PdfReader
from ruamel.yaml import YAML

from conftest import ROOT, SEEDS, Run, dedent, text_pdf
from test_golden import golden  # noqa: F401 - the fixture that compares with tests/golden/

PROFILES = ROOT / "templates" / "udvalg"
DAS = ROOT / "agendas" / "2026-02-23-das-social"
KKR = ROOT / "agendas" / "2024-06-21-kkr-nordjylland"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

MEETING = """\
udvalg: {udvalg}
fase: referat
dato: 2026-02-23
start: "12.00"
slut: "16.00"
sted: Mødelokale 1, Aalborg
sagsnummer: 2026-005746
medlemmer:
  - {{navn: Anne Andersen, titel: Socialdirektør, organisation: Aalborg Kommune}}
  - {{navn: Bo Bertelsen, titel: Socialdirektør, organisation: Rebild Kommune}}
  - {{navn: Dorte Dahl, titel: Socialdirektør, organisation: Hjørring Kommune}}
fremmøde:
  til_stede: [Anne Andersen, Dorte Dahl]
  fraværende: [Bo Bertelsen]
punkter: [01-dagsorden.yaml, 02-sag.yaml]
"""

FIRST = """\
titel: Godkendelse af dagsorden
type: standard
indstilling: [Godkender dagsordenen]
beslutning: Godkendt
"""

LONG = "\n\n".join(f"Afsnit {n} af sagsfremstillingen, langt nok til at fylde siden: " + "ord " * 60
                   for n in range(1, 12))

SECOND = f"""\
titel: Udvikling af nyt takstskema
type: beslutning
resumé: Et kort resumé.
sagsfremstilling: |
{chr(10).join("  " + line for line in LONG.splitlines())}
indstilling:
  - drøfter udkastet
  - godkender tidsplanen
bilag:
  - titel: Forslag til ny takstskabelon
    fil: forslag.pdf
beslutning: Godkendt
"""


@dataclass
class Read:
    """What a reader sees of one document in each format."""

    pages: list[str]  # the PDF's pages as text (pypdf)
    word: Any  # the Word file (python-docx)
    html: str
    text: str

    @property
    def paragraphs(self) -> list[tuple[str, str]]:
        return [(p.style.name, p.text) for p in self.word.paragraphs]


def _profile(edit: Callable[[dict[str, Any]], None] | None = None, name: str = "das-social") -> dict[str, Any]:
    yaml = YAML(typ="safe")
    data = yaml.load((PROFILES / f"{name}.yaml").read_text("utf-8"))
    if edit is not None:
        edit(data)
    return data


def templates_with(tmp_path: Path, profile: dict[str, Any], name: str = "das-social") -> Path:
    """A templates folder (--skabeloner) with `profile` as committee `name` and the project's Word and HTML
    templates."""
    folder = tmp_path / "skabeloner"
    (folder / "udvalg").mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    YAML().dump(profile, buf)
    (folder / "udvalg" / f"{name}.yaml").write_text(buf.getvalue(), "utf-8")
    for sub in ("word", "html"):
        if not (folder / sub).exists():
            shutil.copytree(ROOT / "templates" / sub, folder / sub)
    return folder


def meeting(tmp_path: Path, items: dict[str, str] | None = None, udvalg: str = "das-social",
            fase: str = "referat") -> Path:
    folder = tmp_path / "møde"
    (folder / "punkter").mkdir(parents=True)
    (folder / "bilag").mkdir()
    (folder / "bilag" / "forslag.pdf").write_bytes(text_pdf("forslag"))
    items = items or {"01-dagsorden.yaml": FIRST, "02-sag.yaml": SECOND}
    for name, text in items.items():
        (folder / "punkter" / name).write_text(dedent(text), "utf-8")
    text = MEETING.format(udvalg=udvalg).replace("fase: referat", f"fase: {fase}")
    text = text.replace("punkter: [01-dagsorden.yaml, 02-sag.yaml]", f"punkter: [{', '.join(items)}]")
    (folder / "møde.yaml").write_text(text, "utf-8")
    return folder


def build(run: Run, folder: Path, out: Path, templates: Path | None = None, kind: str = "referat") -> Read:
    extra = ["--skabeloner", str(templates)] if templates is not None else []
    code, _, err = run("build", folder, "--dokument", kind, "--format", "pdf,docx,html,txt", "--out", out, *extra)
    assert code == 0, err
    return Read([page.extract_text() or "" for page in PdfReader(out / f"{kind}.pdf").pages],
                Document(str(out / f"{kind}.docx")), (out / f"{kind}.html").read_text("utf-8"),
                (out / f"{kind}.txt").read_text("utf-8"))


def both(run: Run, tmp_path: Path, edit: Callable[[dict[str, Any]], None], items: dict[str, str] | None = None,
         kind: str = "referat") -> tuple[Read, Read]:
    """The small meeting built with DAS Social's profile, and with the profile as `edit` changes it."""
    folder = meeting(tmp_path, items, fase="referat")
    before = build(run, folder, tmp_path / "før", templates_with(tmp_path / "a", _profile()), kind)
    after = build(run, folder, tmp_path / "efter", templates_with(tmp_path / "b", _profile(edit)), kind)
    return before, after


def layout(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """An edit of `opsætning` (a dotted key: "forside.navne")."""
    def edit(data: dict[str, Any]) -> None:
        node = data.setdefault("opsætning", {})
        *path, last = key.split(".")
        for part in path:
            node = node.setdefault(part, {})
        node[last] = value
    return edit


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def squash(text: str) -> str:
    return " ".join(text.split())


def html_text(html: str, start: str, end: str | None = None) -> str:
    """The visible text of the HTML from the first `start` (up to `end`), tags removed."""
    part = html[html.index(start):]
    if end is not None:
        part = part[:part.index(end)]
    return squash(re.sub(r"<[^>]+>", " ", part))


def header_texts(word: Any) -> list[str]:
    return [p.text for s in word.sections for p in s.header.paragraphs if p.text.strip()]


def front_rows(word: Any) -> list[tuple[str, str]]:
    return [(row.cells[0].text, row.cells[1].text) for row in word.tables[0].rows]


# ---------------------------------------------------------------------------------------------- each option


def test_the_title_block_is_the_profiles(run: Run, tmp_path: Path) -> None:
    before, after = both(run, tmp_path, layout("forside.titel", ["{organisation}", "{navn}", "{dokumenttype}"]))
    assert lines(before.pages[0])[:2] == ["DAS Social", "Referat"]
    assert lines(after.pages[0])[:3] == ["Nordjysk Socialaftale", "Den Administrative Styregruppe", "Referat"]
    assert [t for _, t in before.paragraphs[:2]] == ["DAS Social", "Referat"]
    assert [t for _, t in after.paragraphs[:3]] == ["Nordjysk Socialaftale", "Den Administrative Styregruppe",
                                                    "Referat"]
    assert html_text(before.html, "<header", "</main>").startswith("DAS Social Referat Tid")
    assert html_text(after.html, "<header", "</main>").startswith(
        "Nordjysk Socialaftale Den Administrative Styregruppe Referat Tid")
    assert before.text.startswith("DAS Social\nReferat\n")
    assert after.text.startswith("Nordjysk Socialaftale\nDen Administrative Styregruppe\nReferat\n")


def test_the_front_page_lines_and_their_order(run: Run, tmp_path: Path) -> None:
    before, after = both(run, tmp_path, layout("forside.felter", ["sted", "tid", "til_stede"]))
    labels = ["Tid", "Sted", "Fraværende", "Til stede", "Øvrige deltagere", "Øvrige oplysninger"]
    assert [line.split(" ")[0] for line in lines(before.pages[0])[2:4]] == ["Tid", "Sted"]
    assert [r[0] for r in front_rows(before.word)] == labels
    assert [r[0] for r in front_rows(after.word)] == ["Sted", "Tid", "Til stede"]
    assert lines(after.pages[0])[2].startswith("Sted ") and lines(after.pages[0])[3].startswith("Tid ")
    assert "Fraværende" not in after.pages[0] and "Fraværende" in before.pages[0]
    assert re.findall(r"<dt>([^<]+)</dt>", before.html) == labels
    assert re.findall(r"<dt>([^<]+)</dt>", after.html) == ["Sted", "Tid", "Til stede"]
    assert [line.split(":")[0] for line in after.text.splitlines()[3:6]] == ["Sted", "Tid", "Til stede"]
    assert "Fraværende:" in before.text and "Fraværende" not in after.text


def test_names_run_on_or_one_per_line(run: Run, tmp_path: Path) -> None:
    before, after = both(run, tmp_path, layout("forside.navne", "en_pr_linje"))
    anne, dorte = "Anne Andersen, Socialdirektør, Aalborg Kommune", "Dorte Dahl, Socialdirektør, Hjørring Kommune"
    assert f"Til stede {anne}, Dorte Dahl," in lines(before.pages[0])  # run on (and wrapped)
    assert f"Til stede {anne}, {dorte}" in squash(before.pages[0])
    assert f"Til stede {anne}" in lines(after.pages[0]) and dorte in lines(after.pages[0])
    assert dict(front_rows(before.word))["Til stede"] == f"{anne}, {dorte}"
    assert dict(front_rows(after.word))["Til stede"] == f"{anne}\n{dorte}"
    assert f"<dd>{anne}, {dorte}</dd>" in before.html and f"<dd>{anne}<br>{dorte}</dd>" in after.html
    assert f"Til stede: {anne}, {dorte}" in squash(before.text)
    assert f"Til stede: {anne}\n           {dorte}\n" in after.text


def test_empty_front_page_lines_shown_or_left_out(run: Run, tmp_path: Path) -> None:
    before, after = both(run, tmp_path, layout("forside.tomme_felter", False))
    for read, shown in ((before, True), (after, False)):
        assert ("Øvrige oplysninger" in read.pages[0]) is shown
        assert ("Øvrige oplysninger" in dict(front_rows(read.word))) is shown
        assert ("<dt>Øvrige oplysninger</dt>" in read.html) is shown
        assert ("Øvrige oplysninger:" in read.text) is shown
    assert "Øvrige deltagere" not in after.pages[0]  # the meeting has no guests


@pytest.mark.parametrize("where", ["forside", "egen_side"])
def test_table_of_contents_on_the_front_page_on_its_own_or_none(run: Run, tmp_path: Path, where: str) -> None:
    before, after = both(run, tmp_path, layout("forside.indholdsfortegnelse", where))
    toc = "Indholdsfortegnelse"
    assert toc not in "".join(before.pages) and toc not in before.text and "<nav" not in before.html
    assert not [t for s, t in before.paragraphs if s == "TOC Heading"]
    page = 0 if where == "forside" else 1
    assert toc in after.pages[page] and "Punkt 2. Udvikling af nyt takstskema" in squash(after.pages[page])
    if where == "egen_side":
        assert toc not in after.pages[0] and lines(after.pages[1])[0] == toc
    heading = next(p for p in after.word.paragraphs if p.style.name == "TOC Heading")
    assert heading.text == toc
    previous = heading._p.getprevious()
    breaks_before = previous is not None and any(b.get(f"{W}type") == "page" for b in previous.iter(f"{W}br"))
    assert breaks_before is (where == "egen_side")
    nav = re.search(r'<nav class="([^"]+)"', after.html)
    assert nav is not None and nav.group(1) == ("indhold forside" if where == "forside" else "indhold")
    assert (("=" * 100 + "\n" + toc) in after.text) is (where == "egen_side")
    assert (f"\n\n{toc}\n" in after.text) is (where == "forside")
    assert "  Punkt 2. Udvikling af nyt takstskema" in after.text


def test_the_front_page_footer(run: Run, tmp_path: Path) -> None:
    before, after = both(run, tmp_path, layout("forside.sidefod", True))
    total = len(before.pages)
    assert "Side 1 af" not in before.pages[0] and f"Side 1 af {total}" in after.pages[0]
    assert f"Side 2 af {total}" in before.pages[1]
    for read, shown in ((before, False), (after, True)):
        first = read.word.sections[0].first_page_footer._element.xml
        assert ("PAGE" in first) is shown
        assert ("@page :first { @bottom-right { content: none; } }" in read.html) is not shown
    assert before.text == after.text  # the text edition has no pages, so no footer either


def test_running_header_every_page_or_where_an_item_starts(run: Run, tmp_path: Path) -> None:
    before, after = both(run, tmp_path, layout("sidehoved", "hver_side"))
    header = "Mødet den 23.02.2026 DAS Social"
    continued = [n for n, page in enumerate(before.pages) if n > 0 and "Punkt" not in lines(page)[0]
                 and "Punkt" not in " ".join(lines(page)[:3])]
    assert continued, "punkt 2 skal fylde mere end én side"
    for n in continued:  # a page that continues an item
        assert header not in before.pages[n]
        assert lines(after.pages[n])[0] == f"{header} Åben"
    assert lines(before.pages[1])[:3] == [header, "Åben", "Punkt 1."]
    assert lines(after.pages[1])[:3] == [f"{header} Åben", "Åben", "Punkt 1."]
    # Word: a paragraph at each item's start, or each item a section with its page header naming its access
    assert header_texts(before.word) == [] and len(before.word.sections) == 1
    assert [t for s, t in before.paragraphs if s == "Header"] == [header, header]
    assert [sec.header.paragraphs[0].text for sec in after.word.sections] == [header] + [f"{header}\tÅben"] * 2
    assert not [t for s, t in after.paragraphs if s == "Header"]
    # HTML: at each item's start, or once at the top of the page (kept in view, and on every printed page)
    assert before.html.count('<p class="sidehoved">') == 2 and after.html.count('<p class="sidehoved">') == 1
    assert "@top-left" in after.html and "@top-left" not in before.html
    # text: each item is a page of its own; its header names the access there
    assert f"\n{header}\n\nÅben\nPunkt 1." in before.text
    assert re.search(rf"\n{re.escape(header)} +Åben\n\nÅben\nPunkt 1\.", after.text)


def test_a_closed_items_pages_say_lukket_in_the_running_header(run: Run, tmp_path: Path) -> None:
    """On every page: the header names the access of the item the page is in, also where it is closed — in the
    Word file by a header of the item's own section, so every program shows it without updating a field."""
    closed = SECOND.replace("type: beslutning", "type: beslutning\nadgang: lukket")
    _, after = both(run, tmp_path, layout("sidehoved", "hver_side"), {"01-dagsorden.yaml": FIRST,
                                                                      "02-sag.yaml": closed})
    header = "Mødet den 23.02.2026 DAS Social"
    item2 = after.pages[2:]  # the front page, item 1's page, then item 2's pages
    assert len(item2) >= 2 and "Punkt 2." in item2[0]
    assert all(lines(page)[0] == f"{header} Lukket" for page in item2)
    assert [sec.header.paragraphs[0].text for sec in after.word.sections[1:]] == [f"{header}\tÅben",
                                                                                  f"{header}\tLukket"]
    assert re.search(rf"\n{re.escape(header)} +Lukket\n\nLukket\nPunkt 2\.", after.text)


def test_the_page_number_wording(run: Run, tmp_path: Path) -> None:
    before, after = both(run, tmp_path, layout("sidetal", "{side}/{sider}"))
    total = len(after.pages)
    assert lines(before.pages[1])[-1] == f"Side 2 af {total}" and lines(after.pages[1])[-1] == f"2/{total}"
    footers = [p for p in after.word.sections[0].footer.paragraphs if p.text.strip()]
    assert [p.text for p in footers] == ["1/1"]  # the PAGE and NUMPAGES fields, shown until Word counts
    assert [p.text for p in before.word.sections[0].footer.paragraphs if p.text.strip()] == ["Side 1 af 1"]
    assert 'content: counter(page) "\\00002f" counter(pages);' in after.html
    assert 'content: "Side " counter(page) " af " counter(pages);' in before.html
    assert before.text == after.text  # no pages in the text edition


def test_bulleted_or_numbered_recommendation(run: Run, tmp_path: Path) -> None:
    before, after = both(run, tmp_path, layout("indstillingspunkter", "punkttegn"))
    assert "1. drøfter udkastet" in before.pages[-1] or "1. drøfter udkastet" in "".join(before.pages)
    assert "• drøfter udkastet" in "".join(after.pages) and "1. drøfter udkastet" not in "".join(after.pages)
    for read, fmt in ((before, "decimal"), (after, "bullet")):
        point = next(p for p in read.word.paragraphs if p.text == "drøfter udkastet")
        assert _num_format(read.word, point) == fmt
    assert "<ol>\n<li>drøfter udkastet" in before.html and "<ul>\n<li>drøfter udkastet" in after.html
    assert "\n1. drøfter udkastet\n" in before.text and "\n• drøfter udkastet\n" in after.text


def _num_format(word: Any, paragraph: Any) -> str:
    num_id = paragraph._p.pPr.numPr.numId.val
    numbering = word.part.numbering_part.element
    num = next(n for n in numbering.findall(f"{W}num") if n.get(f"{W}numId") == str(num_id))
    abstract = num.find(f"{W}abstractNumId").get(f"{W}val")
    lvl = next(a for a in numbering.findall(f"{W}abstractNum") if a.get(f"{W}abstractNumId") == abstract)
    return str(lvl.find(f"{W}lvl").find(f"{W}numFmt").get(f"{W}val"))


def test_a_heading_per_document_type_and_shown_when_empty(run: Run, tmp_path: Path) -> None:
    def edit(data: dict[str, Any]) -> None:
        data["overskrifter"]["beslutning"] = {"dagsorden": "Beslutning", "referat": "Beslutning:", "vis_tom": True}
        data["overskrifter"]["indstilling"] = {"dagsorden": "Forslag til indstilling", "referat": "Indstilling"}

    before, after = both(run, tmp_path, edit, kind="dagsorden")
    assert "Beslutning" not in "".join(before.pages)
    assert lines("\n".join(after.pages)).count("Beslutning") == 2  # an empty section under each item
    assert [t for s, t in after.paragraphs if s == "Heading 2"].count("Beslutning") == 2
    assert after.html.count("<h3>Beslutning</h3>") == 2 and "<h3>Beslutning" not in before.html
    assert after.text.count("\nBeslutning\n") == 2 and "Beslutning" not in before.text
    assert "Forslag til indstilling" in "".join(after.pages) and "Forslag til indstilling" not in "".join(before.pages)
    assert "Forslag til indstilling" in [t for _, t in after.paragraphs]
    assert "<h3>Forslag til indstilling</h3>" in after.html and "\nForslag til indstilling\n" in after.text
    # the minutes keep "Indstilling"
    folder = tmp_path / "møde"
    minutes = build(run, folder, tmp_path / "referat", tmp_path / "b" / "skabeloner")
    assert "Forslag til indstilling" not in minutes.text and "\nIndstilling\n" in minutes.text


def test_hierarchical_numbering_under_group_headings(run: Run, tmp_path: Path) -> None:
    """`gruppe` puts items under a heading; hierarchical numbering numbers the heading and its items 2.1, 2.2."""
    items = {"01-dagsorden.yaml": FIRST, "02-sag.yaml": SECOND + "gruppe: Sager til beslutning\n",
             "03-sag.yaml": "titel: Endnu en sag\ntype: beslutning\ngruppe: Sager til beslutning\nbeslutning: Godkendt\n"}
    folder = meeting(tmp_path, items)
    flat = build(run, folder, tmp_path / "løbende", templates_with(tmp_path / "a", _profile()))
    text = squash("\n".join(flat.pages))  # running numbering: the group's heading unnumbered over its items
    assert "Sager til beslutning Åben Punkt 2. Udvikling af nyt takstskema" in text and "Punkt 3. Endnu en sag" in text
    assert "\nSager til beslutning\n\nÅben\nPunkt 2.\n" in flat.text
    assert '<h2 class="gruppe" id="gruppe-1">Sager til beslutning</h2>' in flat.html
    assert ("Heading 1", "Sager til beslutning") in flat.paragraphs
    read = build(run, folder, tmp_path / "ud", templates_with(tmp_path / "b", _profile(layout("nummerering",
                                                                                              "hierarkisk"))))
    text = squash("\n".join(read.pages))
    assert "2. Sager til beslutning Åben Punkt 2.1. Udvikling af nyt takstskema" in text
    assert "Punkt 2.2. Endnu en sag" in text and "Punkt 3." not in text
    heads = [(s, t) for s, t in read.paragraphs if s.startswith("Heading") and t.split("\n")[0].startswith(("2", "P"))]
    assert ("Heading 1", "2. Sager til beslutning") in heads
    assert ("Heading 2", "Punkt 2.1.\nUdvikling af nyt takstskema") in heads
    assert '<h2 class="gruppe" id="gruppe-2">2. Sager til beslutning</h2>' in read.html
    assert '<h3 id="punkt-2.1">Punkt 2.1. Udvikling af nyt takstskema</h3>' in read.html
    assert "\n2. Sager til beslutning\n\nÅben\nPunkt 2.1.\nUdvikling af nyt takstskema\n" in read.text
    # the PDF's bookmarks nest the items under their group
    reader = PdfReader(tmp_path / "ud" / "referat.pdf")
    titles = [e.title if not isinstance(e, list) else [x.title for x in e] for e in reader.outline]
    assert titles == ["Punkt 1. Godkendelse af dagsorden", "2. Sager til beslutning",
                      ["Punkt 2.1. Udvikling af nyt takstskema", "Punkt 2.2. Endnu en sag"]]


def test_the_bilag_cover_heading_in_the_packet(run: Run, tmp_path: Path) -> None:
    """Only the packet has covers: "2 FORSLAG TIL NY TAKSTSKABELON" (DAS, 003 L998–1000) or the item's number and
    title as KKR prints them (001 L1219)."""
    folder = meeting(tmp_path)
    pages = {}
    for name, edit in (("das", None), ("kkr", _kkr_cover)):
        templates = templates_with(tmp_path / name, _profile(edit))
        code, _, err = run("packet", folder, "--dokument", "referat", "--out", tmp_path / f"pakke-{name}",
                           "--skabeloner", templates)
        assert code == 0, err
        reader = PdfReader(tmp_path / f"pakke-{name}" / "referat-med-bilag.pdf")
        pages[name] = [squash(p.extract_text() or "") for p in reader.pages]
    assert any(p.startswith("2 FORSLAG TIL NY TAKSTSKABELON") for p in pages["das"])
    assert any(p.startswith("2 Udvikling af nyt takstskema") for p in pages["kkr"])
    assert not any("FORSLAG TIL NY" in p for p in pages["kkr"])


def _kkr_cover(data: dict[str, Any]) -> None:
    data["opsætning"].update({"bilagsforside": "{punkt} {punkttitel}", "bilagsforside_versaler": False})


# ---------------------------------------------------------------------------------------------- per item


def test_an_items_own_lead_in_an_empty_one_and_free_sections_in_their_place(run: Run, tmp_path: Path) -> None:
    second = SECOND.replace("indstilling:\n", 'indstilling_indledning: "Det indstilles, at KKR anbefaler, at"\n'
                                              "indstilling:\n")
    second += dedent("""
        afsnit:
          - efter: start
            tekst: Tekst direkte under titlen.
          - efter: indstilling
            overskrift: Økonomi
            tekst: Udgiften afholdes inden for rammen.
          - efter: indstilling
            tekst: Endvidere indstilles, at sekretariatet følger op.
        """)
    first = FIRST.replace("indstilling:", 'indstilling_indledning: ""\nindstilling:')
    folder = meeting(tmp_path, {"01-dagsorden.yaml": first, "02-sag.yaml": second})
    read = build(run, folder, tmp_path / "ud")
    default = "Det indstilles, at Den Administrative Styregruppe"
    for text in (squash("\n".join(read.pages)), squash("\n".join(t for _, t in read.paragraphs)),
                 html_text(read.html, "<main"), squash(read.text)):
        assert default not in text  # item 1 has none, item 2 its own
        item2 = text[text.index("Udvikling af nyt takstskema"):]
        order = ["Tekst direkte under titlen.", "Resumé", "Sagsfremstilling", "Indstilling",
                 "Det indstilles, at KKR anbefaler, at", "drøfter udkastet", "Økonomi",
                 "Udgiften afholdes inden for rammen.", "Endvidere indstilles, at sekretariatet følger op.", "Bilag:"]
        found = [item2.index(part) for part in order]
        assert found == sorted(found), (order, found)
    heading = next(p for p in read.word.paragraphs if p.text == "Økonomi")
    assert heading.style.name == "Heading 2"
    assert "<h3>Økonomi</h3>" in read.html
    assert "\nØkonomi\n\nUdgiften afholdes inden for rammen.\n" in read.text


def test_an_item_lead_in_to_another_body_is_reported_where_it_stands(run: Run, tmp_path: Path) -> None:
    """002 L1053: the item's own lead-in is checked like any text: 'forretningsudvalget' is another body."""
    from test_rules import seed_line

    lead_in = seed_line("002_f01f6cdfddf04c04.txt", 1053)
    first = FIRST.replace("indstilling:", f'indstilling_indledning: "{lead_in}"\nindstilling:')
    folder = meeting(tmp_path, {"01-dagsorden.yaml": first, "02-sag.yaml": SECOND})
    code, _, err = run("validate", folder)
    assert code == 0, err
    assert re.search(r"01-dagsorden\.yaml:3:\d+: advarsel: 'Det indstilles, at forretningsudvalget' er rettet til "
                     r"'forretningsudvalget'", err), err


# ---------------------------------------------------------------------------------------------- the profile


@pytest.mark.parametrize(("edit", "message"), [
    (layout("forside.felter", ["tid", "stede"]), r"'stede' er ikke en gyldig værdi; brug 'tid', 'sted'"),
    (layout("forside.felter", ["tid", "tid"]), r"tid står mere end én gang"),
    (layout("forside.titel", ["{kortnavn}"]), r"titelblokken skal nævne \{dokumenttype\}"),
    (layout("forside.titel", ["{udvalg}", "{dokumenttype}"]), r"bruger \{udvalg\}, som ikke kan bruges her"),
    (layout("sidetal", "Side {sider}"), r"skal indeholde \{side\}"),
    (layout("sidehoved", "altid"), r"'altid' er ikke en gyldig værdi"),
    (layout("forside.indholdsfortegnelse", "bagerst"), r"'bagerst' er ikke en gyldig værdi"),
    (layout("bilagsforside", "{nummer} {titel}"), r"bruger \{nummer\}, som ikke kan bruges her"),
    (layout("sidefodd", True), r"ukendt nøgle 'sidefodd'"),
    (lambda data: data["overskrifter"].update({"beslutning": {"dagsordn": "Beslutning"}}),
     r"ukendt nøgle 'dagsordn'; mente du 'dagsorden'\?"),
])
def test_a_layout_mistake_is_a_located_danish_message(run: Run, tmp_path: Path, edit: Any, message: str) -> None:
    folder = meeting(tmp_path)
    templates = templates_with(tmp_path, _profile(edit))
    code, _, err = run("validate", folder, "--skabeloner", templates)
    assert code == 1, err
    assert re.search(r"das-social\.yaml:\d+:\d+: fejl: .*" + message, err), err


# ---------------------------------------------------------------------------------------------- DAS as published


def _fixture(name: str) -> dict[int, str]:
    rows = (SEEDS / name).read_text("utf-8").splitlines()
    return {int(n): text for n, text in (row.split("\t", 1) for row in rows if not row.startswith("#"))}


def published_items() -> list[list[str]]:
    """The item header lines of the published minutes (002), item by item: the running header, 'Åben', 'Punkt N.',
    the title (its lines joined) and the case number."""
    seed = _fixture("002_f01f6cdfddf04c04.txt")
    headers = [n for n, text in seed.items() if text.startswith(" Mødet den ")]
    items = []
    for k, start in enumerate(headers):
        end = headers[k + 1] if k + 1 < len(headers) else 1100
        block = [seed[n].strip(" \u00a0") for n in sorted(seed) if start <= n < end and n in _HEADER_LINES]
        items.append(block[:3] + [" ".join(t for t in block[3:] if not re.fullmatch(r"\d{4}-\d{6}", t))]
                     + [t for t in block[3:] if re.fullmatch(r"\d{4}-\d{6}", t)])
    return items


_HEADER_LINES = {1, 3, 5, 7, 18, 20, 22, 24, 32, 34, 36, 38, 39, 41, 102, 104, 106, 108, 110, 239, 241, 243, 245,
                 247, 330, 332, 334, 336, 338, 390, 392, 394, 396, 398, 490, 492, 494, 496, 498, 568, 570, 572, 574,
                 576, 624, 626, 628, 630, 632, 718, 720, 722, 724, 726, 790, 792, 794, 796, 798, 871, 873, 875, 877,
                 879, 945, 947, 949, 951, 952, 954, 1008, 1010, 1012, 1014, 1016, 1071, 1073, 1075, 1077, 1093,
                 1095, 1097, 1099}


@pytest.fixture(scope="module")
def das_referat(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    from referat.cli import main

    out = tmp_path_factory.mktemp("das")
    assert main(["build", str(DAS), "--dokument", "referat", "--format", "pdf", "--out", str(out)]) == 0
    return [page.extract_text() or "" for page in PdfReader(out / "referat.pdf").pages]


def test_the_example_referat_has_the_published_item_headers(das_referat: list[str]) -> None:
    """Each item of the example meeting begins a page with the published header lines, in their order and form:
    ' Mødet den 23.02.2026 DAS Social', 'Åben', 'Punkt 3.', the title, '2026-005746' (002 L1–1099)."""
    published = published_items()
    assert len(published) == 17
    starts = [page for page in das_referat if re.match(r"Mødet den 23\.02\.2026 DAS Social\nÅben\nPunkt \d+\.",
                                                       page.strip())]
    assert len(starts) == 17
    for want, page in zip(published, starts, strict=True):
        shown = lines(page)
        title_lines = len(shown)
        got = shown[:3]
        rest = shown[3:]
        # the title wraps where the page is narrower; joined, it is the published title
        title = []
        for line in rest:
            if " ".join([*title, line]) == want[3] or want[3].startswith(" ".join([*title, line])):
                title.append(line)
            if " ".join(title) == want[3]:
                break
        got.append(" ".join(title))
        after = rest[len(title):]
        got += after[:1] if len(want) == 5 else []
        assert got == want, (want, shown[:8], title_lines)


def test_the_example_referat_has_the_published_first_item_and_the_text_under_the_last_title(
        das_referat: list[str]) -> None:
    """Item 1 as published, line for line (002 L1–17); item 17's sentence stands under its title without a
    heading (002 L1101)."""
    seed = _fixture("002_f01f6cdfddf04c04.txt")
    published = [seed[n].strip(" \u00a0") for n in range(1, 18) if n in seed and seed[n].strip()]
    page = next(p for p in das_referat if "Punkt 1.\n" in p or "Punkt 1. \n" in p)
    assert lines(page)[:len(published)] == published
    last = next(p for p in das_referat if "Punkt 17." in p)
    assert lines(last)[3] == "Næste møde"
    assert squash(" ".join(lines(last)[4:])).startswith(seed[1101].strip(" \u00a0") + ". ")


def test_the_example_referat_has_the_front_page_lines_of_a_published_referat(das_referat: list[str]) -> None:
    """No seed kept a referat's front page (002 has none); DOMAIN.md §2 (L29–32) describes the 17.11.2025 one: the
    lines Tid ("Mødet den 17. november 2025, kl. 12.00 - 16.00"), Sted, Fraværende, Til stede, Øvrige deltagere
    and Øvrige oplysninger (often empty), names as 'name, title, organisation'; issue 27: under the title block
    "DAS Social", names run on with commas, no table of contents, no footer."""
    guide = " ".join(_fixture("DOMAIN.md.txt").values())
    labels = re.findall(r"`([^`]+)`", guide)[1:]  # `002` first
    assert labels == ["Tid", "Sted", "Fraværende", "Til stede", "Øvrige deltagere", "Øvrige oplysninger"]
    example = re.search(r'"(Mødet den [^"]+)"', guide)
    assert example is not None
    form = re.escape(example.group(1)).replace(r"17\.\ november\ 2025", r"\d+\.\ \w+\ \d{4}")
    front = lines(das_referat[0])
    assert front[:2] == ["DAS Social", "Referat"]
    rows = front[2:]
    starts = [next(i for i, line in enumerate(rows) if line == label or line.startswith(label + " "))
              for label in labels]
    assert starts == sorted(starts)  # every line, in the published order (the empty ones too)
    assert re.fullmatch("Tid " + form.replace(r"\ ", " "), rows[0].replace("\u00a0", " "))
    assert rows[starts[2]] == "Fraværende" and rows[-1] == "Øvrige oplysninger"
    present = " ".join(rows[starts[3]:starts[4]])
    assert present.startswith("Til stede Socialdirektør, Aalborg Kommune, Socialdirektør, Brønderslev Kommune,")
    assert "Indholdsfortegnelse" not in "".join(das_referat) and "Side " not in das_referat[0]


# ---------------------------------------------------------------------------------------------- KKR Nordjylland


def test_the_kkr_example_builds_its_agenda_and_packet_with_the_published_covers(run: Run, tmp_path: Path) -> None:
    code, _, err = run("validate", KKR)
    assert code == 0, err
    read = build(run, KKR, tmp_path / "ud", kind="dagsorden")
    code, _, err = run("packet", KKR, "--out", tmp_path / "pakke")
    assert code == 0, err
    pages = [squash(p.extract_text() or "") for p in PdfReader(tmp_path / "pakke" / "dagsordenspakke.pdf").pages]
    covers = [text.strip() for n, text in _fixture("001_3585adfe5f8acb0c.txt").items()]
    for cover in covers:  # "2.1 Status fra KlimaNord" (001 L1219) …
        assert any(page.startswith(cover + " Side ") for page in pages), cover
    # item 2.2 in KKR's item layout (004 L941–1092): Baggrund, then Indstilling with the item's own lead-in and
    # bullets, Sagsfremstilling, and "Bilag" without a colon
    seed = _fixture("004_8c297e678f46b25c.txt")
    heads = [seed[n].strip() for n in (948, 958, 996, 1076)]
    assert heads == ["Baggrund", "Indstilling", "Sagsfremstilling", "Bilag"]
    lead_in = " ".join(seed[n].strip() for n in (960, 962, 964)).replace("mo- dellen", "modellen") \
        .replace("herun- der", "herunder")
    first_point = seed[968].strip().removeprefix("\uf0b7").strip()  # the extraction's bullet glyph
    def item_22(text: str) -> str:
        start = re.search(r"^2\.2\.\s*$", text, re.MULTILINE)
        end = re.search(r"^2\.3\.\s*$", text, re.MULTILINE)
        assert start is not None and end is not None
        return text[start.start():end.start()]

    pdf, text = item_22("\n".join(read.pages)), item_22(read.text)
    html = html_text(read.html, 'id="punkt-2.2"', 'id="punkt-2.3"')
    for shown in (lines(pdf), lines(text)):
        assert [line for line in shown if line in heads] == heads
    for shown in (squash(pdf), squash(text)):  # (a line may break after the slash of "Taleinstituttet/")
        assert "".join(lead_in.split()) in "".join(shown.split()) and f"• {first_point}" in shown
    assert lead_in in html and f"<ul>\n<li>{first_point}</li>" in read.html
    assert "Bilag:" not in read.text and "<h4>Bilag</h4>" in read.html


def test_new_scaffolds_a_kkr_meeting_that_validates_builds_and_packs(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "2026-09-14-kkr-nordjylland"
    code, _, err = run("new", folder, "--udvalg", "kkr-nordjylland", "--dato", "2026-09-14")
    assert code == 0, err
    assert "udvalg: kkr-nordjylland" in (folder / "møde.yaml").read_text("utf-8")
    code, _, err = run("validate", folder)
    assert code == 0, err
    code, _, err = run("build", folder, "--format", "pdf,txt", "--out", tmp_path / "ud")
    assert code == 0, err
    text = (tmp_path / "ud" / "dagsorden.txt").read_text("utf-8")
    assert text.startswith("KKR Nordjylland\nDagsorden\n") and "\n1.\nGodkendelse af dagsorden\n" in text
    code, _, err = run("packet", folder, "--out", tmp_path / "pakke")
    assert code == 0, err
    assert (tmp_path / "pakke" / "dagsordenspakke.pdf").is_file()


# ---------------------------------------------------------------------------------------------- golden files


PROFILE_CASES = {"das-social": (DAS, "referat"), "kkr-nordjylland": (KKR, "dagsorden")}


def test_every_project_profile_has_a_golden_case() -> None:
    assert sorted(p.stem for p in PROFILES.glob("*.yaml")) == sorted(PROFILE_CASES)


@pytest.fixture(scope="module")
def profile_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    from referat.cli import main

    out = {}
    for name, (folder, kind) in PROFILE_CASES.items():
        target = tmp_path_factory.mktemp(name)
        assert main(["build", str(folder), "--dokument", kind, "--format", "pdf,docx,html,txt",
                     "--out", str(target)]) == 0
        out[name] = (target, kind)
    return out


def _item_starts(pages: list[str]) -> list[int]:
    return [n for n, page in enumerate(pages) if re.search(r"^(Åben|Lukket)$", page, re.MULTILINE)]


@pytest.mark.parametrize("profile", sorted(PROFILE_CASES))
def test_front_page_and_item_header_golden(profile_builds: dict[str, tuple[Path, str]],
                                           golden: Callable[[str, str], None], profile: str) -> None:  # noqa: F811 - the golden fixture, imported above
    """What a reader sees of the front page and the header of the first item (and of the first item in a group),
    in each format, for each profile's layout."""
    out, kind = profile_builds[profile]
    pages = [page.extract_text() or "" for page in PdfReader(out / f"{kind}.pdf").pages]
    starts = _item_starts(pages)
    shown = {starts[0]}
    grouped = [n for n in starts if re.search(r"^\d+\.\d+\.?\s*$", pages[n], re.MULTILINE)]
    shown |= set(grouped[:1])
    pdf = ["--- side 1 ---", *lines(pages[0])]
    for n in sorted(shown):
        if n > 0:
            pdf += [f"--- side {n + 1} (toppen) ---", *lines(pages[n])[:8]]
    golden(f"layout/{profile}.pdf.txt", "\n".join(pdf) + "\n")
    golden(f"layout/{profile}.docx.txt", _word_summary(out / f"{kind}.docx"))
    golden(f"layout/{profile}.html", _html_summary((out / f"{kind}.html").read_text("utf-8")))
    golden(f"layout/{profile}.txt", _text_summary((out / f"{kind}.txt").read_text("utf-8")))


def _word_summary(path: Path) -> str:
    """The page header and footers, the front page (paragraphs and the table) and the paragraphs of the first item
    up to its heading (and of the first item under a group heading), each with its style; "⏎" is a line break."""
    doc = Document(str(path))
    out = ["--- sidehoved og sidefod ---"]
    section = doc.sections[0]
    for name, part in (("sidehoved", section.header), ("sidefod", section.footer),
                       ("forsidens sidefod", section.first_page_footer)):
        out.append(f"{name}: " + " | ".join(p.text for p in part.paragraphs))
        fields = re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", part._element.xml)
        if fields:
            out.append(f"{name}, felter: " + ", ".join(f.strip() for f in fields))
    for n, later in enumerate(doc.sections[1:], start=2):  # an item per section: each its own header
        out.append(f"sidehoved i afsnit {n}: " + " | ".join(p.text for p in later.header.paragraphs))
    out.append("--- forsiden ---")
    block: list[str] = []
    items: list[list[str]] = []
    for el in doc.element.body.iterchildren():
        if el.tag == f"{W}tbl":
            if items or block:
                continue
            for row in el.iter(f"{W}tr"):
                cells = ["".join(t.text or "" for t in c.iter(f"{W}t")) for c in row.iter(f"{W}tc")]
                out.append("[tabel] " + " | ".join(cells))
            continue
        if el.tag != f"{W}p":
            continue
        style = el.find(f"{W}pPr/{W}pStyle")
        name = style.get(f"{W}val") if style is not None else "Normal"
        text = "".join("⏎" if n.tag == f"{W}br" and n.get(f"{W}type") != "page" else n.text or ""
                       for n in el.iter(f"{W}t", f"{W}br"))
        before = el.find(f"{W}pPr/{W}pageBreakBefore")
        marks = (" [sideskift før]" if before is not None and before.get(f"{W}val") not in ("0", "false") else "") + \
            (" [sideskift]" if any(b.get(f"{W}type") == "page" for b in el.iter(f"{W}br")) else "") + \
            (" [afsnitsskift efter]" if el.find(f"{W}pPr/{W}sectPr") is not None else "")
        line = f"[{name}]{marks} {text}"
        if name in ("Heading1", "Heading2") and "⏎" in text:  # an item's heading: its header ends here
            items.append([*block, line])
            block = []
        elif items or name in ("Header", "Punktstatus") or (name == "Heading1" and block):
            block.append(line)
        elif not items and not block:
            out.append(line) if text or marks else None
        if name in ("Heading2", "Heading3") and items:
            block = []
    out.append("--- det første punkts hoved ---")
    out += items[0]
    grouped = [item for item in items if item[-1].startswith("[Heading2]")]
    if grouped:
        out.append("--- det første punkt i en gruppe ---")
        out += grouped[0]
    return "\n".join(out) + "\n"


def _html_summary(html: str) -> str:
    """The @page rules (the printed edition), the page from <body> to the first item's metadata line, and the first
    group heading with its first item's header."""
    rules = [line for line in html.splitlines() if line.startswith("@page")]
    body = html[html.index("<body>"):]

    def through_metadata(start: int) -> str:
        return body[start:body.index("</p>", body.index('<p class="metadata"', start)) + 4]

    out = ["<!-- @page -->", *rules, "<!-- fra <body> til det første punkts metadata -->",
           through_metadata(0)]
    if '<h2 class="gruppe"' in body:
        out += ["<!-- den første gruppe og dens første punkt -->", through_metadata(body.index('<h2 class="gruppe"'))]
    return "\n".join(out) + "\n"


def _text_summary(text: str) -> str:
    """The text edition up to the first item's title (and of the first item under a group heading)."""
    rule = "=" * 100
    parts = text.split(rule)

    def head(part: str) -> str:
        blocks = part.strip("\n").split("\n\n")
        end = next(n for n, block in enumerate(blocks) if re.search(r"^(Åben|Lukket)$", block, re.MULTILINE))
        return "\n\n".join(blocks[:end + 1])

    out = parts[0] + rule + "\n" + head(parts[1]) + "\n"
    grouped = [part for part in parts[2:] if re.search(r"^\d+\. .+\n\n(Åben|Lukket)\n", part, re.MULTILINE)]
    if grouped:
        out += rule + "\n" + head(grouped[0]) + "\n"
    return out


# ---------------------------------------------------------------------------------------------- derived documents


def test_a_derived_document_names_itself_in_the_title_block_and_shows_a_groups_heading(tmp_path: Path) -> None:
    """A revised agenda, a tillæg, a rettelsesblad or a correction renames the view's document (`retitle`): its
    title block says so in every writer; a tillæg of some of a group's items shows the group's heading (`regroup`)."""
    from referat.load.meeting import load_meeting
    from referat.render.text import write_text
    from referat.view.document import document_view, regroup, retitle

    meeting, _ = load_meeting(KKR)
    assert meeting is not None
    view = document_view(meeting, "dagsorden")
    retitle(view, "Tillægsdagsorden", "Tillægsdagsorden")
    view["items"] = regroup(view["items"][2:4])  # 2.2 and 2.3: the group's first item, 2.1, left out
    text = write_text(view)
    assert text.startswith("KKR Nordjylland\nTillægsdagsorden\n") and "\nDagsorden\n" not in text
    assert "\n2. Sager til beslutning og drøftelse\n\nÅben\n2.2.\n" in text
    assert text.count("Sager til beslutning og drøftelse") == 2  # the contents and the heading, once each
