"""The benchmark harness (benchmarks/measure.py): memory of the command alone, interleaving, paired ratios and
the scaling exponent. Logic only: no benchmark runs and no timing assertions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import measure
from measure import Sample

LAUNCHERS = ["python", pytest.param("gnu-time", marks=pytest.mark.skipif(
    measure.gnu_time() is None, reason="GNU /usr/bin/time er ikke installeret; python-launcheren prøves alene"))]


@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_bare_python_measures_its_own_memory_not_the_parents(launcher: str) -> None:
    ballast = bytearray(200 * 1024 * 1024)  # this process now holds > 200 MB, as the benchmark's parent does
    ballast[::4096] = b"\1" * len(ballast[::4096])
    sample = measure.run_once([sys.executable, "-c", "pass"], launcher=launcher)
    assert 2 < sample.peak_mb < 50, sample
    assert sample.code == 0 and sample.seconds > 0
    del ballast


@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_a_command_that_takes_memory_is_measured_with_it(launcher: str) -> None:
    grow = "b = bytearray(120 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])"
    sample = measure.run_once([sys.executable, "-c", grow], launcher=launcher)
    assert 120 < sample.peak_mb < 200, sample
    assert sample.cpu_s is not None and sample.cpu_s > 0


def test_the_naive_way_inherits_the_parents_size() -> None:
    """Why the launcher exists: a child waited on straight from a big parent reports the parent's size."""
    import os

    ballast = bytearray(200 * 1024 * 1024)
    ballast[::4096] = b"\1" * len(ballast[::4096])
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    _, _, usage = os.wait4(proc.pid, 0)
    assert usage.ru_maxrss / 1024 > 200
    del ballast


@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_a_failing_command_raises_with_its_code_and_stderr(launcher: str) -> None:
    cmd = [sys.executable, "-c", "import sys; sys.stderr.write('galt her'); sys.exit(3)"]
    with pytest.raises(measure.CommandFailed, match=r"fejlede \(3\):\ngalt her"):
        measure.run_once(cmd, launcher=launcher)
    assert measure.run_once(cmd, ok=(0, 3), launcher=launcher).code == 3


def test_interleaving_runs_round_by_round() -> None:
    calls: list[str] = []

    def step(name: str):
        def run() -> Sample:
            calls.append(name)
            return Sample(len(calls), 1.0)
        return run

    samples = measure.interleave({"ours": step("ours"), "theirs": step("theirs"), "merge": step("merge")}, 3)
    assert calls == ["ours", "theirs", "merge"] * 3
    assert [s.seconds for s in samples["theirs"]] == [2, 5, 8]


def test_pair_gives_ratio_of_medians_and_the_spread_of_pair_ratios() -> None:
    ours = [Sample(1.0, 0), Sample(2.0, 0), Sample(1.0, 0)]
    theirs = [Sample(4.0, 0), Sample(5.0, 0), Sample(6.0, 0)]
    result = measure.pair(ours, theirs)
    assert result["ours_median_s"] == 1.0 and result["theirs_median_s"] == 5.0
    assert result["ratio"] == 5.0
    assert (result["pair_ratio_min"], result["pair_ratio_max"]) == (2.5, 6.0)
    with pytest.raises(ValueError):
        measure.pair(ours, theirs[:2])


def test_summary_takes_the_median_and_the_highest_peak() -> None:
    result = measure.summary([Sample(3.0, 10, cpu_s=0.5), Sample(1.0, 30, cpu_s=0.7), Sample(2.0, 20, cpu_s=0.6)])
    assert result == {"median_s": 2.0, "min_s": 1.0, "max_s": 3.0, "runs": 3, "peak_mb": 30, "cpu_median_s": 0.6}


@pytest.mark.parametrize("k", [0.5, 1.0, 1.45, 2.0])
def test_k_fit_recovers_the_exponent_of_a_synthetic_series(k: float) -> None:
    sizes = [600, 6_000, 30_000]
    assert measure.fit_k(sizes, [0.002 * n ** k for n in sizes]) == pytest.approx(k, abs=1e-9)


def test_k_fit_is_least_squares_over_noise() -> None:
    sizes = [19, 100, 500]
    noisy = [1.0 * 19 * 1.1, 1.0 * 100 * 0.9, 1.0 * 500 * 1.05]  # linear with ±10 % noise
    k = measure.fit_k(sizes, noisy)
    assert 0.95 < k < 1.05
    assert measure.verdict(k) == "lineær eller bedre"
    assert measure.verdict(1.45) == "over-lineær"


def test_k_fit_refuses_what_has_no_slope() -> None:
    with pytest.raises(ValueError):
        measure.fit_k([100], [1.0])
    with pytest.raises(ValueError):
        measure.fit_k([100, 100], [1.0, 2.0])


def test_write_docs_replaces_only_the_marked_block(tmp_path: Path) -> None:
    import run

    doc = tmp_path / "performance.md"
    doc.write_text(f"# Ydelse\nfør\n{run.START}\ngammelt tal\n{run.END}\nefter\n", encoding="utf-8")
    run.write_docs(doc, "| nyt | tal |\n")
    assert doc.read_text(encoding="utf-8") == f"# Ydelse\nfør\n{run.START}\n| nyt | tal |\n\n{run.END}\nefter\n"
    doc.write_text("ingen markører\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="markørerne"):
        run.write_docs(doc, "x")
    assert doc.read_text(encoding="utf-8") == "ingen markører\n"


def test_targets_are_met_missed_or_not_measured() -> None:
    import run

    steps = {run.VALIDATE_EX: {"median_s": 0.25}, run.VALIDATE_EX_COLD: {"median_s": 0.31},
             run.BUILD_EX: {"median_s": 1.2}, run.PACKET_EX: {"median_s": 0.7},
             run.PACKET: {"median_s": 1.4, "peak_mb": 310.0}, run.BUILD_FULL: {"median_s": 1.5, "peak_mb": 200.0}}
    results = {"steps": steps, "comparisons": {"build_pdf_vs_libreoffice": {"ratio": 5.2},
                                               "build_pdf_vs_libreoffice_example": {"ratio": 4.9}},
               "scaling": {"takstbilag_rows": {"points": [{"n": 584, "median_s": 1.0}, {"n": 5_840, "median_s": 5.0}]}},
               "history": {"publish --site, 16 møder, uændret": {"n": 16, "median_s": 1.2},
                           "publish --site, 16 møder, ét ændret": {"n": 16, "median_s": 4.5},
                           "publish 64: against --jobs 1": {"n": 64, "ratio": 1.8},
                           "verify 64: against --jobs 1": {"n": 64, "ratio": 1.5},
                           "verify 64: against the code before issue 28": {"n": 64, "ratio": 1.9}}}
    status = {t["target"]: t["status"] for t in run.targets(results, quick=True)}
    assert status["example: `validate` (bilag checked before; cold: below)"] == "met"
    assert status["example: `validate`, cold (no check kept: every bilag parsed)"] == "missed"
    assert status["example: all four documents"] == "missed"
    assert status["example: `packet`"] == "met"  # on the bound
    assert status["example: `build --format pdf` against `--pdf-motor libreoffice`, paired"] == "missed"
    assert status["full size: all four documents"] == "met"  # on the bound
    assert status["full size: packet of 363 pages"] == "met"
    assert status["full size: true peak (validate, build, packet)"] == "missed"  # the packet's 310 MB
    assert status["full size: `build --format pdf` against `--pdf-motor libreoffice`, paired"] == "met"
    assert status["`publish --site`, 16 meetings, rerun unchanged"] == "met"
    assert status["`publish --site`, 16 meetings, one changed"] == "missed"
    # against the code before issue 28 when the run measured it (--base), else against --jobs 1, said in the row
    assert status["`publish --site`, first publication of 64 meetings, against --jobs 1"] == "met"
    assert status["`archive verify` of 64 meetings, against the code before issue 28"] == "met"
    assert status["takstbilag of 30,000 rows: time"] == "not measured (--quick)"  # 5,840 is not 30,000
    assert status["a 10 MB field to PDF: peak"] == "not measured (--quick)"
