"""Make the Word contributions in tests/fixtures/word/ (the tests use the committed files, never this script).

Each document is a sagsfremstilling as a caseworker in a member municipality would send it, written by a real
producer:

- LibreOffice (`soffice --headless --convert-to docx`) from a flat ODT (`.fodt`, XML written here): headings,
  nested bullet and numbered lists with ODF list styles, a table with a header row, bold, italic, a link, a line
  break, a footnote, an unknown heading ("Økonomi"), an Indstilling as a numbered list with sub-bullets and a
  Bilag list naming a file that lies beside the document;
- LibreOffice from HTML with real list and table markup (`<ul>`, `<ol>`, `<table>` with `<th>`);
- python-docx with Word numbering definitions written into numbering.xml (a decimal list with a lower-letter
  second level, a bullet list, a list restarted with a start override), heading styles and text before the
  first heading;
- a municipal-style template (python-docx): styles named in Danish ("Brødtekst", "Sagsoverskrift", the heading
  style with Word's Danish style id "Overskrift1"), headings as bold paragraphs rather than heading styles, with
  misspellings and colons ("Resume:", "Sagsfremstiling"), lists typed by hand with "-" and "1.", and a Bilag
  section with one name that has a file beside the document and one that has none;
- LibreOffice from ODT with tracked changes (an insertion and a deletion by two authors) and a comment;
- python-docx with an image and a table whose cells are merged across and down;
- python-docx with hidden text, fields (their instructions must not come through), document properties and a
  custom XML part, each holding a marker string the tests look for;
- a macro-enabled document (`.docm`, LibreOffice's "Word 2007–365 VBA" filter);
- a password-protected document (msoffcrypto-tool's OOXML encryption, the format Word writes).

Run: .venv/bin/python scripts/make_word_corpus.py   (needs soffice; `pip install msoffcrypto-tool` for the
password-protected file, which is skipped without it)
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import tempfile
import zipfile
import zlib
from pathlib import Path

import typst
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "word"

SECRETS = {
    "hidden": "HEMMELIG-SKJULT-TEKST-1111",
    "hidden_style": "HEMMELIG-SKJULT-TYPOGRAFI-2222",
    "instruction": "HEMMELIG-FELTKODE-3333",
    "author": "HEMMELIG-FORFATTER-4444",
    "company": "HEMMELIG-FIRMA-5555",
    "custom_xml": "HEMMELIG-CUSTOMXML-6666",
    "custom_prop": "HEMMELIG-EGENSKAB-7777",
    "comment": "HEMMELIG-KOMMENTAR-8888",
    "deleted": "HEMMELIG-SLETTET-9999",
}


# ------------------------------------------------------------------------------------------------ helpers


def png(width: int = 24, height: int = 12) -> bytes:
    """A small real PNG (a black bar on white), written byte by byte."""
    rows = b"".join(b"\x00" + b"".join(b"\x00\x00\x00" if x < width // 3 else b"\xff\xff\xff" for x in range(width))
                    for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def soffice(source: Path, target_ext: str, filter_name: str, infilter: str | None = None) -> Path:
    """Convert `source` with LibreOffice headless (own profile) into the same folder."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise SystemExit("soffice (LibreOffice) mangler: apt-get install libreoffice-writer")
    with tempfile.TemporaryDirectory() as profile:
        cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore"]
        if infilter:
            cmd.append(f"--infilter={infilter}")
        cmd += ["--convert-to", f"{target_ext}:{filter_name}", "--outdir", str(source.parent), str(source)]
        subprocess.run(cmd, check=True, capture_output=True, timeout=180)
    out = source.with_suffix("." + target_ext)
    if not out.is_file():
        raise SystemExit(f"LibreOffice skrev ikke {out}")
    return out


FODT_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:meta>{meta}</office:meta>
 <office:automatic-styles>
  <style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
  <style:style style:name="T2" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
  <text:list-style style:name="LB">
   <text:list-level-style-bullet text:level="1" text:bullet-char="•"/>
   <text:list-level-style-bullet text:level="2" text:bullet-char="◦"/>
  </text:list-style>
  <text:list-style style:name="LN">
   <text:list-level-style-number text:level="1" style:num-format="1" style:num-suffix="."/>
   <text:list-level-style-bullet text:level="2" text:bullet-char="–"/>
  </text:list-style>
 </office:automatic-styles>
 <office:body><office:text>
"""
FODT_TAIL = "</office:text></office:body></office:document>\n"


def fodt_docx(name: str, meta: str, body: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{name}.fodt"
        src.write_text(FODT_HEAD.format(meta=meta) + body + FODT_TAIL, encoding="utf-8")
        out = soffice(src, "docx", "MS Word 2007 XML")
        shutil.copyfile(out, OUT / f"{name}.docx")


# ------------------------------------------------------------------------------------------------ documents


def lo_from_odt() -> None:
    """LibreOffice from ODT: headings, nested lists, a table, a footnote, a link, a line break."""
    body = """
  <text:h text:outline-level="1">Resumé</text:h>
  <text:p>Herbergerne i Nordjylland har i 2025 haft en belægning på <text:span text:style-name="T1">over 100 pct.</text:span> i perioder, og der er behov for en <text:span text:style-name="T2">fælles</text:span> kapacitetsstyring.<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Kilde: Socialstyrelsens tilbudsportal, januar 2026.</text:p></text:note-body></text:note></text:p>
  <text:h text:outline-level="1">Sagsfremstilling</text:h>
  <text:p>Kapacitetsanalysen viser tre forhold:</text:p>
  <text:list text:style-name="LB">
   <text:list-item><text:p>Ventetiden er steget</text:p>
    <text:list><text:list-item><text:p>mest i Aalborg</text:p></text:list-item><text:list-item><text:p>mindst i Thisted</text:p></text:list-item></text:list>
   </text:list-item>
   <text:list-item><text:p>Flere borgere kommer fra andre regioner</text:p></text:list-item>
  </text:list>
  <text:p>Analysen findes på <text:a xlink:type="simple" xlink:href="https://www.rn.dk/kapacitet">Region Nordjyllands hjemmeside</text:a>.<text:line-break/>Spørgsmål kan rettes til sekretariatet.</text:p>
  <text:h text:outline-level="2">Økonomi</text:h>
  <table:table table:name="Belaegning">
   <table:table-column table:number-columns-repeated="3"/>
   <table:table-header-rows><table:table-row>
    <table:table-cell office:value-type="string"><text:p>Herberg</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>Pladser</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>Belægning 2025</text:p></table:table-cell>
   </table:table-row></table:table-header-rows>
   <table:table-row>
    <table:table-cell office:value-type="string"><text:p>Aalborg</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>42</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>104 %</text:p></table:table-cell>
   </table:table-row>
   <table:table-row>
    <table:table-cell office:value-type="string"><text:p>Hjørring</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>18</text:p></table:table-cell>
    <table:table-cell office:value-type="string"><text:p>97 %</text:p></table:table-cell>
   </table:table-row>
  </table:table>
  <text:h text:outline-level="1">Indstilling</text:h>
  <text:p>Det indstilles, at Den Administrative Styregruppe</text:p>
  <text:list text:style-name="LN">
   <text:list-item><text:p>godkender kapacitetsanalysen</text:p></text:list-item>
   <text:list-item><text:p>træffer beslutning om:</text:p>
    <text:list><text:list-item><text:p>en fælles venteliste</text:p></text:list-item><text:list-item><text:p>kvartalsvis opfølgning</text:p></text:list-item></text:list>
   </text:list-item>
  </text:list>
  <text:h text:outline-level="1">Bilag</text:h>
  <text:list text:style-name="LB">
   <text:list-item><text:p>Notat om kapacitet.pdf</text:p></text:list-item>
  </text:list>
"""
    fodt_docx("lo-fra-odt", "<dc:title>Kapacitetsstyring på herbergsområdet</dc:title>"
              "<meta:initial-creator>Sagsbehandler, Aalborg Kommune</meta:initial-creator>", body)


def lo_from_html() -> None:
    """LibreOffice from HTML with real list and table markup; no title property: the first heading is the title."""
    html = """<!DOCTYPE html>
<html lang="da"><head><meta charset="utf-8"></head><body>
<h1>Orientering om ny takstmodel for botilbud</h1>
<h2>Resume</h2>
<p>Mariagerfjord Kommune har udarbejdet en <b>ny takstmodel</b> for <i>midlertidige</i> botilbud.</p>
<h2>Baggrund</h2>
<p>Den gældende model er fra 2019.<br>Den er evalueret i 2025.</p>
<h2>Sagsfremstilling</h2>
<p>Modellen bygger på tre niveauer:</p>
<ol>
<li>Grundtakst</li>
<li>Tillæg for særlige behov
<ul><li>døgndækning</li><li>nattevagt</li></ul>
</li>
<li>Individuelle ydelser</li>
</ol>
<table border="1">
<thead><tr><th>Niveau</th><th>Takst 2026 (kr.)</th></tr></thead>
<tbody>
<tr><td>Grundtakst</td><td>2.406</td></tr>
<tr><td>Tillæg</td><td>816</td></tr>
</tbody>
</table>
<p>Læs mere på <a href="https://mariagerfjord.dk/takster">kommunens side</a>.</p>
<h2>Indstillinger</h2>
<ol>
<li>tager orienteringen til efterretning</li>
<li>drøfter, om modellen kan bruges af andre driftsherrer</li>
</ol>
</body></html>
"""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "lo-fra-html.html"
        src.write_text(html, encoding="utf-8")
        out = soffice(src, "docx", "MS Word 2007 XML", infilter="HTML (StarWriter)")
        shutil.copyfile(out, OUT / "lo-fra-html.docx")


_NUMBERING = """
<w:abstractNum {ns} w:abstractNumId="90">
  <w:multiLevelType w:val="hybridMultilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>
    <w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/>
    <w:pPr><w:ind w:left="1440" w:hanging="360"/></w:pPr></w:lvl>
</w:abstractNum>"""
_BULLETS = """
<w:abstractNum {ns} w:abstractNumId="91">
  <w:multiLevelType w:val="hybridMultilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\u2022"/>
    <w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/>
    <w:pPr><w:ind w:left="1440" w:hanging="360"/></w:pPr></w:lvl>
</w:abstractNum>"""


def _add_numbering(doc: Document) -> dict[str, int]:
    """Two abstract numberings and three w:num instances (the third restarts the decimal list at 4)."""
    numbering = doc.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    for xml in (_NUMBERING, _BULLETS):
        el = parse_xml(xml.format(ns=nsdecls("w")))
        if first_num is not None:
            first_num.addprevious(el)
        else:
            numbering.append(el)
    nums = {}
    for name, abstract, start in (("decimal", 90, None), ("bullet", 91, None), ("restart", 90, 4)):
        num_id = 900 + len(nums)
        override = (f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>'
                    if start else "")
        numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>'
                                   f"{override}</w:num>"))
        nums[name] = num_id
    return nums


def _numbered(paragraph, num_id: int, level: int = 0) -> None:  # type: ignore[no-untyped-def]
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def _fixed_props(doc: Document, title: str = "") -> None:
    import datetime as dt

    props = doc.core_properties
    props.title = title
    props.author = "Sagsbehandler"
    props.last_modified_by = "Sagsbehandler"
    props.created = props.modified = dt.datetime(2026, 1, 15, 12, 0)
    props.revision = 1


def _save(doc: Document, name: str) -> None:
    buf = io.BytesIO()
    doc.save(buf)
    (OUT / name).write_bytes(_fixed_zip(buf.getvalue()))


def _fixed_zip(data: bytes) -> bytes:
    """Fixed member timestamps, so a rerun of the script writes the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(2026, 1, 15, 12, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def python_docx_numbering() -> None:
    """python-docx with Word numbering definitions; text before the first heading."""
    doc = Document()
    _fixed_props(doc, "Pædagogdimensionering i botilbud 2026")
    nums = _add_numbering(doc)
    doc.add_paragraph("Udarbejdet af Socialforvaltningen, Hjørring Kommune, januar 2026.")
    doc.add_heading("Resumé", level=1)
    doc.add_paragraph("Fra 2026 gælder nye krav til dimensionering. Punktet beskriver, hvad de betyder for "
                      "taksterne.")
    doc.add_heading("Sagsfremstilling", level=1)
    doc.add_paragraph("Kravene træder i kraft i tre trin:")
    for text, level in (("1. april 2026", 0), ("for døgntilbud", 1), ("for dagtilbud", 1), ("1. januar 2027", 0),
                        ("1. januar 2028", 0)):
        _numbered(doc.add_paragraph(text), nums["decimal"], level)
    doc.add_paragraph("Berørte tilbud:")
    for text in ("Botilbud Attruphøj", "Viften Vodskov"):
        _numbered(doc.add_paragraph(text), nums["bullet"])
    doc.add_paragraph("Listen fortsætter fra punkt 4:")
    for text in ("Evaluering", "Afrapportering"):
        _numbered(doc.add_paragraph(text), nums["restart"])
    doc.add_paragraph("En liste med Words egen typografi:")
    doc.add_paragraph("Første punkt med typografien List Bullet", style="List Bullet")
    doc.add_paragraph("Andet punkt med typografien List Bullet", style="List Bullet")
    doc.add_heading("Indstilling", level=1)
    doc.add_paragraph("Det indstilles, at Den Administrative Styregruppe")
    _numbered(doc.add_paragraph("godkender tidsplanen"), nums["decimal"])
    _numbered(doc.add_paragraph("beder sekretariatet om en opfølgning"), nums["decimal"])
    _save(doc, "python-docx-nummerering.docx")


def municipal_template() -> None:
    """Danish style names, headings as bold paragraphs, lists typed by hand, a Bilag section naming files."""
    doc = Document()
    _fixed_props(doc, "")
    styles = doc.styles
    body = styles.add_style("Brødtekst", WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = styles["Normal"]
    body.font.size = Pt(11)
    case_heading = styles.add_style("Sagsoverskrift", WD_STYLE_TYPE.PARAGRAPH)
    case_heading.base_style = styles["Normal"]
    case_heading.font.bold = True
    case_heading.font.size = Pt(14)
    # Word in Danish names its heading style "Overskrift1" (the id) with the built-in name "heading 1"
    heading = styles["Heading 1"]
    heading.element.set(qn("w:styleId"), "Overskrift1")

    def bold(text: str, style: str = "Brødtekst") -> None:
        doc.add_paragraph(style=style).add_run(text).bold = True

    doc.add_paragraph("Forslag om fælles sundhedstjek på botilbud", style="Sagsoverskrift")
    bold("Resume:")
    doc.add_paragraph("Sundhedstjek på botilbud har været afprøvet i to kommuner. Erfaringerne er gode.",
                      style="Brødtekst")
    bold("Sagsfremstiling")
    p = doc.add_paragraph("Projektet er gennemført i Rebild og Morsø.", style="Brødtekst")
    p.add_run().add_break()
    p.add_run("Begge kommuner anbefaler, at det udbredes.")
    doc.add_paragraph("Der er tre erfaringer:", style="Brødtekst")
    for text in ("- Borgerne tager godt imod tilbuddet", "- Personalet skal klædes på",
                 "- Praktiserende læger skal inddrages tidligt"):
        doc.add_paragraph(text, style="Brødtekst")
    bold("Økonomi")
    doc.add_paragraph("Udgiften er 350.000 kr. om året for hele regionen.", style="Brødtekst")
    bold("Indstilling:")
    doc.add_paragraph("Forvaltningen indstiller, at Den Administrative Styregruppe", style="Brødtekst")
    for text in ("1. godkender, at sundhedstjek udbredes til alle nordjyske botilbud",
                 "2. beder sekretariatet om at samle erfaringerne i 2027"):
        doc.add_paragraph(text, style="Brødtekst")
    bold("Bilag:")
    doc.add_paragraph("Bilag 1: Notat om kapacitet.pdf", style="Brødtekst")
    doc.add_paragraph("Bilag 2: Evaluering af sundhedstjek i Rebild", style="Brødtekst")
    _save(doc, "kommune-skabelon.docx")


def tracked_changes() -> None:
    """LibreOffice from ODT with an insertion, a deletion (two authors) and a comment."""
    body = f"""
  <text:tracked-changes text:track-changes="true">
   <text:changed-region xml:id="ct1" text:id="ct1"><text:insertion><office:change-info><dc:creator>Mette Sørensen</dc:creator><dc:date>2026-01-12T10:00:00</dc:date></office:change-info></text:insertion></text:changed-region>
   <text:changed-region xml:id="ct2" text:id="ct2"><text:deletion><office:change-info><dc:creator>Jens Hansen</dc:creator><dc:date>2026-01-13T09:30:00</dc:date></office:change-info><text:p>{SECRETS["deleted"]} </text:p></text:deletion></text:changed-region>
  </text:tracked-changes>
  <text:h text:outline-level="1">Sagsfremstilling</text:h>
  <text:p>Rammeaftalen forlænges <text:change-start text:change-id="ct1"/>med to år <text:change-end text:change-id="ct1"/>til udgangen af 2027.</text:p>
  <text:p>Prisen <text:change text:change-id="ct2"/>reguleres med P/L.<office:annotation><dc:creator>Lars Nielsen</dc:creator><dc:date>2026-01-14T08:00:00</dc:date><text:p>{SECRETS["comment"]}</text:p></office:annotation></text:p>
  <text:h text:outline-level="1">Indstilling</text:h>
  <text:p>Det indstilles, at Den Administrative Styregruppe godkender forlængelsen.</text:p>
"""
    fodt_docx("sporede-aendringer", "<dc:title>Forlængelse af rammeaftaler</dc:title>", body)


def image_and_merged_cells() -> None:
    """python-docx: a picture inline in the text and a table with cells merged across and down."""
    doc = Document()
    _fixed_props(doc, "Velfærdsteknologi i botilbud")
    doc.add_heading("Sagsfremstilling", level=1)
    doc.add_paragraph("Kortet viser, hvor teknologien er taget i brug:")
    doc.add_picture(io.BytesIO(png()))
    pic = doc.paragraphs[-1]._p.find(".//" + qn("wp:docPr"))
    pic.set("descr", "Kort over botilbud med velfærdsteknologi")
    table = doc.add_table(rows=4, cols=3)
    table.style = doc.styles["Table Grid"]
    cells = [["Kommune", "Teknologi", "Antal"], ["Aalborg", "Skærmbesøg", "12"], ["", "Sensorer", "30"],
             ["I alt", "", "42"]]
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            if text:
                table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(2, 0))  # "Aalborg" down over two rows
    table.cell(3, 0).merge(table.cell(3, 1))  # "I alt" across two columns
    doc.add_heading("Indstilling", level=1)
    doc.add_paragraph("tager orienteringen til efterretning", style="List Number")
    _save(doc, "billede-og-flettede-celler.docx")


def hidden_content() -> None:
    """Hidden text (direct and by style), fields, document properties and custom XML with marker strings."""
    doc = Document()
    _fixed_props(doc, "Evaluering af det administrative setup")
    doc.core_properties.author = SECRETS["author"]
    doc.core_properties.keywords = SECRETS["author"]
    hidden_style = doc.styles.add_style("Skjult", WD_STYLE_TYPE.CHARACTER)
    hidden_style.font.hidden = True
    doc.add_heading("Sagsfremstilling", level=1)
    p = doc.add_paragraph("Synlig tekst før. ")
    p.add_run(SECRETS["hidden"]).font.hidden = True
    p.add_run(SECRETS["hidden_style"], style="Skjult")
    p.add_run("Synlig tekst efter.")
    # a simple field and a complex field: the result Word shows comes through, never the instruction
    field = doc.add_paragraph("Afsender: ")
    field._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" DOCPROPERTY Company {SECRETS["instruction"]} ">'
                              "<w:r><w:t>Aalborg Kommune</w:t></w:r></w:fldSimple>"))
    field._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:t xml:space="preserve">, side </w:t></w:r>'))
    for xml in ('<w:r {ns}><w:fldChar w:fldCharType="begin"/></w:r>',
                '<w:r {ns}><w:instrText xml:space="preserve"> PAGE \\* MERGEFORMAT {secret} </w:instrText></w:r>',
                '<w:r {ns}><w:fldChar w:fldCharType="separate"/></w:r>',
                '<w:r {ns}><w:t>1</w:t></w:r>',
                '<w:r {ns}><w:fldChar w:fldCharType="end"/></w:r>'):
        field._p.append(parse_xml(xml.format(ns=nsdecls("w"), secret=SECRETS["instruction"])))
    doc.add_heading("Indstilling", level=1)
    doc.add_paragraph("tager evalueringen til efterretning", style="List Number")
    buf = io.BytesIO()
    doc.save(buf)
    data = _with_parts(buf.getvalue(), {
        "customXml/item1.xml": f'<?xml version="1.0"?><data><hemmelig>{SECRETS["custom_xml"]}</hemmelig></data>',
        "docProps/custom.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Sagsnr">'
            f'<vt:lpwstr>{SECRETS["custom_prop"]}</vt:lpwstr></property></Properties>'),
        "docProps/app.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f'<Company>{SECRETS["company"]}</Company></Properties>'),
    })
    (OUT / "skjult-indhold.docx").write_bytes(_fixed_zip(data))


def _with_parts(data: bytes, parts: dict[str, str]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in parts:
                dst.writestr(info, src.read(info.filename))
        for name, text in parts.items():
            dst.writestr(name, text)
    return out.getvalue()


def macro_document() -> None:
    """A .docm: LibreOffice's VBA-enabled Word filter."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "makro.fodt"
        src.write_text(FODT_HEAD.format(meta="<dc:title>Makrodokument</dc:title>")
                       + '<text:h text:outline-level="1">Sagsfremstilling</text:h><text:p>Tekst.</text:p>'
                       + FODT_TAIL, encoding="utf-8")
        out = soffice(src, "docm", "MS Word 2007 XML VBA")
        shutil.copyfile(out, OUT / "makro.docm")


def password_protected() -> None:
    """A .docx encrypted with a password (ECMA-376 agile encryption, as Word writes it)."""
    try:
        from msoffcrypto.format import ooxml
    except ImportError:
        print("msoffcrypto-tool mangler: adgangskode.docx er ikke skrevet om (pip install msoffcrypto-tool)")
        return
    doc = Document()
    _fixed_props(doc, "Hemmeligt")
    doc.add_paragraph("Tekst bag adgangskode.")
    buf = io.BytesIO()
    doc.save(buf)
    plain = io.BytesIO(_fixed_zip(buf.getvalue()))
    encrypted = io.BytesIO()
    ooxml.OOXMLFile(plain).encrypt("hemmelig", encrypted)
    (OUT / "adgangskode.docx").write_bytes(encrypted.getvalue())


def bilag_file() -> None:
    """The PDF that two contributions name in their Bilag section, beside them."""
    pdf = typst.compile(b'#set document(title: "Notat om kapacitet", date: datetime(year: 2026, month: 1, day: 15))\n'
                        b"= Notat om kapacitet\nEksempel: et bilag, som et bidrag n\xc3\xa6vner.")
    (OUT / "Notat om kapacitet.pdf").write_bytes(pdf)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for make in (bilag_file, lo_from_odt, lo_from_html, python_docx_numbering, municipal_template, tracked_changes,
                 image_and_merged_cells, hidden_content, macro_document, password_protected):
        make()
        print(f"skrev {make.__name__}")


if __name__ == "__main__":
    main()
