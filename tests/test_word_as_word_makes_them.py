"""Word files as Word makes them (issue 24, item 4): no leftovers of the template, a table of contents written with
its entries and page numbers (Word need not update fields on opening; LibreOffice shows the numbers), and the
Markdown column alignment kept in Word, PDF and HTML."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree
from pypdf import PdfReader

from conftest import EXAMPLE, ROOT
from referat import __version__

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from referat.cli import main

    out = tmp_path_factory.mktemp("word")
    assert main(["build", str(EXAMPLE), "--format", "docx,pdf", "--out", str(out)]) == 0
    return out


def test_no_leftovers_of_the_template(built: Path) -> None:
    with zipfile.ZipFile(built / "referat.docx") as z:
        names = z.namelist()
        types = z.read("[Content_Types].xml").decode()
        rels = z.read("_rels/.rels").decode() + z.read("word/_rels/document.xml.rels").decode()
        app = etree.fromstring(z.read("docProps/app.xml"))
    assert not [n for n in names if "thumbnail" in n or n.startswith("customXml/")], names
    assert "thumbnail" not in rels and "customXml" not in rels and "thumbnail" not in types
    assert app.findtext(f"{EP}Application") == f"referat {__version__}"
    assert "Microsoft" not in etree.tostring(app).decode()
    doc = Document(str(built / "referat.docx"))
    words = sum(len(p.text.split()) for p in doc.paragraphs) + sum(
        len(p.text.split()) for t in doc.tables for row in t.rows for cell in row.cells for p in cell.paragraphs)
    assert int(app.findtext(f"{EP}Words")) == words > 5000  # the document's own count, not the template's 0
    assert int(app.findtext(f"{EP}Pages")) == len(PdfReader(built / "referat.pdf").pages)
    assert int(app.findtext(f"{EP}Characters")) > 30000
    # no two counts side by side: with the tags taken out (as the leak check reads a part) "10" "622" "3930"
    # would read as the CPR number 010622-3930
    values = [el.text or "" for el in app]
    assert not any(a.isdigit() and b.isdigit() for a, b in itertools.pairwise(values)), values


def test_the_template_itself_has_no_leftovers() -> None:
    with zipfile.ZipFile(ROOT / "templates" / "word" / "dokument.docx") as z:
        names = z.namelist()
        app = z.read("docProps/app.xml").decode()
    assert not [n for n in names if "thumbnail" in n or n.startswith("customXml/")], names
    assert "Microsoft" not in app and "referat" in app


KKR = ROOT / "agendas" / "2024-06-21-kkr-nordjylland"  # a profile with a contents list (on the front page), groups


@pytest.fixture(scope="module")
def with_contents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from referat.cli import main

    out = tmp_path_factory.mktemp("indhold")
    assert main(["build", str(KKR), "--format", "docx,pdf", "--out", str(out)]) == 0
    return out


def _outline(pdf: Path) -> list[tuple[str, int]]:
    """The PDF edition's bookmarks (group headings and items) with the page each points to."""
    reader = PdfReader(pdf)
    found: list[tuple[str, int]] = []

    def walk(entries: list[object]) -> None:
        for entry in entries:
            if isinstance(entry, list):
                walk(entry)
            else:
                found.append((entry.title, reader.get_destination_page_number(entry) + 1))  # type: ignore[attr-defined]

    walk(reader.outline)
    return found


def test_the_table_of_contents_has_its_entries_and_page_numbers(with_contents: Path) -> None:
    with zipfile.ZipFile(with_contents / "dagsorden.docx") as z:
        settings = z.read("word/settings.xml").decode()
        body = etree.fromstring(z.read("word/document.xml"))
    assert "updateFields" not in settings  # Word does not ask to update fields when the file opens
    assert not body.xpath("//w:fldChar[@w:dirty]", namespaces={"w": W[1:-1]})
    entries = []
    for p in body.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val") in ("toc1", "toc2"):
            texts = [t.text or "" for t in p.iter(f"{W}t")]  # the entry's text, then the PAGEREF's number
            anchor = p.find(f"{W}hyperlink").get(f"{W}anchor")
            entries.append(("".join(texts[:-1]), anchor, int(texts[-1]), style.get(f"{W}val")))
    # every entry — group headings and the items under them — on the page the PDF edition has it on
    assert [(text, page) for text, _, page, _ in entries] == _outline(with_contents / "dagsorden.pdf")
    assert [level for *_, level in entries][:3] == ["toc1", "toc1", "toc2"]  # items under a group one level in
    # each entry links to its heading's bookmark, and its PAGEREF counts to the same bookmark
    headings = {b.get(f"{W}name"): "".join(t.text or "" for t in b.getparent().iter(f"{W}t"))
                for b in body.iter(f"{W}bookmarkStart")}
    assert headings[entries[0][1]] == "1.Godkendelse af dagsorden"
    assert headings[entries[1][1]] == "2. Sager til beslutning og drøftelse"
    instructions = [i.text.strip() for i in body.iter(f"{W}instrText")]
    assert instructions[0] == 'TOC \\o "1-2" \\h \\z \\u'
    assert [i for i in instructions if i.startswith("PAGEREF")] == [f"PAGEREF {a} \\h" for _, a, _, _ in entries]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice er ikke installeret (.ci/run installerer det)")
def test_libreoffice_shows_the_page_numbers(with_contents: Path, tmp_path: Path) -> None:
    shutil.copy(with_contents / "dagsorden.docx", tmp_path / "dagsorden.docx")
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"), str(tmp_path / "dagsorden.docx")],
                   check=True, capture_output=True, timeout=300)
    front = " ".join(PdfReader(tmp_path / "lo" / "dagsorden.pdf").pages[0].extract_text().split())
    for title, page in _outline(with_contents / "dagsorden.pdf"):
        assert re.search(re.escape(title) + r"\s*\.{3,}\s*" + str(page) + r"\b", front), (title, page, front)


def test_the_das_profile_prints_no_contents_list_and_asks_nothing(built: Path) -> None:
    """DAS' own layout has no contents list (profile: indholdsfortegnelse: ingen): no TOC field, nothing to update."""
    with zipfile.ZipFile(built / "referat.docx") as z:
        settings = z.read("word/settings.xml").decode()
        document = z.read("word/document.xml").decode()
    assert "updateFields" not in settings and " TOC " not in document


ALIGNED = """\
titel: Budget
sagsfremstilling: |
  | Post | Beløb | Status |
  |:-----|------:|:------:|
  | Løn | 1 | ok |
  | Husleje og drift | 1.234.567 | afventer |
"""


@pytest.fixture(scope="module")
def aligned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import write_meeting
    from referat.cli import main

    tmp = tmp_path_factory.mktemp("align")
    folder = write_meeting(tmp / "møde", {"a.yaml": ALIGNED})
    assert main(["build", str(folder), "--format", "docx,pdf,html", "--out", str(tmp / "ud")]) == 0
    return tmp / "ud"


def test_column_alignment_is_kept_in_word(aligned: Path) -> None:
    table = Document(str(aligned / "dagsorden.docx")).tables[-1]  # the item's (the first is the front page's)
    jc = [[(c.paragraphs[0].alignment and c.paragraphs[0].alignment.name) for c in row.cells] for row in table.rows]
    assert jc == [[None, "RIGHT", "CENTER"]] * 3


def test_column_alignment_is_kept_in_html(aligned: Path) -> None:
    html = (aligned / "dagsorden.html").read_text(encoding="utf-8")
    assert '<th scope="col">Post</th><th scope="col" class="hoejre">Beløb</th><th scope="col" class="midt">' in html
    assert '<td>Husleje og drift</td><td class="hoejre">1.234.567</td><td class="midt">afventer</td>' in html
    assert "td.hoejre { text-align: right; }" in html


def test_column_alignment_is_kept_in_the_pdf(aligned: Path) -> None:
    """Right-aligned numbers end at the same x; centred words have the same middle; left ones start together."""
    reader = PdfReader(aligned / "dagsorden.pdf")
    spans: dict[str, tuple[float, float]] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip() in ("1", "1.234.567", "ok", "afventer", "Løn", "Husleje og drift", "Beløb"):
            spans.setdefault(text.strip(), (tm[4] * cm[0] + cm[4], size))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    left = {k: v[0] for k, v in spans.items()}
    assert abs(left["Løn"] - left["Husleje og drift"]) < 0.5
    assert left["1"] > left["1.234.567"] + 20  # right-aligned: the short number starts further right
    assert left["ok"] > left["afventer"] + 5  # centred
