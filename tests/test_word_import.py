"""`referat import` (issue 26): contributions from Word become items, with their lists, tables and headings.

The corpus in tests/fixtures/word/ was written by real producers (scripts/make_word_corpus.py): LibreOffice
from ODT and from HTML, python-docx with numbering definitions, a municipal-style template, tracked changes and a
comment, an image and merged cells, hidden content, a .docm and a password-protected file. Each document imports
to the item in tests/golden/word/ (`pytest --update-golden` rewrites them; review the diff).
"""

from __future__ import annotations

import difflib
import io
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from conftest import ROOT
from referat.cli import main

CORPUS = ROOT / "tests" / "fixtures" / "word"
GOLDEN = ROOT / "tests" / "golden" / "word"
SECRETS = ("HEMMELIG-SKJULT-TEKST-1111", "HEMMELIG-SKJULT-TYPOGRAFI-2222", "HEMMELIG-FELTKODE-3333",
           "HEMMELIG-FORFATTER-4444", "HEMMELIG-FIRMA-5555", "HEMMELIG-CUSTOMXML-6666", "HEMMELIG-EGENSKAB-7777",
           "HEMMELIG-KOMMENTAR-8888", "HEMMELIG-SLETTET-9999")
DOCUMENTS = ["lo-fra-odt", "lo-fra-html", "python-docx-nummerering", "kommune-skabelon", "billede-og-flettede-celler",
             "skjult-indhold"]
MEETINGS = ["2026-02-23-das-social", "2023-03-31-das-social", "demo-2026-06-15-das-social", "2024-06-21-kkr-nordjylland"]


def _update(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden", default=False)) or \
        os.environ.get("REFERAT_UPDATE_GOLDEN") == "1"


def _golden(request: pytest.FixtureRequest, name: str, actual: str) -> None:
    path = GOLDEN / name
    if _update(request):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    if not path.is_file():
        pytest.fail(f"{path} mangler: kør pytest --update-golden og gennemse filen")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "\n".join(difflib.unified_diff(expected.splitlines(), actual.splitlines(), f"golden/word/{name}",
                                              "faktisk", lineterm="", n=2))
        pytest.fail(f"{name} afviger fra den godkendte udgave:\n{diff}", pytrace=False)


def _new_meeting(tmp_path: Path, name: str = "moede") -> Path:
    folder = tmp_path / name
    assert main(["new", str(folder), "--dato", "2026-09-14"]) == 0
    return folder


def _import(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["import", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _new_items(folder: Path, before: set[str]) -> list[Path]:
    return sorted(p for p in (folder / "punkter").iterdir() if p.name not in before)


@pytest.mark.parametrize("name", [*DOCUMENTS, "sporede-aendringer"])
def test_each_contribution_imports_to_its_golden_item(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      request: pytest.FixtureRequest) -> None:
    """(The document with tracked changes with --accepter-ændringer; without, it is refused, tested below.)"""
    folder = _new_meeting(tmp_path)
    before = {p.name for p in (folder / "punkter").iterdir()}
    work = tmp_path / "indbakke"
    work.mkdir()
    for f in CORPUS.iterdir():  # the document and what lies beside it, as in a mail folder
        shutil.copyfile(f, work / f.name)
    extra = ["--accepter-ændringer"] if name == "sporede-aendringer" else []
    code, out, err = _import(capsys, str(work / f"{name}.docx"), "--til", str(folder), *extra)
    assert code == 0, err
    [item] = _new_items(folder, before)
    text = item.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    printed = (out + err).replace(str(tmp_path), "TMP")
    _golden(request, f"{name}.yaml", text)
    _golden(request, f"{name}.txt", printed)
    assert all(secret not in text for secret in SECRETS)


def test_the_imported_meeting_validates_builds_and_packs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _new_meeting(tmp_path)
    documents = [str(CORPUS / f"{name}.docx") for name in DOCUMENTS]
    code, _out, err = _import(capsys, *documents, "--til", str(folder))
    assert code == 0, err
    assert main(["validate", str(folder)]) == 0
    out_dir = tmp_path / "ud"
    assert main(["build", str(folder), "--format", "docx,pdf,txt", "--out", str(out_dir)]) == 0
    assert main(["packet", str(folder), "--out", str(out_dir)]) == 0
    text = (out_dir / "dagsorden.txt").read_text(encoding="utf-8")
    # what a reader of the agenda sees: the items, their list items, table cells and sub-headings
    for seen in ("Kapacitetsstyring på herbergsområdet", "mest i Aalborg", "Belægning 2025", "ØKONOMI",  # the text edition prints sub-headings in capitals
                
                 "Orientering om ny takstmodel for botilbud", "døgndækning", "Forslag om fælles sundhedstjek",
                 "Praktiserende læger skal inddrages tidligt", "Billede 1: Kort over botilbud",
                 "Afsender: Aalborg Kommune, side 1"):
        assert seen in text, seen
    from pypdf import PdfReader

    packet = PdfReader(out_dir / "dagsordenspakke.pdf")
    packet_text = "\n".join(page.extract_text() or "" for page in packet.pages)
    assert "Notat om kapacitet" in packet_text
    for secret in SECRETS:
        assert secret not in text and secret not in packet_text


@pytest.mark.parametrize("meeting", MEETINGS)
def test_every_item_of_an_example_meeting_comes_back_from_its_word_edition(
        meeting: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """referat's Word edition of the meeting (all items in one document, split at its item headings) imports back
    to the same items: the document view of each is the same, and so are the fields it prints."""
    from referat.load.meeting import load_meeting
    from referat.text.richtext import parse, resolve_spans
    from referat.view.document import document_view

    source = ROOT / "agendas" / meeting
    original, _ = load_meeting(source)
    assert original is not None
    kind = "referat" if original.phase.value == "referat" else "dagsorden"
    out = tmp_path / "ud"
    assert main(["build", str(source), "--dokument", kind, "--format", "docx", "--out", str(out)]) == 0
    copy = tmp_path / meeting
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("punkter"))
    (copy / "punkter").mkdir()
    text = (copy / "møde.yaml").read_text(encoding="utf-8")
    text, n = re.subn(r"\npunkter:\n(?:  - .*\n)+", "\npunkter: []\n", text)
    assert n == 1
    (copy / "møde.yaml").write_text(text, encoding="utf-8")
    code, _printed, err = _import(capsys, str(out / f"{kind}.docx"), "--til", str(copy), "--bilag",
                                 *sorted(str(p) for p in (copy / "bilag").iterdir()))
    assert code == 0, err
    again, report = load_meeting(copy)
    assert again is not None and not report.has_errors, report.lines()
    assert len(again.items) == len(original.items)
    before, after = document_view(original, kind), document_view(again, kind)
    for old, new in zip(before["items"], after["items"], strict=True):
        assert new == old, f"punkt {old['number']} «{old['title']}»"
    for old_item, new_item in zip(original.items, again.items, strict=True):
        assert new_item.title == old_item.title
        assert new_item.access == old_item.access
        for key in ("resumé", "baggrund", "sagsfremstilling") + (("beslutning",) if kind == "referat" else ()):
            if key == "sagsfremstilling" and old_item.case is None and new_item.case is None:
                continue
            # the internal Word edition prints a redaction span's text ([[skjul: …]]): that text comes back
            old_text = resolve_spans(old_item.section_text(key) or "", public=False)
            assert parse(new_item.section_text(key)) == parse(old_text), (old_item.title, key)
        assert [(p.text, p.subpoints) for p in new_item.recommendation or []] == \
               [(p.text, p.subpoints) for p in old_item.recommendation or []]
        assert [(b.title, b.file) for b in new_item.bilag] == [(b.title, b.file) for b in old_item.bilag]


def test_tracked_changes_are_refused_with_each_change_and_its_author(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    folder = _new_meeting(tmp_path)
    before = (folder / "møde.yaml").read_bytes()
    code, _out, err = _import(capsys, str(CORPUS / "sporede-aendringer.docx"), "--til", str(folder))
    assert code == 1
    assert "2 sporede ændringer" in err and "--accepter-ændringer" in err
    assert "indsat af Mette Sørensen 2026-01-12: «med to år»" in err
    assert "slettet af Jens Hansen 2026-01-13" in err
    assert (folder / "møde.yaml").read_bytes() == before  # nothing written


def test_accepted_changes_keep_insertions_drop_deletions_and_comments(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    folder = _new_meeting(tmp_path)
    before = {p.name for p in (folder / "punkter").iterdir()}
    code, _out, err = _import(capsys, str(CORPUS / "sporede-aendringer.docx"), "--til", str(folder),
                             "--accepter-ændringer")
    assert code == 0, err
    [item] = _new_items(folder, before)
    text = item.read_text(encoding="utf-8")
    assert "Rammeaftalen forlænges med to år til udgangen af 2027." in text
    assert "Prisen reguleres med P/L." in text
    assert "HEMMELIG-SLETTET-9999" not in text and "HEMMELIG-KOMMENTAR-8888" not in text
    assert "1 kommentar (af Lars Nielsen) er udeladt" in err
    assert "2 sporede ændringer (af Jens Hansen, Mette Sørensen) er accepteret" in err
    assert "- godkender forlængelsen." in text


def _corrupt(tmp_path: Path, kind: str) -> Path:
    good = (CORPUS / "lo-fra-odt.docx").read_bytes()
    path = tmp_path / "sag.docx"
    if kind == "pdf":
        path.write_bytes((CORPUS / "Notat om kapacitet.pdf").read_bytes())
    elif kind == "kort":
        path.write_bytes(good[: len(good) // 2])
    elif kind == "tom":
        path.write_bytes(b"")
    elif kind == "tekst":
        path.write_text("Dette er ikke Word\n", encoding="utf-8")
    elif kind == "regneark":
        path.write_bytes((ROOT / "templates" / "takstskema.xlsx").read_bytes())
    elif kind == "zipbombe":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            with zipfile.ZipFile(io.BytesIO(good)) as src:
                for info in src.infolist():
                    z.writestr(info.filename, src.read(info.filename))
            z.writestr("word/media/bombe.bin", b"\0" * (300 * 1024 * 1024))
        path.write_bytes(buf.getvalue())
    elif kind == "gammel-doc":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048)
    elif kind == "makro-som-docx":
        path.write_bytes((CORPUS / "makro.docm").read_bytes())
    elif kind == "adgangskode":
        path.write_bytes((CORPUS / "adgangskode.docx").read_bytes())
    elif kind == "ødelagt-xml":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z, zipfile.ZipFile(io.BytesIO(good)) as src:
            for info in src.infolist():
                data = src.read(info.filename)
                z.writestr(info.filename, data[:200] if info.filename == "word/document.xml" else data)
        path.write_bytes(buf.getvalue())
    return path


@pytest.mark.parametrize(("kind", "message"), [
    ("pdf", "filen er ikke et Word-dokument (det er en PDF-fil)"),
    ("kort", "Word-filen er beskadiget og kan ikke åbnes"),
    ("tom", "filen er ikke et Word-dokument (filen er tom)"),
    ("tekst", "filen er ikke et Word-dokument"),
    ("regneark", "filen er et regneark"),
    ("zipbombe", "ligner en zip-bombe"),
    ("gammel-doc", "filen er i Words gamle format (.doc)"),
    ("makro-som-docx", "makroer importeres aldrig"),
    ("adgangskode", "beskyttet med adgangskode"),
    ("ødelagt-xml", "delen 'word/document.xml' er ikke gyldig XML"),
])
def test_a_file_that_cannot_be_imported_is_a_danish_message_naming_it(
        kind: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _new_meeting(tmp_path)
    before = (folder / "møde.yaml").read_bytes()
    path = _corrupt(tmp_path, kind)
    code, _out, err = _import(capsys, str(path), "--til", str(folder))
    assert code == 1
    assert f"{path}: fejl: " in err and message in err, err
    assert "Traceback" not in err
    assert (folder / "møde.yaml").read_bytes() == before


def test_the_docm_of_the_corpus_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _new_meeting(tmp_path)
    code, _out, err = _import(capsys, str(CORPUS / "makro.docm"), "--til", str(folder))
    assert code == 1 and "Word-dokument med makroer (.docm)" in err


def test_hidden_content_never_comes_through(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _new_meeting(tmp_path)
    code, out, err = _import(capsys, str(CORPUS / "skjult-indhold.docx"), "--til", str(folder))
    assert code == 0, err
    written = "".join(p.read_text(encoding="utf-8") for p in (folder / "punkter").iterdir())
    written += (folder / "møde.yaml").read_text(encoding="utf-8") + out + err
    assert "Synlig tekst før. Synlig tekst efter." in written
    assert "Afsender: Aalborg Kommune, side 1" in written  # the fields' results, not their instructions
    for secret in SECRETS:
        assert secret not in written


def _docx(tmp_path: Path, build) -> Path:  # type: ignore[no-untyped-def]
    doc = Document()
    build(doc)
    path = tmp_path / "bidrag.docx"
    doc.save(str(path))
    return path


def test_a_chart_without_a_picture_is_named_in_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def build(doc) -> None:  # type: ignore[no-untyped-def]
        doc.add_heading("Sagsfremstilling", 1)
        p = doc.add_paragraph("Udviklingen ses her:")
        p._p.append(parse_xml(
            f'<w:r {nsdecls("w", "wp", "a")}><w:drawing><wp:inline><wp:extent cx="1" cy="1"/>'
            '<wp:docPr id="5" name="Diagram 5" descr="Belægning 2020-2025"/><a:graphic><a:graphicData '
            'uri="http://schemas.openxmlformats.org/drawingml/2006/chart"/></a:graphic></wp:inline></w:drawing></w:r>'))

    folder = _new_meeting(tmp_path)
    code, _out, err = _import(capsys, str(_docx(tmp_path, build)), "--til", str(folder))
    assert code == 0, err
    assert "diagrammet «Belægning 2020-2025» har intet billede i filen og er ikke importeret" in err


def test_efter_places_the_item_and_keeps_every_other_byte_of_the_meeting(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _new_meeting(tmp_path)
    meeting = folder / "møde.yaml"
    original = meeting.read_text(encoding="utf-8").replace("punkter:\n", "punkter:  # rækkefølgen\n")
    original = original.replace("  - 03-", "  # sagerne\n  - 03-")
    meeting.write_text(original, encoding="utf-8")
    code, out, err = _import(capsys, str(CORPUS / "lo-fra-html.docx"), "--til", str(folder), "--efter", "2")
    assert code == 0, err
    new = meeting.read_text(encoding="utf-8")
    added = [line for line in difflib.ndiff(original.splitlines(), new.splitlines()) if line.startswith(("+", "-"))]
    assert added == ["+   - 05-orientering-om-ny-takstmodel-for-botilbu.yaml"]
    entries = [line for line in new.splitlines() if line.startswith("  - ")]
    assert entries[2] == "  - 05-orientering-om-ny-takstmodel-for-botilbu.yaml"
    assert entries[1].startswith("  - 02-godkendelse-af-referat")
    assert "møde.yaml: 1 punkt sat ind efter punkt 2" in out
    code, out, err = _import(capsys, str(CORPUS / "lo-fra-odt.docx"), "--til", str(folder), "--efter", "9")
    assert code == 1 and "--efter 9: mødet har 5 punkter" in err


def test_bilag_given_on_the_command_line_are_copied_into_the_meeting(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    def build(doc) -> None:  # type: ignore[no-untyped-def]
        doc.core_properties.title = "Kommissorium for styregruppen"
        doc.add_heading("Sagsfremstilling", 1)
        doc.add_paragraph("Se bilagene.")
        doc.add_heading("Bilag", 1)
        doc.add_paragraph("Bilag 1. Kommissorium for KL's styregruppe", style="List Bullet")
        doc.add_paragraph("Bilag 2. Deltagerliste", style="List Bullet")

    elsewhere = tmp_path / "andetsteds"
    elsewhere.mkdir()
    given = elsewhere / "kommissorium-styregruppe.pdf"
    shutil.copyfile(CORPUS / "Notat om kapacitet.pdf", given)
    folder = _new_meeting(tmp_path)
    code, _out, err = _import(capsys, str(_docx(tmp_path, build)), "--til", str(folder), "--bilag", str(given))
    assert code == 0, err
    assert (folder / "bilag" / "kommissorium-styregruppe.pdf").read_bytes() == given.read_bytes()
    item = next(p for p in (folder / "punkter").iterdir() if "kommissorium" in p.name).read_text(encoding="utf-8")
    assert "fil: kommissorium-styregruppe.pdf" in item
    assert "#   - Bilag 2. Deltagerliste" in item
    assert "bilaget «Bilag 2. Deltagerliste» er ikke fundet" in err
    assert main(["validate", str(folder)]) == 0


def test_heading_words_come_from_the_profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A committee whose contributions say "Forløb" for the background gets it from its profile's table."""
    from referat.load.word import heading_key
    from referat.model.profile import Committee

    profile = Committee(kortnavn="X", navn="X", indstilling_indledning="Det indstilles, at X",
                        overskriftsord={"baggrund": ["Forløb"]})
    words = profile.section_words()
    assert heading_key("FORLØB:", words) == "baggrund"
    assert heading_key("2. Resume", words) == "resumé"  # the default words of the other sections stay
    assert heading_key("Økonomi", words) is None


def test_a_meeting_file_with_windows_line_breaks_keeps_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _new_meeting(tmp_path)
    meeting = folder / "møde.yaml"
    original = meeting.read_bytes().replace(b"\n", b"\r\n")
    meeting.write_bytes(original)
    for after in ("0", "4"):
        code, _, err = _import(capsys, str(CORPUS / "lo-fra-html.docx"), "--til", str(folder), "--efter", after)
        assert code == 0, err
    new = meeting.read_bytes()
    assert b"\n" not in new.replace(b"\r\n", b"")
    entries = [line for line in new.decode("utf-8").split("\r\n") if line.startswith("  - ")]
    assert entries[0] == "  - 05-orientering-om-ny-takstmodel-for-botilbu.yaml"
    assert entries[4] == "  - 06-orientering-om-ny-takstmodel-for-botilbu.yaml"
    assert len(entries) == 6
    assert main(["validate", str(folder)]) == 0


def test_a_picture_in_the_bilag_section_is_a_bilag_not_a_bilag_line(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    picture = ROOT / "tests" / "fixtures" / "office" / "tegning-med-metadata.png"

    def build(doc) -> None:  # type: ignore[no-untyped-def]
        doc.core_properties.title = "Et punkt med et kort"
        doc.add_heading("Sagsfremstilling", 1)
        doc.add_paragraph("Se kortet i bilaget.")
        doc.add_heading("Bilag", 1)
        doc.add_picture(str(picture))

    folder = _new_meeting(tmp_path)
    code, _out, err = _import(capsys, str(_docx(tmp_path, build)), "--til", str(folder))
    assert code == 0, err
    item = next(p for p in (folder / "punkter").iterdir() if "kort" in p.name).read_text(encoding="utf-8")
    assert "fil: 05-billede-1.png" in item
    assert "Billede: se bilaget" not in item and "ikke fundet" not in err
    assert (folder / "bilag" / "05-billede-1.png").read_bytes() == picture.read_bytes()


def test_import_loads_no_pdf_template_excel_or_font_library(tmp_path: Path) -> None:
    """The reader walks the XML with lxml: neither python-docx, docxtpl nor any PDF, Excel or font library is
    loaded by `referat import` (start-up is most of its time)."""
    from test_startup import EXCEL, FONT_TOOLS, PDF_LIBRARIES, WORD, loaded

    folder = tmp_path / "moede"
    assert main(["new", str(folder), "--dato", "2026-09-14"]) == 0
    code, output, modules = loaded("import", CORPUS / "lo-fra-odt.docx", "--til", folder, cwd=tmp_path)
    assert code == 0, output
    assert not modules & (PDF_LIBRARIES | WORD | EXCEL | FONT_TOOLS | {"typst"}), sorted(modules)
