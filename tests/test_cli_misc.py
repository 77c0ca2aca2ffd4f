"""`referat new`, `referat schema`, atomic outputs and the LibreOffice route's message."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import EXAMPLE, ROOT
from referat.schema import SCHEMAS, schema_text


def test_new_meeting_validates_at_once(run, tmp_path: Path) -> None:
    folder = tmp_path / "2026-05-22-das-social"
    code, _out, err = run("new", folder, "--dato", "2026-05-22", "--sted", "Mødelokale 2, Aalborg")
    assert code == 0, err
    names = sorted(p.name for p in (folder / "punkter").iterdir())
    assert names == ["01-godkendelse-af-dagsorden.yaml", "02-godkendelse-af-referat-fra-seneste-moede.yaml",
                     "03-eventuelt.yaml", "04-naeste-moede.yaml"]
    code, _, err = run("validate", folder)
    assert code == 0, err
    assert err == ""  # not even a warning
    first = (folder / "møde.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    schema_path = (folder / first.split("$schema=")[1]).resolve()
    assert schema_path.is_file()


def test_new_refuses_to_overwrite(run, tmp_path: Path) -> None:
    folder = tmp_path / "m"
    assert run("new", folder)[0] == 0
    code, _, err = run("new", folder)
    assert code == 1 and "der er allerede et møde her" in err


def test_schema_is_json_with_danish_keys_and_help(run) -> None:
    code, out, _ = run("schema", "punkt")
    schema = json.loads(out)
    assert code == 0
    assert {"titel", "adgang", "resumé", "sagsfremstilling", "indstilling", "bilag", "beslutning"} <= set(schema["properties"])
    assert schema["properties"]["titel"]["description"] == "Punktets titel."
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_committed_schemas_match_the_models(kind: str) -> None:
    assert (ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8") == schema_text(kind)


def test_failed_build_leaves_earlier_documents_intact(example_copy: Path, run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", example_copy, "--out", out)[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    item = example_copy / "punkter" / "03-planer-ungehjemmet-bifrost.yaml"
    item.write_text(item.read_text(encoding="utf-8").replace("titel:", "titel: [", 1), encoding="utf-8")
    code, _, err = run("build", example_copy, "--out", out)
    assert code == 1
    assert "03-planer-ungehjemmet-bifrost.yaml:4:" in err  # the line after the unclosed "["
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_output_folder_is_a_clear_error(run, tmp_path: Path) -> None:
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    try:
        code, _, err = run("build", EXAMPLE, "--out", out, "--format", "txt")
    finally:
        out.chmod(0o700)
    assert code == 3
    assert "ingen skriveadgang" in err


def test_write_atomic_keeps_old_file_when_the_write_fails(tmp_path: Path, monkeypatch) -> None:
    from referat import fileio
    from referat.diagnostics import OutputError

    target = tmp_path / "referat.pdf"
    target.write_bytes(b"old")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio.os, "replace", broken_replace)
    with pytest.raises(OutputError, match="disken er fuld"):
        fileio.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["referat.pdf"]  # no temp file left behind


def test_libreoffice_route_says_what_to_install_when_missing(run, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice here
    code, _, err = run("build", EXAMPLE, "--pdf-motor", "libreoffice", "--format", "pdf", "--out", tmp_path / "o")
    assert code == 1
    assert "LibreOffice blev ikke fundet" in err and "apt-get install libreoffice-writer" in err
    assert not (tmp_path / "o").exists()


def test_referat_of_an_agenda_phase_meeting_is_refused(make_meeting, run, tmp_path: Path) -> None:
    folder = make_meeting(fase="dagsorden")
    code, _, err = run("build", folder, "--dokument", "referat", "--out", tmp_path / "o")
    assert code == 1
    assert "møde.yaml:2:" in err and "fasen 'dagsorden'" in err


def test_usage_errors_exit_2_in_danish(run) -> None:
    with pytest.raises(SystemExit) as exc:
        run("build")
    assert exc.value.code == 2


@pytest.mark.skipif(__import__("shutil").which("soffice") is None, reason="LibreOffice er ikke installeret")
def test_libreoffice_route_converts_the_word_file(run, tmp_path: Path) -> None:
    from pypdf import PdfReader

    code, _, err = run("build", EXAMPLE, "--pdf-motor", "libreoffice", "--dokument", "referat", "--format", "pdf",
                       "--out", tmp_path)
    assert code == 0, err
    reader = PdfReader(tmp_path / "referat.pdf")
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Punkt 17." in text and "Godkendelse af planer for kommunikation" in text
    assert reader.metadata.title == "Referat – DAS Social – 23. februar 2026"


def test_a_message_is_always_one_line() -> None:
    from referat.diagnostics import Diagnostic, Location

    line = Diagnostic("fejl", "to\nlinjer\r\nog mere", Location(Path("a.yaml"), 3, 1)).format()
    assert "\n" not in line and line.endswith("to\\nlinjer\\nog mere")
