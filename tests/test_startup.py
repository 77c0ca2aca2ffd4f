"""Start-up (issue 17, item 3): each command loads only the libraries its work needs.

Every test runs the real command in a fresh Python process and lists the third-party packages it loaded. pypdf and
cryptography cost ~0.2 s to import, docxtpl + jinja2 + python-docx ~0.12 s, openpyxl ~0.13 s; `validate` of a
meeting, `build --format pdf` and `packet` used to load all of them whatever the input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import EXAMPLE, ROOT

SCRIPT = """
import contextlib, io, json, sys
import referat.cli
out = io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
    try:
        code = referat.cli.main(sys.argv[1:])
    except SystemExit as exc:
        code = exc.code
print(json.dumps({"code": code, "output": out.getvalue(), "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""

WORD = {"docx", "docxtpl", "jinja2"}
PDF_LIBRARIES = {"pypdf", "pikepdf", "cryptography", "pyhanko", "pyhanko_certvalidator"}
EXCEL = {"openpyxl"}
FONT_TOOLS = {"fontTools"}


def loaded(*args: str | Path, cwd: Path, cache: Path | None = None) -> tuple[int, str, set[str]]:
    """(exit code, output, top-level packages loaded) of `referat ARGS` in a fresh interpreter; `cache`: its
    REFERAT_CACHE (the check cache, files/checkcache.py), else the test session's."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    if cache is not None:
        env["REFERAT_CACHE"] = str(cache)
    done = subprocess.run([sys.executable, "-c", SCRIPT, *map(str, args)], cwd=cwd, env=env, capture_output=True,
                          text=True, check=True)
    result = json.loads(done.stdout.splitlines()[-1])
    return result["code"], result["output"], set(result["modules"])


def test_validate_without_pdf_bilag_loads_no_pdf_word_excel_or_font_library(
        make_meeting: Callable[..., Path], tmp_path: Path) -> None:
    folder = make_meeting()
    code, output, modules = loaded("validate", folder, cwd=tmp_path)
    assert code == 0, output
    assert "gyldig" in output
    assert not modules & (PDF_LIBRARIES | WORD | EXCEL | FONT_TOOLS), sorted(modules & (PDF_LIBRARIES | WORD | EXCEL))


def test_validate_of_the_example_loads_pikepdf_for_its_pdf_bilag_and_nothing_for_word_or_excel(tmp_path: Path) -> None:
    code, output, modules = loaded("validate", EXAMPLE, cwd=tmp_path, cache=tmp_path / "cache")
    assert code == 0, output
    assert "pikepdf" in modules  # 17 PDF bilag are opened and checked: the check still runs
    heavy = WORD | EXCEL | FONT_TOOLS | {"pypdf", "cryptography", "pyhanko"}
    assert not modules & heavy, sorted(modules & heavy)


def test_validate_of_unchanged_bilag_loads_no_pdf_library_and_says_the_same(tmp_path: Path) -> None:
    """Issue 28: each bilag's check result is kept by its sha256; the second run opens none of the 17 PDFs."""
    cache = tmp_path / "cache"
    first = loaded("validate", EXAMPLE, cwd=tmp_path, cache=cache)
    second = loaded("validate", EXAMPLE, cwd=tmp_path, cache=cache)
    assert "pikepdf" in first[2]
    assert second[:2] == first[:2]
    assert not second[2] & (PDF_LIBRARIES | FONT_TOOLS), sorted(second[2] & (PDF_LIBRARIES | FONT_TOOLS))


def test_a_broken_pdf_bilag_is_still_found_when_pikepdf_is_loaded_late(
        make_meeting: Callable[..., Path], tmp_path: Path) -> None:
    item = "titel: Orientering\ntype: orientering\nbilag:\n  - {fil: notat.pdf, titel: Notat}\n"
    folder = make_meeting({"01-orientering.yaml": item}, bilag={"notat.pdf": b"%PDF-1.7\n1 0 obj <<"})
    code, output, modules = loaded("validate", folder, cwd=tmp_path, cache=tmp_path / "cache")
    assert code == 1
    assert "notat.pdf" in output and "er beskadiget og kan ikke åbnes" in output, output
    assert "pikepdf" in modules


def test_build_pdf_loads_no_word_or_excel_library(tmp_path: Path) -> None:
    code, output, modules = loaded("build", EXAMPLE, "--format", "pdf", "--out", tmp_path / "ud", cwd=tmp_path)
    assert code == 0, output
    assert (tmp_path / "ud" / "dagsorden.pdf").read_bytes().startswith(b"%PDF-")
    assert not modules & (WORD | EXCEL), sorted(modules & (WORD | EXCEL))


def test_build_docx_still_loads_the_word_libraries(tmp_path: Path) -> None:
    """The other side of the test above: the listing does see a library a command uses."""
    code, output, modules = loaded("build", EXAMPLE, "--format", "docx", "--out", tmp_path / "ud", cwd=tmp_path)
    assert code == 0, output
    assert (tmp_path / "ud" / "dagsorden.docx").is_file()
    assert {"docx", "docxtpl", "jinja2"} <= modules
    assert not modules & EXCEL


def test_packet_without_excel_bilag_loads_no_excel_or_word_library(tmp_path: Path) -> None:
    code, output, modules = loaded("packet", EXAMPLE, "--out", tmp_path / "ud", cwd=tmp_path)
    assert code == 0, output
    assert (tmp_path / "ud" / "dagsordenspakke.pdf").read_bytes().startswith(b"%PDF-")
    assert not modules & (EXCEL | WORD), sorted(modules & (EXCEL | WORD))
    # the packet is read, stamped and written with pikepdf (issue 28): pypdf and what it loads stay out
    assert "pikepdf" in modules
    assert not modules & {"pypdf", "cryptography", "fontTools"}, sorted(modules & {"pypdf", "cryptography", "fontTools"})


def test_help_loads_nothing_heavy(tmp_path: Path) -> None:
    code, output, modules = loaded("--help", cwd=tmp_path)
    assert code == 0
    assert "validate" in output
    heavy = PDF_LIBRARIES | WORD | EXCEL | FONT_TOOLS | {"pydantic", "typst", "markdown", "ruamel", "sqlite3"}
    assert not modules & heavy, sorted(modules & heavy)


def test_the_long_date_is_babels_without_babel() -> None:
    """Issue 28: the front page's date no longer loads babel and its locale data (~25 ms of every document)."""
    import datetime as dt

    from babel.dates import format_date

    from referat.text.danish import long_date

    day = dt.date(1999, 1, 1)
    while day < dt.date(2041, 1, 1):
        assert long_date(day) == format_date(day, "d. MMMM y", locale="da_DK"), day
        day += dt.timedelta(days=1)


def test_documents_and_packets_load_neither_babel_nor_the_network_modules(tmp_path: Path) -> None:
    """Issue 28: babel only where a number is formatted (the takstbilag), and nothing loads urllib.request, http or
    ssl (xml.sax.saxutils did, for escaping the packet's XMP)."""
    for args in (["build", EXAMPLE, "--format", "pdf", "--out", tmp_path / "a"],
                 ["packet", EXAMPLE, "--out", tmp_path / "b"]):
        code, output, modules = loaded(*args, cwd=tmp_path)
        assert code == 0, output
        assert not modules & {"babel", "ssl", "http"}, (args[0], sorted(modules & {"babel", "ssl", "http"}))


def test_the_common_characters_need_no_look_at_the_fonts_because_every_one_is_covered() -> None:
    """Issue 28: `fonts.uncovered` answers for a text of these characters without reading the fonts' coverage; every
    one of them must therefore be one the bundled fonts show."""
    from referat.text.fonts import COMMON, coverage, uncovered

    have = coverage()
    allowed = [chr(n) for n in range(0x80, 0x10000) if COMMON.search(chr(n)) is None]
    assert len(allowed) > 100
    assert [hex(ord(c)) for c in allowed if not c.isspace() and ord(c) not in have] == []
    assert uncovered("Ansættelse – “godkendt” … 5 € ‰") == []
    assert uncovered("\U0001d400") == ["\U0001d400"]  # MATHEMATICAL BOLD CAPITAL A: no bundled font has it
