"""Word, Excel and image bilag: bounds before work, nothing hidden published, legible sheets, converted once.

Hostile workbooks (a value in XFD1048576, a zip bomb, too many rows) are built here as raw zip files; the
real-producer files are in tests/fixtures/office/ (made by scripts/make_fixture_office.py with poppler and
LibreOffice).
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from conftest import ROOT, tiny_pdf
from referat.files import imagemeta
from referat.files.xlsxcheck import BILAG_CELLS, check_workbook

FIXTURES = Path(__file__).parent / "fixtures" / "office"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
OK, INVALID = 0, 1


# --- helpers ------------------------------------------------------------------------------------------------

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '{over}</Types>')


def raw_xlsx(sheets: list[tuple[str, str]], extra: dict[str, bytes] | None = None, state: str = "visible") -> bytes:
    """A minimal .xlsx from (sheet name, sheetData XML body or a whole worksheet XML) pairs, written by hand;
    every sheet in `state` (openpyxl refuses to write a workbook whose sheets are all hidden)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        over = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                       f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, len(sheets) + 1))
        z.writestr("[Content_Types].xml", _CT.format(over=over))
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
                   '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        listed = "".join(f'<sheet name="{name}" sheetId="{i}" state="{state}" r:id="rId{i}"/>' for i, (name, _) in enumerate(sheets, 1))
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
                   'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                   f'relationships"><sheets>{listed}</sheets></workbook>')
        rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                       f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   f'openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        for i, (_, body) in enumerate(sheets, 1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", body if body.startswith("<?xml") else worksheet(body))
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def worksheet(rows: str, dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"{dim}<sheetData>{rows}</sheetData></worksheet>")


FAR_CELL = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Tilbud</t></is></c><c r="B1" t="inlineStr"><is><t>Takst</t>'
            '</is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')


def openpyxl_bytes(workbook: Workbook) -> bytes:
    buf = io.BytesIO()
    workbook.save(buf)
    return buf.getvalue()


def every_stream(pdf: Path | bytes, raw: bool = True) -> bytes:
    """Every stream in the file decompressed (and, with `raw`, the file's bytes): where anything embedded shows."""
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    reader = PdfReader(io.BytesIO(data))
    ids = {i for table in reader.xref.values() for i in table} | set(reader.xref_objStm)
    parts = [data] if raw else []
    for i in sorted(ids):
        obj = reader.get_object(i)
        if hasattr(obj, "get_data"):
            parts.append(obj.get_data())
    return b"".join(parts)


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


def one_item(name: str, title: str = "Bilaget") -> dict[str, str]:
    return {"01-punkt.yaml": f"titel: Punkt\nbilag:\n  - titel: {title}\n    fil: {name}\n"}


def lines_with(err: str, needle: str) -> list[str]:
    return [line for line in err.splitlines() if needle in line]


# --- 1. bounds before work ----------------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["validate", "packet"])
def test_one_value_in_xfd1048576_is_refused_naming_file_sheet_and_limit(make_meeting, run, tmp_path, command) -> None:
    folder = make_meeting(one_item("takster.xlsx"), bilag={"takster.xlsx": raw_xlsx([("Ark1", worksheet(FAR_CELL))])})
    args = [command, folder] + (["--out", tmp_path / "out"] if command == "packet" else [])
    code, _, err = run(*args)
    assert code == INVALID, err
    (line,) = lines_with(err, "XFD1048576")
    assert "01-punkt.yaml:4:10: fejl: bilag/takster.xlsx:" in line and "arket 'Ark1'" in line
    assert "1.048.576 rækker × 16.384 kolonner" in line and f"grænsen er {BILAG_CELLS:,} celler".replace(",", ".") in line
    assert "Traceback" not in err and not (tmp_path / "out").exists()


def test_a_dimension_that_lies_does_not_hide_the_far_cell(tmp_path: Path) -> None:
    """The producer's <dimension> says A1:B1; the sheet really holds a value in XFD1048576."""
    path = tmp_path / "løgn.xlsx"
    path.write_bytes(raw_xlsx([("Ark1", worksheet(FAR_CELL, dimension="A1:B1"))]))
    with pytest.raises(Exception) as caught:
        check_workbook(path, BILAG_CELLS, "gem som PDF")
    assert "XFD1048576" in str(caught.value) and "løgn.xlsx!Ark1" in str(caught.value)


def test_takstskema_with_a_far_value_is_refused_by_import(run, tmp_path: Path) -> None:
    skema = tmp_path / "skema.xlsx"
    skema.write_bytes(raw_xlsx([("Aalborg", worksheet(FAR_CELL))]))
    out = tmp_path / "takster.yaml"
    code, _, err = run("takster", "import", skema, "--out", out)
    assert code == INVALID
    (line,) = lines_with(err, "XFD1048576")
    assert line.startswith(f"{skema}!Aalborg: fejl: arket 'Aalborg'") or "skema.xlsx!Aalborg: fejl:" in line
    assert "grænsen er 300.000 celler" in line and not out.exists()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(make_meeting, run, tmp_path: Path) -> None:
    """20 MB of zeros packed into a few kB (1000:1) inside an otherwise small workbook."""
    bomb = raw_xlsx([("Ark1", '<row r="1"><c r="A1"><v>1</v></c></row>')],
                    extra={"xl/media/image1.bin": b"\0" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    folder = make_meeting(one_item("bombe.xlsx"), bilag={"bombe.xlsx": bomb})
    code, _, err = run("validate", folder)
    assert code == INVALID
    (line,) = lines_with(err, "zip-bombe")
    assert "bilag/bombe.xlsx: delen 'xl/media/image1.bin' er pakket" in line and "grænsen er 200:1" in line
    skema = tmp_path / "skema.xlsx"
    skema.write_bytes(bomb)
    code, _, err = run("takster", "import", skema, "--out", tmp_path / "t.yaml")
    assert code == INVALID and "zip-bombe" in err and "skema.xlsx: fejl:" in err


def test_too_many_rows_are_refused_while_counting_not_after_reading(make_meeting, run, tmp_path: Path) -> None:
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, 250_001))
    folder = make_meeting(one_item("lang.xlsx"), bilag={"lang.xlsx": raw_xlsx([("Data", worksheet(rows))])})
    code, _, err = run("packet", folder, "--out", tmp_path / "out")
    assert code == INVALID
    (line,) = lines_with(err, "arket 'Data'")
    assert "bilag/lang.xlsx" in line and "over 200.000 celler" in line


def test_cells_without_a_reference_are_placed_and_counted(tmp_path: Path) -> None:
    """Cells may leave out r= (position implied); the scan then walks them one by one."""
    rows = "<row><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row><row><c><v>4</v></c></row><row r=\"7\"><c/></row>"
    path = tmp_path / "uden-ref.xlsx"
    path.write_bytes(raw_xlsx([("Ark1", worksheet(rows))]))
    (sheet,) = check_workbook(path, BILAG_CELLS, "gem som PDF")
    assert (sheet.cells, sheet.rows, sheet.cols) == (5, 2, 3)  # the empty <c/> in row 7 holds no value


def test_formatting_alone_far_away_does_not_count_as_content(make_meeting, run, tmp_path: Path) -> None:
    from openpyxl.styles import PatternFill

    wb = Workbook()
    wb.active["A1"] = "Synlig tekst"
    wb.active["ZZ5000"].fill = PatternFill("solid", fgColor="FFFF00")  # <c r="ZZ5000" s="1"/>: no value
    data = openpyxl_bytes(wb)
    assert b'r="ZZ5000"' in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    folder = make_meeting(one_item("formateret.xlsx"), bilag={"formateret.xlsx": data})
    code, _, err = run("packet", folder, "--out", tmp_path / "out")
    assert code == OK, err
    assert any("Synlig tekst" in t for t in page_texts(tmp_path / "out" / "dagsordenspakke.pdf"))


# --- 2. nothing hidden is published -------------------------------------------------------------------------

def test_hidden_sheet_row_and_column_are_warned_and_left_out(make_meeting, run, tmp_path: Path) -> None:
    """LibreOffice wrote the workbook: sheet 'Kladde' hidden, row 43 hidden, column F hidden."""
    folder = make_meeting(one_item("bredt-ark.xlsx", "Takstoversigt"),
                          bilag={"bredt-ark.xlsx": (FIXTURES / "bredt-ark.xlsx").read_bytes()})
    code, _, err = run("validate", folder)
    assert code == OK, err
    assert lines_with(err, "advarsel: bilag/bredt-ark.xlsx: arket 'Kladde' er skjult og kommer ikke med")
    assert lines_with(err, "arket 'Takster' har 1 skjult række og 1 skjult kolonne, som ikke kommer med")
    for public in ([], ["--offentlig"]):
        out = tmp_path / f"out{len(public)}"
        code, _, err = run("packet", folder, "--out", out, *public)
        assert code == OK, err
        pdf = out / ("dagsordenspakke-offentlig.pdf" if public else "dagsordenspakke.pdf")
        text = "\n".join(page_texts(pdf))
        assert "Tilbud nummer 01 Vestervang" in text and "Tilbud nummer 80 Vestervang" in text
        assert "SKJULT" not in text and "Intern note" not in text
        assert b"SKJULT" not in every_stream(pdf)


def test_very_hidden_sheet_is_left_out_and_named(make_meeting, run, tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "Oversigt"
    wb.active.append(["Synligt indhold"])
    secret = wb.create_sheet("Intern")
    secret.append(["MEGET-SKJULT-3377"])
    secret.sheet_state = "veryHidden"
    folder = make_meeting(one_item("ark.xlsx"), bilag={"ark.xlsx": openpyxl_bytes(wb)})
    code, _, err = run("validate", folder)
    assert code == OK and lines_with(err, "arket 'Intern' er skjult (meget skjult) og kommer ikke med")
    code, _, err = run("packet", folder, "--out", tmp_path / "out")
    text = "\n".join(page_texts(tmp_path / "out" / "dagsordenspakke.pdf"))
    assert code == OK and "Synligt indhold" in text and "MEGET-SKJULT" not in text and "Intern" not in text


def test_a_workbook_with_only_hidden_sheets_is_an_error(make_meeting, run) -> None:
    data = raw_xlsx([("A", '<row r="1"><c r="A1"><v>1</v></c></row>'), ("B", "")], state="hidden")
    folder = make_meeting(one_item("skjult.xlsx"), bilag={"skjult.xlsx": data})
    code, _, err = run("validate", folder)
    assert code == INVALID and lines_with(err, "bilag/skjult.xlsx: alle ark er skjulte")


def _filled_takstskema(owner: str) -> Workbook:
    wb = load_workbook(ROOT / "templates" / "takstskema.xlsx")
    ws = wb["Takstskema"]
    ws["B2"], ws["B4"], ws["B5"] = owner, 2026, 5.5
    headers = {c.value: c.column for c in ws[7] if c.value}
    values = {"Tilbud": f"Botilbud {owner}", "Ydelse": "Hovedydelse", "Lovgrundlag": "SEL § 107",
              "Antal pladser": 10, "Takstenhed": "Døgn", "Budg. bel. pct.": 98, "Budget": 11_622_360,
              "Anvendt overheadprocent": 5.5, "Takst": 3249, "Ændring i pct. ift. forrige år": 3.0}
    for header, value in values.items():
        ws.cell(row=8, column=headers[header], value=value)
    return wb


def test_takstskema_hidden_draft_sheet_is_not_imported(run, tmp_path: Path) -> None:
    wb = _filled_takstskema("Morsø Kommune")
    draft = wb.copy_worksheet(wb["Takstskema"])
    draft.title = "Kladde"
    draft["B2"] = "Kladdekommune"
    draft.sheet_state = "hidden"
    skema = tmp_path / "skema.xlsx"
    wb.save(skema)
    out = tmp_path / "takster.yaml"
    code, _, err = run("takster", "import", skema, "--out", out)
    assert code == OK, err
    assert lines_with(err, "skema.xlsx!Kladde: advarsel: arket 'Kladde' er skjult og importeres ikke")
    text = out.read_text("utf-8")
    assert "Morsø Kommune" in text and "Kladdekommune" not in text and "Kladde" not in text


SECRETS = [b"HEMMELIG", b"EXIF-BESKRIVELSE-4711", b"KAMERA-0042", b"XMP-0815", b"IPTC-2222", b"KOMMENTAR-3141",
           b"EFTER-SLUT-9999", b"PNG-TEKST-5151", b"PNG-ITXT-6262",
           struct.pack(">IIIIII", 57, 1, 2, 1, 59123, 1000)]  # the GPS latitude rationals


def test_image_metadata_never_reaches_the_packet(make_meeting, run, tmp_path: Path) -> None:
    names = ["foto-med-metadata.jpg", "foto-drejet-med-metadata.jpg", "tegning-med-metadata.png"]
    for name in names:  # the fixtures really carry what must not be published
        assert b"HEMMELIG" in (FIXTURES / name).read_bytes()
    items = {"01-punkt.yaml": "titel: Punkt\nbilag:\n" + "".join(f"  - titel: Billede {i}\n    fil: {n}\n"
                                                                 for i, n in enumerate(names, 1))}
    folder = make_meeting(items, bilag={n: (FIXTURES / n).read_bytes() for n in names})
    code, _, err = run("packet", folder, "--out", tmp_path / "out", "--offentlig")
    assert code == OK, err
    blob = every_stream(tmp_path / "out" / "dagsordenspakke-offentlig.pdf")
    for secret in SECRETS:
        assert secret not in blob, secret
    streams = every_stream(tmp_path / "out" / "dagsordenspakke-offentlig.pdf", raw=False)
    assert streams.count(b"Exif\x00\x00") == 1  # only the orientation of the turned photo is kept
    reader = PdfReader(tmp_path / "out" / "dagsordenspakke-offentlig.pdf")
    images = [p for p in reader.pages if "/XObject" in p["/Resources"] and any(
        x.get_object().get("/Subtype") == "/Image" for x in p["/Resources"]["/XObject"].values())]
    assert len(images) == 3
    upright, turned = (re.search(rb"([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) [-\d.]+ [-\d.]+ cm\s*/x0 Do",
                                 p.get_contents().get_data()) for p in images[:2])
    assert upright and turned
    assert abs(float(upright.group(2))) < 1e-6 and abs(float(turned.group(1))) < 1e-6  # EXIF orientation 6 honoured


def test_jpeg_filter_keeps_the_picture_bytes_and_colour_segments() -> None:
    data = (FIXTURES / "foto-med-metadata.jpg").read_bytes()
    clean = imagemeta.strip_metadata(data)
    assert clean is not None and clean.startswith(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00") and clean.endswith(b"\xff\xd9")
    sos = data.index(b"\xff\xda")
    assert data[sos:data.index(b"\xff\xd9") + 2] in clean  # the scan data are copied, not re-encoded
    with_icc = clean[:20] + b"\xff\xe2\x00\x10ICC_PROFILE\x00\x01\x01" + clean[20:]
    assert b"ICC_PROFILE" in (imagemeta.strip_metadata(with_icc) or b"")
    mpf = clean[:20] + b"\xff\xe2\x00\x08MPF\x00\x00\x00" + clean[20:]
    assert b"MPF" not in (imagemeta.strip_metadata(mpf) or b"MPF")


@pytest.mark.parametrize("data", [b"\xff\xd8\xff\xe1\xff\xff short", b"\xff\xd8\xff\xdb\x00\x04\x00\x00",
                                  b"\x89PNG\r\n\x1a\n\x00\x00"])
def test_images_the_filter_cannot_follow_are_refused_not_embedded(make_meeting, run, tmp_path, data) -> None:
    assert imagemeta.strip_metadata(data) is None and imagemeta.strip_metadata(b"GIF89a") is None
    name = "billede.png" if data.startswith(b"\x89PNG") else "billede.jpg"
    folder = make_meeting(one_item(name), bilag={name: data})
    code, _, err = run("packet", folder, "--out", tmp_path / "out")
    assert code == INVALID and lines_with(err, "billedet kan ikke læses") and "Traceback" not in err


# --- 3. Word and Excel bilag --------------------------------------------------------------------------------

def test_word_bilag_without_libreoffice_is_warned_by_validate_with_the_fix(make_meeting, run, tmp_path, monkeypatch):
    folder = make_meeting(one_item("notat.docx"), bilag={"notat.docx": _docx("Notat")})
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice or libreoffice here
    code, _, err = run("validate", folder)
    assert code == OK
    (line,) = lines_with(err, ": advarsel: ")
    assert "01-punkt.yaml:4:10: advarsel: bilag/notat.docx skal konverteres til PDF med LibreOffice" in line
    assert "gem filen som PDF, eller installér LibreOffice" in line
    code, _, err = run("packet", folder, "--out", tmp_path / "out")
    assert code == INVALID and "gem filen som PDF, eller installér LibreOffice" in err and "--pdf-motor" not in err


def test_word_bilag_validates_quietly_when_libreoffice_is_there(make_meeting, run, monkeypatch) -> None:
    from referat.validate import bilag

    monkeypatch.setattr(bilag, "find_soffice", lambda: "/usr/bin/soffice")
    folder = make_meeting(one_item("notat.docx"), bilag={"notat.docx": _docx("Notat")})
    code, _, err = run("validate", folder)
    assert code == OK and "advarsel" not in err


def _docx(text: str) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading("Notat", level=1)
    doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_word_bilag_is_converted_once_and_a_bad_cache_entry_is_not_trusted(make_meeting, run, tmp_path, monkeypatch):
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) er ikke installeret: Word-bilag kan ikke konverteres i denne test")
    from referat.files import libreoffice

    cache = tmp_path / "cache"
    monkeypatch.setenv("REFERAT_CACHE", str(cache))
    folder = make_meeting(one_item("notat.docx"), bilag={"notat.docx": _docx("Notat om takstberegningen 2026")})
    calls = []
    real = libreoffice.subprocess.run
    monkeypatch.setattr(libreoffice.subprocess, "run", lambda *a, **k: calls.append(a) or real(*a, **k))
    for n in range(2):
        code, _, err = run("packet", folder, "--out", tmp_path / f"out{n}")
        assert code == OK, err
        assert "Notat om takstberegningen 2026" in "\n".join(page_texts(tmp_path / f"out{n}" / "dagsordenspakke.pdf"))
    assert len(calls) == 1  # the second packet took the cached PDF
    (entry,) = cache.glob("*.pdf")
    assert not list(cache.glob(".tmp-*"))
    entry.write_bytes(b"%PDF-1.7 beskadiget")
    code, _, err = run("packet", folder, "--out", tmp_path / "out3")
    assert code == OK, err
    assert len(calls) == 2 and PdfReader(entry).pages  # converted again and the entry repaired
    assert "Notat om takstberegningen 2026" in "\n".join(page_texts(tmp_path / "out3" / "dagsordenspakke.pdf"))


def test_cache_key_changes_with_the_file_and_the_converter(tmp_path, monkeypatch) -> None:
    import sys

    from referat.files import libreoffice

    monkeypatch.setenv("REFERAT_CACHE", str(tmp_path / "c"))
    assert libreoffice.cache_dir() == tmp_path / "c"
    monkeypatch.delenv("REFERAT_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform not in ("win32", "darwin"):
        assert libreoffice.cache_dir() == tmp_path / "xdg" / "referat" / "konverteret"
    fake = tmp_path / "soffice"
    fake.write_bytes(b"v1")
    first = libreoffice.converter_version(str(fake))
    fake.write_bytes(b"v22")
    libreoffice.converter_version.cache_clear()
    assert libreoffice.converter_version(str(fake)) != first


# Excel bilag printed legibly (the LibreOffice-made fixture; widths in Excel's units, as LibreOffice wrote them)

@pytest.fixture(scope="module")
def wide_view() -> dict:
    from referat.packet.sources import sheet_view

    path = FIXTURES / "bredt-ark.xlsx"
    facts = {f.name: f for f in check_workbook(path, BILAG_CELLS, "x")}
    wb = load_workbook(path, data_only=True)
    return sheet_view(wb["Takster"], facts["Takster"])


def test_sheet_keeps_its_column_widths_and_leaves_hidden_columns_out(wide_view: dict) -> None:
    widths = wide_view["widths"]
    assert len(widths) == 11  # 12 columns, F hidden
    px = {"A": int(45.96 * 7 + 5), "B": int(7.66 * 7 + 5), "C": int(15.32 * 7 + 5)}
    assert widths[0] / widths[2] == pytest.approx(px["A"] / px["C"], rel=0.02)
    assert widths[1] / widths[2] == pytest.approx(px["B"] / px["C"], rel=0.02)
    assert len(set(widths[2:])) == 1
    assert wide_view["landscape"] and 6 <= wide_view["size"] <= 9


def test_sheet_print_titles_are_the_repeated_header(wide_view: dict) -> None:
    assert [row[0] for row in wide_view["head"]] == ["Tilbud", ""]
    assert wide_view["pre"] == []
    assert all("SKJULT" not in str(row) for row in wide_view["body"])


def test_long_text_spills_over_empty_cells_instead_of_one_word_per_line(wide_view: dict) -> None:
    last = wide_view["body"][-1]
    # LibreOffice set "wrap" on the cell: it wraps inside column A (as Excel prints it), the widest column
    assert last[0].startswith("Bemærkning: taksten for 2026") and set(last[1:]) == {""}
    assert wide_view["widths"][0] == max(wide_view["widths"])


def test_long_unwrapped_cell_spans_its_empty_neighbours() -> None:
    from referat.packet.sources import sheet_view

    wb = Workbook()
    ws = wb.active
    ws.append(["Overskrift der er meget længere end en kolonne og fortsætter ud over de næste tomme celler"])
    ws.append(["Tilbud", "Pladser", "Takst", "Note"])
    ws.append(["Vestervang", 12, 3240.5, "ok"])
    view = sheet_view(ws, None)
    title = view["head"][0][0]
    assert title["cs"] == 4  # across the empty B1:D1, as Excel shows it
    assert view["body"][1] == ["Vestervang", {"t": "12", "n": True}, {"t": "3.240,50", "n": True}, "ok"]


def test_wide_sheet_prints_landscape_with_the_header_on_every_page(make_meeting, run, tmp_path: Path) -> None:
    folder = make_meeting(one_item("bredt-ark.xlsx", "Takstoversigt"),
                          bilag={"bredt-ark.xlsx": (FIXTURES / "bredt-ark.xlsx").read_bytes()})
    code, _, err = run("packet", folder, "--out", tmp_path / "out")
    assert code == OK, err
    reader = PdfReader(tmp_path / "out" / "dagsordenspakke.pdf")
    sheet_pages = [p for p in reader.pages if "Vestervang" in (p.extract_text() or "")]
    assert len(sheet_pages) >= 2
    for page in sheet_pages:
        assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
        assert "Takst 2026" in page.extract_text()  # the print titles repeat
    text = "\n".join(p.extract_text() for p in sheet_pages)
    numbers = [int(n) for n in re.findall(r"Tilbud nummer (\d\d) Vestervang", text)]
    assert numbers == list(range(1, 81))  # every visible row, in order, each on one line
    remark = [line for line in text.splitlines() if any(w in line for w in ("Bemærkning", "belægningsniveau",
                                                                              "overenskomst", "administration"))]
    assert 1 <= len(remark) <= 6  # 30 words wrapped in a wide column: a few lines, never a word per line
    assert all(len(line.split()) >= 5 for line in remark[:-1]), remark


# --- 4. file names ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("in_yaml", "on_disk"), [("NFC", "NFD"), ("NFD", "NFC")])
def test_bilag_name_matches_across_unicode_normalisation(make_meeting, run, tmp_path, in_yaml, on_disk) -> None:
    name = "Referat-møde-årsplan.pdf"
    folder = make_meeting(one_item(unicodedata.normalize(in_yaml, name)),
                          bilag={unicodedata.normalize(on_disk, name): tiny_pdf()})
    code, _, err = run("validate", folder)
    assert code == OK, err
    code, _, err = run("packet", folder, "--out", tmp_path / "out")
    assert code == OK, err
    assert len(PdfReader(tmp_path / "out" / "dagsordenspakke.pdf").pages) >= 3


@pytest.mark.parametrize("kind", ["absolut", "op-og-ud", "symlink-fil", "symlink-mappe"])
def test_bilag_can_never_point_outside_the_meeting(make_meeting, run, tmp_path: Path, kind: str) -> None:
    outside = tmp_path / "hemmeligt"
    outside.mkdir()
    (outside / "løn.pdf").write_bytes(tiny_pdf("Løn"))
    name = {"absolut": str(outside / "løn.pdf"), "op-og-ud": "../../hemmeligt/løn.pdf"}.get(kind, "løn.pdf")
    folder = make_meeting(one_item(name))
    if kind == "symlink-fil":
        (folder / "bilag" / "løn.pdf").symlink_to(outside / "løn.pdf")
    elif kind == "symlink-mappe":
        (folder / "bilag").rmdir()
        (folder / "bilag").symlink_to(outside, target_is_directory=True)
    code, _, err = run("validate", folder)
    assert code == INVALID
    (line,) = lines_with(err, "ligger uden for mødets bilag/-mappe")
    assert "01-punkt.yaml:4:10: fejl:" in line
    code, _, err = run("packet", folder, "--out", tmp_path / "out")
    assert code == INVALID and not (tmp_path / "out").exists()


def test_merged_cells_stay_merged_and_a_merge_across_the_header_is_cut(make_meeting, run, tmp_path: Path) -> None:
    from referat.packet.sources import sheet_view

    wb = Workbook()
    ws = wb.active
    ws.append(["Tilbud", "Takster 2026", None])
    ws.append(["Vestervang", 3240, 3300])
    ws.append(["Skovly", 2900, 2950])
    ws.merge_cells("B1:C1")  # a header over two columns
    ws.merge_cells("A2:A3")  # a body cell over two rows
    ws.append(["Gruppe", "Fælles note", None])
    ws.merge_cells("A4:A5")
    ws.append([None, "x", "y"])
    view = sheet_view(ws, None)
    assert view["head"] == [["Tilbud", {"t": "Takster 2026", "cs": 2, "rs": 1}]]
    assert view["body"][0][0] == {"t": "Vestervang", "cs": 1, "rs": 2}
    assert view["body"][1] == [{"t": "2.900", "n": True}, {"t": "2.950", "n": True}]  # A3 is covered
    wb.save(tmp_path / "flettet.xlsx")
    folder = make_meeting(one_item("flettet.xlsx"), bilag={"flettet.xlsx": (tmp_path / "flettet.xlsx").read_bytes()})
    code, _, err = run("packet", folder, "--out", tmp_path / "out")
    assert code == OK, err
    text = "\n".join(page_texts(tmp_path / "out" / "dagsordenspakke.pdf"))
    assert "Takster 2026" in text and "Vestervang" in text and "2.950" in text

    ws.merge_cells("A1:A2")  # a range that crosses the header border: cut, the lower part blank
    view = sheet_view(ws, None)
    assert view["head"][0][0] == {"t": "Tilbud", "cs": 1, "rs": 1}
    assert view["body"][0][0] == {"t": "", "cs": 1, "rs": 1}


def test_a_long_word_is_broken_inside_its_cell_invisibly() -> None:
    from referat.packet.sources import sheet_view

    wb = Workbook()
    ws = wb.active
    ws.column_dimensions["A"].width = 8
    ws.append(["Sagsnummer", "Note"])
    ws.append(["27.69.48-Ø54-1-26-ABCDEFGHIJKLMNOPQRSTUV", "næste"])
    view = sheet_view(ws, None)
    word = view["body"][0][0]
    assert "\u200b" in word and word.replace("\u200b", "") == "27.69.48-Ø54-1-26-ABCDEFGHIJKLMNOPQRSTUV"
    assert all(len(piece) <= 20 for piece in word.split("\u200b"))


def test_a_flood_of_shared_strings_is_refused_before_openpyxl_builds_them(make_meeting, run) -> None:
    table = ('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             + "".join(f"<si><t>{n}</t></si>" for n in range(2 * BILAG_CELLS + 1)) + "</sst>")
    data = raw_xlsx([("Ark1", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>')],
                    extra={"xl/sharedStrings.xml": table.encode()})
    folder = make_meeting(one_item("tekster.xlsx"), bilag={"tekster.xlsx": data})
    code, _, err = run("validate", folder)
    assert code == INVALID
    (line,) = lines_with(err, "forskellige tekster")
    assert "bilag/tekster.xlsx: filen har over 200.000 forskellige tekster" in line


@pytest.mark.parametrize(("value", "fmt", "shown"), [(0.062, "0.0%", "6,2 %"), (0.5, "0%", "50 %"),
                                                     (3029.5, "General", "3.029,50"), (3029.456, "#,##0.0", "3.029,5"),
                                                     (12, "0", "12"), (True, "General", "Ja")])
def test_cell_values_print_in_danish_with_the_cells_format(value, fmt, shown) -> None:
    from referat.packet.sources import _cell

    assert _cell(value, fmt) == shown


def rezipped(data: bytes, edits: dict[str, Callable[[bytes], bytes]],
             compression: int = zipfile.ZIP_STORED) -> bytes:
    """The Office file (a zip) `data` written again member by member, each member named in `edits` changed by its
    function (which must change it)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    assert set(edits) <= set(source.namelist()), (sorted(edits), source.namelist())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as target:
        for name in source.namelist():
            member = source.read(name)
            if name in edits:
                edited = edits[name](member)
                assert edited != member, name
                member = edited
            target.writestr(name, member)
    return out.getvalue()


def tracked_docx() -> bytes:
    """A Word file with a tracked deletion, a tracked insertion, a deleted table row, a comment anchor, hidden
    text and an author in its properties (python-docx, then the revision markup Word writes)."""
    from docx import Document

    doc = Document()
    doc.core_properties.author = "HEMMELIG-FORFATTER"
    doc.add_paragraph("Synlig tekst om takster.")
    doc.add_paragraph("PLADSHOLDER")
    table = doc.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "Række der bliver"
    table.cell(1, 0).text = "SLETTET-RÆKKE-4455"
    buf = io.BytesIO()
    doc.save(buf)
    stamp = 'w:author="A" w:date="2026-01-01T00:00:00Z"'

    def revisions(data: bytes) -> bytes:
        text = data.decode("utf-8")
        text = text.replace("<w:r><w:t>PLADSHOLDER</w:t></w:r>", (
            '<w:r><w:t xml:space="preserve">Beholdt </w:t></w:r>'
            f'<w:del w:id="1" {stamp}><w:r><w:delText>SLETTET-HEMMELIGT-1234</w:delText></w:r></w:del>'
            f'<w:ins w:id="2" {stamp}><w:r><w:t>INDSAT-NY-5678</w:t></w:r></w:ins>'
            '<w:commentRangeStart w:id="0"/><w:r><w:t xml:space="preserve"> med note</w:t></w:r>'
            '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>'))
        last_row = text.rindex("<w:tr>") if "<w:tr>" in text else text.rindex("<w:tr ")
        row_end = text.index(">", last_row) + 1
        text = text[:row_end] + f'<w:trPr><w:del w:id="3" {stamp}/></w:trPr>' + text[row_end:]
        assert "SLETTET-HEMMELIGT" in text
        return text.encode("utf-8")

    return rezipped(buf.getvalue(), {"word/document.xml": revisions}, zipfile.ZIP_DEFLATED)


def test_word_tracked_changes_are_warned_and_accepted_before_conversion(make_meeting, run, tmp_path) -> None:
    from referat.files import libreoffice

    data = tracked_docx()
    folder = make_meeting(one_item("notat.docx"), bilag={"notat.docx": data})
    code, _, err = run("validate", folder)
    assert code == OK, err
    assert lines_with(err, "bilag/notat.docx har 3 sporede ændringer; pakken viser dokumentet med ændringerne "
                           "accepteret (slettet tekst kommer ikke med)")
    assert lines_with(err, "bilag/notat.docx har 1 kommentar, som ikke kommer med i pakken")
    accepted = libreoffice.accept_revisions(folder / "bilag" / "notat.docx", data)
    body = zipfile.ZipFile(io.BytesIO(accepted)).read("word/document.xml").decode("utf-8")
    assert "SLETTET-HEMMELIGT" not in body and "SLETTET-RÆKKE" not in body and "commentReference" not in body
    assert "INDSAT-NY-5678" in body and "Række der bliver" in body and "<w:ins" not in body
    assert libreoffice.word_notes(folder / "bilag" / "notat.docx", accepted) == []


def test_word_bilag_prints_without_deleted_text_or_its_author(make_meeting, run, tmp_path, monkeypatch) -> None:
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) er ikke installeret: Word-bilag kan ikke konverteres i denne test")
    monkeypatch.setenv("REFERAT_CACHE", str(tmp_path / "cache"))
    folder = make_meeting(one_item("notat.docx"), bilag={"notat.docx": tracked_docx()})
    code, _, err = run("packet", folder, "--out", tmp_path / "out", "--offentlig")
    assert code == OK, err
    pdf = tmp_path / "out" / "dagsordenspakke-offentlig.pdf"
    text = "\n".join(page_texts(pdf))
    assert "Beholdt" in text and "INDSAT-NY-5678" in text and "Række der bliver" in text
    assert "SLETTET" not in text
    assert b"HEMMELIG-FORFATTER" not in every_stream(pdf)


def test_a_word_zip_bomb_is_refused_by_validate(make_meeting, run) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/media/image1.bin", b"\0" * (20 * 1024 * 1024))
    folder = make_meeting(one_item("bombe.docx"), bilag={"bombe.docx": buf.getvalue()})
    code, _, err = run("validate", folder)
    assert code == INVALID
    (line,) = lines_with(err, "zip-bombe")
    assert "bilag/bombe.docx: delen 'word/media/image1.bin' er pakket" in line


def test_png_exif_keeps_only_a_turned_orientation() -> None:
    data = (FIXTURES / "tegning-med-metadata.png").read_bytes()
    assert b"eXIf" in data and b"eXIf" not in (imagemeta.strip_metadata(data) or b"eXIf")  # upright: all dropped
    start = data.index(b"eXIf") - 4
    (length,) = struct.unpack(">I", data[start:start + 4])
    body = bytearray(data[start + 8:start + 8 + length])
    at = body.index(struct.pack(">HHI", 0x0112, 3, 1))
    body[at + 8:at + 10] = struct.pack(">H", 6)  # turned 90°
    turned = data[:start] + imagemeta._png_chunk(b"eXIf", bytes(body)) + data[start + 12 + length:]
    clean = imagemeta.strip_metadata(turned)
    assert clean is not None and b"eXIf" in clean
    for secret in SECRETS:
        assert secret not in clean


def test_a_cell_formatted_to_show_nothing_prints_nothing() -> None:
    from referat.packet.sources import _cell

    assert _cell(4711, ";;;") == "" and _cell("HEMMELIG", ";;;") == "" and _cell(4711, "0;-0;;@") == "4.711"


@pytest.mark.parametrize("kind", ["png", "jpg"])
def test_an_image_of_too_many_pixels_is_refused_before_it_is_decoded(make_meeting, run, tmp_path, kind) -> None:
    """A few hundred bytes that declare 60,000 x 60,000 pixels (3.6 gigapixel: 10 GB once decoded)."""
    if kind == "png":
        data = (FIXTURES / "tegning-med-metadata.png").read_bytes()
        ihdr = data[12:16] + struct.pack(">II", 60_000, 60_000) + data[24:29]
        data = data[:12] + ihdr + struct.pack(">I", __import__("zlib").crc32(ihdr)) + data[33:]
    else:
        data = bytearray((FIXTURES / "foto-med-metadata.jpg").read_bytes())
        sof = data.index(b"\xff\xc0")
        data[sof + 5:sof + 9] = struct.pack(">HH", 60_000, 60_000)
        data = bytes(data)
    assert imagemeta.dimensions(data) == (60_000, 60_000)
    assert imagemeta.dimensions((FIXTURES / f"{'tegning-med-metadata' if kind == 'png' else 'foto-med-metadata'}."
                                 f"{kind}").read_bytes()) == (60, 30)
    name = f"stort.{kind}"
    folder = make_meeting(one_item(name), bilag={name: data})
    code, _, err = run("validate", folder)
    assert code == INVALID
    (line,) = lines_with(err, "megapixel")
    assert f"bilag/{name}: billedet er 60.000 × 60.000 punkter; grænsen er 100 megapixel" in line


def _encrypt_flag(data: bytes, member: str) -> bytes:
    """The zip with `member` marked as encrypted (general-purpose flag bit 0), as a password-zipped file is."""
    out = bytearray(data)
    name = member.encode()
    # local file header: flags at 6, name length at 26, name at 30; central directory: 8, 28, 46
    for signature, flag_at, length_at, name_at in ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46)):
        start = 0
        while (start := out.find(signature, start)) >= 0:
            (length,) = struct.unpack("<H", out[start + length_at:start + length_at + 2])
            if out[start + name_at:start + name_at + length] == name:
                out[start + flag_at] |= 1
            start += 4
    return bytes(out)


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_a_member_encrypted_with_a_password_is_a_message_not_a_traceback(make_meeting, run, tmp_path, kind) -> None:
    if kind == "xlsx":
        data = _encrypt_flag(raw_xlsx([("Ark1", '<row r="1"><c r="A1"><v>1</v></c></row>')]), "xl/worksheets/sheet1.xml")
        needle = "arket 'Ark1' er krypteret med adgangskode"
    else:
        data = _encrypt_flag(_docx("Notat"), "word/styles.xml")
        needle = "Word-filen kan ikke læses (RuntimeError"
    with pytest.raises(RuntimeError):
        zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml" if kind == "xlsx" else "word/styles.xml")
    name = f"laast.{kind}"
    folder = make_meeting(one_item(name), bilag={name: data})
    if kind == "xlsx":
        code, _, err = run("validate", folder)
        assert code == INVALID and lines_with(err, needle) and "Traceback" not in err
        skema = tmp_path / "skema.xlsx"
        skema.write_bytes(data)
        code, _, err = run("takster", "import", skema, "--out", tmp_path / "t.yaml")
        assert code == INVALID and lines_with(err, "skema.xlsx!Ark1: fejl: arket 'Ark1' er krypteret")
    else:
        from referat.files import libreoffice

        with pytest.raises(Exception) as caught:
            libreoffice.accept_revisions(folder / "bilag" / name, data)
        assert needle in str(caught.value)


def test_word_links_to_other_files_are_cut_before_libreoffice_opens_it(tmp_path: Path) -> None:
    """An INCLUDETEXT field naming /etc/passwd, a picture linked from a server, a hyperlink (kept)."""
    from referat.files import libreoffice

    fields = (
        b'<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        b'<w:r><w:instrText xml:space="preserve"> INCLUDETEXT "/etc/passwd" </w:instrText></w:r>'
        b'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>vist resultat</w:t></w:r>'
        b'<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        b'<w:fldSimple w:instr=" INCLUDEPICTURE &quot;\\\\\\\\server\\\\del\\\\x.png&quot; "/>'
        b'<w:fldSimple w:instr=" PAGE "/>')
    links = (
        b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/image" Target="http://spor.example/pixel.png" TargetMode="External"/>'
        b'<Relationship Id="rIdY" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/hyperlink" Target="https://www.example.dk/" TargetMode="External"/>'
        b"</Relationships>")
    docx = rezipped(_docx("PLADSHOLDER"), {
        "word/document.xml": lambda data: data.replace(b"<w:r><w:t>PLADSHOLDER</w:t></w:r>", fields),
        "word/_rels/document.xml.rels": lambda data: data.replace(b"</Relationships>", links)})
    assert b"INCLUDETEXT" in zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")
    cleaned = zipfile.ZipFile(io.BytesIO(libreoffice.accept_revisions(tmp_path / "n.docx", docx)))
    body = cleaned.read("word/document.xml").decode("utf-8")
    assert "INCLUDETEXT" not in body and "INCLUDEPICTURE" not in body and "/etc/passwd" not in body
    assert "vist resultat" in body and 'w:instr=" PAGE "' in body
    rels = cleaned.read("word/_rels/document.xml.rels").decode("utf-8")
    assert "spor.example" not in rels and "https://www.example.dk/" in rels


def test_a_very_wide_sheet_shares_the_page_width_in_the_sheets_proportions(tmp_path: Path) -> None:
    import datetime as dt

    from openpyxl.utils import get_column_letter

    from referat.packet.sources import compile_typst, sheet_view

    wb = Workbook()
    ws = wb.active
    ws.append([f"Kolonne {c}" for c in range(1, 41)])
    ws.append([f"v{c}" for c in range(1, 41)])
    for c in range(1, 41):
        ws.column_dimensions[get_column_letter(c)].width = 30 if c == 1 else 15
    view = sheet_view(ws, None)
    assert view["landscape"] and view["size"] == 6 and view["fit"] is False
    assert view["widths"][0] / view["widths"][1] == pytest.approx((30 * 7 + 5) / (15 * 7 + 5), rel=0.01)
    pdf = compile_typst("sheet.typ", {"title": "Bred", "empty": "", "sheets": [view]}, dt.date(2026, 2, 23))[0]
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)
    assert "v1" in page.extract_text() and "v40" in page.extract_text()


def test_an_old_doc_file_is_warned_about(make_meeting, run, monkeypatch) -> None:
    from referat.validate import bilag

    monkeypatch.setattr(bilag, "find_soffice", lambda: "/usr/bin/soffice")
    folder = make_meeting(one_item("gammel.doc"), bilag={"gammel.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504})
    code, _, err = run("validate", folder)
    assert code == OK
    (line,) = lines_with(err, ": advarsel: ")
    assert "bilag/gammel.doc er i Words gamle format (.doc)" in line and "gem filen som .docx eller PDF" in line


def test_rows_and_columns_shrunk_to_nothing_count_as_hidden(make_meeting, run, tmp_path: Path) -> None:
    """Height 0 and width 0 hide a row and a column in Excel as surely as 'hidden' (openpyxl cannot write them)."""
    def cell(ref: str, text: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'

    rows = (f'<row r="1">{cell("A1", "Tilbud")}{cell("B1", "Takst")}{cell("C1", "NUL-BRED-KOLONNE-1")}</row>'
            f'<row r="2">{cell("A2", "Vestervang")}<c r="B2"><v>3240</v></c>{cell("C2", "NUL-BRED-KOLONNE-2")}</row>'
            f'<row r="3" ht="0" customHeight="1">{cell("A3", "NUL-HØJ-RÆKKE")}</row>')
    sheet = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<cols><col min="3" max="3" width="0" customWidth="1"/></cols>'
             f"<sheetData>{rows}</sheetData></worksheet>")
    folder = make_meeting(one_item("nul.xlsx"), bilag={"nul.xlsx": raw_xlsx([("Ark", sheet)])})
    code, _, err = run("validate", folder)
    assert code == OK and lines_with(err, "arket 'Ark' har 1 skjult række og 1 skjult kolonne, som ikke kommer med")
    code, _, err = run("packet", folder, "--out", tmp_path / "out")
    assert code == OK, err
    text = "\n".join(page_texts(tmp_path / "out" / "dagsordenspakke.pdf"))
    assert "Vestervang" in text and "NUL-" not in text


def test_packet_with_excel_and_image_bilag_is_reproducible(make_meeting, run, tmp_path: Path) -> None:
    names = ["bredt-ark.xlsx", "foto-drejet-med-metadata.jpg"]
    items = {"01-punkt.yaml": "titel: Punkt\nbilag:\n" + "".join(f"  - titel: Bilag {i}\n    fil: {n}\n"
                                                                 for i, n in enumerate(names, 1))}
    folder = make_meeting(items, bilag={n: (FIXTURES / n).read_bytes() for n in names})
    outputs = []
    for n in range(2):
        code, _, err = run("packet", folder, "--out", tmp_path / f"out{n}")
        assert code == OK, err
        outputs.append((tmp_path / f"out{n}" / "dagsordenspakke.pdf").read_bytes())
    assert outputs[0] == outputs[1]


def test_an_image_file_over_the_size_limit_is_refused_without_reading_it(make_meeting, run, tmp_path) -> None:
    folder = make_meeting(one_item("enorm.jpg"), bilag={"enorm.jpg": (FIXTURES / "foto-med-metadata.jpg").read_bytes()})
    with (folder / "bilag" / "enorm.jpg").open("r+b") as fh:  # a sparse file: 101 MB on paper, nothing on disk
        fh.truncate(imagemeta.MAX_IMAGE_BYTES + 1024 * 1024)
    code, _, err = run("validate", folder)
    assert code == INVALID
    (line,) = lines_with(err, "billedfilen fylder")
    assert "bilag/enorm.jpg: billedfilen fylder 101 MB; grænsen er 100 MB" in line


def test_a_worksheet_the_workbook_does_not_list_is_bounded_too(tmp_path: Path) -> None:
    path = tmp_path / "skjult-del.xlsx"
    path.write_bytes(raw_xlsx([("Ark1", '<row r="1"><c r="A1"><v>1</v></c></row>')],
                              extra={"xl/worksheets/sheet9.xml": worksheet(FAR_CELL).encode()}))
    with pytest.raises(Exception) as caught:
        check_workbook(path, BILAG_CELLS, "gem som PDF")
    assert "arket 'sheet9.xml' har værdier helt ud til celle XFD1048576" in str(caught.value)


@pytest.mark.parametrize(("typed", "shown"), [("a\\0b.pdf", "U+0000"), ("\\e[31mrød.pdf", "U+001B"),
                                             ("bilag\\u202efdp.exe", "U+202E")])
def test_a_bilag_name_with_control_characters_is_refused_and_shown_escaped(make_meeting, run, tmp_path,
                                                                            typed, shown) -> None:
    folder = make_meeting({"01-punkt.yaml": f'titel: Punkt\nbilag:\n  - titel: B\n    fil: "{typed}"\n'})
    for command in (["validate", folder], ["packet", folder, "--out", tmp_path / "out"]):
        code, out, err = run(*command)
        assert "\x1b" not in out
        assert code == INVALID and "Traceback" not in err
        (line,) = lines_with(err, ": fejl: ")  # the loader refuses the name before any file is looked up
        assert f"01-punkt.yaml:4:10: fejl: filnavnet indeholder det usynlige tegn {shown}" in line
        assert "\x1b" not in err and "\0" not in err and "\u202e" not in err


def test_a_word_file_over_the_size_limit_is_refused_without_reading_it(make_meeting, run) -> None:
    from referat.files.xlsxcheck import MAX_TOTAL_BYTES

    folder = make_meeting(one_item("stor.docx"), bilag={"stor.docx": _docx("Notat")})
    with (folder / "bilag" / "stor.docx").open("r+b") as fh:  # sparse: large on paper, nothing on disk
        fh.truncate(MAX_TOTAL_BYTES + 1024 * 1024)
    code, _, err = run("validate", folder)
    assert code == INVALID
    (line,) = lines_with(err, "Word-filen fylder")
    assert "bilag/stor.docx: Word-filen fylder 257 MB; grænsen er 256 MB" in line
