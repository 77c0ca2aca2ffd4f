"""Start-up table: what `referat --help`, `validate`, `build --format pdf` and `packet` import before they work.

Usage: python benchmarks/importtime.py [--repeat 3] [--markdown] [--json FILE]

Each command runs on the example meeting (agendas/2026-02-23-das-social) under `python -X importtime`; per
command: the whole command's median wall time (run without -X importtime, behind measure.run_once), the
median total import time (the sum of the top-level imports' cumulative times) and the packages that referat's
own modules pull in, heaviest first (a package's cumulative time where referat — or the interpreter — imports
it, summed per top-level package; what it imports itself is inside its figure). `--markdown` prints the table
docs/performance.md holds (benchmarks/run.py --write-docs puts it there).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from generate import EXAMPLE, options
from measure import run_once

TOP = 6


def commands(out: Path) -> dict[str, list[str]]:
    return {
        "referat --help": ["--help"],
        "referat validate": ["validate", str(EXAMPLE)],
        "referat build --format pdf": ["build", str(EXAMPLE), "--format", "pdf", "--out", str(out / "build")],
        "referat packet": ["packet", str(EXAMPLE), "--out", str(out / "packet")],
    }


@dataclass
class Node:
    name: str
    depth: int
    self_us: int
    cumulative_us: int
    children: list[Node] = field(default_factory=list)


def parse(stderr: str) -> list[Node]:
    """The top-level imports of `-X importtime` output as trees (the output lists children before parents)."""
    pending: dict[int, list[Node]] = {}
    top: list[Node] = []
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        parts = line[len("import time:"):].split("|")
        if len(parts) != 3 or not parts[0].strip().isdigit():
            continue  # the header line
        raw = parts[2]
        depth = (len(raw) - len(raw.lstrip(" ")) - 1) // 2
        node = Node(raw.strip(), depth, int(parts[0]), int(parts[1]), pending.pop(depth + 1, []))
        if depth == 0:
            top.append(node)
        else:
            pending.setdefault(depth, []).append(node)
    return top


def _root(name: str) -> str:
    return name.split(".")[0]


def heaviest(top: list[Node]) -> dict[str, float]:
    """Seconds per top-level package where it is imported by referat's modules or at top level, and the
    self time of referat's own modules."""
    totals: dict[str, float] = {}

    def walk(node: Node) -> None:
        if _root(node.name) in ("referat", "__main__"):
            totals["referat's own modules"] = totals.get("referat's own modules", 0.0) + node.self_us / 1e6
            for child in node.children:
                walk(child)
        else:
            totals[_root(node.name)] = totals.get(_root(node.name), 0.0) + node.cumulative_us / 1e6

    for node in top:
        walk(node)
    return totals


def measure_imports(repeat: int = 3) -> dict[str, dict[str, object]]:
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="referat-importtime-") as tmp:
        for label, args in commands(Path(tmp)).items():
            walls, totals, per_package = [], [], []
            for _ in range(repeat):
                walls.append(run_once([sys.executable, "-m", "referat", *args]).seconds)
                proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "referat", *args],
                                      capture_output=True, text=True, check=False)
                if proc.returncode != 0:
                    raise SystemExit(f"{label} fejlede ({proc.returncode}):\n{proc.stderr[-2000:]}")
                top = parse(proc.stderr)
                totals.append(sum(n.cumulative_us for n in top) / 1e6)
                per_package.append(heaviest(top))
            names = {name for p in per_package for name in p}
            medians = {name: statistics.median(p.get(name, 0.0) for p in per_package) for name in names}
            ranked = sorted(medians.items(), key=lambda kv: -kv[1])[:TOP]
            results[label] = {"wall_s": round(statistics.median(walls), 3),
                              "imports_s": round(statistics.median(totals), 3),
                              "top": [[name, round(s, 3)] for name, s in ranked], "runs": repeat}
    return results


def markdown(results: dict[str, dict[str, object]]) -> str:
    lines = ["| command (example meeting) | whole command | imports (`-X importtime`) | heaviest packages it imports |",
             "|---|---:|---:|---|"]
    for label, r in results.items():
        top = r["top"]
        assert isinstance(top, list)
        heavy = ", ".join(f"{name} {s:.2f}" for name, s in top)
        lines.append(f"| `{label}` | {r['wall_s']:.2f} s | {r['imports_s']:.2f} s | {heavy} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    args = options(__doc__, 3, {"markdown": "print the Markdown table"})
    results = measure_imports(args.repeat)
    print(markdown(results) if args.markdown else json.dumps(results, indent=2, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
