"""The packet does its work once (issue 17, item 4): each bilag PDF is parsed once per command, the document is
compiled once more for the packet (not twice), and the result is the same bytes whatever the first guess was.

Since issue 28 the packet reads, stamps and writes PDFs with pikepdf (qpdf): a parse is a `pikepdf.open`."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pikepdf
import pypdf
import pytest
from pypdf import PdfReader

from conftest import EXAMPLE, pdf_page_texts, text_pdf, tiny_pdf
from referat.files import pdfcheck
from referat.render import pdf as render_pdf


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Counter[str]:
    """SHA-256 of the bytes behind every PDF parsed from now on (pikepdf, and pypdf should anything still use it)
    → how many times they were parsed. A private check cache: validation's result of an earlier test is not kept."""
    monkeypatch.setenv("REFERAT_CACHE", str(tmp_path / "cache"))
    pdfcheck.clear_cache()  # a reader from an earlier test in this process must not hide a parse
    seen: Counter[str] = Counter()
    original_open = pikepdf.open
    original_init = pypdf.PdfReader.__init__

    def data_of(stream: Any) -> bytes:
        return stream.getvalue() if isinstance(stream, io.BytesIO) else Path(stream).read_bytes()

    def opening(stream: Any, *args: Any, **kwargs: Any) -> Any:
        seen[hashlib.sha256(data_of(stream)).hexdigest()] += 1
        return original_open(stream, *args, **kwargs)

    def reading(self: PdfReader, stream: Any, *args: Any, **kwargs: Any) -> None:
        seen[hashlib.sha256(data_of(stream)).hexdigest()] += 1
        original_init(self, stream, *args, **kwargs)

    monkeypatch.setattr(pikepdf, "open", opening)
    monkeypatch.setattr(pypdf.PdfReader, "__init__", reading)
    return seen


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Typst template → how many times it was compiled from now on."""
    seen: Counter[str] = Counter()
    original = render_pdf.compiler

    def counting(template: str, *args: Any, **kwargs: Any) -> Any:
        seen[template] += 1
        return original(template, *args, **kwargs)

    monkeypatch.setattr(render_pdf, "compiler", counting)
    return seen


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_each_bilag_pdf_is_parsed_once_for_check_count_and_merge(run, tmp_path: Path, parsed: Counter[str]) -> None:
    code, _, err = run("packet", EXAMPLE, "--dokument", "referat", "--out", tmp_path / "ud")
    assert code == 0, err
    bilag = sorted((EXAMPLE / "bilag").glob("*.pdf"))
    assert len(bilag) == 17
    assert {b.name: parsed[_digest(b)] for b in bilag} == {b.name: 1 for b in bilag}
    # besides the bilag: the document alone (its page count), in the packet, the covers and the stamps
    assert sum(parsed.values()) - len(bilag) <= 4
    tmp_path = tmp_path / "ud"
    packet = PdfReader(tmp_path / "referat-med-bilag.pdf")
    bilag_pages = sum(len(PdfReader(b).pages) for b in bilag)
    assert len(packet.pages) == len(PdfReader(tmp_path / "referat.pdf").pages) + len(bilag) + bilag_pages


def test_four_packets_share_one_parse_of_each_bilag(run, tmp_path: Path, parsed: Counter[str]) -> None:
    code, _, err = run("packet", EXAMPLE, "--dokument", "alle", "--offentlig", "--out", tmp_path)
    assert code == 0, err
    assert len(list(tmp_path.glob("*-med-bilag*.pdf")) + list(tmp_path.glob("dagsordenspakke*.pdf"))) == 4
    for b in sorted((EXAMPLE / "bilag").glob("*.pdf")):
        assert parsed[_digest(b)] == 1, b.name


def test_the_document_is_compiled_once_for_the_packet(run, tmp_path: Path, compiled: Counter[str]) -> None:
    code, _, err = run("packet", EXAMPLE, "--dokument", "referat", "--out", tmp_path)
    assert code == 0, err
    # once alone (referat.pdf), once with the page numbers in its bilag lists: they fit the first guess
    assert compiled == Counter({"document.typ": 2, "cover.typ": 1, "stamp.typ": 1})


@pytest.mark.parametrize("guess", [None, 1, 200])
def test_any_first_guess_gives_the_same_packet(guess: int | None) -> None:
    """A wrong guess of the document's length costs a compile more, never a different packet."""
    from referat.app.pipeline import load, view_of
    from referat.packet.assemble import build_packet

    checked = load(EXAMPLE)
    meeting, view = checked.meeting, view_of(checked, "referat", False)
    exact = build_packet(meeting, view)
    doc_pages = len(PdfReader(io.BytesIO(exact.document_pdf)).pages)  # read back as a reader sees it
    other = build_packet(meeting, view, document_pages=guess)
    assert other.pdf == exact.pdf
    right = build_packet(meeting, view, document_pages=doc_pages)
    assert right.pdf == exact.pdf


def test_a_bilag_attached_twice_gets_its_own_pages_and_numbers(make_meeting, run, tmp_path: Path,
                                                               parsed: Counter[str]) -> None:
    writer = pypdf.PdfWriter()
    for text in ("Første side", "Anden side"):
        writer.append(PdfReader(io.BytesIO(text_pdf(text))))
    buffer = io.BytesIO()
    writer.write(buffer)
    two_pages = buffer.getvalue()
    item = ("titel: Punktet\nbilag:\n  - {titel: Notatet, fil: notat.pdf}\n"
            "  - {titel: Notatet igen, fil: notat.pdf}\n")
    folder = make_meeting({"01-punkt.yaml": item}, bilag={"notat.pdf": two_pages})
    code, _, err = run("packet", folder, "--out", tmp_path / "ud")
    assert code == 0, err
    pages = PdfReader(tmp_path / "ud" / "dagsordenspakke.pdf").pages
    texts = [" ".join(p.extract_text().split()) for p in pages]
    for number, text in enumerate(texts, start=1):  # one stamp, its own; the front page none (DAS' profile)
        assert text.count(f"Side {number} af {len(pages)}") == (1 if number > 1 else 0), (number, text)
    assert sum("Første side" in t for t in texts) == 2


def test_a_pdf_changed_on_disk_is_read_again(tmp_path: Path) -> None:
    """The cache is keyed by content: the same name with other bytes (even of the same size) is parsed anew."""
    path = tmp_path / "bilag.pdf"
    one, two = tiny_pdf("AAAA"), tiny_pdf("BBBB")
    assert len(one) == len(two)
    path.write_bytes(one)
    stamp = path.stat().st_mtime_ns
    first, problem = pdfcheck.open_pdf(path)
    assert first is not None and problem is None
    assert pdfcheck.open_pdf(path)[0] is first
    path.write_bytes(two)
    os.utime(path, ns=(stamp, stamp))  # same size, same time: only the bytes tell
    second, _ = pdfcheck.open_pdf(path)
    assert second is not None and second is not first
    assert str(second.docinfo["/Title"]) == "BBBB"
    path.write_bytes(b"%PDF-1.7\nnot a pdf")
    assert pdfcheck.open_pdf(path) == (None, pdfcheck.pdf_problem(path))
    assert "beskadiget" in (pdfcheck.pdf_problem(path) or "")


def test_the_cache_stays_within_its_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdfcheck.clear_cache()
    data = [text_pdf(f"Fil {n}") for n in range(4)]
    monkeypatch.setattr(pdfcheck, "CACHE_BYTES", max(len(d) for d in data) * 2)
    readers = []
    for n, d in enumerate(data):
        (tmp_path / f"{n}.pdf").write_bytes(d)
        readers.append(pdfcheck.open_pdf(tmp_path / f"{n}.pdf")[0])
    assert pdfcheck.open_pdf(tmp_path / "3.pdf")[0] is readers[3]  # the latest is kept
    assert pdfcheck.open_pdf(tmp_path / "0.pdf")[0] is not readers[0]  # the oldest was let go
    assert re.search(r"Fil 0", pdf_page_texts(pdfcheck.open_pdf(tmp_path / "0.pdf")[0])[0])


def test_an_unchanged_example_copy_parses_each_bilag_once_across_validate_and_packet(
        tmp_path: Path, run, parsed: Counter[str]) -> None:
    folder = tmp_path / "m"
    shutil.copytree(EXAMPLE, folder)
    assert run("validate", folder)[0] == 0
    assert run("packet", folder, "--dokument", "dagsorden", "--out", tmp_path / "ud")[0] == 0
    for b in sorted((folder / "bilag").glob("*.pdf")):
        assert parsed[_digest(b)] == 1, b.name
