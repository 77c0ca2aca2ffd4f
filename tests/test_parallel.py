"""Both cores (issue 17, item 7): a build's Typst PDFs are compiled in a background thread while the Word, text
and web editions are written; the files, their order and the errors are those of a serial build."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLE
from referat.app import pipeline
from referat.app.pipeline import jobs, load
from referat.app.pipeline import render as render_documents
from referat.diagnostics import ReferatError
from referat.render import pdf as render_pdf
from referat.render import word as render_word

FORMATS = ["docx", "pdf", "txt"]


@pytest.fixture(scope="module")
def example() -> Any:
    return load(EXAMPLE)


def _threads_of_pdfs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    names: list[str] = []
    original = render_pdf.write_pdf

    def recording(*args: Any, **kwargs: Any) -> bytes:
        names.append(threading.current_thread().name)
        return original(*args, **kwargs)

    monkeypatch.setattr(render_pdf, "write_pdf", recording)
    return names


def test_jobs_follow_referat_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFERAT_JOBS", "1")
    assert jobs() == 1
    monkeypatch.setenv("REFERAT_JOBS", "2")
    assert jobs() == 2
    monkeypatch.setenv("REFERAT_JOBS", "nej")
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(pipeline.os, "getloadavg", lambda: (0.2, 0.2, 0.2))
    assert jobs() == 2
    monkeypatch.setattr(pipeline.os, "getloadavg", lambda: (7.5, 7.0, 6.0))  # both cores busy already
    assert jobs() == 1
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 1)
    monkeypatch.setattr(pipeline.os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert jobs() == 1


def test_overlapped_build_gives_the_same_files_in_the_same_order(example: Any,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    names = _threads_of_pdfs(monkeypatch)
    monkeypatch.setenv("REFERAT_JOBS", "1")
    serial = render_documents(example, ["dagsorden", "referat"], FORMATS, [False, True])
    assert names and all(n == threading.main_thread().name for n in names)
    names.clear()
    monkeypatch.setenv("REFERAT_JOBS", "2")
    overlapped = render_documents(example, ["dagsorden", "referat"], FORMATS, [False, True])
    assert len(names) == 4 and all(n.startswith("referat-pdf") for n in names)  # really beside the main thread
    assert list(overlapped) == list(serial)
    assert overlapped == serial


def test_a_pdf_only_build_compiles_where_it_is_needed(example: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    names = _threads_of_pdfs(monkeypatch)
    monkeypatch.setenv("REFERAT_JOBS", "2")
    render_documents(example, ["referat"], ["pdf"], [False])  # nothing to overlap with
    assert names == [threading.main_thread().name]


def test_an_error_in_a_background_pdf_is_raised_where_the_serial_build_raises_it(
        example: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    original = render_pdf.write_pdf
    made: list[str] = []

    def failing(view: Any, *args: Any, **kwargs: Any) -> bytes:
        if view["kind"] == "referat":
            raise ReferatError("PDF-motoren fejlede: prøve")
        return original(view, *args, **kwargs)

    real_docx = render_word.write_docx

    def docx(view: Any, *args: Any, **kwargs: Any) -> bytes:
        made.append(view["kind"])
        return real_docx(view, *args, **kwargs)

    monkeypatch.setattr(render_pdf, "write_pdf", failing)
    monkeypatch.setattr(render_word, "write_docx", docx)
    for setting in ("1", "2"):
        made.clear()
        monkeypatch.setenv("REFERAT_JOBS", setting)
        with pytest.raises(ReferatError, match="prøve"):
            render_documents(example, ["dagsorden", "referat"], FORMATS, [False])
        # a document's PDF is made before its Word file (whose contents list takes the PDF's page numbers): the
        # referat's PDF fails before its Word file is begun, with one job and with two alike
        assert made == ["dagsorden"], setting


def test_build_command_writes_the_same_bytes_with_one_or_two_jobs(tmp_path: Path, run,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    outputs = {}
    for setting in ("1", "2"):
        monkeypatch.setenv("REFERAT_JOBS", setting)
        code, out, err = run("build", EXAMPLE, "--offentlig", "--format", "docx,pdf,txt", "--out", tmp_path / setting)
        assert code == 0, err
        outputs[setting] = (out.replace(str(tmp_path / setting), "UD"),
                            {p.name: p.read_bytes() for p in sorted((tmp_path / setting).iterdir())})
    assert outputs["1"] == outputs["2"]
