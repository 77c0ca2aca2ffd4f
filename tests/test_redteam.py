"""Red-team cases for issues 10 and 11: new hostile or careless inputs the earlier catalogues did not have.

Each test is a case that failed before its fix (see "Red-team cases" in docs/robustness.md)."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from conftest import absolute_run, tiny_pdf
from pki import Pki, _cert, _p12


@pytest.fixture
def run(run: Run) -> Run:
    """These tests name files as `f"{path}: fejl: …"`: paths in the output absolute, wherever the clone sits."""
    return absolute_run(run)
from referat.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "agendas" / "2026-02-23-das-social"
Run = Callable[..., tuple[int, str, str]]
EVIL_NAME = "Eva \x1b]0;pwned\x07\x1b[31mRød\u202e"  # an OSC title, a colour and a bidi override


@pytest.fixture(scope="module", autouse=True)
def _password(cert_password: None) -> None:
    """Every test here signs or archives with the PKI's password."""


@pytest.fixture(scope="module")
def evil_archive(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> tuple[Path, str]:
    """The example minutes signed with a self-signed certificate whose name holds terminal escape sequences,
    archived in a folder whose name holds one too; and what `archive add` printed."""
    folder = tmp_path_factory.mktemp("evil")
    key = ec.generate_private_key(ec.SECP256R1())
    p12 = _p12(folder / "ond.p12", "ond", key, _cert(EVIL_NAME, key, EVIL_NAME, key, ca=False), [])
    assert main(["build", str(EXAMPLE), "--dokument", "referat", "--format", "pdf", "--out", str(folder / "ud")]) == 0
    signed = folder / "underskrevet\x1b[2J.pdf"
    code = main(["sign", str(folder / "ud" / "referat.pdf"), "--cert", str(p12), "--out", str(signed)])
    assert code == 0
    archive = folder / "arkiv\x1b[1m"
    return archive, str(signed)


def test_certificate_names_and_paths_never_reach_the_terminal_raw(run: Run, evil_archive: tuple[Path, str],
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A signed PDF is input from outside: its certificate's name (and the archive's path) printed by `sign`,
    `archive add`, `list`, `verify`, `search` and `decisions` is escaped like every other message."""
    archive, signed = evil_archive
    outputs = [capsys.readouterr()]  # what the fixture's `sign` printed
    code, out, err = run("archive", "add", EXAMPLE, signed, "--arkiv", archive, "--tillad-selvsigneret")
    assert code == 0, err
    outputs.append(capsys.readouterr())
    assert "underskrift: Eva \\u001b]0;pwned\\u0007\\u001b[31mRød\\u202e" in out
    assert "arkiv\\u001b[1m" in out
    for args in (["archive", "list"], ["archive", "verify"], ["search", "takster"], ["decisions"],
                 ["search", "takst\x1b[31m\x07"]):
        code, out, err = run(*args, "--arkiv", archive)
        assert code in (0, 1), (args, err)
        outputs.append(type(outputs[0])(out, err))
    for captured in outputs:
        text = captured.out + captured.err
        for raw in ("\x1b", "\x07", "\u202e"):
            assert raw not in text, (raw, text[:2000])
    code, out, _ = run("archive", "list", "--arkiv", archive)
    assert "Eva \\u001b]0;pwned" in out


def test_a_query_of_thousands_of_words_is_answered_at_once(run: Run, evil_archive: tuple[Path, str]) -> None:
    """A 126 kB query ('takst ' 21,000 times) ran for over a minute (every repeat a required FTS5 term, and
    the snippet tried each against every word); the words are searched once each, and more than 50 distinct
    words is a usage error naming the limit."""
    archive, signed = evil_archive
    if not (archive / "index.sqlite").exists():
        assert run("archive", "add", EXAMPLE, signed, "--arkiv", archive, "--tillad-selvsigneret")[0] == 0
    code, out, err = run("search", "takst " * 21000, "--arkiv", archive)
    assert code == 0, err
    assert "punkt 10: Reviderede takster fra Aalborg Kommune" in out
    code, out, err = run("search", " ".join(f"ord{i}x" for i in range(18000)), "--arkiv", archive)
    assert code == 2
    assert "referat: fejl: søgningen har 18000 forskellige ord; der kan højst søges på 50 ord ad gangen" in err
    code, out, err = run("search", "x" * 300, "--arkiv", archive)
    assert code == 0
    assert out.strip() == "ingen træf for '" + "x" * 200 + "…'"


# --- PDF bilag whose page tree is hostile ---------------------------------------------------------------------

def _raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF written by hand (object 1 the catalog): the shapes pypdf itself would refuse to write."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
_CONTENT = b"<< /Length 0 >>\nstream\n\nendstream"
HOSTILE_PAGE_TREES = {
    # /Kids leads back to the /Pages node: pypdf raised "Detected cyclic page references" inside the packet
    "sidetræ-i-ring": (_raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                 b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>", _PAGE, _CONTENT]),
                       "er beskadiget og kan ikke åbnes (sidetræet henviser til sig selv)"),
    "sidetræ-kun-sig-selv": (_raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                       b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]),
                             "er beskadiget og kan ikke åbnes (sidetræet henviser til sig selv)"),
    # one page object listed 100,000 times (600 kB): validate said nothing, the packet ran for minutes
    "100000-sider": (_raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                               b"<< /Type /Pages /Kids [" + b" ".join([b"3 0 R"] * 100_000) + b"] /Count 100000 >>",
                               _PAGE, _CONTENT]),
                     "har over 5.000 sider; grænsen er 5.000 sider pr. bilag; vedlæg den del, der er relevant"),
    "en-side-der-ikke-er-en-side": (_raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                              b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", b"42"]),
                                    "er beskadiget og kan ikke åbnes (sidetræet indeholder noget, der ikke er en side)"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_PAGE_TREES))
def test_hostile_page_trees_are_named_by_validate_and_packet(case: str, run: Run,
                                                             make_meeting: Callable[..., Path]) -> None:
    data, message = HOSTILE_PAGE_TREES[case]
    folder = make_meeting({"01-a.yaml": "titel: A\nbilag:\n  - titel: Bilaget\n    fil: bilag.pdf\n"},
                          bilag={"bilag.pdf": data})
    expected = f"01-a.yaml:4:10: fejl: bilag/bilag.pdf: {message}"
    code, _, err = run("validate", folder)
    assert code == 1 and expected in err, err
    code, _, err = run("packet", folder, "--out", folder.parent / "ud")
    assert code == 1 and expected in err, err
    assert "Traceback" not in err
    assert not (folder.parent / "ud" / "dagsordenspakke.pdf").exists()


def test_a_page_object_listed_twice_still_makes_a_packet(run: Run, make_meeting: Callable[..., Path]) -> None:
    """The walk counts pages; it does not take a page listed twice (allowed by pypdf, seen in the wild) for a
    cycle."""
    data = _raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R 3 0 R] /Count 2 >>",
                     _PAGE, _CONTENT])
    folder = make_meeting({"01-a.yaml": "titel: A\nbilag:\n  - titel: Bilaget\n    fil: bilag.pdf\n"},
                          bilag={"bilag.pdf": data})
    code, _, err = run("packet", folder, "--out", folder.parent / "ud")
    assert code == 0, err
    reader = PdfReader(folder.parent / "ud" / "dagsordenspakke.pdf")
    document = len(PdfReader(folder.parent / "ud" / "dagsorden.pdf").pages)
    assert len(reader.pages) == document + 1 + 2  # the document, the bilag's cover, its two pages


def _annotated_pdf() -> bytes:
    """A one-page PDF with a hidden sticky note, a NoView free-text note and a visible note, each with an author."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(tiny_pdf("Synlig side"))))
    annots = ArrayObject()
    for subtype, flags, text in (("/Text", 2, "HEMMELIG-SKJULT-NOTE"), ("/FreeText", 32, "HEMMELIG-NOVIEW-NOTE"),
                                 ("/Text", 4, "SYNLIG-NOTE")):
        annots.append(writer._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject(subtype),
            NameObject("/Rect"): ArrayObject([FloatObject(10), FloatObject(10), FloatObject(50), FloatObject(50)]),
            NameObject("/F"): NumberObject(flags), NameObject("/Contents"): TextStringObject(text),
            NameObject("/T"): TextStringObject("Forfatter " + text)})))
    writer.pages[0][NameObject("/Annots")] = annots
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_hidden_comments_of_a_pdf_bilag_are_not_published(run: Run, make_meeting: Callable[..., Path]) -> None:
    """A note flagged Hidden or NoView is not shown by any reader, but its text and author were copied into the
    public packet; now it is left out and the warning says so. A visible note stays (a reader shows it)."""
    folder = make_meeting({"01-a.yaml": "titel: A\nbilag:\n  - titel: Bilaget\n    fil: bilag.pdf\n"},
                          bilag={"bilag.pdf": _annotated_pdf()})
    code, _, err = run("packet", folder, "--offentlig", "--out", folder.parent / "ud")
    assert code == 0, err
    assert "bilag.pdf: advarsel: 2 skjulte kommentarer eller annotationer fjernet i pakken" in err
    packet = folder.parent / "ud" / "dagsordenspakke-offentlig.pdf"
    contents = [str(a.get_object().get("/Contents")) for page in PdfReader(packet).pages
                for a in page.get("/Annots") or [] if a.get_object().get("/Subtype") != "/Link"]
    assert contents == ["SYNLIG-NOTE"]
    raw = packet.read_bytes()
    assert b"HEMMELIG" not in raw and b"SYNLIG" in raw  # pypdf stores these strings uncompressed


# --- the archive compares numbers with their decimal comma ------------------------------------------------------

@pytest.mark.parametrize(("pdf_text", "meeting_text"), [
    ("Tilskud på 15 mio. kr.", "Tilskud på 1,5 mio. kr."),
    ("takst 1.500 kr.", "takst 15,00 kr."),
    ("mødet slutter kl. 1200", "mødet slutter kl. 12:00"),
])
def test_a_moved_decimal_comma_is_a_difference(pdf_text: str, meeting_text: str) -> None:
    """Text was reduced to letters and digits, so '15' and '1,5' were the same decision."""
    from referat.archive.text import first_difference

    assert first_difference(pdf_text, meeting_text) is not None
    assert first_difference(meeting_text.replace(" ", "\n"), meeting_text) is None  # layout still does not count


def test_signed_minutes_with_another_amount_are_refused(run: Run, pki: Pki, tmp_path: Path) -> None:
    def with_decision(name: str, decision: str) -> Path:
        folder = tmp_path / name
        shutil.copytree(EXAMPLE, folder)
        item = folder / "punkter" / "01-godkendelse-af-dagsorden.yaml"
        text = item.read_text("utf-8")
        assert "  Godkendt\n" in text
        item.write_text(text.replace("  Godkendt\n", f"  {decision}\n", 1), "utf-8")
        return folder

    signed_folder = with_decision("underskrevet", "Godkendt med en ramme på 15 mio. kr.")
    assert main(["build", str(signed_folder), "--dokument", "referat", "--format", "pdf",
                 "--out", str(tmp_path / "ud")]) == 0
    signed = tmp_path / "underskrevet.pdf"
    assert main(["sign", str(tmp_path / "ud" / "referat.pdf"), "--cert", str(pki.formand), "--out", str(signed)]) == 0
    meeting = with_decision("møde", "Godkendt med en ramme på 1,5 mio. kr.")
    code, _, err = run("archive", "add", meeting, signed, "--arkiv", tmp_path / "arkiv",
                       "--rodcertifikat", pki.root_pem)
    assert code == 1, err
    assert ("punkt 1 'Godkendelse af dagsorden': beslutningen afviger efter »Godkendt med en ramme på«: PDF'en har "
            "»15 mio. kr.«, mødet har »1,5 mio. kr.«") in err
    assert not (tmp_path / "arkiv" / "das-social").exists()


def test_fields_added_to_a_manifest_are_reported(run: Run, evil_archive: tuple[Path, str], tmp_path: Path) -> None:
    """Keys the archive never writes, added to a manifest and its index deleted: verify said all was well and the
    edited manifest was indexed as genuine."""
    import json

    archive, signed = evil_archive
    if not (archive / "index.sqlite").exists():
        assert run("archive", "add", EXAMPLE, signed, "--arkiv", archive, "--tillad-selvsigneret")[0] == 0
    copy = tmp_path / "arkiv"
    shutil.copytree(archive, copy)
    manifest = next(copy.glob("das-social/*/udgave-1/manifest.json"))
    data = json.loads(manifest.read_text("utf-8"))
    data["offentlig_note"] = "<script>"
    data["punkter"][0]["skjult"] = "x"
    data["underskrifter"][0]["godkendt_af"] = "y"
    manifest.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    (copy / "index.sqlite").unlink()
    code, _, err = run("archive", "verify", "--arkiv", copy)
    assert code == 1
    assert (f"{manifest}: fejl: manifestet har feltet 'offentlig_note', som arkivet ikke skriver; det er tilføjet "
            "efter arkiveringen") in err
    assert "punkt nr. 1 i manifestet har feltet 'skjult', som arkivet ikke skriver" in err
    assert "underskrift nr. 1 i manifestet har feltet 'godkendt_af', som arkivet ikke skriver" in err
