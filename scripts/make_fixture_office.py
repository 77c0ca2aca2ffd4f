"""Make the fixtures in tests/fixtures/office/ (the tests use the committed files, never this script).

Images: a real JPEG and PNG written by poppler's pdftoppm (libjpeg, libpng) from a Typst page showing a black
bar on the left, then given the metadata a phone or an editor writes, byte by byte: EXIF with a GPS position,
camera make and description (APP1), XMP (APP1), IPTC (APP13), a comment (COM), bytes after the end of the
image; PNG tEXt/iTXt/eXIf/tIME chunks. Every secret is a unique marker string the tests look for.

Excel: flat ODS files (XML) converted to .xlsx by LibreOffice (`soffice --headless --convert-to xlsx`), so the
workbooks are written by a real producer: column widths, a hidden row, a hidden column, a hidden sheet,
header rows as print titles, a long text cell.

Run: .venv/bin/python scripts/make_fixture_office.py   (needs typst (a dependency), pdftoppm and soffice)
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import typst

OUT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "office"

SECRETS = {
    "exif_description": b"HEMMELIG-EXIF-BESKRIVELSE-4711",
    "exif_make": b"HEMMELIG-KAMERA-0042",
    "xmp": b"HEMMELIG-XMP-0815",
    "iptc": b"HEMMELIG-IPTC-2222",
    "comment": b"HEMMELIG-KOMMENTAR-3141",
    "trailer": b"HEMMELIG-EFTER-SLUT-9999",
    "png_text": b"HEMMELIG-PNG-TEKST-5151",
    "png_itxt": b"HEMMELIG-PNG-ITXT-6262",
}
# GPS latitude 57 deg 2' 59.123" N as EXIF rationals: distinctive bytes the tests look for
GPS_LATITUDE = struct.pack(">IIIIII", 57, 1, 2, 1, 59123, 1000)


def _page_image(kind: str) -> bytes:
    src = b"#set page(width: 60pt, height: 30pt, margin: 0pt)\n#place(top + left, rect(width: 20pt, height: 30pt, fill: black))"
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "side.pdf"
        pdf.write_bytes(typst.compile(src))
        subprocess.run(["pdftoppm", f"-{kind}", "-r", "72", "-singlefile", str(pdf), str(Path(tmp) / "billede")],
                       check=True)
        return (Path(tmp) / f"billede.{'jpg' if kind == 'jpeg' else 'png'}").read_bytes()


def _exif(orientation: int) -> bytes:
    """A big-endian EXIF block: IFD0 with description, make, orientation and a GPS IFD pointer; the GPS IFD."""
    desc = SECRETS["exif_description"] + b"\x00"
    make = SECRETS["exif_make"] + b"\x00"
    ifd0_entries = 4
    ifd0_at = 8
    ifd0_size = 2 + 12 * ifd0_entries + 4
    desc_at = ifd0_at + ifd0_size
    make_at = desc_at + len(desc)
    gps_at = make_at + len(make)
    gps_entries = 2
    gps_size = 2 + 12 * gps_entries + 4
    lat_at = gps_at + gps_size
    tiff = b"MM\x00\x2a" + struct.pack(">I", ifd0_at)
    tiff += struct.pack(">H", ifd0_entries)
    tiff += struct.pack(">HHII", 0x010E, 2, len(desc), desc_at)
    tiff += struct.pack(">HHII", 0x010F, 2, len(make), make_at)
    tiff += struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0)
    tiff += struct.pack(">HHII", 0x8825, 4, 1, gps_at)
    tiff += b"\x00\x00\x00\x00" + desc + make
    tiff += struct.pack(">H", gps_entries)
    tiff += struct.pack(">HHI", 0x0001, 2, 2) + b"N\x00\x00\x00"
    tiff += struct.pack(">HHII", 0x0002, 5, 3, lat_at)
    tiff += b"\x00\x00\x00\x00" + GPS_LATITUDE
    return b"Exif\x00\x00" + tiff


def _segment(marker: int, body: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(body) + 2) + body


def jpeg_with_metadata(orientation: int) -> bytes:
    base = _page_image("jpeg")
    assert base[2:4] == b"\xff\xe0"
    app0_end = 4 + struct.unpack(">H", base[4:6])[0]
    xmp = (b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:Description>"
           + SECRETS["xmp"] + b"</rdf:Description></x:xmpmeta>")
    iptc = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00" + struct.pack(">I", len(SECRETS["iptc"]) + 5) \
        + b"\x1c\x02\x78" + struct.pack(">H", len(SECRETS["iptc"])) + SECRETS["iptc"]
    extra = (_segment(0xE1, _exif(orientation)) + _segment(0xE1, xmp) + _segment(0xED, iptc)
             + _segment(0xFE, SECRETS["comment"]))
    return base[:app0_end] + extra + base[app0_end:] + SECRETS["trailer"]


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_with_metadata() -> bytes:
    base = _page_image("png")
    ihdr_end = 8 + 12 + struct.unpack(">I", base[8:12])[0]
    extra = (_chunk(b"tEXt", b"Comment\x00" + SECRETS["png_text"])
             + _chunk(b"iTXt", b"Description\x00\x00\x00da\x00\x00" + SECRETS["png_itxt"])
             + _chunk(b"eXIf", _exif(1)[6:])
             + _chunk(b"tIME", struct.pack(">HBBBBB", 2026, 2, 20, 12, 30, 0)))
    return base[:ihdr_end] + extra + base[ihdr_end:]


# --- Excel through LibreOffice ------------------------------------------------------------------------------

FODS_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
 <style:style style:name="smal" style:family="table-column"><style:table-column-properties style:column-width="1.5cm"/></style:style>
 <style:style style:name="mellem" style:family="table-column"><style:table-column-properties style:column-width="3cm"/></style:style>
 <style:style style:name="bred" style:family="table-column"><style:table-column-properties style:column-width="9cm"/></style:style>
 <style:style style:name="synlig" style:family="table"><style:table-properties table:display="true"/></style:style>
 <style:style style:name="skjult" style:family="table"><style:table-properties table:display="false"/></style:style>
 <style:style style:name="ombryd" style:family="table-cell"><style:table-cell-properties fo:wrap-option="wrap"/></style:style>
</office:automatic-styles>
<office:body><office:spreadsheet>
"""


def _cell(value: object, style: str | None = None) -> str:
    attr = f' table:style-name="{style}"' if style else ""
    if isinstance(value, (int, float)):
        return f'<table:table-cell{attr} office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
    if value is None or value == "":
        return "<table:table-cell/>"
    return f'<table:table-cell{attr} office:value-type="string"><text:p>{value}</text:p></table:table-cell>'


def _row(values: list[object], hidden: bool = False, wrap_first: bool = False) -> str:
    vis = ' table:visibility="collapse"' if hidden else ""
    cells = "".join(_cell(v, "ombryd" if wrap_first and i == 0 else None) for i, v in enumerate(values))
    return f"<table:table-row{vis}>{cells}</table:table-row>"


LONG_TEXT = ("Bemærkning: taksten for 2026 er beregnet på grundlag af det forventede belægningsniveau, de "
             "faktiske lønudgifter efter overenskomst og en forholdsmæssig andel af driftsherrens fællesudgifter "
             "til administration og ledelse.")


def wide_sheet_fods() -> str:
    """A landscape-wide takst overview: 12 columns of three widths, header rows as print titles, 80 rows, a
    hidden row and a hidden column with secret text, a long wrapped remark, and a hidden sheet 'Kladde'."""
    columns = ('<table:table-column table:style-name="bred"/>'
               '<table:table-column table:style-name="smal"/>'
               '<table:table-column table:style-name="mellem" table:number-columns-repeated="3"/>'
               '<table:table-column table:style-name="mellem" table:visibility="collapse"/>'
               '<table:table-column table:style-name="mellem" table:number-columns-repeated="6"/>')
    header1 = ["Tilbud", "Nr.", "Takst 2025", "Takst 2026", "Ændring", "Intern note", "Pladser", "Belægning",
               "Budget", "Overhead", "Dage", "Status"]
    header2 = ["", "", "kr.", "kr.", "pct.", "", "antal", "pct.", "kr.", "pct.", "antal", ""]
    rows = [_row(header1), _row(header2)]
    for n in range(1, 81):
        rows.append(_row([f"Tilbud nummer {n:02d} Vestervang", n, 3000 + n, 3100 + n, 3.3, f"SKJULT-KOLONNE-{n:02d}",
                          10 + n % 5, 95, 1_000_000 + n * 1000, 5.5, 365, "aktiv"]))
        if n == 40:
            rows.append(_row(["SKJULT-RÆKKE-7431", 0, 0, 0, 0, "", 0, 0, 0, 0, 0, "skjult"], hidden=True))
    rows.append(_row([LONG_TEXT], wrap_first=True))
    sheet = (f'<table:table table:name="Takster" table:style-name="synlig">{columns}'
             f'<table:table-header-rows>{rows[0]}{rows[1]}</table:table-header-rows>{"".join(rows[2:])}</table:table>')
    draft = ('<table:table table:name="Kladde" table:style-name="skjult"><table:table-column/>'
             + _row(["SKJULT-ARK-9911 udkast til takster"]) + "</table:table>")
    return FODS_HEAD + sheet + draft + "</office:spreadsheet></office:body></office:document>\n"


def soffice_xlsx(fods: str, name: str) -> bytes:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed to make the Excel fixtures")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{name}.fods"
        src.write_text(fods, "utf-8")
        profile = (Path(tmp) / "profil").as_uri()
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx",
                        "--outdir", tmp, str(src)], check=True, capture_output=True, timeout=180)
        return (Path(tmp) / f"{name}.xlsx").read_bytes()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "foto-med-metadata.jpg").write_bytes(jpeg_with_metadata(1))
    (OUT / "foto-drejet-med-metadata.jpg").write_bytes(jpeg_with_metadata(6))
    (OUT / "tegning-med-metadata.png").write_bytes(png_with_metadata())
    (OUT / "bredt-ark.fods").write_text(wide_sheet_fods(), "utf-8")
    (OUT / "bredt-ark.xlsx").write_bytes(soffice_xlsx(wide_sheet_fods(), "bredt-ark"))
    for path in sorted(OUT.iterdir()):
        print(f"{path.relative_to(OUT.parents[2])}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
