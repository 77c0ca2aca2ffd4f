"""`referat packet`: one PDF with every bilag, read back with pypdf as a member would use it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import Workbook
from pypdf import PdfReader, PdfWriter

from conftest import EXAMPLE, text_pdf, tiny_pdf
from referat.load.meeting import load_meeting


@pytest.fixture(scope="module", params=["eksempel", "korpus"])
def packet_meeting(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example meeting with its stand-in bilag, and with the real-producer corpus as its bilag."""
    if request.param == "eksempel":
        return EXAMPLE
    from test_packet_real import make_corpus_meeting

    return make_corpus_meeting(tmp_path_factory.mktemp("korpus") / EXAMPLE.name)


@pytest.fixture(scope="module")
def example_packet(packet_meeting: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from referat.cli import main

    out = tmp_path_factory.mktemp("pakke")
    assert main(["packet", str(packet_meeting), "--dokument", "dagsorden", "--out", str(out)]) == 0
    return out


def _open(path: Path) -> PdfReader:
    reader = PdfReader(path)
    if reader.is_encrypted:
        assert reader.decrypt("")
    return reader


def _xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def test_page_count_is_document_plus_covers_plus_bilag(example_packet: Path, packet_meeting: Path) -> None:
    meeting, _ = load_meeting(packet_meeting)
    assert meeting is not None
    doc = len(PdfReader(example_packet / "dagsorden.pdf").pages)
    bilag = [b for item in meeting.items for b in item.bilag]
    bilag_pages = sum(len(_open(b.path).pages) for b in bilag)
    packet = PdfReader(example_packet / "dagsordenspakke.pdf")
    assert len(packet.pages) == doc + len(bilag) + bilag_pages


def test_every_page_is_stamped(example_packet: Path) -> None:
    """Every page but the front page, which DAS Social's profile prints without a footer (opsætning.forside)."""
    pages = PdfReader(example_packet / "dagsordenspakke.pdf").pages
    assert "Side 1 af" not in pages[0].extract_text()
    for number, page in enumerate(pages[1:], start=2):
        assert f"Side {number} af {len(pages)}" in page.extract_text(), number


def test_bookmarks_nest_items_and_bilag(example_packet: Path, packet_meeting: Path) -> None:
    meeting, _ = load_meeting(packet_meeting)
    assert meeting is not None
    reader = PdfReader(example_packet / "dagsordenspakke.pdf")
    top, children = reader.outline[0], reader.outline[1]
    assert top["/Title"] == "Dagsorden"
    items = [e for e in children if not isinstance(e, list)]
    assert len(items) == len(meeting.items)
    flat: list[str] = []
    for entry in children:
        if isinstance(entry, list):
            flat.extend(e["/Title"] for e in entry)
    assert len(flat) == sum(len(i.bilag) for i in meeting.items)
    assert "Bilag 3.2 Bilag 1. Plan for kommunikation og afdækning mhp. visitation til Ungehjemmet Bifrost" in flat


def test_start_pages_in_the_bilag_list_are_right_and_linked(example_packet: Path) -> None:
    reader = PdfReader(example_packet / "dagsordenspakke.pdf")
    doc_pages = len(PdfReader(example_packet / "dagsorden.pdf").pages)
    checked = 0
    for index in range(doc_pages):
        page = reader.pages[index]
        text = page.extract_text()
        starts = [int(n) for n in re.findall(r"\(side (\d+)\)", text)]
        targets = []
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
                targets.append(reader.get_page_number(annot["/Dest"][0].get_object()) + 1)
        assert sorted(t for t in targets if t > doc_pages) == sorted(starts)  # the rest: table of contents
        for start in starts:
            cover = reader.pages[start - 1].extract_text()
            assert re.match(r"\d+ [A-ZÆØÅ0-9]", cover.strip()), cover[:80]
            checked += 1
    assert checked == 17


def test_cover_line_is_item_number_and_title_in_capitals(example_packet: Path) -> None:
    """003 L998–1000: '4 BESVARELSE AF CENTRAL …' stands before each bilag."""
    text = " ".join(p.extract_text() for p in PdfReader(example_packet / "dagsordenspakke.pdf").pages)
    assert "3 BIALG 2. SAMARBEJDSMODEL ML. DE NORDJYSKE KOMMUNER" in " ".join(text.split())


def test_packet_bytes_are_reproducible(tmp_path: Path, run) -> None:
    for name in ("a", "b"):
        assert run("packet", EXAMPLE, "--dokument", "dagsorden", "--out", tmp_path / name)[0] == 0
    assert (tmp_path / "a" / "dagsordenspakke.pdf").read_bytes() == (tmp_path / "b" / "dagsordenspakke.pdf").read_bytes()


def test_packet_metadata_is_honest(example_packet: Path) -> None:
    reader = PdfReader(example_packet / "dagsordenspakke.pdf")
    assert reader.trailer["/Root"]["/Lang"] == "da-DK"
    assert reader.metadata.title == "Dagsordenspakke – DAS Social – 23. februar 2026"
    assert "pdfaid" not in _xmp(reader)  # the stand-in bilag are not PDF/A, so neither is the packet


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Takster"
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rotated_mixed_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=842, height=595)  # A4 landscape
    page = writer.add_blank_page(width=595, height=842)
    page.rotate(90)
    writer.add_blank_page(width=420, height=595)  # A5
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _encrypted_empty_password() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="", owner_password="ejer")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


ITEM_WITH_KINDS = """
titel: Takster
bilag:
  - titel: Takstskema
    fil: takster.xlsx
  - titel: Plancher
    fil: plancher.pdf
  - titel: Krypteret uden adgangskode
    fil: krypteret.pdf
  - titel: Foto af tavlen
    fil: tavle.png
"""


def test_excel_images_rotated_and_encrypted_bilag(make_meeting, run, tmp_path: Path) -> None:
    from test_build import _png

    folder = make_meeting({"01-takster.yaml": ITEM_WITH_KINDS}, bilag={
        "takster.xlsx": _xlsx([["Tilbud", "Takst"], ["Viften Vodskov", 3240], ["Studievej 7", 3029.5]]),
        "plancher.pdf": _rotated_mixed_pdf(),
        "krypteret.pdf": _encrypted_empty_password(),
        "tavle.png": _png(40, 20),
    })
    code, _, err = run("packet", folder, "--out", tmp_path / "out")
    assert code == 0, err
    reader = PdfReader(tmp_path / "out" / "dagsordenspakke.pdf")
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Viften Vodskov" in text and "3.240" in text and "3.029,50" in text  # Danish numbers
    total = len(reader.pages)
    for number, page in enumerate(reader.pages[1:], start=2):  # the front page has no footer (DAS' profile)
        assert f"Side {number} af {total}" in page.extract_text(), number
    assert any(page.images for page in reader.pages), "billedet mangler"
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages}
    assert (420, 595) in sizes and (842, 595) in sizes  # mixed sizes kept
    assert any(p.get("/Rotate") == 90 for p in reader.pages)  # rotation kept; the stamp follows it


def test_public_packet_leaves_out_closed_and_non_public_bilag(make_meeting, run, tmp_path: Path) -> None:
    from test_public_and_literal import CLOSED_ITEM, OPEN_ITEM

    folder = make_meeting({"01-dagsorden.yaml": OPEN_ITEM, "02-lukket.yaml": CLOSED_ITEM}, fase="referat",
                          bilag={"loen.pdf": text_pdf("HEMMELIG-LØN"), "notat.pdf": text_pdf("offentligt notat"),
                                 "internt.pdf": text_pdf("HEMMELIGT-BUDGET")})
    code, _, err = run("packet", folder, "--offentlig", "--out", tmp_path / "out")
    assert code == 0, err
    for name in ("dagsordenspakke-offentlig.pdf", "referat-med-bilag-offentlig.pdf"):
        reader = PdfReader(tmp_path / "out" / name)
        text = " ".join(p.extract_text() for p in reader.pages)
        assert "HEMMELIG" not in text and "offentligt notat" in text
        assert "Lønoversigt" not in text and "Jens Hansen" not in text
        assert "Internt notat om budget (ikke offentligt bilag)" in text
        assert len(reader.pages) == len(PdfReader(tmp_path / "out" / name.replace("dagsordenspakke", "dagsorden")
                                                  .replace("referat-med-bilag", "referat")).pages) + 2
    internal = PdfReader(tmp_path / "out" / "referat-med-bilag.pdf")
    assert "HEMMELIG-LØN" in " ".join(p.extract_text() for p in internal.pages)


def test_broken_bilag_is_named_and_earlier_packet_kept(example_copy: Path, run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("packet", example_copy, "--dokument", "dagsorden", "--out", out)[0] == 0
    before = (out / "dagsordenspakke.pdf").read_bytes()
    (example_copy / "bilag" / "04-takstindberetningsskema-2026.pdf").write_bytes(b"%PDF-1.7\n garbage \x00\x01")
    code, _, err = run("packet", example_copy, "--dokument", "dagsorden", "--out", out)
    assert code == 1
    assert "04-takstindberetningsskema-2026.pdf" in err and "beskadiget" in err
    assert (out / "dagsordenspakke.pdf").read_bytes() == before


def test_word_bilag_without_libreoffice_names_the_files(make_meeting, run, tmp_path: Path, monkeypatch) -> None:
    folder = make_meeting({"01-x.yaml": "titel: X\nbilag:\n  - {titel: Notat, fil: notat.docx}\n"},
                          bilag={"notat.docx": b"PK\x03\x04 not really"})
    monkeypatch.setenv("PATH", str(tmp_path))
    code, _, err = run("packet", folder, "--out", tmp_path / "out")
    assert code == 1
    assert "bilag/notat.docx" in err and "LibreOffice" in err and "apt-get install libreoffice-writer" in err


def test_pdfa_is_claimed_when_every_part_is_pdfa(make_meeting, run, tmp_path: Path) -> None:
    folder = make_meeting({"01-x.yaml": "titel: X\nbilag:\n  - {titel: Skema, fil: skema.xlsx}\n"},
                          bilag={"skema.xlsx": _xlsx([["a", "b"], [1, 2]])})
    code, _, err = run("packet", folder, "--out", tmp_path / "out")
    assert code == 0, err
    reader = PdfReader(tmp_path / "out" / "dagsordenspakke.pdf")
    assert re.search(r"pdfaid:part>2<", _xmp(reader))
    assert "/OutputIntents" in reader.trailer["/Root"]


def test_tiny_pdf_helper_is_a_pdf() -> None:
    assert PdfReader(io.BytesIO(tiny_pdf())).pages


def test_previous_minutes_are_attached_by_reference(make_meeting, run, tmp_path: Path) -> None:
    """002 L26–27: item 2 carries 'DAS Social referat (ekskl. bilag) den 17.11.25', built from that meeting."""
    make_meeting({"01-dagsorden.yaml": "titel: Godkendelse af dagsorden\ntype: standard\n"
                                                  "beslutning: Godkendt som TIDLIGERE-BESLUTNING\n"},
                            fase="referat", name="2025-11-17-das-social")
    item = ("titel: Godkendelse af referat fra seneste møde\ntype: standard\nbilag:\n"
            "  - titel: DAS Social referat (ekskl. bilag) den 17.11.25\n    referat: ../2025-11-17-das-social\n")
    current = make_meeting({"02-referat.yaml": item}, name="2026-02-23-das-social")
    code, _, err = run("packet", current, "--out", tmp_path / "out")
    assert code == 0, err
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "out" / "dagsordenspakke.pdf").pages)
    assert "TIDLIGERE-BESLUTNING" in text
    assert "DAS SOCIAL REFERAT (EKSKL. BILAG) DEN 17.11.25" in text


def test_previous_minutes_must_exist_and_be_minutes(make_meeting, run) -> None:
    make_meeting(fase="dagsorden", name="forrige")
    item = "titel: Referat\nbilag:\n  - titel: Forrige referat\n    referat: ../forrige\n  - titel: Intet\n    referat: ../findes-ikke\n"
    current = make_meeting({"02-referat.yaml": item}, name="nu")
    code, _, err = run("validate", current)
    assert code == 1
    assert "02-referat.yaml:4:14: fejl: mødet i '../forrige' står stadig i fasen 'dagsorden'" in err
    assert "02-referat.yaml:6:14: fejl: referatet i '../findes-ikke' kan ikke bygges" in err
