"""Benchmark `referat` at real scale and write the figures (docs/performance.md reports them).

Usage: python benchmarks/run.py [--quick] [--repeat N] [--json FILE] [--write-docs [FILE]] [--only PARTS]

Parts (`--only steps,scaling,importtime,history`, default all):
- steps: every command of the example and the full-size meeting (benchmarks/generate.py), the takstbilag, the
  archive search, and the comparisons — `build --format pdf` against the same command with `--pdf-motor
  libreoffice`, the Typst writer against LibreOffice's conversion of the same Word file, and the packet against
  a plain `qpdf` and a plain pypdf merge of the same PDFs. All run round by round (a, b, c, …, a, b, c, …), so
  each comparison runs pair by pair; medians, the ratio of the medians and the spread of the per-pair ratios.
- scaling: benchmarks/scaling.py (time, peak memory and exponent k per series).
- importtime: benchmarks/importtime.py (what each command imports before it works).
- history: benchmarks/history.py (issue 28: `publish --site` first run, rerun unchanged and one meeting changed, and
  `archive verify`, over 4/16/64 meetings; `--base SRC`, the `src/` of an earlier referat, adds its first
  publication and verification to compare with, measured in the same run).

Each step is the `referat` command as a user runs it, in a fresh process, timed from start to exit, behind a
small launcher (benchmarks/measure.py) so that its peak memory is the command's own. `--quick`: 3 rounds and
the smaller two sizes of each scaling series (a few minutes; the figures are indicative only). The full run
(7 rounds, every size) is meant for a quiet machine. `--write-docs` rewrites the block between
`<!-- bench:start -->` and `<!-- bench:end -->` in docs/performance.md from this run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import history
import importtime
import scaling
from generate import EXAMPLE, ROOT, as_a_user, generate
from measure import Sample, interleave, launcher_kind, pair, run_once, summary

REFERAT = [sys.executable, "-m", "referat"]
DOCS = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

# today's step names (the issue's targets and docs/performance.json refer to them)
VALIDATE_EX = "validate (eksempel, 17 punkter)"
BUILD_EX = "build 4 dokumenter (eksempel)"
VALIDATE_FULL = "validate (fuld, 19 punkter, 25 bilag/300 s.)"
BUILD_FULL = "build 4 dokumenter (fuld)"
PACKET = "packet: referat med bilag (fuld, 25 bilag, ~360 s.)"
ANNEX = "takstbilag: validate + PDF (584 rækker, 11 driftsherrer)"
IMPORT = "takstbilag: import af 11 rodede takstskemaer"
PDF_TYPST = "referat.pdf alene (fuld, typst)"
SEARCH = "search i arkiv med 100 møder"
ENGINE = "PDF-motor alene (fuld, typst, kold)"
LO_CONVERT = "LibreOffice docx→pdf (fuld, samme indhold)"
# new beside them
PDF_LO = "referat.pdf alene (fuld, --pdf-motor libreoffice)"
# issue 28: the example meeting's own targets
VALIDATE_EX_COLD = "validate (eksempel, kold: ingen gemte bilagskontroller)"
PACKET_EX = "packet (eksempel: dagsordenspakke og referat med bilag)"
PDF_EX = "build --format pdf (eksempel: dagsorden.pdf og referat.pdf, typst)"
PDF_EX_LO = "build --format pdf (eksempel: dagsorden.pdf og referat.pdf, --pdf-motor libreoffice)"
QPDF = "qpdf: referat.pdf + 25 bilag sat sammen (fuld)"
PYPDF = "pypdf: referat.pdf + 25 bilag sat sammen (fuld)"

COMPARISONS = [  # (key, ours, theirs, what it says)
    ("build_pdf_vs_libreoffice_example", PDF_EX, PDF_EX_LO,
     "example: build --format pdf against --pdf-motor libreoffice, whole commands"),
    ("build_pdf_vs_libreoffice", PDF_TYPST, PDF_LO, "build --format pdf against --pdf-motor libreoffice, whole commands"),
    ("engine_vs_libreoffice", ENGINE, LO_CONVERT, "Typst writer against LibreOffice's docx→pdf of the same content"),
    ("packet_vs_qpdf", PACKET, QPDF, "packet against a plain qpdf merge of the same PDFs"),
    ("packet_vs_pypdf", PACKET, PYPDF, "packet against a plain pypdf merge of the same PDFs"),
]

_ENGINE_PROBE = """
import sys, time
from pathlib import Path
from referat.render.pdf import write_pdf
from referat.view.document import document_view
from referat.validate import validate_folder
meeting, _ = validate_folder(Path(sys.argv[1]))
view = document_view(meeting, "referat")
start = time.perf_counter()
write_pdf(view, meeting.date)
print(time.perf_counter() - start)
"""

_PYPDF_MERGE = """
import sys
from pypdf import PdfWriter
writer = PdfWriter()
for name in sys.argv[2:]:
    writer.append(name)
with open(sys.argv[1], "wb") as fh:
    writer.write(fh)
"""


def engine_only(folder: Path) -> Sample:
    """The Typst PDF writer alone, first compile in a fresh process (no warm caches): what replaces
    LibreOffice's conversion in the pipeline. No memory figure (the process holds the whole of referat)."""
    out = subprocess.run([sys.executable, "-c", _ENGINE_PROBE, str(folder)], capture_output=True, text=True,
                         check=True)
    return Sample(float(out.stdout.strip()), 0.0)


def takstbilag(work: Path) -> Path:
    """The full-size annex: 584 rows of 11 driftsherrer, every structure of issue 12, imported from a clean
    workbook, with the 2026 P/L index; and the messy workbook for the import step."""
    from referat.takster.importer import import_workbooks
    from referat.takster.sample import sample_owners, write_workbook

    owners = sample_owners()
    write_workbook(work / "ren.xlsx", owners)
    write_workbook(work / "rodet.xlsx", owners, messy=True)
    text = import_workbooks([work / "ren.xlsx"]).text
    assert text is not None
    path = work / "takstbilag.yaml"
    path.write_text(text.replace("kommune: null", "kommune: 3.1").replace("region: null", "region: 2.46"), "utf-8")
    return path


def steps(work: Path, say: Callable[[str], None]) -> dict[str, Callable[[], Sample]]:
    """Every step, in the order of a round; each comparison's sides adjacent."""
    from archive_search import fill

    big = generate(work / "moede-fuld")
    annex = takstbilag(work)
    # the search archive lies beside the meetings, not above them: an `arkiv/` in or above a meeting folder is that
    # meeting's archive, and its made-up manifests would seal the generated meeting's minutes
    fill(work / "soegning" / "arkiv", 100)

    def cmd(args: list[str], ok: tuple[int, ...] = (0,)) -> Callable[[], Sample]:
        return lambda: run_once(args, ok=ok, timeout=300)

    cold = iter(range(1_000_000))

    def validate_cold() -> Sample:  # an empty check cache each time: every bilag parsed, as on the first run
        return run_once([*REFERAT, "validate", str(EXAMPLE)],
                        env={**os.environ, "REFERAT_CACHE": str(work / "kold" / str(next(cold)))}, timeout=300)

    out: dict[str, Callable[[], Sample]] = {
        VALIDATE_EX: cmd([*REFERAT, "validate", str(EXAMPLE)]),
        VALIDATE_EX_COLD: validate_cold,
        BUILD_EX: cmd([*REFERAT, "build", str(EXAMPLE), "--out", str(work / "ud1")]),
        PACKET_EX: cmd([*REFERAT, "packet", str(EXAMPLE), "--out", str(work / "ud7")]),
        VALIDATE_FULL: cmd([*REFERAT, "validate", str(big)]),
        BUILD_FULL: cmd([*REFERAT, "build", str(big), "--out", str(work / "ud2")]),
        PACKET: cmd([*REFERAT, "packet", str(big), "--dokument", "referat", "--out", str(work / "ud4")]),
    }
    subprocess.run([*REFERAT, "build", str(big), "--dokument", "referat", "--format", "pdf,docx", "--out",
                    str(work / "lo")], check=True, capture_output=True)
    parts = [str(work / "lo" / "referat.pdf"), *sorted(str(p) for p in (big / "bilag").glob("*.pdf"))]
    qpdf = shutil.which("qpdf")
    if qpdf:
        out[QPDF] = cmd([qpdf, "--empty", "--pages", *parts, "--", str(work / "qpdf.pdf")])
    else:
        say("qpdf er ikke installeret: ingen sammenligning med qpdf")
    out[PYPDF] = cmd([sys.executable, "-c", _PYPDF_MERGE, str(work / "pypdf.pdf"), *parts])
    out[ANNEX] = cmd([*REFERAT, "takster", "render", str(annex), "--format", "pdf", "--out", str(work / "ud5")])
    out[IMPORT] = cmd([*REFERAT, "takster", "import", str(work / "rodet.xlsx"), "--out",
                       str(work / "importeret.yaml")], ok=(1,))  # the messy workbook: its bad cells reported
    out[PDF_TYPST] = cmd([*REFERAT, "build", str(big), "--dokument", "referat", "--format", "pdf", "--out",
                          str(work / "ud3")])
    soffice = shutil.which("soffice")
    if soffice:
        out[PDF_LO] = cmd([*REFERAT, "build", str(big), "--dokument", "referat", "--format", "pdf",
                           "--pdf-motor", "libreoffice", "--out", str(work / "ud6")])
    # the example as a user builds its PDFs: both documents (the meeting is in fase referat)
    out[PDF_EX] = cmd([*REFERAT, "build", str(EXAMPLE), "--format", "pdf", "--out", str(work / "ud8")])
    if soffice:
        out[PDF_EX_LO] = cmd([*REFERAT, "build", str(EXAMPLE), "--format", "pdf", "--pdf-motor", "libreoffice",
                              "--out", str(work / "ud9")])
    out[ENGINE] = lambda: engine_only(big)
    if soffice:
        profile = (work / "lo-profil").as_uri()
        convert = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                   "--outdir", str(work / "lo"), str(work / "lo" / "referat.docx")]
        subprocess.run(convert, capture_output=True, check=False)  # the first run creates the profile
        out[LO_CONVERT] = cmd(convert)
    else:
        say("LibreOffice er ikke installeret: ingen sammenligning med LibreOffice")
    out[SEARCH] = cmd([*REFERAT, "search", "Bifrost", "--arkiv", str(work / "soegning" / "arkiv")])
    return out


def targets(results: dict[str, object], quick: bool) -> list[dict[str, object]]:
    """The issue's targets, each met or missed with its figure (None: not measured in this run)."""
    st = results.get("steps", {})
    cmp = results.get("comparisons", {})
    sc = results.get("scaling", {})
    assert isinstance(st, dict) and isinstance(cmp, dict) and isinstance(sc, dict)

    def step(name: str) -> float | None:
        return st[name]["median_s"] if name in st else None

    def cpu(name: str) -> float | None:
        return st[name].get("cpu_median_s") if name in st else None

    def largest(key: str, at_least: int) -> dict[str, float] | None:
        points = sc.get(key, {}).get("points", [])
        return points[-1] if points and points[-1]["n"] >= at_least else None

    full_peaks = [st[n]["peak_mb"] for n in (VALIDATE_FULL, BUILD_FULL, PACKET, PDF_TYPST) if n in st]
    annex = largest("takstbilag_rows", 29_000)
    field = largest("pdf_field", 10 * 1024 * 1024)
    contribution = next((p for p in sc.get("import_pages", {}).get("points", []) if p["n"] == 20), None)
    ratio = cmp.get("build_pdf_vs_libreoffice", {}).get("ratio")
    ratio_example = cmp.get("build_pdf_vs_libreoffice_example", {}).get("ratio")
    hist = results.get("history", {})
    assert isinstance(hist, dict)

    def series(name: str) -> float | None:
        found = hist.get(name)
        return found["median_s"] if isinstance(found, dict) else None

    def faster(tag: str, n: int) -> tuple[float | None, str]:
        """The first publication's (or verification's) ratio against the code before issue 28 when it was measured
        (`--base`), else against `--jobs 1` of this code (said in the row)."""
        for what in ("the code before issue 28", "--jobs 1"):
            found = hist.get(f"{tag} {n}: against {what}")
            if isinstance(found, dict):
                return found["ratio"], what
        return None, "the code before issue 28"

    publish_64, publish_against = faster("publish", 64)
    verify_64, verify_against = faster("verify", 64)
    Row = tuple[str, str, str, float | None, float, bool, str, float | None]
    rows: list[Row] = [  # issue, what, target, figure, bound, higher is better, unit, CPU seconds
        ("28", "example: `validate` (bilag checked before; cold: below)", "≤ 0.30 s", step(VALIDATE_EX), 0.30, False,
         "s", cpu(VALIDATE_EX)),
        ("28", "example: `validate`, cold (no check kept: every bilag parsed)", "≤ 0.30 s", step(VALIDATE_EX_COLD),
         0.30, False, "s", cpu(VALIDATE_EX_COLD)),
        ("28", "example: all four documents", "≤ 1.0 s", step(BUILD_EX), 1.0, False, "s", cpu(BUILD_EX)),
        ("28", "example: `packet`", "≤ 0.7 s", step(PACKET_EX), 0.7, False, "s", cpu(PACKET_EX)),
        ("28", "example: `build --format pdf` against `--pdf-motor libreoffice`, paired", "≥ 5×", ratio_example, 5.0,
         True, "×", None),
        ("28", "`publish --site`, 16 meetings, rerun unchanged", "≤ 1.5 s",
         series("publish --site, 16 møder, uændret"), 1.5, False, "s", None),
        ("28", "`publish --site`, 16 meetings, one changed", "≤ 4 s", series("publish --site, 16 møder, ét ændret"), 4.0,
         False, "s", None),
        ("28", f"`publish --site`, first publication of 64 meetings, against {publish_against}", "≥ 1.7×", publish_64,
         1.7, True, "×", None),
        ("28", f"`archive verify` of 64 meetings, against {verify_against}", "≥ 1.7×", verify_64, 1.7, True, "×",
         None),
        ("28", "takstbilag of 30,000 rows: peak", "≤ 1.5 GB", annex.get("peak_mb") if annex else None, 1536, False,
         "MB", None),
        ("28", "a 10 MB field to PDF: peak", "≤ 1 GB", field.get("peak_mb") if field else None, 1024, False, "MB",
         None),
        ("17", "full size: all four documents", "≤ 1.5 s", step(BUILD_FULL), 1.5, False, "s", cpu(BUILD_FULL)),
        ("17", "full size: packet of 363 pages", "≤ 1.5 s", step(PACKET), 1.5, False, "s", cpu(PACKET)),
        ("17", "full size: true peak (validate, build, packet)", "≤ 300 MB", max(full_peaks) if full_peaks else None,
         300, False, "MB", None),
        ("17", "full size: `build --format pdf` against `--pdf-motor libreoffice`, paired", "≥ 5×", ratio, 5.0, True,
         "×", None),
        ("17", "takstbilag of 30,000 rows: time", "≤ 15 s", annex["median_s"] if annex else None, 15, False, "s",
         annex.get("cpu_median_s") if annex else None),
        ("26", "`import` of a 20-page Word contribution", "< 1.0 s", contribution["median_s"] if contribution else None,
         1.0, False, "s", contribution.get("cpu_median_s") if contribution else None),
    ]
    out = []
    for issue, what, target, figure, bound, higher, unit, cpu_s in rows:
        if figure is None:
            status = "not measured (--quick)" if quick else "not measured"
        else:
            status = "met" if (figure >= bound if higher else figure <= bound) else "missed"
        out.append({"issue": issue, "target": what, "bound": target, "figure": figure, "unit": unit, "status": status,
                    "cpu_s": cpu_s})
    return out


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "MB":
        return f"{value:,.0f} MB"
    if unit == "×":
        return f"{value:.2f}×" if value < 1 else f"{value:.1f}×"
    return f"{value:.2f} s"


def markdown(results: dict[str, object]) -> str:
    run = results["run"]
    machine = results["machine"]
    assert isinstance(run, dict) and isinstance(machine, dict)
    kind = ("**`--quick` run on a loaded machine: indicative only**" if run["quick"]
            else "full run")
    lines = [(f"_Generated by `benchmarks/run.py {' '.join(run['argv'])}` on {run['started']} ({kind}; "
             f"{run['rounds']} rounds; {run['seconds'] / 60:.1f} min; load average {run['load_start']:.1f} at the "
             f"start, {run['load_end']:.1f} at the end; {machine['cpus']} cores, {machine['cpu']}, "
             f"{machine['ram_gib']} GiB RAM, Python {machine['python']}; memory via {run['launcher']})._"), ""]
    st = results.get("steps", {})
    assert isinstance(st, dict)
    if st:
        lines += ["| step | median | fastest–slowest | CPU (median) | true peak |", "|---|---:|---:|---:|---:|"]
        for name, s in st.items():
            peak = f"{s['peak_mb']:.0f} MB" if "peak_mb" in s else "–"
            cpu = f"{s['cpu_median_s']:.2f} s" if "cpu_median_s" in s else "–"
            lines.append(f"| {name} | {s['median_s']:.3f} s | {s['min_s']:.2f}–{s['max_s']:.2f} s | {cpu} | {peak} |")
        lines.append("")
    cmp = results.get("comparisons", {})
    assert isinstance(cmp, dict)
    if cmp:
        lines += [("| comparison (interleaved pair by pair) | ours | theirs | ratio of medians (theirs ÷ ours) "
                  "| per-pair ratios |"),
                  "|---|---:|---:|---:|---:|"]
        for c in cmp.values():
            lines.append(f"| {c['what']} | {c['ours_median_s']:.3f} s | {c['theirs_median_s']:.3f} s | "
                         f"**{_fmt(c['ratio'], '×')}** | {_fmt(c['pair_ratio_min'], '×')}–"
                         f"{_fmt(c['pair_ratio_max'], '×')} |")
        lines.append("")
    sc = results.get("scaling", {})
    assert isinstance(sc, dict)
    if sc:
        lines += ["| scaling series | n: median time, true peak | k (fit) | k (last step) | k (CPU time) | |",
                  "|---|---|---:|---:|---:|---|"]
        for s in sc.values():
            pts = "; ".join(f"{p['n']:,}: {p['median_s']:.2f} s, {p.get('peak_mb', 0):,.0f} MB"
                            + (f" ({p['runs']} run)" if p["runs"] == 1 else "") for p in s["points"])
            flag = "**over-lineær**" if s["over_linear"] else "linear or better"
            k_cpu = f"{s['k_cpu']:.2f}" if s.get("k_cpu") is not None else "–"
            lines.append(f"| {s['label']} | {pts} | {s['k']:.2f} | {s['k_last']:.2f} | {k_cpu} | {flag} |")
        lines.append("")
    imp = results.get("importtime", {})
    assert isinstance(imp, dict)
    if imp:
        lines += [importtime.markdown(imp)]
    hist = results.get("history", {})
    assert isinstance(hist, dict)
    if hist:
        lines += ["| year-scale step (whole command, wall time) | n | median | fastest–slowest | runs | true peak |",
                  "|---|---:|---:|---:|---:|---:|"]
        for name, h in hist.items():
            if "median_s" in h:
                lines.append(f"| {name} | {h['n']} | {h['median_s']:.2f} s | {h['min_s']:.2f}–{h['max_s']:.2f} s | "
                             f"{h['runs']} | {h.get('peak_mb', 0):,.0f} MB |")
        ratios = [h for h in hist.values() if "ratio" in h]
        if ratios:
            lines += ["", "| year-scale comparison (same run) | ratio of medians (theirs ÷ ours) |", "|---|---:|"]
            lines += [f"| {h['what']} | **{_fmt(h['ratio'], '×')}** |" for h in ratios]
        lines.append("")
    tg = results.get("targets", [])
    assert isinstance(tg, list)
    if tg:
        lines += ["| issue | target | bound | figure | CPU time | |", "|---|---|---|---:|---:|---|"]
        for t in tg:
            mark = {"met": "✔ met", "missed": "✘ **missed**"}.get(str(t["status"]), str(t["status"]))
            lines.append(f"| {t.get('issue', '17')} | {t['target']} | {t['bound']} | "
                         f"{_fmt(t['figure'], str(t['unit']))} | {_fmt(t.get('cpu_s'), 's')} | {mark} |")
        lines.append("")
    return "\n".join(lines)


def write_docs(path: Path, block: str) -> None:
    text = path.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{path}: markørerne {START} og {END} mangler")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(f"{head}{START}\n{block}\n{END}{tail}", encoding="utf-8")
    tmp.replace(path)


def machine() -> dict[str, object]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        ram = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
        ram_gib: object = round(ram / 1024 / 1024)
    except (OSError, StopIteration, ValueError):
        ram_gib = "?"
    return {"cpus": os.cpu_count(), "cpu": cpu, "ram_gib": ram_gib, "python": platform.python_version(),
            "platform": platform.platform()}


def estimate_full(results: dict[str, object], rounds: int = 7, scaling_repeat: int = 3) -> float:
    """Seconds a full run would take, extrapolated from this run: the rounds of steps, and each scaling series'
    full sizes from its fitted k (at least 1), capped at one run above scaling.LONG_S."""
    st = results.get("steps", {})
    sc = results.get("scaling", {})
    assert isinstance(st, dict) and isinstance(sc, dict)
    def quiet(point: dict[str, float]) -> float:  # on a quiet machine a command takes about its CPU time
        return float(point.get("cpu_median_s") or point["median_s"])

    total = rounds * sum(quiet(s) for s in st.values())
    for series in scaling.SERIES:
        measured = sc.get(series.key)
        if not measured:
            continue
        last = measured["points"][-1]
        k = max(1.0, float(measured["k_last"]))
        for n in series.sizes:
            t = quiet(last) * (n / last["n"]) ** k
            total += t * (1 if t > scaling.LONG_S else scaling_repeat)
    hist = results.get("history", {})
    assert isinstance(hist, dict)
    for h in hist.values():  # the largest size measured, grown linearly to 64 meetings (and the 4 and 16 as measured)
        if "median_s" in h:
            t = float(h["median_s"]) * 64 / int(h["n"])
            total += float(h["median_s"]) * scaling_repeat + (t if int(h["n"]) == 16 else 0)
    return total + 150  # the archives: every meeting built, signed and archived once


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds, the smaller two sizes of each series")
    parser.add_argument("--repeat", type=int, help="rounds (default 7, --quick 3)")
    parser.add_argument("--json", metavar="FILE")
    parser.add_argument("--write-docs", nargs="?", const=str(DOCS), metavar="FILE",
                        help="rewrite the marked block of docs/performance.md")
    parser.add_argument("--only", default="steps,scaling,importtime,history",
                        help="parts: steps,scaling,importtime,history")
    parser.add_argument("--base", metavar="SRC", help="the src/ folder of an earlier referat (e.g. `git archive <commit> "
                                                     "src | tar -x -C /tmp/before`): its first publication and "
                                                     "verification beside this one's (history)")
    parser.add_argument("--from-json", metavar="FILE", help="measure nothing: write the docs block (--write-docs) "
                                                           "from an earlier run's JSON")
    args = parser.parse_args()
    as_a_user()
    if args.from_json:
        saved = json.loads(Path(args.from_json).read_text(encoding="utf-8"))
        saved["targets"] = targets(saved, bool(saved["run"]["quick"]))
        write_docs(Path(args.write_docs or DOCS), markdown(saved))
        print(f"{args.write_docs or DOCS}: tallene fra {args.from_json} er skrevet mellem {START} og {END}")
        return
    parts = set(args.only.split(","))
    rounds = args.repeat or (3 if args.quick else 7)
    started = time.time()
    load_start = os.getloadavg()[0]
    results: dict[str, object] = {
        "machine": machine(),
        "run": {"argv": sys.argv[1:], "quick": args.quick, "rounds": rounds, "launcher": launcher_kind(),
                "started": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "load_start": load_start}}
    work = Path(tempfile.mkdtemp(prefix="referat-bench-"))

    def say(text: str) -> None:
        print(text, flush=True)

    try:
        if "steps" in parts:
            say(f"Trin, {rounds} runder (forbereder det fulde møde, takstbilaget og arkivet) …")
            todo = steps(work, say)

            def progress(round_: int, name: str, sample: Sample) -> None:
                peak = f"{sample.peak_mb:7.1f} MB" if sample.peak_mb else ""
                say(f"  runde {round_ + 1}/{rounds}  {name:56s} {sample.seconds:7.3f} s {peak}")

            samples = interleave(todo, rounds, progress)
            st = {name: summary(s) for name, s in samples.items()}
            cmp = {}
            for key, ours, theirs, what in COMPARISONS:
                if ours in samples and theirs in samples:
                    cmp[key] = {"what": what, "ours": ours, "theirs": theirs, **pair(samples[ours], samples[theirs])}
            if LO_CONVERT in st:  # the keys of the earlier runs' JSON
                st[LO_CONVERT]["ratio_vs_command"] = round(st[LO_CONVERT]["median_s"] / st[PDF_TYPST]["median_s"], 1)
                st[LO_CONVERT]["ratio_vs_engine"] = round(st[LO_CONVERT]["median_s"] / st[ENGINE]["median_s"], 1)
            results["steps"], results["comparisons"] = st, cmp
            say("")
            for name, s in st.items():
                cpu = f", CPU {s['cpu_median_s']:.2f}" if "cpu_median_s" in s else ""
                say(f"{name:56s} {s['median_s']:7.3f} s  ({s['min_s']:.2f}–{s['max_s']:.2f}{cpu})"
                    + (f" {s['peak_mb']:7.1f} MB" if "peak_mb" in s else ""))
            for c in cmp.values():
                say(f"{c['what']:80s} {c['ratio']:5.1f}×  (par: {c['pair_ratio_min']:.1f}–{c['pair_ratio_max']:.1f}×)")
        if "scaling" in parts:
            say(f"\nSkalering ({'de to mindste størrelser' if args.quick else 'alle størrelser'}, "
                f"{min(3, rounds)} runder):")
            results["scaling"] = scaling.run(work, min(rounds, 3), args.quick, say)
        if "history" in parts:
            sizes = (4, 16) if args.quick else (4, 16, 64)
            say(f"\nÅrets skala: publish --site og archive verify ({', '.join(map(str, sizes))} møder) …")
            base = Path(args.base).resolve() if args.base else None
            if base is not None:
                import compileall

                compileall.compile_dir(base / "referat", quiet=1)
            results["history"] = history.series(work, sizes, min(rounds, 3), say, base)
        if "importtime" in parts:
            say("\nOpstart (python -X importtime):")
            imp = importtime.measure_imports(min(rounds, 3))
            results["importtime"] = imp
            say(importtime.markdown(imp))
        results["targets"] = targets(results, args.quick)
        say("Mål (issue 28, 17 og 26):")
        for t in results["targets"]:  # type: ignore[union-attr]
            say(f"  {t['issue']:>2s} {t['target']:80s} {t['bound']:>9s} {_fmt(t['figure'], t['unit']):>10s}  "
                f"{t['status']}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    run = results["run"]
    assert isinstance(run, dict)
    run["seconds"] = round(time.time() - started, 1)
    run["load_end"] = os.getloadavg()[0]
    say(f"\nVarighed {run['seconds'] / 60:.1f} min; belastning {load_start:.1f} → {run['load_end']:.1f}")
    if args.quick and {"steps", "scaling"} <= parts:
        run["estimated_full_s"] = round(estimate_full(results))
        say(f"En fuld kørsel (uden --quick) skønnes groft til højst ~{run['estimated_full_s'] / 60:.0f} min på en stille "
            "maskine (denne kørsels CPU-tider, lineær vækst fra de små størrelser; under belastning er også "
            "CPU-tiderne for høje)")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if args.write_docs:
        write_docs(Path(args.write_docs), markdown(results))
        say(f"{args.write_docs}: tallene er skrevet mellem {START} og {END}")


if __name__ == "__main__":
    main()
