"""The typed document view (issue 13, part A): it carries every decision and every word; writers only place.

Each test changes what the view says and reads the written document back (text, Word via python-docx, PDF via
pypdf), so a writer that decides or words something itself fails here.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pypdf import PdfReader

from conftest import ROOT, pdf_page_texts, text_pdf
from referat.archive.text import item_texts
from referat.packet.assemble import collect_parts
from referat.render.html import template_folder, write_html
from referat.render.pdf import write_pdf
from referat.render.text import write_text
from referat.render.word import write_docx
from referat.text.chars import picture, printable
from referat.text.danish import amount, kroner, percent
from referat.text.richtext import inline_text, parse, plain_text
from referat.validate import validate_folder as check_meeting
from referat.view import labels as L
from referat.view.document import document_view, included_bilag
from referat.view.types import DocumentView

EXAMPLE = ROOT / "agendas" / "2026-02-23-das-social"
SRC = ROOT / "src" / "referat"


def _meeting(folder: Path = EXAMPLE) -> Any:
    meeting, report = check_meeting(folder)
    assert meeting is not None and not report.has_errors, [d.message for d in report.items]
    return meeting


def _nodes(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _nodes(value)
    elif isinstance(data, list):
        for value in data:
            yield from _nodes(value)


def _docx_text(view: DocumentView, meeting: Any) -> tuple[Any, str]:
    data = write_docx(view, meeting.profile.word_template_path(), meeting.date)
    doc = Document(io.BytesIO(data))
    return doc, "\n".join(p.text for p in doc.paragraphs)


def _pdf_text(view: DocumentView, meeting: Any) -> str:
    reader = PdfReader(io.BytesIO(write_pdf(view, meeting.date)))
    return "\n".join(page.extract_text() for page in reader.pages)


# ---- the view's shape ----


def test_rich_text_and_sections_have_one_discriminator() -> None:
    view = document_view(_meeting(), "referat", public=True)
    nodes = list(_nodes(view))
    assert not [n for n in nodes if "t" in n], "a node still uses the old inline key 't'"
    kinds = {n["type"] for n in nodes if "type" in n}
    assert {"par", "text", "points", "bilag", "blocks"} <= kinds
    assert kinds <= {"par", "heading", "list", "table", "text", "code", "br", "strong", "emph", "link",
                     "points", "bilag", "blocks"}
    for item in view["items"]:
        for section in item["sections"]:
            wanted = {"points": "points", "bilag": "bilag", "blocks": "blocks"}[section["type"]]
            assert wanted in section, section


def _closed_meeting(make_meeting: Any) -> Any:
    from test_public_and_literal import CLOSED_ITEM, OPEN_ITEM

    return _meeting(make_meeting({"01-dagsorden.yaml": OPEN_ITEM, "02-lukket.yaml": CLOSED_ITEM}, fase="referat",
                                 bilag={"loen.pdf": text_pdf("LØN"), "notat.pdf": text_pdf("NOTAT"),
                                        "internt.pdf": text_pdf("INTERNT")}))


def test_view_carries_closed_public_and_the_edition_words(make_meeting: Any) -> None:
    meeting = _closed_meeting(make_meeting)
    public = document_view(meeting, "referat", public=True)
    internal = document_view(meeting, "referat")
    assert public["edition_title"] == "Referat (offentlig udgave)" and public["public"] is True
    assert internal["edition_title"] == "Referat" and internal["public"] is False
    assert public["title"].endswith("(offentlig udgave)") and "offentlig" not in internal["title"]
    assert public["labels"] == {"toc": "Indholdsfortegnelse", "page": "Side {x} af {y}", "bilag_page": "(side {side})",
                                "skip": "Gå til indholdet", "case_number": "Sagsnummer {nummer}",
                                "time_slot": "Kl. {tid}", "anchor": "punkt-{nummer}"}
    assert [item.closed for item in meeting.items] == [False, True]
    for item, shown in zip(meeting.items, public["items"], strict=True):
        assert shown["closed"] is item.closed
        assert shown["withheld"] is item.closed
        if item.closed:
            # issue 15: the public edition prints the item's lukket_grundlag (CLOSED_ITEM has one)
            assert shown["notice"] == L.CLOSED_REASON.format(grundlag="Offentlighedslovens § 30, nr. 1")
            assert shown["sections"] == []
            assert shown["access"] == L.CLOSED
    assert not any(item["withheld"] for item in internal["items"])


def test_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="kind"):
        document_view(_meeting(), "protokol")


# ---- writers place what the view says ----


def _reworded(view: DocumentView) -> DocumentView:
    """The view with the edition's title and the access word changed, and every item closed (not withheld)."""
    out = copy.deepcopy(view)
    out["edition_title"] = "Dagsorden — PRØVEUDGAVE"
    for line in out["layout"]["title"]:  # the front page's title block names the document as the view words it
        if line["role"] == "kind":
            line["text"] = out["edition_title"]
    for item in out["items"]:
        item["access"] = "Fortroligt"
        item["closed"] = True
    return out


def test_text_writer_takes_the_edition_title_from_the_view() -> None:
    view = document_view(_meeting(), "dagsorden", public=True)
    text = write_text(_reworded(view))
    assert "Dagsorden — PRØVEUDGAVE" in text.splitlines()[:4]
    assert "offentlig udgave" not in text
    assert "Fortroligt" in text and "\nÅben\n" not in text


def test_word_writer_words_nothing_and_colours_by_the_closed_flag() -> None:
    meeting = _meeting()
    view = _reworded(document_view(meeting, "dagsorden", public=True))
    doc, text = _docx_text(view, meeting)
    assert "PRØVEUDGAVE" in text and "offentlig udgave" not in text
    status = [p for p in doc.paragraphs if p.text == "Fortroligt"]
    assert len(status) == len(view["items"])
    assert all(run.font.color.rgb is not None and str(run.font.color.rgb) == "9C0006"
               for p in status for run in p.runs)
    # and an item the view calls open is not coloured, whatever its label says
    view["items"][0]["closed"] = False
    view["items"][0]["access"] = "Lukket"
    doc, _ = _docx_text(view, meeting)
    first = next(p for p in doc.paragraphs if p.text == "Lukket")
    assert all(run.font.color.rgb is None for run in first.runs)


def test_typst_template_takes_the_edition_title_from_the_view() -> None:
    meeting = _meeting()
    view = _reworded(document_view(meeting, "dagsorden", public=True))
    text = _pdf_text(view, meeting)
    assert "PRØVEUDGAVE" in text and "offentlig udgave" not in text
    assert "Fortroligt" in text


def _html(view: DocumentView, meeting: Any, links: dict[str, str] | None = None) -> str:
    folder = template_folder(meeting.profile.word_template_path())
    return write_html(view, folder, links).decode("utf-8")


def test_html_writer_places_the_views_words_and_nothing_of_its_own() -> None:
    """Every word of the web page comes from the view: rewrite them all and none of the old ones is left."""
    meeting = _meeting()
    view = _reworded(document_view(meeting, "dagsorden", public=True))
    view["labels"] = {**view["labels"], "toc": "INDHOLD-X", "skip": "SPRING-X", "case_number": "J.NR. {nummer}",
                      "time_slot": "TIDEN {tid}", "anchor": "emne{nummer}"}
    view["title"] = "TITEL-X"
    view["layout"] = {**view["layout"], "toc": "page"}  # DAS' profile has none; the contents list's words too
    first = view["items"][0]
    first["time_slot"] = "09.00-10.00"
    first["case_number"] = "00.01-X"
    page = _html(view, meeting)
    assert "<h1>Dagsorden — PRØVEUDGAVE</h1>" in page and "<title>TITEL-X</title>" in page
    assert ">SPRING-X</a>" in page and 'aria-label="INDHOLD-X"' in page and ">INDHOLD-X</h2>" in page
    assert "Fortroligt · J.NR. 00.01-X · TIDEN 09.00-10.00</p>" in page
    assert 'id="emne1"' in page and 'href="#emne1"' in page
    for old in ("offentlig udgave", "Gå til indholdet", "Indholdsfortegnelse", "Sagsnummer", "Kl. ", "punkt-",
                ">Åben"):
        assert old not in page, old
    # a value is put in as text, never read as a pattern
    first["case_number"] = "{nummer}{tid}"
    assert "J.NR. {nummer}{tid} · TIDEN" in _html(view, meeting)


def test_html_writer_tells_sections_by_their_type_not_their_key() -> None:
    """The Indstilling and the bilag list are laid out by the section's `type`; a profile's own key for them (or
    another section keyed "indstilling") does not decide the layout."""
    meeting = _meeting()
    view = document_view(meeting, "dagsorden")
    for item in view["items"]:
        for section in item["sections"]:
            section["key"] = {"points": "forslag", "bilag": "vedlagt", "blocks": "indstilling"}[section["type"]]
    page = _html(view, meeting)
    points = next(s for item in view["items"] for s in item["sections"] if s["type"] == "points")
    assert f"<p>{points['lead_in']}</p>\n<ol>\n<li>{points['points'][0]['text']}" in page
    entry = included_bilag(view)[0][1]
    assert f"<li>{entry['title']}</li>" in page


def test_no_writer_words_the_public_edition_or_compares_a_display_label() -> None:
    writers = [SRC / "render" / "text.py", SRC / "render" / "word" / "writer.py",
               SRC / "render" / "typst" / "document.typ", SRC / "render" / "typst" / "richtext.typ",
               SRC / "render" / "html.py", ROOT / "templates" / "html" / "dokument.html.j2"]
    for path in writers:
        source = path.read_text(encoding="utf-8")
        assert "offentlig" not in source, path
        assert '== "Lukket"' not in source and "(side" not in source, path


# ---- one flattening ----


def test_plain_text_flattens_every_kind_of_block() -> None:
    blocks = parse("# Overskrift\n\nEt **fedt** afsnit.\n\n1. første\n2. andet\n    - under\n\n"
                   "| A | B |\n|---|---|\n| 1 | *2* |\n")
    assert plain_text(blocks) == ("Overskrift\n\nEt fedt afsnit.\n\n1. første\n\n2. andet - under\n\n"
                                  "A | B\n\n1 | 2")
    assert plain_text(blocks, bullet="–", numbers=False, sep="\n").splitlines()[2:4] == ["– første",
                                                                                         "– andet – under"]
    assert plain_text([]) == ""


def test_archive_decisions_are_the_one_flattening_of_the_decision() -> None:
    meeting = _meeting()
    texts = item_texts(meeting)
    decided = [(item, text) for item, text in zip(meeting.items, texts, strict=True) if item.decision]
    assert decided
    for item, text in decided:
        assert text.decision == plain_text(parse(item.decision))


def test_word_front_page_flattens_other_information(make_meeting: Any) -> None:
    from conftest import MEETING

    meeting_yaml = MEETING.format(fase="dagsorden", items="01-dagsorden.yaml") + (
        "øvrige_oplysninger: |\n  Husk **frokost**.\n\n  - kaffe\n  - kage\n")
    folder = make_meeting(meeting=meeting_yaml)
    meeting = _meeting(folder)
    doc, text = _docx_text(document_view(meeting, "dagsorden"), meeting)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    shown = "\n".join([text, *cells])
    assert "Husk frokost.\n– kaffe\n– kage" in shown


# ---- the packet reads the view ----


def test_packet_takes_its_bilag_from_the_view(make_meeting: Any) -> None:
    meeting = _closed_meeting(make_meeting)
    public = document_view(meeting, "dagsorden", public=True)
    assert [p.id for p in collect_parts(meeting, public)] == ["1.1"]
    internal = document_view(meeting, "dagsorden")
    assert [(p.id, p.title) for p in collect_parts(meeting, internal)] == [
        ("1.1", "Offentligt notat"), ("1.2", "Internt notat om budget"), ("2.1", "Lønoversigt")]
    # what the view withholds stays out, whatever the model says
    edited = copy.deepcopy(internal)
    section = next(s for s in edited["items"][0]["sections"] if s["type"] == "bilag")
    section["bilag"][0]["withheld"] = True
    assert [p.id for p in collect_parts(meeting, edited)] == ["1.2", "2.1"]
    assert [entry["id"] for _, entry in included_bilag(edited)] == ["1.2", "2.1"]
    reader = collect_parts(meeting, edited)[0].reader
    assert "INTERNT" in pdf_page_texts(reader)[0]


# ---- merged helpers ----


def test_one_picture_map_for_control_characters() -> None:
    assert printable("a\x07b\x7fc\x85") == "a\u2407b\u2421c\ufffd"
    assert picture("\x1b") == "\u241b" and picture("\ue000") == "\ufffd"


def test_validation_names_the_picture_the_documents_print(make_meeting: Any) -> None:
    folder = make_meeting({"01-x.yaml": 'titel: "Klokke\\a her"\n'})
    _, report = check_meeting(folder)
    (message,) = [d.message for d in report.items if "kontroltegnet" in d.message]
    assert f"'{printable(chr(7))}'" in message and "U+0007" in message


def test_one_kroner_and_percent_formatter() -> None:
    assert kroner(3240) == "3.240 kr." and kroner(3029.5) == "3.029,50 kr."
    assert percent(4.625) in ("4,62 %", "4,63 %") and percent(None) == ""
    assert amount(None) == "" and amount(12.0) == "12" and amount(1234.5) == "1.234,50"
    assert amount(7, 2) == "7,00"


def test_public_file_names_share_one_suffix() -> None:
    from referat.packet.assemble import packet_name

    assert L.file_stem("referat", True) == "referat-offentlig"
    assert packet_name("dagsorden", True) == "dagsordenspakke-offentlig.pdf"
    assert packet_name("referat", False) == "referat-med-bilag.pdf"
    assert inline_text([{"type": "text", "v": "a"}, {"type": "br"}, {"type": "strong", "c": [
        {"type": "text", "v": "b"}]}]) == "a\nb"
