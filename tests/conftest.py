"""Shared fixtures: the real example meeting, copies to break, and small meetings written on the fly."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from pki import PASSWORD, Pki, make_pki
from referat.cli import main

# In CI (the CI variable set, as every CI service does) the property tests run the same examples on every run:
# derandomized, no example database carried between runs, and a failing example printed as a reproducible blob.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "agendas" / "2026-02-23-das-social"
SEEDS = ROOT / "tests" / "fixtures" / "seeds"  # the seed lines tests quote (scripts/extract_seed_lines.py)


_BASETEMP: list[Path] = []  # the run's temporary folder (pytest's basetemp), set once per session


@pytest.fixture(autouse=True, scope="session")
def _temporary_root(tmp_path_factory: pytest.TempPathFactory) -> None:
    _BASETEMP.append(tmp_path_factory.getbasetemp())


def absolute(text: str, cwd: Path | None = None) -> str:
    """`text` (a command's output) with every path below the run's temporary folder written absolute.

    Messages name a file relative to the working directory when that is shorter (`../pytest-of-root/…/x.yaml`
    when the clone lies beside the temporary folder, as in `/tmp/x`), so a test that expects `f"{path}: fejl: …"`
    compares the path itself, resolved from `cwd` (the command's working directory; default: this process's),
    not where the clone happens to sit. (A test that expects `Location(path).format()` compares the display form
    and needs none of this.) `absolute_run` wraps the `run` fixture so."""
    import re

    if not _BASETEMP:
        return text
    base = _BASETEMP[0]
    here = Path(os.path.abspath(cwd if cwd is not None else Path.cwd()))
    if here == base or base in here.parents:
        return text  # a test that went into its temporary folder expects paths relative to it
    rel = os.path.relpath(base, here)
    if rel.startswith(os.pardir + os.sep + os.pardir) or os.path.isabs(rel):
        return text  # paths below it are printed absolute
    return re.sub(r"(?<![\w./\\-])" + re.escape(rel + os.sep), lambda _: str(base) + os.sep, text)


def absolute_run(run: Run) -> Run:
    """`run` with paths below the temporary folder absolute in what the command printed (see `absolute`): for a
    module whose tests expect `f"{path}: fejl: …"`, as `@pytest.fixture def run(run): return absolute_run(run)`."""
    def invoke(*args: object) -> tuple[int, str, str]:
        code, out, err = run(*args)
        return code, absolute(out), absolute(err)

    return invoke


@pytest.fixture(autouse=True)
def _private_conversion_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Word bilag converted by tests are cached in a temporary folder, never in the user's ~/.cache."""
    monkeypatch.setenv("REFERAT_CACHE", str(tmp_path_factory.getbasetemp() / "konverteret"))


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A private copy of the real example meeting that a test may break."""
    dst = tmp_path / EXAMPLE.name
    shutil.copytree(EXAMPLE, dst)
    return dst


def example_among_meetings(tmp_path: Path) -> Path:
    """A private copy of the example meeting in a folder of meetings (`moeder/<name>`), as a secretariat keeps them:
    what a command might write beside the meeting lands in `moeder/`, where a test can look for it."""
    folder = tmp_path / "moeder" / EXAMPLE.name
    shutil.copytree(EXAMPLE, folder)
    return folder


def tree(folder: Path) -> dict[str, str]:
    """Every file below `folder` (posix path relative to it) with its sha256: what a test compares to see that
    nothing changed."""
    import hashlib

    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


MEETING = """\
udvalg: das-social
fase: {fase}
dato: 2026-02-23
start: "12.00"
slut: "16.00"
sted: Mødelokale 1, Aalborg
sagsnummer: 2026-005746
medlemmer:
  - {{navn: Anne Andersen, titel: Socialdirektør, organisation: Aalborg Kommune}}
  - {{navn: Bo Bertelsen, titel: Socialdirektør, organisation: Rebild Kommune}}
fremmøde:
  til_stede: [Anne Andersen]
  fraværende: [Bo Bertelsen]
  øvrige:
    - {{navn: Carl Clausen, titel: Konsulent, organisation: Rebild Kommune, i_stedet_for: Bo Bertelsen}}
næste_møde: {{dato: 2026-05-22, start: "12.00", slut: "16.00", form: fysisk}}
punkter: [{items}]
"""


def base(fase: str = "dagsorden", items: str = "a.yaml") -> str:
    """MEETING (møde.yaml) in phase `fase` listing `items` (comma-separated)."""
    return MEETING.format(fase=fase, items=items)


def edited(text: str, *pairs: tuple[str, str]) -> str:
    """`text` with each (old, new) of `pairs` replaced; each `old` must stand exactly once."""
    for old, new in pairs:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def write_meeting(folder: Path, items: dict[str, str] | None = None, meeting: str | None = None,
                  fase: str = "dagsorden", bilag: dict[str, bytes] | None = None) -> Path:
    """Write a small valid meeting into `folder` (MEETING in phase `fase`); `items` maps file name → item YAML,
    `meeting` overrides møde.yaml, `bilag` maps file name → bytes; `folder`."""
    (folder / "punkter").mkdir(parents=True)
    (folder / "bilag").mkdir()
    items = items if items is not None else {"01-dagsorden.yaml": "titel: Godkendelse af dagsorden\ntype: standard\n"}
    for fname, text in items.items():
        (folder / "punkter" / fname).write_text(dedent(text), encoding="utf-8")
    for fname, data in (bilag or {}).items():
        (folder / "bilag" / fname).write_bytes(data)
    text = meeting if meeting is not None else MEETING.format(fase=fase, items=", ".join(items))
    (folder / "møde.yaml").write_text(dedent(text), encoding="utf-8")
    return folder


@pytest.fixture
def make_meeting(tmp_path: Path) -> Callable[..., Path]:
    """Write a small valid meeting (write_meeting) at tmp_path / `name`."""

    def make(items: dict[str, str] | None = None, meeting: str | None = None, fase: str = "dagsorden",
             bilag: dict[str, bytes] | None = None, name: str = "møde") -> Path:
        return write_meeting(tmp_path / name, items, meeting, fase, bilag)

    return make


Run = Callable[..., tuple[int, str, str]]  # what the `run` fixture gives: (exit code, stdout, stderr) of a command


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """Run the CLI in-process: (exit code, stdout, stderr)."""

    def invoke(*args: str) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return invoke


def tiny_pdf(text: str = "Bilag") -> bytes:
    """A real one-page PDF (made with pypdf) for bilag fixtures."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def text_pdf(text: str) -> bytes:
    """A one-page PDF whose page shows `text` (Typst, bundled fonts), for checks on extracted text."""
    import typst

    from referat.text.fonts import FONT_DIR

    source = b'#set text(font: "Liberation Sans")\n#sys.inputs.text'
    pdf = typst.compile(source, font_paths=[str(FONT_DIR)], ignore_system_fonts=True, sys_inputs={"text": text})
    assert isinstance(pdf, bytes)
    return pdf


def pdf_page_texts(pdf) -> list[str]:  # type: ignore[no-untyped-def]
    """The text of each page of a pikepdf.Pdf the packet works with (a bilag, a converted sheet), as a reader sees it:
    written out and read back with pypdf."""
    import io

    import pikepdf
    from pypdf import PdfReader

    buffer = io.BytesIO()
    pdf.save(buffer, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)  # pdf unchanged
    return [page.extract_text() for page in PdfReader(buffer).pages]


def only(report, needle: str):  # type: ignore[no-untyped-def]
    """The single diagnostic of `report` whose message contains `needle`."""
    hits = [d for d in report.items if needle in d.message]
    assert len(hits) == 1, report.lines()
    return hits[0]


def located(diag, path: Path, line: int | None, col: int | None = None) -> None:  # type: ignore[no-untyped-def]
    """Assert where a diagnostic points."""
    assert (diag.location.path, diag.location.line, diag.location.col) == (path, line, col), diag.format()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="rewrite tests/golden/ from the current output (review the diff before committing)")

@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """A throwaway PKI (tests/pki.py), made once per test module that uses it."""
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def cert_password() -> Iterator[None]:
    """REFERAT_CERT_PASSWORD set for the module's tests (what `referat sign` reads), restored afterwards."""
    old = os.environ.get("REFERAT_CERT_PASSWORD")
    os.environ["REFERAT_CERT_PASSWORD"] = PASSWORD
    yield
    if old is None:
        del os.environ["REFERAT_CERT_PASSWORD"]
    else:
        os.environ["REFERAT_CERT_PASSWORD"] = old


# --- signing and archiving the example minutes (tests/test_archive_trust.py, tests/test_sign_archive.py) ------


def build_minutes(folder: Path, out: Path) -> Path:
    """Build the minutes of `folder` as PDF into `out`, as a user would; the PDF's path."""
    assert main(["build", str(folder), "--dokument", "referat", "--format", "pdf", "--out", str(out)]) == 0
    return out / "referat.pdf"


@pytest.fixture(scope="module")
def minutes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """referat.pdf of the example meeting, built as a user would, once per test module that uses it (read, never
    changed: write what is made from it elsewhere)."""
    return build_minutes(EXAMPLE, tmp_path_factory.mktemp("build"))


def sign(pdf: Path, cert: Path, out: Path, *extra: object) -> Path:
    """`referat sign` `pdf` with `cert` into `out` (extra options as given); `out`."""
    assert main(["sign", str(pdf), "--cert", str(cert), "--out", str(out), *map(str, extra)]) == 0
    return out


def sign_as_chair(pdf: Path, pki: Pki, out: Path) -> Path:
    """`pdf` signed (invisibly) by the chair of the throwaway PKI, in the role 'formand'."""
    return sign(pdf, pki.formand, out, "--rolle", "formand")


def archive_add(run: Run, archive: Path, pdf: Path, *extra: object,
                folder: Path = EXAMPLE) -> tuple[int, str, str]:
    """`referat archive add folder pdf --arkiv archive` (extra options as given) through `run`."""
    return run("archive", "add", folder, pdf, "--arkiv", archive, *extra)


def archived_into(archive: Path, pdf: Path, pki: Pki, folder: Path = EXAMPLE) -> Path:
    """`archive` holding `pdf` (the minutes of `folder`), added with the PKI's root as trusted; `archive`."""
    assert main(["archive", "add", str(folder), str(pdf), "--arkiv", str(archive),
                 "--rodcertifikat", str(pki.root_pem)]) == 0
    return archive


def replace_in(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in the text file `path` by `new`; `old` must be there."""
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def meeting_copy(parent: Path, edit: Callable[[Path], None], name: str = "møde") -> Path:
    """A copy of the example meeting at `parent / name`, changed by `edit`."""
    folder = parent / name
    shutil.copytree(EXAMPLE, folder)
    edit(folder)
    return folder
