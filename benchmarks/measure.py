"""The benchmark's measuring harness: one command's time and its own peak memory, interleaved rounds,
medians, paired ratios and the scaling exponent.

Peak memory is the command's alone. A child started straight from the benchmark (a ~150 MB Python process)
reports the parent's size as its own max RSS: Linux carries the pre-exec memory high-water mark of the forked
(or vforked) child into `ru_maxrss`. So each command runs behind a tiny launcher — GNU `/usr/bin/time` where
it is installed, else a fresh `python -c` that forks, `execvp`s the command and reads the waited child's own
rusage from `os.wait4` — and the launcher's child is forked from a process of a few MB. A bare
`python -c pass` measures ~10 MB this way (tests/test_benchmark_harness.py holds that).
"""

from __future__ import annotations

import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

OVER_LINEAR = 1.15  # a scaling exponent above this is flagged "over-lineær"

_LAUNCHER = r"""
import os, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(cmd[0], cmd)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
with open(out, "w") as fh:
    fh.write(f"{elapsed} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)} {usage.ru_utime + usage.ru_stime}\n")
"""


@dataclass(frozen=True)
class Sample:
    """One run: wall seconds, the command's own peak RSS in MB, its exit code, stderr, and its CPU seconds (user +
    system, its waited-for children included: on a loaded machine a steadier figure than the wall time)."""

    seconds: float
    peak_mb: float
    code: int = 0
    stderr: str = ""
    cpu_s: float | None = None


class CommandFailed(RuntimeError):
    pass


def gnu_time() -> str | None:
    """`/usr/bin/time` if it is GNU time (the `-f`/`-o` options), else None."""
    path = shutil.which("time", path="/usr/bin:/bin")
    if not path:
        return None
    probe = subprocess.run([path, "-f", "%M", "true"], capture_output=True, text=True, check=False)
    return path if probe.returncode == 0 and probe.stderr.strip().isdigit() else None


def launcher_kind(prefer: str | None = None) -> str:
    """'gnu-time' or 'python': which launcher `run_once` uses (`prefer` forces one)."""
    if prefer in ("gnu-time", "python"):
        return prefer
    return "gnu-time" if gnu_time() else "python"


def run_once(cmd: Sequence[str], *, ok: Sequence[int] = (0,), env: Mapping[str, str] | None = None,
             launcher: str | None = None, timeout: float | None = None) -> Sample:
    """Run `cmd` once behind the launcher; its wall time and its own peak RSS. Raises CommandFailed on an exit
    code outside `ok` (stderr in the message)."""
    kind = launcher_kind(launcher)
    fd, result = tempfile.mkstemp(prefix="referat-bench-", suffix=".txt")
    os.close(fd)
    try:
        if kind == "gnu-time":
            wrapped = [gnu_time() or "/usr/bin/time", "-f", "%M %x %U %S", "-o", result, *cmd]
        else:
            wrapped = [sys.executable, "-I", "-S", "-c", _LAUNCHER, result, *cmd]
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                env=dict(env) if env is not None else None)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise CommandFailed(f"{' '.join(cmd)}: over {timeout} s") from None
        elapsed = time.perf_counter() - start
        lines = Path(result).read_text(encoding="utf-8").split("\n")
        fields = [line for line in lines if line.strip()][-1].split()
    finally:
        os.unlink(result)
    stderr = err.decode("utf-8", "replace")
    if kind == "gnu-time":
        peak_kb, code, cpu = int(fields[0]), int(fields[1]), float(fields[2]) + float(fields[3])
        if any(line.startswith("Command terminated by signal") for line in lines):
            code = -1
    else:
        elapsed, peak_kb, code, cpu = float(fields[0]), int(fields[1]), int(fields[2]), float(fields[3])
    if code not in ok:
        raise CommandFailed(f"{' '.join(cmd)} fejlede ({code}):\n{stderr[-4000:]}")
    return Sample(elapsed, peak_kb / 1024, code, stderr, cpu)  # ru_maxrss is in kB on Linux


def interleave(steps: Mapping[str, Callable[[], Sample]], repeat: int,
               progress: Callable[[int, str, Sample], None] | None = None) -> dict[str, list[Sample]]:
    """Run the steps round by round — a, b, c, a, b, c, … — so that a slow minute on a shared machine falls on
    every step alike, and a comparison's two sides (adjacent steps) run pair by pair."""
    samples: dict[str, list[Sample]] = {name: [] for name in steps}
    for round_ in range(repeat):
        for name, step in steps.items():
            sample = step()
            samples[name].append(sample)
            if progress:
                progress(round_, name, sample)
    return samples


def summary(samples: Sequence[Sample]) -> dict[str, float]:
    """Median, fastest and slowest seconds, the true peak (the highest of the runs), the count and the median
    CPU seconds."""
    times = [s.seconds for s in samples]
    peaks = [s.peak_mb for s in samples if s.peak_mb > 0]
    out = {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3),
           "max_s": round(max(times), 3), "runs": len(samples)}
    if peaks:
        out["peak_mb"] = round(max(peaks), 1)
    cpus = [s.cpu_s for s in samples if s.cpu_s is not None]
    if cpus:
        out["cpu_median_s"] = round(statistics.median(cpus), 3)
    return out


def pair(ours: Sequence[Sample], theirs: Sequence[Sample]) -> dict[str, float]:
    """A paired comparison: both medians, the ratio of the medians (theirs / ours: how many times faster ours is)
    and the spread of the per-pair ratios (run i of ours against run i of theirs)."""
    if len(ours) != len(theirs) or not ours:
        raise ValueError("a paired comparison needs as many runs of each side, at least one")
    ratios = [t.seconds / o.seconds for o, t in zip(ours, theirs, strict=True)]
    ours_med = statistics.median(s.seconds for s in ours)
    theirs_med = statistics.median(s.seconds for s in theirs)
    return {"ours_median_s": round(ours_med, 3), "theirs_median_s": round(theirs_med, 3),
            "ratio": round(theirs_med / ours_med, 2), "pair_ratio_min": round(min(ratios), 2),
            "pair_ratio_max": round(max(ratios), 2), "pairs": len(ratios)}


def fit_k(sizes: Sequence[float], times: Sequence[float]) -> float:
    """The exponent k of t ∝ nᵏ: the least-squares slope of log t on log n."""
    if len(sizes) != len(times) or len(sizes) < 2:
        raise ValueError("k needs at least two sizes with a time each")
    xs = [math.log(n) for n in sizes]
    ys = [math.log(t) for t in times]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        raise ValueError("k needs at least two different sizes")
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx


def verdict(k: float) -> str:
    return "over-lineær" if k > OVER_LINEAR else "lineær eller bedre"
