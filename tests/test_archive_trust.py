"""The archive cannot be made to lie (issue 11, items 4, 5, 7, 8): it records only what was signed, re-derives
what its manifests and index say from the signed PDFs, and answers read-only commands without writing."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from conftest import (
    EXAMPLE,
    ROOT,
    Run,
    absolute_run,
    archive_add,
    archived_into,
    build_minutes,
    meeting_copy,
    replace_in,
    sign_as_chair,
)
from pki import Pki

pytestmark = pytest.mark.usefixtures("cert_password")  # every test here signs or archives with the PKI's password


@pytest.fixture
def run(run: Run) -> Run:
    """These tests name files as `f"{path}: fejl: …"`: paths in the output absolute, wherever the clone sits."""
    return absolute_run(run)


@pytest.fixture(scope="module")
def signed(minutes: Path, pki: Pki) -> Path:
    """The example minutes as built, signed by the chair."""
    return sign_as_chair(minutes, pki, minutes.parent / "underskrevet.pdf")


def signed_from(tmp_path: Path, pki: Pki, edit: Callable[[Path], None]) -> Path:
    """Minutes built from an edited copy of the example meeting, then signed: what a chair might have signed."""
    folder = meeting_copy(tmp_path, edit)
    return sign_as_chair(build_minutes(folder, tmp_path / "ud"), pki, tmp_path / "underskrevet-andet.pdf")


def add(run: Run, archive: Path, pdf: Path, pki: Pki, folder: Path = EXAMPLE) -> tuple[int, str, str]:
    """`archive add` trusting the PKI's root."""
    return archive_add(run, archive, pdf, "--rodcertifikat", pki.root_pem, folder=folder)


# --- 1. the archive records only what was signed ------------------------------------------------------------


def _in_item(name: str, old: str, new: str) -> Callable[[Path], None]:
    """An edit of the meeting folder: `old` → `new` in the item file `name`."""
    return lambda folder: replace_in(folder / "punkter" / name, old, new)


def _swap_5_and_6(folder: Path) -> None:
    replace_in(folder / "møde.yaml", "  - 05-sundhedstjek-paa-botilbud.yaml\n  - 06-paedagogdimensionering-2026.yaml",
               "  - 06-paedagogdimensionering-2026.yaml\n  - 05-sundhedstjek-paa-botilbud.yaml")
    replace_in(folder / "møde.yaml", "punkter: [5]", "punkter: [6]")
    replace_in(folder / "møde.yaml", "punkter: [6]\nnæste", "punkter: [5]\nnæste")


def _extra_item(folder: Path) -> None:
    (folder / "punkter" / "18-ekstra.yaml").write_text(
        "titel: Et ekstra punkt\nbeslutning: Vedtaget uden for dagsordenen\n", "utf-8")
    replace_in(folder / "møde.yaml", "  - 17-naeste-moede.yaml", "  - 17-naeste-moede.yaml\n  - 18-ekstra.yaml")


@pytest.mark.parametrize(("edit", "messages"), [
    pytest.param(  # issue 11 item 4: the PDF says 'Ikke godkendt', the meeting 'Godkendt' – a substring, not the same
        _in_item("01-godkendelse-af-dagsorden.yaml", "  Godkendt\n", "  Ikke godkendt\n"),
        [("underskrevet-andet.pdf: fejl: punkt 1 'Godkendelse af dagsorden': beslutningen afviger fra "
          "begyndelsen: PDF'en har »Ikke godkendt«, mødet har »Godkendt«")],
        id="ikke-godkendt-mod-godkendt"),
    pytest.param(
        _in_item("03-planer-ungehjemmet-bifrost.yaml", "baggrunden for punktet", "baggrunden ikke for punktet"),
        ["punkt 3 'Godkendelse af planer",
         ("beslutningen afviger efter »…med at fortælle om baggrunden«: PDF'en har »ikke for punktet, samt at "
          "punktet…«, mødet har »for punktet, samt at punktet behandles…«")],
        id="indsat-ord"),
    pytest.param(
        _in_item("01-godkendelse-af-dagsorden.yaml", "  Godkendt\n", "  Godkendt\n\n  Dog ikke punkt 4.\n"),
        [("punkt 1 'Godkendelse af dagsorden': beslutningen afviger efter »Godkendt«: PDF'en har »Dog ikke "
          "punkt 4.«, mødet har »(intet)«")],
        id="tilfoejet-saetning"),
    pytest.param(
        _swap_5_and_6,
        ["fejl: punkt nr. 5 i den underskrevne PDF er »Punkt 5. Pædagogdimensionering 2026",
         "men mødets punkt nr. 5 er »Punkt 5. Status på sundhedstjek på botilbud«"],
        id="byttede-punkter"),
    pytest.param(
        _extra_item,
        ["den underskrevne PDF har 18 punkter, mødet har 17; PDF'ens punkt nr. 18 er »Punkt 18. Et ekstra punkt"],
        id="ekstra-punkt"),
    pytest.param(
        _in_item("01-godkendelse-af-dagsorden.yaml", "adgang: åben", "adgang: lukket"),
        ["punkt 1 'Godkendelse af dagsorden' står som 'Lukket' i den underskrevne PDF, men som 'Åben'"],
        id="lukket-underskrevet-som-aaben"),
])
def test_minutes_signed_from_another_text_are_refused(run: Run, pki: Pki, tmp_path: Path,
                                                      edit: Callable[[Path], None], messages: list[str]) -> None:
    pdf = signed_from(tmp_path, pki, edit)
    archive = tmp_path / "arkiv"
    code, _, err = add(run, archive, pdf, pki)
    assert code == 1
    for message in messages:
        assert message in err
    assert not (archive / "das-social").exists()


@pytest.mark.parametrize(("pdf_text", "meeting_text", "same"), [
    ("Godkendt", "Ikke godkendt", False),
    ("Taksten nedsættes med −5 %", "Taksten nedsættes med 5 %", False),  # Typst prints '-5' with a minus sign
    ("Taksten stiger 5 %", "Taksten stiger 5", False),
    ("jf. § 107", "jf. 107", False),
    ("afdæk-\nningen og\nsags-\nnummer 2026-\n005746", "afdækningen og sagsnummer 2026-005746", True),
    ("ﬁnansieringen  er\n\nGODKENDT", "finansieringen er godkendt", True),  # ligature, spacing, case
])
def test_whole_text_comparison_normalises_layout_but_not_meaning(pdf_text: str, meeting_text: str,
                                                                 same: bool) -> None:
    from referat.archive.text import first_difference

    assert (first_difference(pdf_text, meeting_text) is None) == same


def test_the_honest_minutes_pass_both_routes(run: Run, signed: Path, minutes: Path, pki: Pki, tmp_path: Path) -> None:
    archive = tmp_path / "arkiv"
    code, _, err = add(run, archive, signed, pki)
    assert code == 0, err
    day = archive / "das-social" / "2026-02-23"
    assert json.loads((day / "udgave-1" / "manifest.json").read_text("utf-8"))["sammenligning"] == "byte-identisk"
    # re-saved by another program: not byte-identical, but the text matches item by item
    writer = PdfWriter(clone_from=PdfReader(minutes))
    writer.add_metadata({"/Producer": "Et andet program"})
    resaved = tmp_path / "gemt-igen.pdf"
    with resaved.open("wb") as fh:
        writer.write(fh)
    code, _, err = add(run, archive, sign_as_chair(resaved, pki, tmp_path / "gemt-igen-underskrevet.pdf"), pki)
    assert code == 0, err
    manifest = json.loads((day / "udgave-2" / "manifest.json").read_text("utf-8"))
    assert manifest["sammenligning"] == "tekst punkt for punkt"
    assert manifest["punkter"][0]["beslutning"] == "Godkendt"
    assert run("archive", "verify", "--arkiv", archive)[0] == 0


# --- 2. derived data is re-derived and re-checked -----------------------------------------------------------


@pytest.fixture(scope="module")
def archived(signed: Path, pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An archive holding the signed example minutes (copy it before changing anything)."""
    return archived_into(tmp_path_factory.mktemp("arkiveret") / "arkiv", signed, pki)


def copy_archive(archived: Path, tmp_path: Path) -> Path:
    archive = tmp_path / "arkiv"
    shutil.copytree(archived, archive)
    return archive


def version_folder(archive: Path) -> Path:
    return archive / "das-social" / "2026-02-23" / "udgave-1"


def edit_manifest(archive: Path, change: Callable[[dict], None]) -> Path:
    path = version_folder(archive) / "manifest.json"
    path.chmod(0o644)
    data = json.loads(path.read_text("utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", "utf-8")
    return path


def sql(archive: Path, statement: str) -> None:
    with sqlite3.connect(archive / "index.sqlite") as conn:
        conn.execute(statement)


def test_an_updated_index_row_is_reported_by_verify(run: Run, archived: Path, tmp_path: Path) -> None:
    archive = copy_archive(archived, tmp_path)
    assert run("archive", "verify", "--arkiv", archive)[0] == 0
    sql(archive, "UPDATE punkter SET beslutning = 'Ikke godkendt' WHERE nummer = '1'")
    message = (f"{archive / 'index.sqlite'}: fejl: udgaven das-social/2026-02-23/udgave-1, punkt 1: kolonnen "
               "'beslutning' er »Ikke godkendt« i indekset, men »Godkendt« i manifestet; slet index.sqlite")
    for command in (("decisions",), ("decisions", "--csv"), ("search", "godkendt")):
        code, out, err = run(*command, "--arkiv", archive)
        assert code == 1 and "Ikke godkendt" not in out, command  # the changed index is not shown …
        assert message in err, command
    assert run("archive", "list", "--arkiv", archive)[0] == 0  # (list shows no decisions)
    code, out, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1 and "ok  " not in out  # … nor reported as all well
    assert message in err


def test_a_changed_search_row_and_a_removed_item_row_are_reported(run: Run, archived: Path, tmp_path: Path) -> None:
    archive = copy_archive(archived, tmp_path)
    sql(archive, "UPDATE soeg SET beslutning = 'hemmelig' WHERE rowid = (SELECT id FROM punkter WHERE nummer = '2')")
    sql(archive, "DELETE FROM punkter WHERE nummer = '17'")
    sql(archive, "UPDATE udgaver SET status = 'verificeret!'")
    code, out, err = run("search", "hemmelig", "--arkiv", archive)  # found only through the changed row
    assert code == 1 and "punkt 2" not in out
    assert "punkt 2: kolonnen 'soeg.beslutning' er »hemmelig« i indekset, men »godkendt« i manifestet" in err
    code, _, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1
    assert "punkt 2: kolonnen 'soeg.beslutning' er »hemmelig« i indekset, men »godkendt« i manifestet" in err
    assert "udgaven das-social/2026-02-23/udgave-1 har 16 punkter i indekset, men 17 i manifestet" in err
    assert "kolonnen 'status' er »verificeret!« i indekset, men »verificeret« i manifestet" in err


def test_an_extra_index_row_is_reported(run: Run, archived: Path, tmp_path: Path) -> None:
    archive = copy_archive(archived, tmp_path)
    sql(archive, "INSERT INTO udgaver (sti, udvalg, udvalg_navn, dato, udgave, fil, sha256, manifest_sha256, "
                 "status, arkiveret, underskrivere) SELECT 'das-social/2026-03-01/udgave-1', udvalg, udvalg_navn, "
                 "'2026-03-01', 1, fil, sha256, manifest_sha256, status, arkiveret, underskrivere FROM udgaver")
    code, _, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1
    assert "das-social/2026-03-01/udgave-1: fejl: udgaven står i søgeindekset, men mappen findes ikke" in err


def test_an_edited_manifest_is_not_reindexed_as_genuine(run: Run, archived: Path, tmp_path: Path) -> None:
    archive = copy_archive(archived, tmp_path)
    (archive / "index.sqlite").unlink()

    def deny(m: dict) -> None:
        m["punkter"][0]["beslutning"] = "Ikke godkendt"

    manifest = edit_manifest(archive, deny)
    code, out, err = run("decisions", "--arkiv", archive)
    assert code == 0
    assert "Ikke godkendt" not in out and "0 beslutninger" in out
    assert (f"{version_folder(archive)}: advarsel: udgaven er ikke indekseret, fordi dens manifest ikke stemmer "
            "med den underskrevne fil") in err
    code, _, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1
    assert (f"{manifest}: fejl: manifestets punkter stemmer ikke med den underskrevne PDF: punkt 1 'Godkendelse af "
            "dagsorden': beslutningen afviger fra begyndelsen: PDF'en har »Godkendt«, manifestet har »Ikke godkendt«"
            ) in err


@pytest.mark.parametrize(("key", "value", "message"), [
    ("udgave", 2, "feltet 'udgave' er 2, men udgaven ligger som 1 i arkivet"),
    ("bytes", 1, "feltet 'bytes' er 1, men filen har"),
    ("fil", "../../../etc/passwd", "feltet 'fil' er '../../../etc/passwd', men udgaven ligger som 'referat-signeret.pdf'"),
    ("status", "scannet/uverificeret", "feltet 'status' er 'scannet/uverificeret', men filen er digitalt underskrevet"),
    ("udvalg_navn", "KKR Nordjylland", ("manifestets møde stemmer ikke med PDF'en: sidehovedet i PDF'en (Mødet den "
                                       "23.02.2026 DAS Social) nævner ikke KKR Nordjylland")),
    ("udvalg_fulde_navn", "Kommunekontaktrådet", ("manifestets møde stemmer ikke med PDF'en: mødet er "
                                                 "Kommunekontaktrådet den 23. februar 2026, men PDF'ens forside")),
    (("punkter", 0, "sagsnummer"), "2026-000001", (  # a case number added to an item without one
        "manifestets punkter stemmer ikke med den underskrevne PDF: punkt 1 'Godkendelse af dagsorden': "
        "sagsnummeret er »Indstilling« i den underskrevne PDF, men »2026-000001«")),
    (("underskrifter", 0, "navn"), "En Anden", ("underskriften 'Underskrift 1' (Henrik Aarup-Kristensen): feltet "
                                                "'navn' er 'En Anden' i manifestet, men 'Henrik Aarup-Kristensen' "
                                                "i filen")),
])
def test_every_recomputable_manifest_field_is_checked(run: Run, archived: Path, tmp_path: Path,
                                                      key: str | tuple[str | int, ...], value: object,
                                                      message: str) -> None:
    *parents, last = key if isinstance(key, tuple) else (key,)

    def change(m: dict) -> None:
        for k in parents:
            m = m[k]
        m[last] = value

    archive = copy_archive(archived, tmp_path)
    manifest = edit_manifest(archive, change)
    code, _, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1
    assert f"{manifest}: fejl: {message}" in err
    assert "manifestet er ændret siden arkiveringen" in err


def test_a_changed_case_number_certificate_field_and_archiving_time_are_reported(run: Run, archived: Path,
                                                                                  tmp_path: Path) -> None:
    archive = copy_archive(archived, tmp_path)

    def change(m: dict) -> None:
        m["punkter"][2]["sagsnummer"] = "2026-999999"
        m["underskrifter"][0]["certifikat"]["gyldig_til"] = "2099-01-01T00:00:00+00:00"
        m["arkiveret"] = "2020-01-01T00:00:00+00:00"

    manifest = edit_manifest(archive, change)
    code, _, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1
    assert ("punkt 3 'Godkendelse af planer for kommunikation om samt afdækning af unge til Ungehjemmet Bifrost': "
            "sagsnummeret er »2026-005746« i den underskrevne PDF, men »2026-999999«") in err
    assert f"{manifest}: fejl: underskriften 'Underskrift 1' (Henrik Aarup-Kristensen): feltet 'certifikat.gyldig_til' er '2099-01-01T00:00:00+00:00' i manifestet" in err
    assert "men 'arkiveret' er 2020-01-01T00:00:00+00:00; en fil kan ikke være arkiveret, før den blev underskrevet" in err


def test_hostile_manifest_shapes_are_located_messages(run: Run, archived: Path, tmp_path: Path) -> None:
    archive = copy_archive(archived, tmp_path)

    def hostile(m: dict) -> None:
        m["udgave"] = True  # equal to 1 in Python, but not a version number
        m["tekstopdeling"]["punkt_format"] = "{nummer.__class__.__mro__}"  # a format string is not evaluated
        m["punkter"] = "ikke en liste"
        m["underskrifter"] = 5

    manifest = edit_manifest(archive, hostile)
    code, _, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1 and "Traceback" not in err and "__mro__" not in err.replace("'{nummer.__class__.__mro__}'", "")
    assert f"{manifest}: fejl: feltet 'udgave' er True, men udgaven ligger som 1 i arkivet" in err
    (archive / "index.sqlite").unlink()
    manifest.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    code, _, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1 and "Traceback" not in err
    assert f"{manifest}: fejl: manifestet kan ikke læses" in err


def test_a_damaged_pdf_with_a_matching_manifest_is_a_located_message(run: Run, archived: Path,
                                                                     tmp_path: Path) -> None:
    """An archive copy whose PDF and manifest were both replaced (the hash agrees): messages, no traceback."""
    archive = copy_archive(archived, tmp_path)
    stored = version_folder(archive) / "referat-signeret.pdf"
    stored.chmod(0o644)
    damaged = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    stored.write_bytes(damaged)
    edit_manifest(archive, lambda m: (m.__setitem__("sha256", hashlib.sha256(damaged).hexdigest()),
                                      m.__setitem__("bytes", len(damaged))))
    (archive / "index.sqlite").unlink()
    for command in (("archive", "verify"), ("archive", "list"), ("decisions",)):
        code, _, err = run(*command, "--arkiv", archive)
        assert "Traceback" not in err, command
        assert code == (1 if command[-1] == "verify" else 0), (command, err)
        assert str(version_folder(archive)) in err, command


def test_a_stored_file_replaced_by_a_symbolic_link_is_not_followed(run: Run, archived: Path, signed: Path,
                                                                    tmp_path: Path) -> None:
    archive = copy_archive(archived, tmp_path)
    stored = version_folder(archive) / "referat-signeret.pdf"
    outside = tmp_path / "udenfor.pdf"
    shutil.copy(signed, outside)
    stored.chmod(0o644)
    stored.unlink()
    stored.symlink_to(outside)
    code, _, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1
    assert f"{stored}: fejl: er en symbolsk henvisning; arkivet består kun af almindelige filer" in err


@pytest.fixture(scope="module")
def closed_archive(pki: Pki, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """An archive (in a folder that also holds meetings) whose stored minutes have item 5 closed."""
    base = tmp_path_factory.mktemp("lukket")
    folder = base / "møder" / "2026-02-23-das-social"
    shutil.copytree(EXAMPLE, folder)
    replace_in(folder / "punkter" / "05-sundhedstjek-paa-botilbud.yaml", "adgang: åben",
               "adgang: lukket\nlukket_grundlag: Offentlighedslovens § 30, nr. 1")
    pdf = sign_as_chair(build_minutes(folder, base / "ud"), pki, base / "underskrevet.pdf")
    return base, archived_into(base / "arkiv", pdf, pki, folder)


def _next_meeting_with_archived_minutes(base: Path) -> Path:
    """The meeting after the archived one, with those minutes attached as `arkiv: das-social/2026-02-23`."""
    folder = base / "møder" / "2026-05-22-das-social"
    shutil.copytree(EXAMPLE, folder)
    replace_in(folder / "møde.yaml", "dato: 2026-02-23", "dato: 2026-05-22")
    replace_in(folder / "møde.yaml", "  dato: 2026-05-22", "  dato: 2026-09-01")
    replace_in(folder / "punkter" / "02-godkendelse-af-referat.yaml", "fil: 02-das-social-referat-2025-11-17.pdf",
               "arkiv: das-social/2026-02-23")
    return folder


def bilag_text(packet: Path, bilag_id: str) -> str:
    """The text of one bilag's own pages in a packet (found by their page labels, 'Bilag 2.1: 3')."""
    reader = PdfReader(packet)
    text = " ".join(page.extract_text() for label, page in zip(reader.page_labels, reader.pages, strict=True)
                    if label.startswith(f"Bilag {bilag_id}: "))
    return " ".join(text.split())  # words, whatever the lines


CLOSED_ITEM_WORDS = "Status på sundhedstjek på botilbud"  # item 5's title, closed in the archived minutes


def test_a_closed_item_flipped_open_in_the_manifest_stays_out_of_a_public_packet(
        run: Run, closed_archive: tuple[Path, Path], tmp_path: Path) -> None:
    """The public edition of archived minutes is made from the data archived with them (issue 22), so the
    manifest's word does not decide what is left out: item 5 stays closed, and verify names the edited manifest."""
    base = tmp_path / "kopi"
    shutil.copytree(closed_archive[0], base)
    archive = base / "arkiv"
    manifest = edit_manifest(archive, lambda m: [p.__setitem__("lukket", False) for p in m["punkter"]])
    folder = _next_meeting_with_archived_minutes(base)
    code, _, err = run("packet", folder, "--dokument", "referat", "--offentlig", "--out", tmp_path / "ud")
    assert code == 0, err
    shown = bilag_text(tmp_path / "ud" / "referat-med-bilag-offentlig.pdf", "2.1")  # the archived minutes
    assert CLOSED_ITEM_WORDS in shown  # item 5's number and title are shown, as for any closed item …
    start = shown.rindex(CLOSED_ITEM_WORDS)
    assert "Lukket punkt" in shown[start:start + 200]  # … with the closed notice, not its text:
    decision = "markant nedgang i antal sundhedstjek"  # in item 5's decision in the signed minutes
    signed = bilag_text(tmp_path / "ud" / "referat-med-bilag.pdf", "2.1")
    assert decision in signed[signed.rindex(CLOSED_ITEM_WORDS):]
    assert decision not in shown[start:shown.find("Punkt 6.", start)]
    code, _, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1
    assert (f"{manifest}: fejl: manifestets punkter stemmer ikke med den underskrevne PDF: punkt 5 'Status på "
            "sundhedstjek på botilbud' står som 'Lukket' i den underskrevne PDF, men som 'Åben'") in err


def test_archived_data_that_opens_a_closed_item_is_refused_in_a_public_packet(
        run: Run, closed_archive: tuple[Path, Path], tmp_path: Path) -> None:
    """Data and manifest edited together (item 5 opened, the sha256 rewritten to match): the signed PDF still says
    'Lukket', so the archived data is not the signed minutes' data and no public edition is made from it."""
    base = tmp_path / "kopi"
    shutil.copytree(closed_archive[0], base)
    archive = base / "arkiv"
    item = version_folder(archive) / "data" / "punkter" / "05-sundhedstjek-paa-botilbud.yaml"
    item.chmod(0o644)
    replace_in(item, "adgang: lukket\nlukket_grundlag: Offentlighedslovens § 30, nr. 1", "adgang: åben")
    digest = hashlib.sha256(item.read_bytes()).hexdigest()
    edit_manifest(archive, lambda m: m["data"]["filer"].__setitem__(
        "data/punkter/05-sundhedstjek-paa-botilbud.yaml", digest))
    folder = _next_meeting_with_archived_minutes(base)
    code, _, err = run("packet", folder, "--dokument", "referat", "--offentlig", "--out", tmp_path / "ud")
    assert code == 1
    assert ("det arkiverede referat das-social/2026-02-23: mødets data i arkivet passer ikke med den underskrevne "
            "PDF (punkt 5 'Status på sundhedstjek på botilbud' står som 'Lukket' i den underskrevne PDF, men som "
            "'Åben')") in err
    assert not (tmp_path / "ud" / "referat-med-bilag-offentlig.pdf").exists()


def test_the_honest_closed_archive_verifies(run: Run, closed_archive: tuple[Path, Path]) -> None:
    code, out, err = run("archive", "verify", "--arkiv", closed_archive[1])
    assert code == 0, err
    assert "1 udgave kontrolleret" in out


# --- read-only commands never write -----------------------------------------------------------------------


def state(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.rglob("*"))
            if p.is_file()} | {str(p.relative_to(folder)) + "/": (b"", 0) for p in folder.rglob("*") if p.is_dir()}


def test_read_only_commands_write_nothing(run: Run, archived: Path, tmp_path: Path) -> None:
    archive = copy_archive(archived, tmp_path)
    before = state(archive)
    for command in (("archive", "list"), ("archive", "verify"), ("search", "Bifrost"), ("decisions",),
                    ("decisions", "--csv")):
        code, _, err = run(*command, "--arkiv", archive)
        assert code == 0, (command, err)
        assert state(archive) == before, command  # no byte, no mtime, no journal or lock file


def _read_only_bind_works(tmp_path: Path) -> bool:
    probe = tmp_path / "probe"
    probe.mkdir()
    script = f"mount --bind -o ro '{probe}' '{probe}' && ! touch '{probe}/x' 2>/dev/null"
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, check=False)
    return done.returncode == 0 and not (probe / "x").exists()


def on_read_only_media(archive: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run referat with `archive` bind-mounted read-only (a user namespace: needs no privileges)."""
    command = " ".join(f"'{a}'" for a in (sys.executable, "-m", "referat", *args))
    return subprocess.run(["unshare", "-rm", "sh", "-c", f"mount --bind -o ro '{archive}' '{archive}' && {command}"],
                          capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})


def test_an_archive_on_read_only_media_is_listed_searched_and_verified(archived: Path, tmp_path: Path) -> None:
    if shutil.which("unshare") is None or not _read_only_bind_works(tmp_path):
        pytest.skip("a read-only bind mount needs 'unshare -rm' (user namespaces), which this machine lacks")
    archive = copy_archive(archived, tmp_path)
    done = on_read_only_media(archive, "archive", "verify", "--arkiv", str(archive))
    assert done.returncode == 0, done.stderr
    assert "1 udgave kontrolleret" in done.stdout
    done = on_read_only_media(archive, "search", "Bifrost", "--arkiv", str(archive))
    assert done.returncode == 0 and "punkt 3:" in done.stdout, done.stderr
    # a missing index on read-only media is rebuilt in memory, not written
    (archive / "index.sqlite").unlink()
    before = state(archive)
    done = on_read_only_media(archive, "archive", "list", "--arkiv", str(archive))
    assert done.returncode == 0, done.stderr
    assert "udgave 1" in done.stdout
    assert "arkivet er skrivebeskyttet; søgeindekset er bygget i hukommelsen til denne kørsel og ikke gemt" in done.stderr
    done = on_read_only_media(archive, "decisions", "--arkiv", str(archive))
    assert done.returncode == 0 and "17 beslutninger" in done.stdout, done.stderr
    assert state(archive) == before and not (archive / "index.sqlite").exists()


def test_a_stale_index_on_read_only_media_is_completed_in_memory(archived: Path, tmp_path: Path) -> None:
    if shutil.which("unshare") is None or not _read_only_bind_works(tmp_path):
        pytest.skip("a read-only bind mount needs 'unshare -rm' (user namespaces), which this machine lacks")
    archive = copy_archive(archived, tmp_path)
    sql(archive, "DELETE FROM soeg")
    sql(archive, "DELETE FROM punkter")
    sql(archive, "DELETE FROM udgaver")  # as after an add that died between its rename and its index update
    before = state(archive)
    done = on_read_only_media(archive, "search", "Bifrost", "--arkiv", str(archive))
    assert done.returncode == 0, done.stderr
    assert "punkt 3:" in done.stdout and "nu indekseret" in done.stderr and "i hukommelsen" in done.stderr
    assert state(archive) == before


# --- 3. archive messages -----------------------------------------------------------------------------------


def test_a_manifest_date_that_is_not_a_date_is_a_located_message(run: Run, archived: Path, tmp_path: Path) -> None:
    archive = copy_archive(archived, tmp_path)
    (archive / "index.sqlite").unlink()
    manifest = edit_manifest(archive, lambda m: (m.__setitem__("dato", "23-02-2026"),
                                                 m.__setitem__("arkiveret", "i går")))
    code, out, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1 and "Traceback" not in err
    assert f"{manifest}: fejl: feltet 'dato' er ikke en dato (ÅÅÅÅ-MM-DD): '23-02-2026'" in err
    assert f"{manifest}: fejl: feltet 'arkiveret' er ikke et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm:ss+00:00): 'i går'" in err
    code, out, err = run("archive", "list", "--arkiv", archive)
    assert code == 0 and "Traceback" not in err and "arkivet er tomt" in out
    assert "ikke indekseret" in err and "feltet 'dato' er ikke en dato" in err


def test_an_index_row_with_a_malformed_date_is_a_located_message(run: Run, archived: Path, tmp_path: Path) -> None:
    archive = copy_archive(archived, tmp_path)
    sql(archive, "UPDATE udgaver SET dato = '2026-13-45'")
    message = (f"{archive / 'index.sqlite'}: fejl: udgaven das-social/2026-02-23/udgave-1: kolonnen 'dato' er "
               "»2026-13-45« i indekset, men »2026-02-23« i manifestet")
    for command in (("archive", "list"), ("search", "Bifrost"), ("decisions",), ("archive", "verify")):
        code, _, err = run(*command, "--arkiv", archive)
        assert code == 1 and "Traceback" not in err, command
        assert message in err, command


def test_an_index_built_from_a_manifest_with_a_malformed_date_is_a_located_message(run: Run, archived: Path,
                                                                                   tmp_path: Path) -> None:
    """An index and manifest that agree on a malformed date (written by an older or foreign tool): the
    commands that print dates name the index row and column instead of failing."""
    archive = copy_archive(archived, tmp_path)
    manifest = edit_manifest(archive, lambda m: m.__setitem__("dato", "2026-13-45"))
    (archive / "das-social" / "2026-02-23").rename(archive / "das-social" / "2026-13-45")
    manifest = archive / "das-social" / "2026-13-45" / "udgave-1" / "manifest.json"
    digest = hashlib.sha256(manifest.read_bytes()).hexdigest()
    sql(archive, f"UPDATE udgaver SET dato = '2026-13-45', sti = 'das-social/2026-13-45/udgave-1', "
                 f"manifest_sha256 = '{digest}'")
    for command in (("archive", "list"), ("search", "Bifrost"), ("decisions",)):
        code, _, err = run(*command, "--arkiv", archive)
        assert code == 1 and "Traceback" not in err, command
        assert (f"{archive / 'index.sqlite'}: fejl: søgeindekset har en ugyldig dato '2026-13-45' i kolonnen "
                "'dato' for udgaven das-social/2026-13-45/udgave-1") in err, command
    code, _, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1 and f"{manifest}: fejl: feltet 'dato' er ikke en dato (ÅÅÅÅ-MM-DD): '2026-13-45'" in err


@pytest.mark.parametrize("count", ["0", "-3"])
def test_search_count_below_one_is_a_usage_error(run: Run, archived: Path, count: str) -> None:
    code, out, err = run("search", "Bifrost", "--antal", count, "--arkiv", archived)
    assert code == 2
    assert f"referat: fejl: --antal skal være mindst 1, ikke {count}" in err
    assert "ingen træf" not in out


def test_the_decision_register_csv_guards_formula_cells(run: Run, pki: Pki, tmp_path: Path) -> None:
    def formulas(folder: Path) -> None:
        replace_in(folder / "punkter" / "01-godkendelse-af-dagsorden.yaml", "  Godkendt\n",
                   "  =HYPERLINK(\"http://example.invalid\";\"Godkendt\")\n")
        replace_in(folder / "punkter" / "16-eventuelt.yaml", "titel: Eventuelt", "titel: \"@SUM(1+1)\"")

    folder = meeting_copy(tmp_path, formulas)
    pdf = sign_as_chair(build_minutes(folder, tmp_path / "ud"), pki, tmp_path / "underskrevet.pdf")
    archive = tmp_path / "arkiv"
    code, _, err = add(run, archive, pdf, pki, folder=folder)
    assert code == 0, err
    out_file = tmp_path / "beslutninger.csv"
    code, _, err = run("decisions", "--out", out_file, "--arkiv", archive)
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out_file.read_text("utf-8-sig")), delimiter=";"))
    by_item = {r[3]: r for r in rows[1:]}
    assert by_item["1"][5] == "'=HYPERLINK(\"http://example.invalid\";\"Godkendt\")"
    assert by_item["16"][4] == "'@SUM(1+1)"
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def _expired_signer(folder: Path) -> tuple[Path, Path]:
    """A root and a signer certificate it issued that expired yesterday: (root.pem, signer.p12)."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)

    def cert(cn: str, key, issuer: str, issuer_key, ca: bool, start: dt.datetime, end: dt.datetime):  # type: ignore[no-untyped-def]
        return (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]))
                .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(start).not_valid_after(end)
                .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
                .add_extension(x509.KeyUsage(digital_signature=not ca, content_commitment=not ca,
                                             key_encipherment=False, data_encipherment=False, key_agreement=False,
                                             key_cert_sign=ca, crl_sign=ca, encipher_only=False,
                                             decipher_only=False), critical=True)
                .sign(issuer_key, hashes.SHA256()))

    root_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    root = cert("Udløbs-rod", root_key, "Udløbs-rod", root_key, True, now - dt.timedelta(days=800),
                now + dt.timedelta(days=800))
    expired = cert("Udløbet Formand", key, "Udløbs-rod", root_key, False, now - dt.timedelta(days=400),
                   now - dt.timedelta(days=1))
    root_pem = folder / "udloebs-rod.pem"
    root_pem.write_bytes(root.public_bytes(serialization.Encoding.PEM))
    p12 = folder / "udloebet.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(b"x", key, expired, [root],
                                                          serialization.BestAvailableEncryption(b"hemmelig")))
    return root_pem, p12


def test_an_expired_signing_certificate_is_reported_as_expired(run: Run, minutes: Path, tmp_path: Path) -> None:
    import datetime as dt

    from pyhanko.sign.signers import SimpleSigner

    from referat.signing.sign import sign_pdf

    root_pem, p12 = _expired_signer(tmp_path)
    signer = SimpleSigner.load_pkcs12_data(p12.read_bytes(), other_certs=[], passphrase=b"hemmelig")
    assert signer is not None
    # `referat sign` refuses an expired certificate; another program may not
    pdf = tmp_path / "udloebet-underskrevet.pdf"
    pdf.write_bytes(sign_pdf(minutes.read_bytes(), signer, "Udløbet Formand", "formand"))
    code, _, err = run("archive", "add", EXAMPLE, pdf, "--arkiv", tmp_path / "arkiv", "--rodcertifikat", root_pem)
    assert code == 1
    expiry = (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).strftime("%d.%m.%Y")
    assert (f"udloebet-underskrevet.pdf: fejl: underskriften 'Underskrift 1' (Udløbet Formand): certifikatet "
            f"(navn: Udløbet Formand) er udløbet (gyldig til {expiry})") in err  # the field named in Danish
    assert "ikke betroet" not in err


# --- 4. the same file is archived once; list shows what to journalise --------------------------------------


def test_the_same_signed_file_is_not_archived_twice(run: Run, archived: Path, signed: Path, pki: Pki,
                                                    tmp_path: Path) -> None:
    archive = copy_archive(archived, tmp_path)
    before = state(archive)
    code, out, err = add(run, archive, signed, pki)
    assert code == 1 and "arkiverede" not in out
    assert (f"{signed}: fejl: filen er allerede arkiveret som udgave 1 "
            f"({version_folder(archive) / 'referat-signeret.pdf'})") in err
    assert {k: v for k, v in state(archive).items() if k != ".laas"} == {k: v for k, v in before.items()
                                                                           if k != ".laas"}


def test_archive_list_prints_each_files_sha256(run: Run, archived: Path, signed: Path) -> None:
    code, out, _ = run("archive", "list", "--arkiv", archived)
    assert code == 0
    assert f"    sha256 {hashlib.sha256(signed.read_bytes()).hexdigest()}\n" in out


@pytest.mark.parametrize("args", [["archive", "list"], ["search", "Bifrost"], ["decisions"]], ids=" ".join)
def test_reading_the_index_loads_no_pdf_or_signature_library(archived: Path, args: list[str]) -> None:
    """`archive list`, `search` and `decisions` read manifests and the index, and check them against each other:
    they need neither pypdf nor pyHanko (archive/layout.py keeps the manifest's text layout apart from the PDF
    text check), ~0.15 s of start-up each."""
    script = ("import sys\nfrom referat.cli import main\ncode = main(sys.argv[1:])\n"
              "print(sorted(m for m in ('pypdf', 'pyhanko', 'pikepdf') if m in sys.modules))\nsys.exit(code)\n")
    done = subprocess.run([sys.executable, "-c", script, *args, "--arkiv", str(archived)], capture_output=True,
                          text=True, timeout=300, check=False, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]", done.stdout


@pytest.mark.parametrize(("subject", "name"), [
    ("Common Name: Anne Hansen, Organization: DAS Social, Country: DK", "Anne Hansen, DAS Social"),
    # asn1crypto puts "; " between the fields when a value holds a comma
    ("Common Name: Henrik Aarup-Kristensen; Organization: Nordjysk Socialaftale, Aalborg; Country: DK",
     "Henrik Aarup-Kristensen, Nordjysk Socialaftale, Aalborg"),
    ("Common Name: Anne Hansen", "Anne Hansen"),
], ids=["komma", "semikolon", "kun-navn"])
def test_a_manifest_from_before_the_signer_was_recorded_names_the_certificate(subject: str, name: str) -> None:
    """Manifests written before issue 25 have no `underskriver`: the name is read from the stored subject, and a
    name typed at signing that is the certificate's is not shown as a claim."""
    from referat.archive.signers import certificate_name, claimed_name, describe

    entry = {"certifikat": {"emne": subject}, "navn": name.split(", ")[0], "tillid": "betroet"}
    assert certificate_name(entry) == name
    assert claimed_name(entry) is None
    assert describe(entry) == f"{name}, betroet"
