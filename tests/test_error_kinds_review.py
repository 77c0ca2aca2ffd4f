"""Review leftovers of issue 13: the PDF engine's failures, the archive's and the loader's errors have their kinds.

A Typst failure in one of our templates is a bug of the program's (exit 70, "intern fejl", a report to attach),
an image the engine cannot decode is the user's file (exit 1, naming it); the archive and the loader raise the
named kinds of `referat/errors.py`, and the archive commands return the named exit codes.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLE, ROOT, absolute_run


@pytest.fixture
def run(run: Run) -> Run:
    """These tests name files as `f"{path}: fejl: …"`: paths in the output absolute, wherever the clone sits."""
    return absolute_run(run)
from referat.diagnostics import Location
from referat.errors import (
    EXIT_INTERNAL,
    EXIT_INVALID,
    EXIT_OK,
    ArchiveError,
    InputError,
    InternalError,
    SignatureError,
)

Run = Callable[..., tuple[int, str, str]]


# --- the PDF engine ------------------------------------------------------------------------------------------


def test_our_template_failing_is_an_internal_error() -> None:
    from referat.render.pdf import compile_typst

    with pytest.raises(InternalError) as caught:
        compile_typst("cover.typ", {}, dt.date(2026, 2, 23))  # the data our code passes lacks every field
    message = str(caught.value)
    assert message.startswith("PDF-motoren fejlede i skabelonen cover.typ: ")
    assert message.endswith("Det er en fejl i referat, ikke i dine filer; rapportér den til projektet")


def test_a_broken_template_in_a_build_exits_70_with_a_report(run: Run, monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    from referat.render import pdf

    templates = tmp_path / "typst"
    templates.mkdir()
    (templates / "document.typ").write_text("#let d = json(bytes(sys.inputs.data))\n#d.findes_ikke\n", "utf-8")
    monkeypatch.setattr(pdf, "TEMPLATE_DIR", templates)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    out = tmp_path / "ud"
    code, _, err = run("build", EXAMPLE, "--format", "pdf", "--out", out)
    assert code == EXIT_INTERNAL == 70
    assert err.splitlines()[0] == "referat: intern fejl (InternalError): en fejl i programmet, ikke i dine filer"
    assert "rapportér fejlen til projektet" in err and ": fejl:" not in err and "Traceback" not in err
    written = re.search(r"skrevet i (\S+\.txt)", err)
    assert written, err
    report = Path(written.group(1)).read_text("utf-8")
    assert "PDF-motoren fejlede i skabelonen document.typ: " in report and "findes_ikke" in report
    assert not (out / "dagsorden.pdf").exists()


def _profile_with_logo(tmp_path: Path, logo: bytes) -> tuple[Path, Path]:
    """(templates folder with a profile 'med-logo' whose logo holds `logo`, a meeting of that committee)."""
    templates = tmp_path / "skabeloner"
    (templates / "udvalg").mkdir(parents=True)
    shutil.copytree(ROOT / "templates" / "word", templates / "word")
    profile = (ROOT / "templates" / "udvalg" / "das-social.yaml").read_text("utf-8")
    assert "\nudseende:\n" in profile
    (templates / "udvalg" / "med-logo.yaml").write_text(profile.replace("\nudseende:\n", "\nudseende:\n  logo: logo.png\n"),
                                                        "utf-8")
    (templates / "udvalg" / "logo.png").write_bytes(logo)
    folder = tmp_path / "møde"
    shutil.copytree(EXAMPLE, folder)
    meeting = folder / "møde.yaml"
    meeting.write_text(meeting.read_text("utf-8").replace("udvalg: das-social", "udvalg: med-logo"), "utf-8")
    return templates, folder


def test_a_logo_the_engine_cannot_decode_is_the_users_file(run: Run, tmp_path: Path) -> None:
    templates, folder = _profile_with_logo(tmp_path, b"\x89PNG\r\n\x1a\nikke et billede")
    out = tmp_path / "ud"
    code, _, err = run("build", folder, "--format", "pdf", "--out", out, "--skabeloner", templates)
    assert code == EXIT_INVALID
    assert f"{templates / 'udvalg' / 'logo.png'}: fejl: billedet kan ikke læses af PDF-motoren (failed to decode " \
           "image" in err
    assert "intern fejl" not in err and "document.typ" not in err
    assert not (out / "dagsorden.pdf").exists()


def test_a_broken_logo_is_named_in_the_word_edition_too(run: Run, tmp_path: Path) -> None:
    """Before: `dokument.docx: fejl: Word-skabelonen kan ikke bruges: ` (an empty reason, the wrong file)."""
    templates, folder = _profile_with_logo(tmp_path, b"\x89PNG\r\n\x1a\nikke et billede")
    out = tmp_path / "ud"
    code, _, err = run("build", folder, "--format", "docx", "--out", out, "--skabeloner", templates)
    assert code == EXIT_INVALID
    assert (f"{templates / 'udvalg' / 'logo.png'}: fejl: logoet kan ikke læses som billede (beskadiget eller ukendt "
            "format)") in err
    assert "Word-skabelonen" not in err and "intern fejl" not in err
    assert not (out / "dagsorden.docx").exists()


# --- the archive's and the loader's kinds ---------------------------------------------------------------------


def test_archive_references_and_stored_files_raise_their_kinds(tmp_path: Path) -> None:
    from referat.archive import manifest, store

    where = Location(tmp_path / "punkt.yaml", 8, 12)
    with pytest.raises(InputError) as wrong:  # the meeting's YAML names no archive version
        store.archived_pdf(tmp_path, "das-social/23-02-2026", where)
    assert wrong.value.message.startswith("'das-social/23-02-2026' er ikke en arkivhenvisning")
    with pytest.raises(ArchiveError) as none:
        store.archived_pdf(tmp_path, "das-social/2026-02-23", where)
    assert none.value.message == f"arkivet {tmp_path} har intet underskrevet referat 'das-social/2026-02-23'"
    with pytest.raises(ArchiveError) as no_root:
        store.find_archived(tmp_path, "das-social/2026-02-23", where)
    assert no_root.value.message.startswith("der er ingen arkiv/-mappe i eller over mødets mappe")
    with pytest.raises(ArchiveError) as missing:
        manifest.load(tmp_path / "manifest.json")
    assert missing.value.message == "manifestet mangler"
    (tmp_path / "manifest.json").write_text('{"format": "noget andet"}', "utf-8")
    with pytest.raises(ArchiveError) as foreign:
        manifest.load(tmp_path / "manifest.json")
    assert foreign.value.message.startswith("ukendt manifestformat")


def test_archive_add_raises_its_kinds(tmp_path: Path) -> None:
    from referat.app.pipeline import load
    from referat.archive.checks import Options, examine, trust_roots

    meeting = load(EXAMPLE).meeting
    with pytest.raises(SignatureError) as no_root:
        trust_roots([tmp_path / "rod.pem"], meeting)
    assert no_root.value.message == "rodcertifikatet findes ikke"
    (tmp_path / "rod.pem").write_text("ikke et certifikat", "utf-8")
    with pytest.raises(SignatureError) as bad_root:
        trust_roots([tmp_path / "rod.pem"], meeting)
    assert bad_root.value.message.startswith("rodcertifikatet kan ikke læses som PEM eller DER")
    with pytest.raises(InputError) as no_file:
        examine(meeting, bytes, tmp_path / "mangler.pdf", Options([], False, False, []))
    assert no_file.value.message == "filen findes ikke"
    (tmp_path / "referat.pdf").write_text("ikke en PDF", "utf-8")
    with pytest.raises(SignatureError) as not_pdf:
        examine(meeting, bytes, tmp_path / "referat.pdf", Options([], False, False, []))
    assert not_pdf.value.report.errors[0].message.startswith("filen er ikke en PDF")


@pytest.mark.parametrize(("data", "message"), [
    (None, "filen findes ikke"),
    (b"\xff\xfet\x00i\x00", "filen er gemt som UTF-16/UTF-32; gem den som UTF-8"),
    (b"titel: caf\xe9\n", "filen er ikke gyldig UTF-8 (den ser ud til at være gemt som Latin-1/Windows-1252)"),
    (b"titel: [\n", "YAML-syntaksfejl: en værdi mangler her"),
])
def test_the_yaml_reader_raises_input_errors(tmp_path: Path, data: bytes | None, message: str) -> None:
    from referat.load.yamlfile import read_yaml

    path = tmp_path / "punkt.yaml"
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        read_yaml(path)
    assert caught.value.message.startswith(message)
    assert caught.value.report.errors[0].location.path == path


def test_archive_commands_return_the_named_codes(run: Run, tmp_path: Path) -> None:
    empty = tmp_path / "arkiv"
    code, _, err = run("archive", "list", "--arkiv", empty)
    assert code == EXIT_INVALID and f"{empty}: fejl: arkivet findes ikke (endnu)" in err
    code, _, err = run("archive", "verify", "--arkiv", empty)
    assert code == EXIT_INVALID and f"{empty}: fejl: arkivet findes ikke" in err
    empty.mkdir()
    code, out, err = run("archive", "list", "--arkiv", empty)
    assert (code, out) == (EXIT_OK, "arkivet er tomt\n"), err
    code, out, err = run("decisions", "--arkiv", empty)
    assert code == EXIT_OK and "0 beslutninger" in out, err
