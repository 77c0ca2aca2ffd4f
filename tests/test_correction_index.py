"""Corrections in the archive index, `archive list`, `search` and `verify` (issue 14, the last piece).

One small meeting is built, signed and archived, then a correction to it is built, signed and archived, once for
the module; every test works on its own copy of that archive and tampers with one thing.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import Run, archived_into, build_minutes, sign, sign_as_chair, write_meeting
from pki import Pki
from referat.cli import main

DAY = "2026-02-23"
ITEMS = {
    "01-dagsorden.yaml": "titel: Godkendelse af dagsorden\ntype: standard\nbeslutning: Godkendt\n",
    "02-botilbud.yaml": "titel: Nye botilbud i regionen\ntype: beslutning\nsagsnummer: ''\n"
                        "sagsfremstilling: |\n  Der foreslås tre nye botilbud til unge.\n"
                        "indstilling: [Godkender de nye botilbud]\nbeslutning: Godkendt\n",
}
CORRECTION = ("rettet_af: Sekretariatet\nbegrundelse: Antallet af botilbud var gengivet forkert.\n"
              "rettelser:\n  - punkt: '2'\n    tekst: I sagsfremstillingen rettes 'tre' til 'to' botilbud.\n")
VERSION = f"das-social/{DAY}/udgave-1"
FIX = f"das-social/{DAY}/rettelse-1"


@pytest.fixture(scope="module", autouse=True)
def _password(cert_password: None) -> None:
    """Every test here signs or archives with the PKI's password."""


class Made:
    def __init__(self, folder: Path, archive: Path, signed: Path, signed_fix: Path, correction: Path) -> None:
        self.folder, self.archive, self.signed, self.signed_fix, self.correction = (
            folder, archive, signed, signed_fix, correction)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory, pki: Pki) -> Made:
    """A meeting's signed minutes archived, and a signed correction to them archived beside them."""
    base = tmp_path_factory.mktemp("rettelse")
    folder = write_meeting(base / "møde", ITEMS, fase="referat")
    out, archive = base / "output", base / "arkiv"
    signed = sign_as_chair(build_minutes(folder, out), pki, base / "referat-underskrevet.pdf")
    archived_into(archive, signed, pki, folder)
    correction = base / "rettelse.yaml"
    correction.write_text(CORRECTION, encoding="utf-8")
    assert main(["correction", "build", str(folder), str(correction), "--arkiv", str(archive), "--out", str(out)]) == 0
    signed_fix = sign(out / "rettelse.pdf", pki.sekretariat, base / "rettelse-underskrevet.pdf", "--rolle", "sekretariat")
    assert main(["correction", "archive", str(folder), str(correction), str(signed_fix), "--arkiv", str(archive),
                 "--rodcertifikat", str(pki.root_pem)]) == 0
    return Made(folder, archive, signed, signed_fix, correction)


def copy_archive(made: Made, tmp_path: Path) -> Path:
    target = tmp_path / "arkiv"
    shutil.copytree(made.archive, target)
    for path in target.rglob("*"):  # stored files are read-only: a test that tampers must be able to write
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


def sql(archive: Path, statement: str, *params: object) -> list[tuple[object, ...]]:
    with sqlite3.connect(archive / "index.sqlite") as conn:
        return conn.execute(statement, params).fetchall()


def rows(archive: Path) -> list[tuple[object, ...]]:
    columns = ("sti, udvalg, dato, rettelse, retter, retter_sha256, fil, sha256, manifest_sha256, arkiveret, "
               "rettet_af, begrundelse, rettelser, underskrivere")
    return sql(archive, f"SELECT {columns}, s.tekst FROM rettelser r JOIN soeg_rettelser s ON s.rowid = r.id "
                        "ORDER BY sti")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fix_manifest(archive: Path) -> Path:
    return archive / FIX / "manifest.json"


def edit_manifest(archive: Path, **changes: object) -> None:
    path = fix_manifest(archive)
    data = json.loads(path.read_text("utf-8"))
    data.update(changes)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


# 1. The index

def test_an_archived_correction_has_its_row_in_the_index(made: Made) -> None:
    [row] = rows(made.archive)
    (path, committee, date, number, corrects, corrects_sha, name, digest, manifest_sha, archived, by, reason,
     what, signers, folded) = row
    assert (path, committee, date, number, corrects, name) == (FIX, "das-social", DAY, 1, VERSION,
                                                               "rettelse-signeret.pdf")
    assert corrects_sha == sha(made.signed) == sha(made.archive / VERSION / "referat-signeret.pdf")
    assert digest == sha(made.signed_fix) == sha(made.archive / FIX / "rettelse-signeret.pdf")
    assert manifest_sha == sha(fix_manifest(made.archive))
    assert (by, reason) == ("Sekretariatet", "Antallet af botilbud var gengivet forkert.")
    assert what == "punkt 2: I sagsfremstillingen rettes 'tre' til 'to' botilbud."
    assert str(archived).startswith("20") and "Sekretariat for Nordjysk Socialaftale, sekretariat, betroet" in signers
    assert "botilbud" in str(folded) and "sekretariatet" in str(folded)


def test_the_index_rebuilt_from_the_folders_has_the_same_correction_rows(run: Run, made: Made,
                                                                         tmp_path: Path) -> None:
    archive = copy_archive(made, tmp_path)
    before = rows(archive)
    (archive / "index.sqlite").unlink()
    code, out, err = run("archive", "list", "--arkiv", archive)
    assert code == 0, err
    assert rows(archive) == before
    assert "rettelse 1 (" in out


def test_an_index_from_before_the_corrections_table_gains_it(run: Run, made: Made, tmp_path: Path) -> None:
    archive = copy_archive(made, tmp_path)
    before = rows(archive)
    sql(archive, "DROP TABLE rettelser")
    sql(archive, "DROP TABLE soeg_rettelser")
    code, out, err = run("search", "botilbud", "--arkiv", archive)
    assert code == 0, err
    assert f"{archive / FIX}: advarsel: manglede i søgeindekset; nu indekseret" in err
    assert "Rettelse 1 til referat af DAS Social 23.02.2026 (udgave 1)" in out
    assert rows(archive) == before


def test_an_index_from_before_the_corrections_table_without_corrections_is_only_read(run: Run, made: Made,
                                                                                     tmp_path: Path) -> None:
    archive = copy_archive(made, tmp_path)
    shutil.rmtree(archive / FIX)
    sql(archive, "DROP TABLE rettelser")
    sql(archive, "DROP TABLE soeg_rettelser")
    before = (archive / "index.sqlite").read_bytes()
    for command in (("archive", "list"), ("search", "botilbud"), ("archive", "verify")):
        code, out, err = run(*command, "--arkiv", archive)
        assert code == 0 and "rettelse" not in out.lower(), (command, err)
    assert (archive / "index.sqlite").read_bytes() == before


def test_search_finds_the_correction_and_says_what_it_corrects(run: Run, made: Made) -> None:
    code, out, err = run("search", "gengivet forkert", "--arkiv", made.archive)
    assert code == 0, err
    assert out.splitlines() == ["Rettelse 1 til referat af DAS Social 23.02.2026 (udgave 1)",
                                "    Antallet af botilbud var »gengivet« »forkert.«", "1 træf"]
    code, out, _ = run("search", "rettes tre", "--arkiv", made.archive)
    assert code == 0 and "    punkt 2: I sagsfremstillingen »rettes« »'tre'« til 'to' botilbud." in out


def test_a_correction_not_checked_against_its_pdf_is_not_indexed(run: Run, made: Made, tmp_path: Path) -> None:
    archive = copy_archive(made, tmp_path)
    (archive / "index.sqlite").unlink()
    edit_manifest(archive, begrundelse="Beslutningen var forkert.")  # the signed PDF says otherwise
    code, out, err = run("search", "beslutningen", "--arkiv", archive)
    assert code == 0 and "ingen træf" in out
    assert sql(archive, "SELECT count(*) FROM rettelser") == [(0,)]
    code, _, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1
    assert (f"{fix_manifest(archive)}: fejl: feltet 'begrundelse' er »Beslutningen var forkert.« i manifestet, men "
            "den underskrevne rettelse siger det ikke") in err
    assert f"{archive / FIX}: fejl: rettelsen er ikke i søgeindekset" in err


# 2. archive list

def test_list_shows_the_correction_under_the_minutes_it_corrects(run: Run, made: Made) -> None:
    code, out, err = run("archive", "list", "--arkiv", made.archive)
    assert code == 0, err
    lines = out.splitlines()
    archived = json.loads(fix_manifest(made.archive).read_text("utf-8"))["arkiveret"][:10]
    assert lines[0].startswith("DAS Social  23.02.2026  udgave 1  verificeret  ")
    assert lines[1] == f"    sha256 {sha(made.signed)}"
    at = lines.index(f"    rettelse 1 ({archived}, sha256 {sha(made.signed_fix)}): punkt 2: I sagsfremstillingen "
                     "rettes 'tre' til 'to' botilbud.")
    assert at > 1
    assert lines[at + 1] == f"        {made.archive / FIX / 'rettelse-signeret.pdf'}; rettet af Sekretariatet"
    # the signer as the certificate names it, the role typed at signing as "oplyst" (issue 25)
    assert lines[at + 2] == "        Sekretariat for Nordjysk Socialaftale (oplyst: sekretariat), betroet, PAdES B-B"


# 3. verify

def test_verify_checks_the_correction_and_says_so(run: Run, made: Made) -> None:
    code, out, err = run("archive", "verify", "--arkiv", made.archive)
    assert code == 0, err
    assert f"ok  {made.archive / FIX / 'rettelse-signeret.pdf'} (rettelse)" in out
    assert "1 udgave og 1 rettelse kontrolleret" in out


@pytest.mark.parametrize(("column", "value"), [
    ("rettelser", "punkt 2: I beslutningen rettes Godkendt til Afvist."),
    ("retter_sha256", "0" * 64),
    ("rettet_af", "Formanden"),
])
def test_a_tampered_correction_row_is_caught(run: Run, made: Made, tmp_path: Path, column: str, value: str) -> None:
    archive = copy_archive(made, tmp_path)
    original = sql(archive, f"SELECT {column} FROM rettelser")[0][0]
    sql(archive, f"UPDATE rettelser SET {column} = ?", value)
    shown = value if len(value) <= 60 else value[:60] + "…"
    message = (f"{archive / 'index.sqlite'}: fejl: rettelsen {FIX}: kolonnen '{column}' er »{shown}« i indekset, "
               f"men »{' '.join(str(original).split())[:60]}")
    code, out, err = run("archive", "list", "--arkiv", archive)
    assert code == 1 and value not in out and message in err
    code, out, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1 and message in err and "(rettelse)" not in out


def test_a_tampered_search_row_of_a_correction_is_caught(run: Run, made: Made, tmp_path: Path) -> None:
    archive = copy_archive(made, tmp_path)
    sql(archive, "UPDATE soeg_rettelser SET tekst = 'hemmelig'")
    code, out, err = run("search", "hemmelig", "--arkiv", archive)
    assert code == 1 and "Rettelse 1" not in out
    assert f"rettelsen {FIX}: kolonnen 'soeg_rettelser.tekst' er »hemmelig« i indekset" in err
    code, _, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1 and "kolonnen 'soeg_rettelser.tekst'" in err


def test_verify_names_a_changed_correction_file(run: Run, made: Made, tmp_path: Path) -> None:
    archive = copy_archive(made, tmp_path)
    pdf = archive / FIX / "rettelse-signeret.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"%\n")
    code, out, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1
    assert f"{pdf}: fejl: rettelsen er ændret siden arkiveringen: sha256 " in err
    assert f"ok  {archive / VERSION / 'referat-signeret.pdf'}" in out  # the minutes themselves are fine
    assert "(rettelse)" not in out


def test_verify_names_a_broken_signature_even_with_the_hashes_updated(run: Run, made: Made, tmp_path: Path) -> None:
    archive = copy_archive(made, tmp_path)
    pdf = archive / FIX / "rettelse-signeret.pdf"
    data = pdf.read_bytes()
    at = data.index(b"Rettelse") if b"Rettelse" in data else len(data) // 3
    changed = data[:at] + bytes([data[at] ^ 1]) + data[at + 1:]  # one byte inside the signed range
    pdf.write_bytes(changed)
    edit_manifest(archive, sha256=hashlib.sha256(changed).hexdigest())
    code, _, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1
    assert f"{pdf}: fejl: underskriften 'Underskrift 1' (Sekretariat for Nordjysk Socialaftale): " in err


def test_verify_names_a_correction_whose_version_is_gone(run: Run, made: Made, tmp_path: Path) -> None:
    archive = copy_archive(made, tmp_path)
    edit_manifest(archive, retter=f"das-social/{DAY}/udgave-7")
    code, _, err = run("archive", "verify", "--arkiv", archive)
    pdf = archive / FIX / "rettelse-signeret.pdf"
    assert code == 1
    assert f"{pdf}: fejl: rettelsen retter 'das-social/{DAY}/udgave-7', som ikke findes i arkivet" in err
    assert f"{fix_manifest(archive)}: fejl: rettelsens manifest er ændret siden arkiveringen" in err


def test_verify_names_a_correction_whose_version_no_longer_has_the_recorded_sha256(run: Run, made: Made,
                                                                                 tmp_path: Path) -> None:
    archive = copy_archive(made, tmp_path)
    edit_manifest(archive, retter_sha256="f" * 64)
    code, _, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1
    assert (f"{archive / FIX / 'rettelse-signeret.pdf'}: fejl: referatet, som rettelsen retter "
            f"({archive / VERSION / 'referat-signeret.pdf'}), har ikke den sha256, rettelsens manifest angiver som "
            "'retter_sha256'") in err
    assert f"kolonnen 'retter_sha256' er »{sha(made.signed)[:60]}…« i indekset, men »{'f' * 60}…« i manifestet" in err


def test_verify_names_an_index_row_without_its_correction_folder(run: Run, made: Made, tmp_path: Path) -> None:
    archive = copy_archive(made, tmp_path)
    shutil.rmtree(archive / FIX)
    code, out, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1
    assert f"{archive / FIX}: fejl: rettelsen står i søgeindekset, men mappen findes ikke i arkivet" in err
    assert "(rettelse)" not in out


def test_a_field_added_to_the_correction_manifest_is_named(run: Run, made: Made, tmp_path: Path) -> None:
    archive = copy_archive(made, tmp_path)
    edit_manifest(archive, udgave=1, rettelse=2)
    code, _, err = run("archive", "verify", "--arkiv", archive)
    assert code == 1
    assert f"{fix_manifest(archive)}: fejl: feltet 'rettelse' er 2, men rettelsen ligger som 1 i arkivet" in err
    assert "manifestet har feltet 'udgave', som arkivet ikke skriver" in err
