"""Benchmark `referat` at real scale and write the figures (docs/performance.md reports them).

Steps: validate, build (dagsorden + referat, Word + PDF), packet, takstbilag validate+render and import,
archive search (100 meetings; `benchmarks/archive_search.py` has the in-process figure), and the Typst
writer against LibreOffice's conversion of the same content where LibreOffice is installed.

Usage: python benchmarks/run.py [--repeat 5] [--json FILE]

Each step runs as the user runs it: the `referat` command in a fresh process, timed from start to exit,
with its peak memory (max RSS) from the operating system. Medians over --repeat runs.
Where LibreOffice is installed, it converts the same Word file to PDF, for the ratio a secretariat would
see against the LibreOffice route.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate import EXAMPLE, generate

REFERAT = [sys.executable, "-m", "referat"]


def measure(cmd: list[str], repeat: int, env: dict[str, str] | None = None) -> dict[str, float]:
    """Median wall seconds and peak MB of `cmd` over `repeat` runs."""
    times, peaks = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)  # kB on Linux
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1) or (code == 1 and "import" not in cmd):  # the messy import reports its bad cells
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise SystemExit(f"{' '.join(cmd)} fejlede ({code}):\n{err}")
    return {"median_s": round(statistics.median(times), 3), "peak_mb": round(max(peaks), 1), "runs": repeat}


_ENGINE_PROBE = """
import sys, time
from pathlib import Path
from referat.render.pdf import write_pdf
from referat.render.view import document_view
from referat.validate import check_meeting
meeting, _ = check_meeting(Path(sys.argv[1]))
view = document_view(meeting, "referat")
start = time.perf_counter()
write_pdf(view, meeting.date)
print(time.perf_counter() - start)
"""


def engine_only(folder: Path, repeat: int) -> dict[str, float]:
    """The Typst PDF writer alone, first compile in a fresh process (no warm caches): what replaces
    LibreOffice's conversion in the pipeline."""
    times = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", _ENGINE_PROBE, str(folder)], capture_output=True, text=True,
                             check=True)
        times.append(float(out.stdout.strip()))
    return {"median_s": round(statistics.median(times), 3), "runs": repeat}


def takstbilag(work: Path) -> Path:
    """The full-size annex: 584 rows of 11 driftsherrer, every structure of issue 12, imported from a clean workbook, with the 2026 P/L index."""
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="referat-bench-"))
    try:
        big = generate(work / "moede-fuld")
        annex = takstbilag(work)
        results: dict[str, dict[str, float]] = {}
        steps = {
            "validate (eksempel, 17 punkter)": [*REFERAT, "validate", str(EXAMPLE)],
            "build 4 dokumenter (eksempel)": [*REFERAT, "build", str(EXAMPLE), "--out", str(work / "ud1")],
            "validate (fuld, 19 punkter, 25 bilag/300 s.)": [*REFERAT, "validate", str(big)],
            "build 4 dokumenter (fuld)": [*REFERAT, "build", str(big), "--out", str(work / "ud2")],
            "packet: referat med bilag (fuld, 25 bilag, ~360 s.)": [*REFERAT, "packet", str(big), "--dokument",
                                                                   "referat", "--out", str(work / "ud4")],
            "takstbilag: validate + PDF (584 rækker, 11 driftsherrer)": [*REFERAT, "takster", "render", str(annex),
                                                                          "--format", "pdf", "--out", str(work / "ud5")],
            "takstbilag: import af 11 rodede takstskemaer": [*REFERAT, "takster", "import", str(work / "rodet.xlsx"),
                                                             "--out", str(work / "importeret.yaml")],
            "referat.pdf alene (fuld, typst)": [*REFERAT, "build", str(big), "--dokument", "referat", "--format",
                                                "pdf", "--out", str(work / "ud3")],
        }
        for name, cmd in steps.items():
            results[name] = measure(cmd, args.repeat)
            print(f"{name:48s} {results[name]['median_s']:7.3f} s {results[name]['peak_mb']:7.1f} MB", flush=True)
        from archive_search import fill

        fill(work / "arkiv", 100)
        results["search i arkiv med 100 møder"] = measure(
            [*REFERAT, "search", "Bifrost", "--arkiv", str(work / "arkiv")], args.repeat)
        print(f"{'search i arkiv med 100 møder':48s} {results['search i arkiv med 100 møder']['median_s']:7.3f} s "
              f"{results['search i arkiv med 100 møder']['peak_mb']:7.1f} MB", flush=True)
        results["PDF-motor alene (fuld, typst, kold)"] = engine_only(big, args.repeat)
        print(f"{'PDF-motor alene (fuld, typst, kold)':48s} "
              f"{results['PDF-motor alene (fuld, typst, kold)']['median_s']:7.3f} s", flush=True)
        soffice = shutil.which("soffice")
        if soffice:
            subprocess.run([*REFERAT, "build", str(big), "--dokument", "referat", "--format", "docx",
                            "--out", str(work / "lo")], check=True, capture_output=True)
            profile = (work / "lo-profil").as_uri()
            cmd = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                   "--outdir", str(work / "lo"), str(work / "lo" / "referat.docx")]
            subprocess.run(cmd, capture_output=True, check=False)  # first run creates the profile
            results["LibreOffice docx→pdf (fuld, samme indhold)"] = measure(cmd, args.repeat)
            lo_step = results["LibreOffice docx→pdf (fuld, samme indhold)"]
            command = results["referat.pdf alene (fuld, typst)"]["median_s"]
            engine = results["PDF-motor alene (fuld, typst, kold)"]["median_s"]
            lo_step["ratio_vs_command"] = round(lo_step["median_s"] / command, 1)
            lo_step["ratio_vs_engine"] = round(lo_step["median_s"] / engine, 1)
            print(f"{'LibreOffice docx→pdf (fuld, samme indhold)':48s} {lo_step['median_s']:7.3f} s"
                  f"   ({lo_step['ratio_vs_command']}× hele kommandoen, {lo_step['ratio_vs_engine']}× motoren)")
        else:
            print("LibreOffice er ikke installeret: intet sammenligningstal")
        machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
        if args.json:
            Path(args.json).write_text(json.dumps({"machine": machine, "steps": results}, ensure_ascii=False,
                                                  indent=2) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
