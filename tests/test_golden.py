"""Golden files: what a reader of the example meetings sees, committed under tests/golden/ (pandoc-style).

Each case runs the real command on a real example meeting and compares a readable rendering of the output with
the committed file: the text and web (HTML) editions of every document, the Word `document.xml` pretty-printed,
the data the PDF engine receives, the packet's outline and page labels, and the takst annex as CSV and as the data
its Typst template receives. A difference
fails with a unified diff. `pytest --update-golden` (or `REFERAT_UPDATE_GOLDEN=1`) rewrites the files; the
change is then a reviewed diff in the commit.
"""

from __future__ import annotations

import difflib
import io
import json
import os
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
import typst
from lxml import etree
from pypdf import PdfReader

from conftest import ROOT

GOLDEN = Path(__file__).resolve().parent / "golden"
MEETINGS = ["2026-02-23-das-social", "2023-03-31-das-social", "2024-06-21-kkr-nordjylland"]
ANNEX = ROOT / "agendas" / "2023-03-31-das-social" / "bilag" / "07-takster-2023-revideret.yaml"
SUBMITTED = ROOT / "tests" / "fixtures" / "takster" / "indsendt-2027.yaml"  # every case of issue 23
DIFF_LINES = 120


def _update(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden", default=False)) or \
        os.environ.get("REFERAT_UPDATE_GOLDEN") == "1"


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare `actual` with tests/golden/NAME, or rewrite it when updating."""

    def check(name: str, actual: str) -> None:
        path = GOLDEN / name
        if _update(request):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8", newline="\n")
            return
        if not path.is_file():
            pytest.fail(f"{path.relative_to(ROOT)} mangler: kør pytest --update-golden og gennemse filen")
        expected = path.read_text(encoding="utf-8")
        if actual != expected:
            diff = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                             f"golden/{name}", "faktisk", lineterm="", n=2))
            shown = "\n".join(diff[:DIFF_LINES])
            more = f"\n… {len(diff) - DIFF_LINES} linjer mere" if len(diff) > DIFF_LINES else ""
            pytest.fail(f"{name} afviger fra den godkendte udgave (pytest --update-golden skriver den om):\n"
                        f"{shown}{more}", pytrace=False)

    return check


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """Every document of both example meetings, internal and public, as docx, txt and html (one build each)."""
    from referat.cli import main

    out: dict[str, Path] = {}
    for name in MEETINGS:
        target = tmp_path_factory.mktemp(name)
        code = main(["build", str(ROOT / "agendas" / name), "--format", "docx,txt,html", "--offentlig",
                     "--out", str(target)])
        assert code == 0, name
        out[name] = target
    yield out


def _documents(meeting: str) -> list[str]:
    kinds = ["dagsorden", "referat"] if meeting == "2026-02-23-das-social" else ["dagsorden"]
    return [kind + suffix for kind in kinds for suffix in ("", "-offentlig")]


CASES = [(m, stem) for m in MEETINGS for stem in _documents(m)]


@pytest.mark.parametrize(("meeting", "stem"), CASES)
def test_text_edition(built: dict[str, Path], golden: Callable[[str, str], None], meeting: str, stem: str) -> None:
    golden(f"{meeting}/{stem}.txt", (built[meeting] / f"{stem}.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("meeting", "stem"), CASES)
def test_web_edition(built: dict[str, Path], golden: Callable[[str, str], None], meeting: str, stem: str) -> None:
    """The page as the browser gets it (the bundled template; the bilag it links to are beside it)."""
    golden(f"{meeting}/{stem}.html", (built[meeting] / f"{stem}.html").read_text(encoding="utf-8"))


def pretty_xml(data: bytes) -> str:
    root = etree.fromstring(data)
    etree.indent(root, space="  ")
    return etree.tostring(root, encoding="unicode") + "\n"


@pytest.mark.parametrize(("meeting", "stem"), CASES)
def test_word_document_xml(built: dict[str, Path], golden: Callable[[str, str], None], meeting: str,
                           stem: str) -> None:
    with zipfile.ZipFile(built[meeting] / f"{stem}.docx") as docx:
        golden(f"{meeting}/{stem}.document.xml", pretty_xml(docx.read("word/document.xml")))


class _Recorder:
    """Stands in for typst.Compiler and keeps the data each compile was given."""

    seen: ClassVar[list[tuple[str, Any]]] = []
    real = typst.Compiler

    def __init__(self, template: str, **kwargs: Any) -> None:
        _Recorder.seen.append((Path(template).name, json.loads(kwargs["sys_inputs"]["data"])))
        self._compiler = _Recorder.real(template, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._compiler, name)


@pytest.mark.parametrize("meeting", MEETINGS)
def test_pdf_engine_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, golden: Callable[[str, str], None],
                          meeting: str) -> None:
    from referat.cli import main

    _Recorder.seen = []
    monkeypatch.setattr(typst, "Compiler", _Recorder)
    assert main(["build", str(ROOT / "agendas" / meeting), "--format", "pdf", "--offentlig",
                 "--out", str(tmp_path)]) == 0
    assert _Recorder.seen, "PDF-motoren fik ingen data"
    # in the order of the editions, not of the compiles: with two cores or more a PDF-only build compiles its
    # documents side by side, and which starts first is the threads' business
    seen = sorted(_Recorder.seen, key=lambda compile: (compile[0], compile[1]["kind"], compile[1]["public"]))
    text = json.dumps([{"skabelon": t, "data": d} for t, d in seen], ensure_ascii=False, indent=1, sort_keys=True)
    golden(f"{meeting}/typst-input.json", text + "\n")


def _outline(reader: PdfReader, items: list[Any], depth: int = 0) -> Iterator[str]:
    for entry in items:
        if isinstance(entry, list):
            yield from _outline(reader, entry, depth + 1)
        else:
            page = reader.get_destination_page_number(entry) + 1
            yield f"{'  ' * depth}{entry.title}  → side {page}"


def packet_summary(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    labels = reader.page_labels
    lines = [f"sider: {len(reader.pages)}", "", "bogmærker:", *_outline(reader, reader.outline), "",
             "sidetal (sidenummer: etiket):"]
    run_start = 0
    for i in range(1, len(labels) + 1):  # one line per run of consecutive labels of the same shape
        if i == len(labels) or not (labels[i].isdigit() and labels[i - 1].isdigit()
                                    and int(labels[i]) == int(labels[i - 1]) + 1):
            span = f"{run_start + 1}" if i - 1 == run_start else f"{run_start + 1}–{i}"
            lines.append(f"  {span}: {labels[run_start]}" + (f" … {labels[i - 1]}" if i - 1 > run_start else ""))
            run_start = i
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("meeting", MEETINGS)
def test_packet_outline_and_page_labels(tmp_path: Path, golden: Callable[[str, str], None], meeting: str) -> None:
    from referat.cli import main

    assert main(["packet", str(ROOT / "agendas" / meeting), "--offentlig", "--out", str(tmp_path)]) == 0
    packets = sorted(tmp_path.glob("*.pdf"))
    assert packets
    for pdf in packets:
        golden(f"{meeting}/{pdf.stem}.outline.txt", packet_summary(pdf.read_bytes()))


def test_takst_annex_csv(tmp_path: Path, golden: Callable[[str, str], None]) -> None:
    from referat.cli import main

    assert main(["takster", "render", str(ANNEX), "--format", "csv", "--out", str(tmp_path)]) == 0
    (csv,) = tmp_path.glob("*.csv")
    golden("takster/07-takster-2023-revideret.csv", csv.read_text(encoding="utf-8-sig"))


def test_takst_annex_pdf_engine_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      golden: Callable[[str, str], None]) -> None:
    """The data the takstbilag's Typst template receives (takster/types.py: AnnexView), for the made-up annex
    that has every case of issue 23: each cell as printed, its number and decimals, its marking and footnote."""
    from referat.cli import main

    _Recorder.seen = []
    monkeypatch.setattr(typst, "Compiler", _Recorder)
    assert main(["tariffs", "render", str(SUBMITTED), "--format", "pdf", "--godkendt",
                 "Godkendt af DAS den 17. november 2026", "--out", str(tmp_path)]) == 0
    assert [t for t, _ in _Recorder.seen] == ["takstbilag.typ"]
    text = json.dumps(_Recorder.seen[0][1], ensure_ascii=False, indent=1, sort_keys=True)
    golden("takster/indsendt-2027.typst-input.json", text + "\n")
