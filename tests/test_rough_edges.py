"""The small edges a newcomer hits (issue 24): where commands write, what their messages say."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

from conftest import ROOT, Run

# --------------------------------------------------------------------------------------- item 7: tariffs template


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_tariffs_template_without_out_writes_into_the_working_directory(run: Run, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    project_copy = ROOT / "templates" / "takstskema.xlsx"
    before = _digest(project_copy)
    monkeypatch.chdir(tmp_path)
    code, out, err = run("tariffs", "template")
    assert code == 0, err
    assert out == f"skrev takstskema.xlsx i arbejdsmappen ({tmp_path}); angiv --out for en anden fil\n"
    assert "Driftsherre" in str([c.value for row in openpyxl.load_workbook(tmp_path / "takstskema.xlsx").active.iter_rows(
        max_row=10) for c in row])
    assert _digest(project_copy) == before


def test_tariffs_template_run_in_the_project_leaves_the_projects_copy(run: Run, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "projekt"
    (project / "templates").mkdir(parents=True)
    kept = project / "templates" / "takstskema.xlsx"
    kept.write_bytes(b"the secretariat's own edited template")
    monkeypatch.chdir(project)
    assert run("tariffs", "template")[0] == 0
    assert kept.read_bytes() == b"the secretariat's own edited template"
    assert (project / "takstskema.xlsx").is_file()


def test_tariffs_template_does_not_overwrite_a_skema_in_the_working_directory(run: Run, tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "takstskema.xlsx").write_bytes(b"a filled-in skema")
    monkeypatch.chdir(tmp_path)
    code, out, err = run("tariffs", "template")
    assert code == 3 and out == ""
    assert err.startswith("takstskema.xlsx: fejl: takstskema.xlsx findes allerede i arbejdsmappen")
    assert (tmp_path / "takstskema.xlsx").read_bytes() == b"a filled-in skema"
    assert run("tariffs", "template", "--out", "takstskema.xlsx")[0] == 0  # named: overwritten
    assert (tmp_path / "takstskema.xlsx").read_bytes()[:2] == b"PK"
