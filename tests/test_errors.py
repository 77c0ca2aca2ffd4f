"""Named error kinds (issue 13): each reaches the CLI once and leaves with its documented exit code and message.

A bug of the program's is reported as "intern fejl" with the traceback in a file, never as a mistake in the
user's input; the signature reader, the image bilag and the takster subcommands use the kinds, not stray types.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import ROOT
from referat import cli, errors
from referat.diagnostics import Location, OutputError, ReferatError, UsageError
from referat.errors import (
    EXIT_INTERNAL,
    ArchiveError,
    ConverterMissing,
    InputError,
    InternalError,
    SignatureError,
    TemplateError,
)

Run = Callable[..., tuple[int, str, str]]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "office"


def _failing_validate(monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    """`referat validate` raises `exc` (the parser binds the command function when it is built)."""

    def cmd(args: argparse.Namespace) -> int:
        raise exc

    monkeypatch.setattr(cli, "cmd_validate", cmd)


@pytest.mark.parametrize(("kind", "code"), [
    (ReferatError, 1), (InputError, 1), (errors.SealedMinutes, 1), (errors.LeakError, 1),
    (errors.ImageUnreadable, 1), (TemplateError, 1), (ConverterMissing, 1), (errors.ConversionError, 1),
    (SignatureError, 1), (ArchiveError, 1), (OutputError, 3),
])
def test_each_kind_leaves_with_its_exit_code_and_located_message(
        run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kind: type[ReferatError], code: int) -> None:
    where = tmp_path / "møde.yaml"
    _failing_validate(monkeypatch, kind("noget er galt", Location(where, 3, 5)))
    got, _out, err = run("validate", tmp_path)
    assert got == code == kind.exit_code
    assert err.splitlines()[0].endswith("møde.yaml:3:5: fejl: noget er galt")
    assert "intern fejl" not in err and "Traceback" not in err


def test_every_kind_shares_the_one_base() -> None:
    for kind in (InputError, TemplateError, ConverterMissing, SignatureError, ArchiveError, UsageError, OutputError):
        assert issubclass(kind, ReferatError)
    assert not issubclass(InternalError, ReferatError)  # a bug is never reported as the user's mistake


def test_usage_error_uses_its_exit_code_and_names_no_file(run: Run, monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path: Path) -> None:
    class Other(UsageError):
        exit_code = 2  # the code is read from the error, not assumed by the CLI

    _failing_validate(monkeypatch, Other("ukendt format: x"))
    code, _, err = run("validate", tmp_path)
    assert (code, err) == (2, "referat: fejl: ukendt format: x\n")


def test_a_real_usage_error(run: Run) -> None:
    code, _, err = run("build", ROOT / "agendas" / "2026-02-23-das-social", "--format", "odt")
    assert code == 2 and err.startswith("referat: fejl: ukendt format: odt")


def test_a_real_input_error(run: Run, make_meeting: Callable[..., Path]) -> None:
    folder = make_meeting({"a.yaml": "titel: T\nresume: x\n"})
    code, _, err = run("validate", folder)
    assert code == 1 and "a.yaml:2:1: fejl: ukendt nøgle 'resume'; mente du 'resumé'?" in err
    assert "intern fejl" not in err


@pytest.mark.parametrize("exc", [KeyError("x"), InternalError("en tilstand der ikke kan opstå"), ZeroDivisionError()])
def test_a_bug_is_an_internal_error_with_the_traceback_in_a_file(
        run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, exc: BaseException) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    _failing_validate(monkeypatch, exc)
    code, _out, err = run("validate", tmp_path)
    assert code == EXIT_INTERNAL == 70
    lines = err.splitlines()
    assert lines[0] == f"referat: intern fejl ({type(exc).__name__}): en fejl i programmet, ikke i dine filer"
    assert "rapportér fejlen til projektet" in lines[1]
    assert "Traceback" not in err and ": fejl:" not in err  # not on the terminal, and not as an input error
    written = re.search(r"skrevet i (\S+\.txt)", err)
    assert written, err
    report = Path(written.group(1))
    assert report.parent == tmp_path and report.name.startswith("referat-intern-fejl-")
    text = report.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and type(exc).__name__ in text and "in cmd\n    raise exc" in text


def test_the_signature_reader_raises_a_signature_error() -> None:
    from referat.signing.signatures import read_signatures

    with pytest.raises(SignatureError) as caught:
        read_signatures(b"%PDF-1.7\nikke en pdf", [])
    assert caught.value.message.startswith("PDF-filen kan ikke læses (")
    assert not isinstance(caught.value, ValueError)


def _png() -> bytes:
    return (FIXTURES / "tegning-med-metadata.png").read_bytes()


@pytest.mark.parametrize(("raised", "kind", "message"), [
    # what compile_typst raises when the image's data is broken: the user's image, named as such
    (errors.ImageUnreadable("billedet kan ikke læses af PDF-motoren (failed to decode image (Format error "
                            "decoding Png))", Location(Path("billede.png"))),
     InputError, "billedet kan ikke læses (beskadiget eller ukendt format)"),
    # any other failure of the engine is a bug of ours: not blamed on the image, still an internal error
    (InternalError("PDF-motoren fejlede i skabelonen image.typ: unknown variable: titel"),
     InternalError, "PDF-motoren fejlede i skabelonen image.typ: unknown variable: titel"),
], ids=["billedet", "motoren"])
def test_only_an_image_the_engine_cannot_decode_is_blamed_on_the_image(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, raised: Exception, kind: type[Exception],
        message: str) -> None:
    from referat.packet import sources

    def engine(*args: object, **kwargs: object) -> tuple[bytes, list[str]]:
        raise raised

    monkeypatch.setattr(sources, "compile_typst", engine)
    path = tmp_path / "tavle.png"
    path.write_bytes(_png())
    with pytest.raises(kind) as caught:
        sources.bilag_pdf(path, "Bilag 1", dt.date(2026, 2, 23))
    if isinstance(caught.value, ReferatError):
        assert caught.value.message == message
        assert caught.value.report.errors[0].location.path == path
    else:
        assert type(caught.value) is InternalError and str(caught.value) == message


def test_missing_libreoffice_is_a_converter_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from referat.packet import sources

    monkeypatch.setattr(sources, "find_soffice", lambda: None)
    with pytest.raises(ConverterMissing) as caught:
        sources.check_converters([tmp_path / "notat.docx"], tmp_path)
    assert "bilag/notat.docx" in caught.value.message and "LibreOffice" in caught.value.message


def test_a_missing_word_template_is_a_template_error(example_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from referat.app.pipeline import load, render

    checked = load(example_copy)
    monkeypatch.setattr(type(checked.meeting.profile), "word_template_path", lambda self: example_copy / "mangler.docx")
    with pytest.raises(TemplateError) as caught:
        render(checked, ["dagsorden"], ["docx"], [False])
    assert caught.value.message == "Word-skabelonen findes ikke"


def test_takster_subcommands_return_the_named_codes(run: Run, tmp_path: Path) -> None:
    good = ROOT / "agendas" / "2023-03-31-das-social" / "bilag" / "07-takster-2023-revideret.yaml"
    code, out, _ = run("takster", "validate", good)
    assert code == errors.EXIT_OK and "gyldig" in out
    bad = tmp_path / "takster.yaml"
    bad.write_text("år: 2023\nukendt: 1\n", encoding="utf-8")
    code, _, err = run("takster", "validate", bad)
    assert code == errors.EXIT_INVALID and "takster.yaml" in err


@pytest.mark.parametrize(("current", "earlier"), [
    (("tariffs", "validate"), ("takster", "validate")),
    (("tariffs", "summary"), ("takster", "opsummering")),
])
def test_command_names_are_english_and_the_danish_ones_still_work(run: Run, current: tuple[str, ...],
                                                                  earlier: tuple[str, ...]) -> None:
    annex = ROOT / "agendas" / "2023-03-31-das-social" / "bilag" / "07-takster-2023-revideret.yaml"
    new = run(*current, annex)
    old = run(*earlier, annex)
    assert new == old and new[0] == errors.EXIT_OK and new[1]


def test_the_template_command_under_both_names(run: Run, tmp_path: Path) -> None:
    assert run("tariffs", "template", "--out", tmp_path / "a.xlsx")[0] == 0
    assert run("takster", "skabelon", "--out", tmp_path / "b.xlsx")[0] == 0
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_help_shows_the_current_name_with_the_alias(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert "tariffs (takster)" in out
    # the lifecycle commands (issue 14) follow the same rule
    assert "to-minutes (til-referat)" in out and "follow-up (opfølgning)" in out and "correction (rettelse)" in out


def test_the_lifecycle_commands_answer_to_both_names(run: Run, tmp_path: Path) -> None:
    for current, earlier in ((["follow-up", tmp_path], ["opfølgning", tmp_path]),
                             (["to-minutes", tmp_path / "mangler"], ["til-referat", tmp_path / "mangler"])):
        assert run(*current) == run(*earlier)
    for words in (["correction", "build", "--ukendt"], ["rettelse", "byg", "--ukendt"]):
        with pytest.raises(SystemExit) as exit_:
            run(*words)
        assert exit_.value.code == errors.EXIT_USAGE


def test_a_near_miss_is_suggested_once_for_every_kind_of_name() -> None:
    from referat.load.messages import did_you_mean

    assert did_you_mean("resume", ["resumé", "baggrund"]) == "; mente du 'resumé'?"
    assert did_you_mean("Ålborg", ["Aalborg"]) == "; mente du 'Aalborg'?"
    assert did_you_mean("A\u030alborg", ["Aalborg"]) == "; mente du 'Aalborg'?"  # å typed decomposed (NFD)
    assert did_you_mean("xyz", ["resumé"]) == ""


@pytest.mark.parametrize(("number", "words", "exit_code"), [
    (errno.EACCES, "ingen adgang", 1), (errno.ENOENT, "findes ikke", 1),
    (errno.EIO, "drevet svarer ikke (ind-/uddatafejl)", 1),
    (errno.ENOSPC, "disken er fuld", 3), (errno.EROFS, "drevet er skrivebeskyttet", 3)])
def test_an_os_error_no_check_foresaw_is_named_in_danish_with_its_file(run, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                                                        tmp_path: Path, number: int,
                                                                        words: str, exit_code: int) -> None:
    import referat.app.pipeline

    def refused(*args: object, **kwargs: object) -> None:
        raise OSError(number, os.strerror(number), str(tmp_path / "møde.yaml"))

    monkeypatch.setattr(referat.app.pipeline, "check_folder", refused)
    code, _, err = run("validate", tmp_path)
    assert code == exit_code, err
    assert err.strip() == f"{tmp_path / 'møde.yaml'}: fejl: filen kan ikke bruges ({words})"
