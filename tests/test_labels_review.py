"""The words of the packet's covers come from the committee's profile through the view, and the takstbilag's page
footer from view/labels.py, not the templates: changing them changes what the reader sees (the templates set no
words of their own)."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT, pdf_page_texts, tiny_pdf
from referat.view import labels as L

Run = Callable[..., tuple[int, str, str]]
ANNEX = ROOT / "agendas" / "2023-03-31-das-social" / "bilag" / "07-takster-2023-revideret.yaml"


def _page_texts(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def test_the_cover_heading_follows_the_profile(run: Run, make_meeting: Callable[..., Path], tmp_path: Path) -> None:
    """The cover's heading and page number are the committee's (opsætning: bilagsforside, sidetal), carried by the
    view; the cover template sets no words."""
    folder = make_meeting({"01-punkt.yaml": "titel: Et punkt\nbilag:\n  - titel: Budget 2026\n    fil: budget.pdf\n"},
                          bilag={"budget.pdf": tiny_pdf()})
    code, _, err = run("packet", folder, "--out", tmp_path / "før")
    assert code == 0, err
    assert any(text.startswith("1 BUDGET 2026") for text in _page_texts(tmp_path / "før" / "dagsordenspakke.pdf"))
    templates = tmp_path / "skabeloner"
    (templates / "udvalg").mkdir(parents=True)
    profile = (ROOT / "templates" / "udvalg" / "das-social.yaml").read_text("utf-8")
    for old, new in (('bilagsforside: "{punkt} {titel}"', 'bilagsforside: "Punkt {punkt}: {titel}"'),
                     ('sidetal: "Side {side} af {sider}"', 'sidetal: "Blad {side} ud af {sider}"')):
        assert profile.count(old) == 1
        profile = profile.replace(old, new)
    (templates / "udvalg" / "das-social.yaml").write_text(profile, "utf-8")
    code, _, err = run("packet", folder, "--out", tmp_path / "efter", "--skabeloner", templates)
    assert code == 0, err
    texts = _page_texts(tmp_path / "efter" / "dagsordenspakke.pdf")
    (cover,) = [t for t in texts if "BUDGET 2026" in t and "Punkt 1:" in t]
    assert cover.startswith("Punkt 1: BUDGET 2026") and "Blad " in cover and " ud af " in cover


def test_the_takstbilag_footer_follows_the_page_label(run: Run, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = run("tariffs", "render", ANNEX, "--format", "pdf", "--out", tmp_path / "før")
    assert code == 0, err
    before = _page_texts(tmp_path / "før" / f"{ANNEX.stem}.pdf")
    total = len(before)
    assert all(f"Side {n} af {total}" in text for n, text in enumerate(before, start=1))
    monkeypatch.setattr(L, "PAGE", "Blad {x} ud af {y}")
    code, _, err = run("tariffs", "render", ANNEX, "--format", "pdf", "--out", tmp_path / "efter")
    assert code == 0, err
    after = _page_texts(tmp_path / "efter" / f"{ANNEX.stem}.pdf")
    assert all(f"Blad {n} ud af {total}" in text and "Side " not in text for n, text in enumerate(after, start=1))


def test_an_empty_sheets_words_follow_their_label(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An Excel bilag's visible sheet without cells prints labels.SHEET_EMPTY (sheet.typ sets no words)."""
    import datetime as dt

    from openpyxl import Workbook

    from referat.packet.sources import bilag_pdf

    workbook = Workbook()
    workbook.active.title = "Tal"
    workbook.active["A1"] = "Takst"
    workbook.create_sheet("Tom")
    path = tmp_path / "regneark.xlsx"
    workbook.save(path)

    def pages() -> list[str]:
        reader = bilag_pdf(path, "Regneark", dt.date(2026, 2, 23))
        return [" ".join(text.split()) for text in pdf_page_texts(reader)]

    assert pages()[1] == "Regneark – Tom (tomt ark)"
    monkeypatch.setattr(L, "SHEET_EMPTY", "[intet at vise]")
    assert pages()[1] == "Regneark – Tom [intet at vise]"


def test_the_signature_appearance_takes_its_words_from_labels(monkeypatch: pytest.MonkeyPatch) -> None:
    from referat.signing.appearance import appearance

    def words() -> tuple[str, str]:
        reader = PdfReader(io.BytesIO(appearance("Anne Formand", "formand", (0, 0, 220, 60)).pdf))
        return " ".join(reader.pages[0].extract_text().split()), str(reader.metadata.title)

    text, title = words()
    assert text.startswith("Godkendt og underskrevet Anne Formand formand ") and " kl. " in text
    assert title == "Underskrift"
    monkeypatch.setattr(L, "SIGNATURE_HEADING", "Signeret")
    monkeypatch.setattr(L, "SIGNATURE_TITLE", "Signatur")
    monkeypatch.setattr(L, "SIGNED_AT", "den {dato} klokken {tid} {zone}")
    text, title = words()
    assert text.startswith("Signeret Anne Formand formand den ") and " klokken " in text and " kl. " not in text
    assert "Godkendt" not in text and title == "Signatur"
