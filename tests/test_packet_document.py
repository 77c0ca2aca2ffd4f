"""The packet's document is the document (issue 22, item 7): `build_packet` compiles it through `render.pdf`'s
`write_pdf` path, so it is the same tagged PDF/A-2b + PDF/UA-1 document as `referat.pdf`, differing only in the
packet's page numbers ("Side x af <packet>", "(side N)" after each bilag) and the links to the covers.

What stays different, on purpose: the merged packet keeps no structure tree. pypdf's merge drops each page's
/StructParents and the catalog's /StructTreeRoot, and carrying the document's tree over would make a packet whose
first pages are tagged and whose received bilag (mostly untagged PDFs) are not: assistive technology that reads a
tagged PDF by its tags passes over untagged content, so the bilag would fall silent. The packet claims neither
tags nor PDF/UA; the accessible editions are `referat.pdf` and the web edition (docs/publication.md).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from conftest import ROOT
from referat.app import pipeline
from referat.packet.assemble import Packet, Sources, build_packet
from referat.render.pdf import write_pdf

MEETING = ROOT / "agendas" / "2023-03-31-das-social"


@pytest.fixture(scope="module")
def made() -> tuple[bytes, Packet]:
    """The dagsorden alone, as `build` writes it, and its packet, as `packet` assembles it."""
    checked = pipeline.load(MEETING)
    view = pipeline.view_of(checked, "dagsorden", False)
    meeting = checked.meeting
    alone = write_pdf(view, meeting.date, meeting.profile.logo_path())
    packet = build_packet(meeting, view, Sources(pipeline.earlier(checked)))
    return alone, packet


def _xmp(reader: PdfReader) -> str:
    meta = reader.root_object.get("/Metadata")
    return meta.get_object().get_data().decode("utf-8") if meta is not None else ""


def _roles(node: Any) -> Iterator[str]:
    """The structure elements' roles, depth first, as a screen reader meets them."""
    node = node.get_object()
    if isinstance(node, DictionaryObject) and "/S" in node:
        yield str(node["/S"])
    kids = node.get("/K") if isinstance(node, DictionaryObject) else None
    kids = kids.get_object() if kids is not None else None
    for kid in kids if isinstance(kids, ArrayObject) else [kids] if isinstance(kids, DictionaryObject) else []:
        yield from _roles(kid)


def _page_texts(reader: PdfReader) -> list[str]:
    """Each page's text without the numbers only a packet has: 'Side x af y' and ' (side N)' after a bilag."""
    texts = []
    for text in _page_texts_raw(reader):  # lines joined: an entry with its "(side N)" may wrap differently
        text = re.sub(r"Side \d+ af \d+", "Side # af #", text)
        texts.append(re.sub(r" ?\(side \d+\)", "", text))
    return texts


def test_the_packets_document_is_the_tagged_accessible_document(made: tuple[bytes, Packet]) -> None:
    alone, packet = made
    ours, theirs = PdfReader(io.BytesIO(packet.document_pdf)), PdfReader(io.BytesIO(alone))
    for reader in (ours, theirs):
        assert re.search(r"pdfuaid:part[>=\"]+1", _xmp(reader)), "not PDF/UA-1"
        assert re.search(r"pdfaid:part[>=\"]+2", _xmp(reader)), "not PDF/A-2"
        assert bool(reader.root_object["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in reader.root_object
    roles = list(_roles(ours.root_object["/StructTreeRoot"]))
    assert roles == list(_roles(theirs.root_object["/StructTreeRoot"]))
    assert {"/H1", "/L", "/LI"} <= set(roles)
    assert _page_texts(ours) == _page_texts(theirs)
    # and the numbers really are the packet's: its page count, and the first bilag's cover page
    first = ours.pages[-1].extract_text()
    assert f"af {packet.pages}" in first
    assert f"(side {packet.parts[0].cover_page})" in "".join(_page_texts_raw(ours))


def _page_texts_raw(reader: PdfReader) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_the_packet_holds_those_pages_and_claims_no_tags(made: tuple[bytes, Packet]) -> None:
    _, packet = made
    document = PdfReader(io.BytesIO(packet.document_pdf))
    merged = PdfReader(io.BytesIO(packet.pdf))
    n = len(document.pages)
    assert _page_texts_raw(merged)[:n] == _page_texts_raw(document)
    covers = {merged.pages[part.cover_page - 1].indirect_reference.idnum for part in packet.parts}
    links = [link for page in merged.pages[:n] for link in (a.get_object() for a in page.get("/Annots", []))
             if link.get("/Subtype") == "/Link" and "/Dest" in link and link["/Dest"][0].idnum in covers]
    assert len(links) == len(packet.parts)  # one link per bilag entry, to its cover
    root = merged.root_object
    assert "/StructTreeRoot" not in root and not bool(root.get("/MarkInfo", {}).get("/Marked", False))
    assert "pdfuaid" not in _xmp(merged)
