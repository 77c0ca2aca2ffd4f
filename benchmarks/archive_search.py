"""Benchmark `referat search` over an archive of 100 meetings (docs/performance.md reports the figure).

Usage: python benchmarks/archive_search.py [--meetings 100] [--repeat 30] [--json FILE]

The archive is filled from generated manifests, not from 100 signed PDFs: every meeting gets the 17 real
items and decisions of the example meeting (agendas/2026-02-23-das-social), reordered and with a
meeting-specific sentence, under its own date; `index.add` indexes them exactly as after `archive add`.
Two figures: the search itself (open the index, query, snippets) in-process, and the whole command in a
fresh process (Python start-up and imports included).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from referat.app.pipeline import load
from referat.archive import index, store
from referat.archive import manifest as mf
from referat.archive.text import item_texts

EXAMPLE = Path(__file__).resolve().parents[1] / "agendas" / "2026-02-23-das-social"
QUERIES = ("Bifrost", "ungehjem", "takster", "sundhedstjek botilbud", "kommunerne", "rammeaftaler")


def fill(root: Path, meetings: int, seed: int = 7) -> None:
    """An archive of `meetings` meetings, one version each, indexed."""
    meeting = load(EXAMPLE).meeting
    items = [mf.item_entry(i) for i in item_texts(meeting)]
    rng = random.Random(seed)
    day = dt.date(2026, 2, 23)
    made = []
    for n in range(meetings):
        date = day - dt.timedelta(weeks=6 * n)
        chosen = rng.sample(items, len(items))
        for k, item in enumerate(chosen, start=1):
            item = {**item, "nummer": str(k),
                    "beslutning": item["beslutning"] + f" Behandlet på mødet nr. {n + 1} den {date:%d.%m.%Y}."}
            chosen[k - 1] = item
        manifest = {"format": mf.FORMAT, "udvalg": "das-social", "udvalg_navn": "DAS Social",
                    "dato": date.isoformat(), "sagsnummer": f"{date.year}-{n:06d}", "udgave": 1,
                    "fil": "referat-signeret.pdf", "sha256": "0" * 64, "bytes": 0,
                    "arkiveret": dt.datetime.now(dt.UTC).isoformat(), "status": mf.VERIFIED,
                    "underskrifter": [], "punkter": chosen}
        version = store.Version(root, "das-social", date.isoformat(), 1)
        version.folder.mkdir(parents=True)
        data = mf.dumps(manifest)
        (version.folder / store.MANIFEST).write_bytes(data)
        made.append((version, manifest, data))
    # indexed directly: `catch_up` would (rightly) refuse these manifests, which have no signed PDF behind them
    with index.opened(root) as conn:
        conn.execute("PRAGMA synchronous = OFF")  # set-up only: no fsync per meeting; the index is the same
        for version, manifest, data in made:
            index.add(conn, version, manifest, data)
        # as `archive add` leaves an archive: a generation token, and the index marked as having seen every folder at
        # it; without them every search would list all version folders (the path only an interrupted add takes)
        (root / store.GENERATION).write_text(uuid.uuid4().hex, encoding="ascii")
        index.mark_caught_up(conn, store.generation(root), index.CaughtUp())


def in_process(root: Path, repeat: int) -> dict[str, float]:
    """Median and worst seconds of one search (open index, match, snippets), over every query × repeat."""
    times = []
    for _ in range(repeat):
        for query in QUERIES:
            start = time.perf_counter()
            with index.opened(root) as conn:
                _, total = index.search(conn, query)
            times.append(time.perf_counter() - start)
            assert total > 0, query
    return {"median_ms": round(statistics.median(times) * 1000, 2), "max_ms": round(max(times) * 1000, 2),
            "searches": len(times)}


def command(root: Path, repeat: int) -> dict[str, float]:
    """Median milliseconds and peak MB of `referat search Bifrost` in a fresh process."""
    times, peaks = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "referat", "search", "Bifrost", "--arkiv", str(root)],
                                stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)  # kB on Linux
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit("referat search fejlede")
    return {"median_ms": round(statistics.median(times) * 1000, 1), "peak_mb": round(max(peaks), 1), "runs": repeat}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "arkiv"
        fill(root, args.meetings)
        with index.opened(root) as conn:
            items = conn.execute("SELECT count(*) FROM punkter").fetchone()[0]
        result = {"meetings": args.meetings, "items": items, "search": in_process(root, args.repeat),
                  "command": command(root, max(5, args.repeat // 6))}
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
