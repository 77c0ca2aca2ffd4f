"""`referat build`: the documents read back as a reader would see them (pypdf, python-docx)."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from conftest import EXAMPLE
from referat.load.meeting import load_meeting
from referat.text.richtext import inline_text, parse

ITEM_COUNT = 17


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from referat.cli import main

    out = tmp_path_factory.mktemp("out")
    assert main(["build", str(EXAMPLE), "--offentlig", "--format", "docx,pdf,txt", "--out", str(out)]) == 0
    return out


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def body_text(path: Path) -> str:
    """The text of all pages without the running header and the page footer."""
    pages = [re.sub(r"Side \d+ af \d+|Mødet den \d\d\.\d\d\.\d{4} DAS Social", " ", p) for p in pdf_pages(path)]
    return squash(" ".join(pages))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_all_documents_are_written(built: Path) -> None:
    names = {p.name for p in built.iterdir()}
    for stem in ("dagsorden", "referat", "dagsorden-offentlig", "referat-offentlig"):
        assert {f"{stem}.docx", f"{stem}.pdf", f"{stem}.txt"} <= names


def test_pdf_has_every_item_title_sections_and_decision_in_order(built: Path) -> None:
    meeting, _ = load_meeting(EXAMPLE)
    assert meeting is not None
    text = body_text(built / "referat.pdf")
    position = 0
    for item in meeting.items:
        heading = squash(f"Punkt {item.number}. {item.title}")
        found = text.find(heading, position)
        assert found >= 0, f"punkt {item.number} mangler eller står forkert"
        position = found + len(heading)
        if item.summary:
            assert text.find("Resumé", position) >= 0
        first = parse(item.decision)[0]
        decision_start = squash(inline_text(first["inlines"]))[:60]
        found = text.find(decision_start, position)
        assert found >= 0, f"beslutningen i punkt {item.number} mangler"
    assert text.count("Beslutning:") == ITEM_COUNT


def test_agenda_has_no_decisions(built: Path) -> None:
    text = " ".join(pdf_pages(built / "dagsorden.pdf"))
    assert "Beslutning:" not in text
    assert "Dagsorden" in text
    doc = docx.Document(str(built / "dagsorden.docx"))
    assert all(p.text != "Beslutning:" for p in doc.paragraphs)


def test_pdf_bookmarks_are_the_items(built: Path) -> None:
    reader = PdfReader(built / "referat.pdf")
    titles = [entry["/Title"] for entry in reader.outline]
    assert len(titles) == ITEM_COUNT
    assert titles[0] == "Punkt 1. Godkendelse af dagsorden"
    assert titles[16] == "Punkt 17. Næste møde"


def test_pdf_language_title_and_pdfa_identification(built: Path) -> None:
    reader = PdfReader(built / "referat.pdf")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "da-DK"
    assert bool(root["/MarkInfo"]["/Marked"])  # tagged PDF
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == "Referat – DAS Social – 23. februar 2026"
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfaid:part[>=\"]+2", xmp), "PDF/A-2 identification missing"
    assert re.search(r"pdfaid:conformance[>=\"]+B", xmp)


def test_every_pdf_page_says_side_x_af_y(built: Path) -> None:
    """Every page but the front page, which DAS' profile prints without a footer (opsætning.forside.sidefod)."""
    pages = pdf_pages(built / "referat.pdf")
    total = len(pages)
    assert "Side " not in pages[0]
    for number, text in enumerate(pages[1:], start=2):
        assert f"Side {number} af {total}" in text


def test_running_header_and_item_layout(built: Path) -> None:
    pages = pdf_pages(built / "referat.pdf")
    item_pages = [p for p in pages if "Punkt 3." in p and "Resumé" in p]
    assert item_pages, "punkt 3 mangler"
    page = item_pages[0]
    assert page.index("Mødet den 23.02.2026 DAS Social") < page.index("Åben") < page.index("Punkt 3.")
    assert "2026-005746" in page
    assert "Det indstilles, at Den Administrative Styregruppe" in page


def test_front_page_as_the_committee_prints_it(built: Path) -> None:
    """DAS' profile: the title block "DAS Social", the label lines with names run on, and no table of contents
    (the first item follows the front page); tests/test_layout.py has the table of contents with page numbers."""
    pages = pdf_pages(built / "referat.pdf")
    front = squash(pages[0])
    assert front.startswith("DAS Social Referat Tid ")
    assert "Mødet den 23. februar 2026, kl. 12.00 - 16.00" in front
    assert "Martin Bjørn Jensen, Vicesocialdirektør, Region Nordjylland (pkt. 3), Martin Kolling Jensen" in front
    assert "Indholdsfortegnelse" not in " ".join(pages)
    assert squash(pages[1]).startswith("Mødet den 23.02.2026 DAS Social Åben Punkt 1. Godkendelse af dagsorden")


def test_next_meeting_sentence_comes_from_meeting_file(built: Path) -> None:
    """002 L1101: the 'Næste møde' item states date, time span and form."""
    text = squash(" ".join(pdf_pages(built / "referat.pdf")))
    assert "Næste møde finder sted d. 22. maj 2026 i tidsrummet 12.00-16.00. Mødet er med fysisk fremmøde." in text


def test_word_has_real_list_numbering_headings_and_properties(built: Path) -> None:
    doc = docx.Document(str(built / "referat.docx"))
    heads = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert len(heads) == ITEM_COUNT
    assert heads[2].replace("\n", " ") == (
        "Punkt 3. Godkendelse af planer for kommunikation om samt afdækning af unge til Ungehjemmet Bifrost")
    points = [p for p in doc.paragraphs if p.text.startswith("Drøfter udkast til takstskabelon for 2027")]
    assert points and points[0]._p.pPr.numPr is not None, "indstillingspunkter skal være en rigtig Word-liste"
    numpr = points[0]._p.pPr.numPr
    num_id = numpr.numId.val
    numbering = doc.part.numbering_part.element
    nums = [n for n in numbering.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
            if n.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}numId") == str(num_id)]
    assert nums, "numId must exist in numbering.xml"
    props = doc.core_properties
    assert props.title == "Referat – DAS Social – 23. februar 2026"
    assert props.subject == "2026-005746"
    assert props.author == "Sekretariat for Nordjysk Socialaftale"
    assert props.language == "da-DK"
    lang = doc.styles.element.find(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}lang")
    assert lang.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") == "da-DK"


def test_word_front_page_and_header(built: Path) -> None:
    doc = docx.Document(str(built / "referat.docx"))
    cells = [c.text for row in doc.tables[0].rows for c in row.cells]
    assert "Tid" in cells and "Mødet den 23. februar 2026, kl. 12.00 - 16.00" in cells
    # DAS' profile: the running header stands where each item starts (opsætning.sidehoved: punktstart)
    assert [p.text for p in doc.sections[0].header.paragraphs] == [""]
    heads = [p for p in doc.paragraphs if p.text == "Mødet den 23.02.2026 DAS Social"]
    assert len(heads) == ITEM_COUNT and all(p.paragraph_format.page_break_before for p in heads)
    footer = doc.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer
    assert "PAGE" not in doc.sections[0].first_page_footer._element.xml


def test_word_markdown_becomes_lists_and_tables(built: Path) -> None:
    """002 L656–664: the table of basistakster becomes a real Word table."""
    doc = docx.Document(str(built / "referat.docx"))
    tables = [t for t in doc.tables if t.rows and "Kr./dag" in t.rows[0].cells[0].text]
    assert tables
    assert [c.text for c in tables[0].rows[1].cells] == ["Syrenhuset SEL § 104", "224", "362", "248"]
    bullets = [p for p in doc.paragraphs if p.text == "Man bibeholder den gamle takstskabelon"]
    assert bullets and bullets[0]._p.pPr.numPr is not None
    assert not any("**" in p.text for p in doc.paragraphs)


def test_builds_are_byte_identical(tmp_path: Path) -> None:
    from referat.cli import main

    for name in ("a", "b"):
        assert main(["build", str(EXAMPLE), "--out", str(tmp_path / name)]) == 0
    for doc in ("dagsorden.pdf", "referat.pdf", "dagsorden.docx", "referat.docx"):
        assert (tmp_path / "a" / doc).read_bytes() == (tmp_path / "b" / doc).read_bytes(), doc


def _png(width: int = 8, height: int = 4) -> bytes:
    """A real PNG made with zlib (no imaging library needed)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x1f\x4e\x79" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def test_committee_logo_from_profile_reaches_both_formats(make_meeting, run, tmp_path: Path) -> None:
    templates = tmp_path / "skabeloner"
    (templates / "udvalg").mkdir(parents=True)
    profile = (Path(__file__).resolve().parents[1] / "templates" / "udvalg" / "das-social.yaml").read_text("utf-8")
    profile = profile.replace("udseende:\n", "udseende:\n  logo: logo.png\n")
    (templates / "udvalg" / "med-logo.yaml").write_text(profile, encoding="utf-8")
    (templates / "udvalg" / "logo.png").write_bytes(_png())
    (templates / "word").mkdir()
    (templates / "word" / "dokument.docx").write_bytes(
        (Path(__file__).resolve().parents[1] / "templates" / "word" / "dokument.docx").read_bytes())
    folder = make_meeting()
    meeting_file = folder / "møde.yaml"
    meeting_file.write_text(meeting_file.read_text("utf-8").replace("udvalg: das-social", "udvalg: med-logo"), "utf-8")
    out = tmp_path / "out"
    code, _, err = run("build", folder, "--out", out, "--skabeloner", templates)
    assert code == 0, err
    front = PdfReader(out / "dagsorden.pdf").pages[0]
    assert front.images, "logoet mangler på forsiden af PDF'en"
    document = docx.Document(str(out / "dagsorden.docx"))
    assert any(rel.reltype.endswith("/image") for rel in document.part.rels.values())


def _xmp(path: Path) -> str:
    return PdfReader(path).root_object["/Metadata"].get_object().get_data().decode("utf-8")


def test_documents_claim_pdf_ua_when_typst_accepts_them(built: Path) -> None:
    """Accessible publication (webtilgængelighedsloven, DOMAIN §5): tagged, PDF/UA-1 as well as PDF/A-2b."""
    xmp = _xmp(built / "referat.pdf")
    assert re.search(r"pdfuaid:part[>=\"]+1", xmp)
    assert re.search(r"pdfaid:part[>=\"]+2", xmp)


def test_pdf_ua_is_not_claimed_when_the_text_skips_a_heading_level(make_meeting, run, tmp_path: Path) -> None:
    """A Markdown sub-heading on the front page sits under no heading: Typst's PDF/UA check refuses it, so the
    PDF stays PDF/A-2b without claiming PDF/UA rather than failing or claiming what it is not."""
    folder = make_meeting()
    meeting = folder / "møde.yaml"
    meeting.write_text(meeting.read_text("utf-8") + "øvrige_oplysninger: |\n  ### Overskrift\n  Tekst\n", "utf-8")
    code, _, err = run("build", folder, "--format", "pdf", "--out", tmp_path)
    assert code == 0, err
    xmp = _xmp(tmp_path / "dagsorden.pdf")
    assert "pdfuaid" not in xmp and re.search(r"pdfaid:part[>=\"]+2", xmp)
