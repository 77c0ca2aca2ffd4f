"""The full-size takstbilag's validate + render, an earlier referat against this one, run pair by pair.

Usage: python benchmarks/annex_pair.py --base SRC [--repeat N] [--format pdf[,docx,…]] [--json FILE]

`SRC` is the `src/` folder of an earlier referat (e.g. `git archive main src | tar -x -C /tmp/base`): its
`referat` is run through `PYTHONPATH`, this checkout's through the venv. Both run the same annex (the
sample's 11 driftsherrer, imported from a clean workbook, as `benchmarks/run.py` makes it) as a user runs
`referat tariffs render FIL --format pdf`, in a fresh process each time, alternating earlier, this, earlier,
this …, so that a busy minute of a shared machine falls on both sides alike. Prints both medians, the ratio
of the medians (this ÷ earlier) and the spread of the per-pair ratios.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from generate import as_a_user
from measure import Sample, pair, run_once, summary
from run import takstbilag


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--base", required=True, metavar="SRC", help="the earlier referat's src/ folder")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--format", default="pdf")
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    as_a_user()
    base = Path(args.base).resolve()
    compileall.compile_dir(base / "referat", quiet=1)
    work = Path(tempfile.mkdtemp(prefix="referat-annex-pair-"))
    try:
        annex = takstbilag(work)
        env_base = {**os.environ, "PYTHONPATH": str(base)}
        env_now = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

        def render(env: dict[str, str], out: str) -> Sample:
            return run_once([sys.executable, "-m", "referat", "tariffs", "render", str(annex), "--format",
                             args.format, "--out", str(work / out)], env=env, timeout=300)

        render(env_base, "warm-a")
        render(env_now, "warm-b")
        earlier: list[Sample] = []
        now: list[Sample] = []
        for n in range(args.repeat):
            earlier.append(render(env_base, "a"))
            now.append(render(env_now, "b"))
            print(f"  par {n + 1}/{args.repeat}: tidligere {earlier[-1].seconds:6.3f} s   nu {now[-1].seconds:6.3f} s",
                  flush=True)
        # pair(ours, theirs) gives theirs ÷ ours: here this checkout ÷ the earlier one
        cmp = pair(earlier, now)
        result = {"load": os.getloadavg(), "format": args.format, "rounds": args.repeat,
                  "earlier": summary(earlier), "now": summary(now), "ratio_now_over_earlier": cmp["ratio"],
                  "pair_ratio_min": cmp["pair_ratio_min"], "pair_ratio_max": cmp["pair_ratio_max"]}
        print(f"tidligere: median {result['earlier']['median_s']:.3f} s (CPU {result['earlier'].get('cpu_median_s')})")
        print(f"nu:        median {result['now']['median_s']:.3f} s (CPU {result['now'].get('cpu_median_s')})")
        print(f"forhold nu/tidligere: {cmp['ratio']:.3f} (par: {cmp['pair_ratio_min']:.2f}–{cmp['pair_ratio_max']:.2f})")
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
