"""Each bilag's check result is kept by its sha256 (issue 28): an unchanged bilag is not parsed again by any command.

The checks are counted where they parse: pypdf's page-tree check (`pdfcheck._parse`), the Word notes
(`libreoffice.word_notes`, as validation calls it) and the workbook scan (`check_workbook`, as validation calls it).
Every test runs with its own REFERAT_CACHE, so what an earlier test checked does not count here.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import tiny_pdf
from referat.files import checkcache, pdfcheck
from referat.validate import bilag as bilag_rules
from test_office_bilag import FIXTURES, lines_with, tracked_docx

OK, INVALID = 0, 1

ITEM = """\
titel: Orientering
type: orientering
bilag:
  - {fil: notat.pdf, titel: Notat}
  - {fil: notat.docx, titel: Word-notat}
  - {fil: ark.xlsx, titel: Regneark}
"""


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Counter[str]]:
    """Each parse of a bilag by a check, by kind; a private check cache; no PDF reader kept from before."""
    monkeypatch.setenv("REFERAT_CACHE", str(tmp_path / "cache"))
    calls: Counter[str] = Counter()

    def counting(kind: str, real: Callable[..., object]) -> Callable[..., object]:
        def wrapper(*args: object, **kwargs: object) -> object:
            calls[kind] += 1
            return real(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(pdfcheck, "_parse", counting("pdf", pdfcheck._parse))
    monkeypatch.setattr(bilag_rules, "word_notes", counting("word", bilag_rules.word_notes))
    monkeypatch.setattr(bilag_rules, "check_workbook", counting("excel", bilag_rules.check_workbook))
    pdfcheck.clear_cache()
    yield calls
    pdfcheck.clear_cache()


def _meeting(make_meeting: Callable[..., Path], pdf: bytes | None = None) -> Path:
    return make_meeting({"01-orientering.yaml": ITEM}, bilag={
        "notat.pdf": pdf or tiny_pdf("Notat"), "notat.docx": tracked_docx(),
        "ark.xlsx": (FIXTURES / "bredt-ark.xlsx").read_bytes()})


def test_unchanged_bilag_are_not_parsed_again_and_say_the_same(make_meeting, run, counted) -> None:
    folder = _meeting(make_meeting)
    first = run("validate", folder)
    assert counted == {"pdf": 1, "word": 1, "excel": 1}
    assert lines_with(first[2], "bilag/notat.docx har 3 sporede ændringer")
    assert lines_with(first[2], "bilag/ark.xlsx: arket 'Kladde' er skjult")
    pdfcheck.clear_cache()  # as a new process: nothing kept in memory, only on disk
    counted.clear()
    second = run("validate", folder)
    assert counted == {}, "an unchanged bilag was parsed again"
    assert second == first


def test_a_changed_bilag_is_checked_again(make_meeting, run, counted) -> None:
    folder = _meeting(make_meeting)
    assert run("validate", folder)[0] == OK
    (folder / "bilag" / "notat.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<")  # the same name, broken bytes
    pdfcheck.clear_cache()
    counted.clear()
    code, _, err = run("validate", folder)
    assert counted == {"pdf": 1}
    assert code == INVALID and lines_with(err, "bilag/notat.pdf: er beskadiget og kan ikke åbnes")


def test_a_problem_is_kept_as_well_as_a_pass(make_meeting, run, counted) -> None:
    folder = _meeting(make_meeting, pdf=b"%PDF-1.7\n1 0 obj <<")
    first = run("validate", folder)
    assert first[0] == INVALID and lines_with(first[2], "bilag/notat.pdf: er beskadiget")
    pdfcheck.clear_cache()
    counted.clear()
    assert run("validate", folder) == first
    assert counted == {}


def test_a_damaged_or_foreign_entry_is_not_trusted(make_meeting, run, counted, tmp_path) -> None:
    folder = _meeting(make_meeting, pdf=b"%PDF-1.7\n1 0 obj <<")
    first = run("validate", folder)
    entries = sorted((tmp_path / "cache" / "kontrol").rglob("*.json"))
    assert len(entries) == 3
    for n, entry in enumerate(entries):  # a truncated file, an entry for other bytes, a result of the wrong shape
        kept = json.loads(entry.read_text("utf-8"))
        entry.write_text([entry.read_text("utf-8")[:10], json.dumps({**kept, "sha256": "0" * 64}),
                          json.dumps({**kept, "result": {"problem": 7}})][n], "utf-8")
    pdfcheck.clear_cache()
    counted.clear()
    assert run("validate", folder) == first
    assert sum(counted.values()) == 3


def test_another_version_of_referat_checks_again(make_meeting, run, counted, monkeypatch) -> None:
    folder = _meeting(make_meeting)
    run("validate", folder)
    pdfcheck.clear_cache()
    counted.clear()
    monkeypatch.setattr(checkcache, "__version__", "99.0")
    run("validate", folder)
    assert counted == {"pdf": 1, "word": 1, "excel": 1}


def test_the_packet_parses_an_unchanged_pdf_bilag_once_and_validation_not_at_all(make_meeting, run, counted,
                                                                                   tmp_path) -> None:
    """`packet` validates, then merges: with the check kept, the one parse is the merge's."""
    folder = make_meeting({"01-orientering.yaml": "titel: Orientering\ntype: orientering\nbilag:\n"
                                                  "  - {fil: notat.pdf, titel: Notat}\n"},
                          bilag={"notat.pdf": tiny_pdf("Notat")})
    assert run("validate", folder)[0] == OK
    pdfcheck.clear_cache()
    counted.clear()
    code, _, err = run("packet", folder, "--out", tmp_path / "ud")
    assert code == OK, err
    assert counted["pdf"] == 1


def test_an_unwritable_cache_is_simply_not_used(make_meeting, run, counted, monkeypatch, tmp_path) -> None:
    (tmp_path / "fil").write_text("ikke en mappe", "utf-8")
    monkeypatch.setenv("REFERAT_CACHE", str(tmp_path / "fil"))
    folder = _meeting(make_meeting)
    first = run("validate", folder)
    assert first[0] == OK, first[2]
    pdfcheck.clear_cache()
    assert run("validate", folder) == first
