"""The scaling table: each command at three (or four) sizes, time and the command's own peak memory, and the
exponent k of time ∝ nᵏ (measure.fit_k). k > 1.15 is flagged "over-lineær".

Series (full sizes; `--quick` takes the smaller two of each):
- validate and build (4 documents) of a generated meeting with 19 / 100 / 500 items (25 bilag, 300 pages);
- one item whose sagsfremstilling is 10 KB / 100 KB / 1 MB / 5 MB: validate, and the minutes to PDF (10 MB too,
  for the issue's memory target);
- the takstbilag with ~600 / 6,000 / 30,000 rows (the sample annex's 11 driftsherrer copied under new names),
  rendered to PDF;
- the packet of the minutes with 300 / 1,500 / 3,000 bilag pages (25 bilag);
- `search` over an archive of 100 / 1,000 / 10,000 meetings (benchmarks/archive_search.py's archive);
- `import` of a Word contribution of 5 / 20 / 80 pages (benchmarks/word_converters.py's generated document:
  headings, paragraphs, bullet lists, a table per page) into a meeting made by `referat new`; each run adds one
  more item to that meeting, which the import does not read beyond møde.yaml.

The time is the whole command (start-up included), so at small sizes a fixed cost flattens k; `k_last` (the
slope between the two largest sizes) shows the growth where the work dominates.
"""

from __future__ import annotations

import copy
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generate import EXAMPLE, generate
from measure import OVER_LINEAR, Sample, fit_k, run_once, summary

REFERAT = [sys.executable, "-m", "referat"]
LONG_S = 10.0  # a size whose first run takes longer runs once only (said in the table's "runs")
TIMEOUT_S = 600.0  # one run of one size; over it the benchmark stops with the command named


def field_meeting(folder: Path, size: int) -> Path:
    """A one-item meeting whose sagsfremstilling is `size` bytes of the example's real paragraphs."""
    from referat.load.meeting import load_meeting

    generate(folder, items=1, bilag=0, bilag_pages=0)
    example, _ = load_meeting(EXAMPLE)
    assert example is not None
    paragraphs = [p for i in example.items for p in (i.case or "").split("\n\n") if len(p) > 200]
    lines, used, n = [], 0, 0
    while used < size:
        para = " ".join(paragraphs[n % len(paragraphs)].split())
        lines.append(f"  {para}\n  \n")
        used += len(para.encode()) + 1
        n += 1
    meeting = folder / "møde.yaml"  # the example's guests join items 3–6, which this meeting does not have
    meeting.write_text(re.sub(r"\n +punkter: \[[0-9, ]+\]", "", meeting.read_text("utf-8")), encoding="utf-8")
    item = next((folder / "punkter").glob("*.yaml"))
    item.write_text("titel: Et meget langt punkt\nsagsfremstilling: |\n" + "".join(lines) + "beslutning: Godkendt.\n",
                    encoding="utf-8")
    return folder


_BASE_ANNEX: dict[str, object] = {}


def annex(path: Path, rows: int) -> tuple[Path, int]:
    """The sample takstbilag (11 driftsherrer, ~600 rows, P/L 2026) copied until it has about `rows` rows; each
    copy's driftsherrer are named anew ("Aalborg Kommune 2"). Returns the file and its real row count."""
    from referat.takster.importer import import_workbooks, to_yaml
    from referat.takster.sample import sample_owners, write_workbook

    if not _BASE_ANNEX:
        workbook = path.parent / "annex-base.xlsx"
        write_workbook(workbook, sample_owners())
        result = import_workbooks([workbook])
        assert result.data is not None
        _BASE_ANNEX.update(result.data)
    base = _BASE_ANNEX
    owners = base["driftsherrer"]
    assert isinstance(owners, list)
    per_copy = sum(len(o["rækker"]) for owner in owners for o in owner["tilbud"])
    copies = max(1, round(rows / per_copy))
    data = copy.deepcopy(base)
    data["pl_indeks"] = {"kommune": 3.1, "region": 2.46}
    data["driftsherrer"] = [{**copy.deepcopy(owner), "navn": owner["navn"] + (f" {c + 1}" if c else "")}
                            for c in range(copies) for owner in owners]
    path.write_text(to_yaml(data), encoding="utf-8")
    return path, per_copy * copies


@dataclass
class Series:
    key: str
    label: str
    unit: str
    sizes: tuple[int, ...]
    make: Callable[[Path, int], tuple[Path, int]]  # (work folder, size) -> (input, real size)
    command: Callable[[Path, Path], list[str]]  # (input, work folder) -> command
    quick: tuple[int, ...] = ()
    points: list[dict[str, float]] = field(default_factory=list)


def _meeting(work: Path, items: int) -> tuple[Path, int]:
    folder = work / ("moede-fuld" if items == 19 else f"moede-{items}")  # 19 items: run.py's full-size meeting
    if not folder.exists():
        generate(folder, items=items)
    return folder, items


def _field(work: Path, size: int) -> tuple[Path, int]:
    folder = work / f"felt-{size}"
    if not folder.exists():
        field_meeting(folder, size)
    return folder, size


def _packet(work: Path, pages: int) -> tuple[Path, int]:
    folder = work / ("moede-fuld" if pages == 300 else f"pakke-{pages}")
    if not folder.exists():
        generate(folder, bilag_pages=pages)
    return folder, pages


def _annex(work: Path, rows: int) -> tuple[Path, int]:
    return annex(work / f"takstbilag-{rows}.yaml", rows)


def _archive(work: Path, meetings: int) -> tuple[Path, int]:
    from archive_search import fill

    root = work / f"arkiv-{meetings}"
    if not root.exists():
        fill(root, meetings)
    return root, meetings


def _contribution(work: Path, pages: int) -> tuple[Path, int]:
    from word_converters import twenty_pages

    folder = work / f"import-{pages}"
    if not folder.exists():
        folder.mkdir(parents=True)
        twenty_pages(pages, folder / "bidrag.docx")
        from referat.cli import main

        main(["new", str(folder / "moede"), "--dato", "2026-09-14"])
    return folder, pages


KB, MB = 1024, 1024 * 1024
SERIES = [
    Series("validate_items", "validate, møde med n punkter", "punkter", (19, 100, 500), _meeting,
           lambda p, w: [*REFERAT, "validate", str(p)]),
    Series("build_items", "build 4 dokumenter, møde med n punkter", "punkter", (19, 100, 500), _meeting,
           lambda p, w: [*REFERAT, "build", str(p), "--out", str(w / "ud-build")]),
    Series("validate_field", "validate, ét felt på n byte", "byte", (10 * KB, 100 * KB, MB, 5 * MB), _field,
           lambda p, w: [*REFERAT, "validate", str(p)]),
    Series("pdf_field", "referat.pdf, ét felt på n byte", "byte", (10 * KB, 100 * KB, MB, 5 * MB, 10 * MB), _field,
           lambda p, w: [*REFERAT, "build", str(p), "--dokument", "referat", "--format", "pdf", "--out",
                         str(w / "ud-felt")]),
    Series("takstbilag_rows", "tariffs render --format pdf, n rækker", "rækker", (600, 6_000, 30_000), _annex,
           lambda p, w: [*REFERAT, "tariffs", "render", str(p), "--format", "pdf", "--out", str(w / "ud-takst")]),
    Series("packet_pages", "packet --dokument referat, n bilagssider", "sider", (300, 1_500, 3_000), _packet,
           lambda p, w: [*REFERAT, "packet", str(p), "--dokument", "referat", "--out", str(w / "ud-pakke")]),
    Series("import_pages", "import af et Word-bidrag på n sider", "sider", (5, 20, 80), _contribution,
           lambda p, w: [*REFERAT, "import", str(p / "bidrag.docx"), "--til", str(p / "moede")]),
    Series("search_meetings", "search \"Bifrost\", arkiv med n møder", "møder", (100, 1_000, 10_000), _archive,
           lambda p, w: [*REFERAT, "search", "Bifrost", "--arkiv", str(p)]),
]


def run(work: Path, repeat: int, quick: bool, say: Callable[[str], None] = print,
        only: set[str] | None = None) -> dict[str, dict[str, object]]:
    """Every series: its sizes interleaved round by round; per size the summary, per series k."""
    results: dict[str, dict[str, object]] = {}
    for series in SERIES:
        if only and series.key not in only:
            continue
        sizes = series.sizes[:2] if quick else series.sizes
        inputs = {}
        for n in sizes:
            say(f"  forbereder {series.label.replace(' n ', f' {n:,} ')}")
            inputs[n] = series.make(work, n)
        samples: dict[int, list[Sample]] = {n: [] for n in sizes}
        long: set[int] = set()
        for round_ in range(repeat):
            for n in sizes:
                if n in long:
                    continue
                path, _ = inputs[n]
                sample = run_once(series.command(path, work), timeout=TIMEOUT_S)
                samples[n].append(sample)
                if round_ == 0 and sample.seconds > LONG_S:
                    long.add(n)
        points = []
        for n in sizes:
            point = {"n": inputs[n][1], **summary(samples[n])}
            points.append(point)
        ks = [float(p["n"]) for p in points]
        ts = [float(p["median_s"]) for p in points]
        k = fit_k(ks, ts)
        k_last = fit_k(ks[-2:], ts[-2:])
        cpus = [p.get("cpu_median_s") for p in points]
        k_cpu = fit_k(ks, [float(c) for c in cpus]) if all(cpus) else None
        flag = k > OVER_LINEAR or k_last > OVER_LINEAR or (k_cpu is not None and k_cpu > OVER_LINEAR)
        results[series.key] = {"label": series.label, "unit": series.unit, "points": points, "k": round(k, 2),
                               "k_last": round(k_last, 2), "k_cpu": round(k_cpu, 2) if k_cpu is not None else None,
                               "over_linear": flag}
        say(f"{series.label:48s} " + "  ".join(f"{p['n']:,}: {p['median_s']:.2f} s {p.get('peak_mb', 0):.0f} MB"
                                             for p in points)
            + f"   k={k:.2f} (sidste skridt {k_last:.2f}"
            + (f", CPU {k_cpu:.2f})" if k_cpu is not None else ")") + ("  OVER-LINEÆR" if flag else ""))
    return results
