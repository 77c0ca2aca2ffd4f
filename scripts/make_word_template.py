"""Build templates/word/dokument.docx: the Word template a secretariat opens and restyles in Word.

Usage: python scripts/make_word_template.py [templates/word/dokument.docx]

The template holds the letterhead and styles. Jinja tags ({{ … }}, docxtpl) fill the front page (the title
block's lines, `titellinjer`, as the committee profile sets them) and the running header; the paragraphs
[[INDHOLDSFORTEGNELSE]] and [[PUNKTER]] mark where referat inserts the table of contents and the items, using
the template's own styles (Heading 1/2/3, Header, List Paragraph, Table Grid). Restyle freely in Word; keep the
tags and the two markers.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

FONT = "Arial"  # Liberation Sans in the PDF has Arial's metrics
ACCENT = RGBColor(0x1F, 0x4E, 0x79)


def _field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    num = OxmlElement("w:t")
    num.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for el in (begin, instr, sep, num, end):
        run._r.append(el)


def _style_font(style, size: float, bold: bool = False, colour: RGBColor | None = None) -> None:
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    if colour is not None:
        style.font.color.rgb = colour
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]


def build(path: Path) -> None:
    doc = Document()
    styles = doc.styles
    _style_font(styles["Normal"], 10.5)
    styles["Normal"].paragraph_format.space_after = Pt(6)
    _style_font(styles["Title"], 22, True, ACCENT)
    _style_font(styles["Subtitle"], 18, True)
    h1 = styles["Heading 1"]
    _style_font(h1, 15, True, ACCENT)
    h1.paragraph_format.space_before = Pt(0)
    h1.paragraph_format.space_after = Pt(10)
    _style_font(styles["Heading 2"], 11, True, RGBColor(0, 0, 0))
    styles["Heading 2"].paragraph_format.space_before = Pt(12)
    styles["Heading 2"].paragraph_format.space_after = Pt(4)
    _style_font(styles["Heading 3"], 10.5, True, RGBColor(0, 0, 0))
    # items under a group heading are one level down (Heading 2), their sections and sub-headings too
    for name in ("Heading 4", "Heading 5"):
        _style_font(styles[name], 10.5, True, RGBColor(0, 0, 0))
        styles[name].font.italic = False
    _style_font(styles["TOC Heading"], 15, True, ACCENT)
    for name in ("Header", "Footer"):
        _style_font(styles[name], 9, False, RGBColor(0x50, 0x50, 0x50))
    status = styles.add_style("Punktstatus", 1)
    status.base_style = styles["Normal"]
    _style_font(status, 9.5, True, RGBColor(0x50, 0x50, 0x50))
    status.paragraph_format.page_break_before = True
    case = styles.add_style("Sagsnummer", 1)
    case.base_style = styles["Normal"]
    _style_font(case, 9.5)
    case.paragraph_format.space_after = Pt(12)
    # Language of the whole document: Danish (python-docx's default template says en-US).
    rpr_default = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:val"), "da-DK")
    lang.set(qn("w:eastAsia"), "da-DK")
    lang.set(qn("w:bidi"), "ar-SA")

    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.8), Cm(2.4)
    section.different_first_page_header_footer = True
    section.header.paragraphs[0].text = "{{ sidehoved }}"
    for footer in (section.footer, section.first_page_footer):  # "Side X af Y" on every page, the front too
        foot = footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        foot.add_run("Side ")
        _field(foot, "PAGE")
        foot.add_run(" af ")
        _field(foot, "NUMPAGES")

    doc.add_paragraph("{%p if logo %}")
    doc.add_paragraph("{{ logo }}")
    doc.add_paragraph("{%p endif %}")
    # the title block as the committee's profile sets it (opsætning.forside.titel): each line in the style of its
    # role; a template may instead place {{ organisation }}, {{ udvalg }}, {{ kortnavn }} and {{ dokumenttype }}
    doc.add_paragraph("{%p for t in titellinjer %}")
    doc.add_paragraph("{%p if t.rolle == 'organisation' %}")
    doc.add_paragraph("{{ t.tekst }}")
    doc.add_paragraph("{%p elif t.rolle == 'udvalg' %}")
    doc.add_paragraph("{{ t.tekst }}", style="Title")
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("{{ t.tekst }}", style="Subtitle")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{%p endfor %}")
    table = doc.add_table(rows=3, cols=2)
    table.rows[0].cells[0].text = "{%tr for r in forside %}"
    label = table.rows[1].cells[0].paragraphs[0].add_run("{{ r.label }}")
    label.bold = True
    table.rows[1].cells[1].text = "{{ r.tekst }}"
    table.rows[2].cells[0].text = "{%tr endfor %}"
    for row in table.rows:
        row.cells[0].width = Cm(4)
        row.cells[1].width = Cm(12)
    doc.add_page_break()
    doc.add_paragraph("{{ indholdsfortegnelse }}", style="TOC Heading")
    doc.add_paragraph("[[INDHOLDSFORTEGNELSE]]")
    doc.add_paragraph("[[PUNKTER]]")
    doc.core_properties.author = "referat"
    doc.core_properties.title = "Skabelon til dagsorden og referat"
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    print(f"skrev {path}")


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else "templates/word/dokument.docx"))
