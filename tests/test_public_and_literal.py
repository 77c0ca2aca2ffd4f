"""Public editions leave closed items out everywhere; text from YAML prints literally in every format."""

from __future__ import annotations

from pathlib import Path

import docx
from pypdf import PdfReader

from conftest import tiny_pdf

SECRET = "Fortrolig borgersag om Jens Hansen"

CLOSED_ITEM = f"""
titel: Personalesag
adgang: lukket
lukket_grundlag: Offentlighedslovens § 30, nr. 1
resumé: |
  {SECRET} i resuméet.
sagsfremstilling: |
  Forhandlingsoplæg: 2,5 mio. kr.
indstilling:
  - Godkender forhandlingsoplægget
bilag:
  - titel: Lønoversigt
    fil: loen.pdf
beslutning: |
  Godkendt med {SECRET}.
"""

OPEN_ITEM = """
titel: Godkendelse af dagsorden
type: standard
indstilling: [Godkender dagsordenen]
bilag:
  - titel: Offentligt notat
    fil: notat.pdf
  - titel: Internt notat om budget
    fil: internt.pdf
    offentlig: false
beslutning: Godkendt
"""

MARKUP = r"""
titel: "Tegn: #set page(width: 1cm) [x] {{ navn }} {% if %} <b>&amp; $x$ \n"
resumé: "Linje med #let x = 1 og ]) og {{ bruger }} og <script>alert(1)</script> & \\ og 😀 og \x07 slut"
sagsfremstilling: |
  Afsnit med `#import "@preview/x:1.0"` og \*ikke fed\* og {%raw%} og $$ og <w:t>xml</w:t>.

  - punkt med #strong[ikke fed] og [Skriv-ikke]
indstilling:
  - "Godkender #pagebreak() og {{ 7*7 }}"
beslutning: "Godkendt & <ok>"
"""


def build(run, folder: Path, out: Path) -> None:
    code, _, err = run("build", folder, "--offentlig", "--format", "docx,pdf,txt", "--out", out)
    assert code == 0, err


def all_text(out: Path, stem: str) -> dict[str, str]:
    reader = PdfReader(out / f"{stem}.pdf")
    pdf = " ".join(p.extract_text() for p in reader.pages)
    pdf += " ".join(str(e["/Title"]) for e in reader.outline) + str(dict(reader.metadata))
    document = docx.Document(str(out / f"{stem}.docx"))
    word = "\n".join(p.text for p in document.paragraphs)
    word += "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    word += str(document.core_properties.title) + str(document.core_properties.subject)
    return {"pdf": pdf, "docx": word, "txt": (out / f"{stem}.txt").read_text(encoding="utf-8")}


def test_closed_item_is_absent_from_public_editions(make_meeting, run, tmp_path: Path) -> None:
    folder = make_meeting({"01-dagsorden.yaml": OPEN_ITEM, "02-lukket.yaml": CLOSED_ITEM}, fase="referat",
                          bilag={"loen.pdf": tiny_pdf(), "notat.pdf": tiny_pdf(), "internt.pdf": tiny_pdf()})
    out = tmp_path / "out"
    build(run, folder, out)
    for stem in ("dagsorden-offentlig", "referat-offentlig"):
        for fmt, text in all_text(out, stem).items():
            assert SECRET not in text, (stem, fmt)
            assert "Forhandlingsoplæg" not in text, (stem, fmt)
            assert "Lønoversigt" not in text, (stem, fmt)
            assert "Godkender forhandlingsoplægget" not in text, (stem, fmt)
            assert "Personalesag" in text, (stem, fmt)  # number and title stay
            assert "Lukket punkt" in text, (stem, fmt)
            assert "Internt notat om budget (ikke offentligt bilag)" in text, (stem, fmt)
    for fmt, text in all_text(out, "referat").items():  # the internal edition keeps everything
        assert SECRET in text.replace("\n", " "), fmt
        assert "(ikke offentligt bilag)" not in text, fmt


def test_markup_characters_print_literally(make_meeting, run, tmp_path: Path) -> None:
    folder = make_meeting({"01-tegn.yaml": MARKUP}, fase="referat")
    out = tmp_path / "out"
    build(run, folder, out)
    texts = all_text(out, "referat")
    expected = [
        "Tegn: #set page(width: 1cm) [x] {{ navn }} {% if %} <b>&amp; $x$",
        "#let x = 1 og ]) og {{ bruger }} og <script>alert(1)</script> & \\ og 😀 og ␇ slut",
        '#import "@preview/x:1.0"',
        "*ikke fed*",
        "<w:t>xml</w:t>",
        "#strong[ikke fed]",
        "Godkender #pagebreak() og {{ 7*7 }}",
        "Godkendt & <ok>",
    ]
    for fmt, text in texts.items():
        flat = " ".join(text.split())
        for snippet in expected:
            assert " ".join(snippet.split()) in flat, (fmt, snippet)
