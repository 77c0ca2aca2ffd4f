"""Benchmark `referat serve` (issue 16): from a file save to updated messages and to an updated PDF.

For the example meeting and the full-size meeting (`generate.py`), a server runs in this process on a free local
port; an item file is saved (a comment appended, so its bytes change) and the time is taken until the page's event
stream says the messages are updated (`/events`, then `/api/tilstand` as the page does), until the HTML preview is
fetched, and until the real PDF is fetched. Beside it: the same work as separate commands (`referat validate`,
`referat build --dokument referat --format pdf`). Median of `--repeat` (20) with the range.

    .venv/bin/python benchmarks/serve.py [--quick] [--repeat N] [--json FILE]

Traffic goes only to 127.0.0.1; every loop is bounded.
"""

from __future__ import annotations

import json
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import EXAMPLE, generate, options

from referat.app.serve import Background

ITEM_TIMEOUT = 60.0


def _events(base: str, cookies: httpx.Cookies, out: queue.Queue[dict[str, object]], stop: threading.Event) -> None:
    with httpx.Client(base_url=base, cookies=cookies, timeout=None) as client, \
            client.stream("GET", "/events") as response:
        for line in response.iter_lines():
            if stop.is_set():
                return
            if line.startswith("data: "):
                out.put({**json.loads(line[6:]), "at": time.perf_counter()})


def _summary(values: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(values) * 1000, 1), "min_ms": round(min(values) * 1000, 1),
            "max_ms": round(max(values) * 1000, 1), "n": len(values)}


def live(folder: Path, repeat: int) -> dict[str, dict[str, float]]:
    item = sorted((folder / "punkter").glob("*.yaml"))[2]
    original = item.read_bytes()
    messages: list[float] = []
    html: list[float] = []
    pdf: list[float] = []
    with Background(folder) as server:
        client = httpx.Client(base_url=server.base, timeout=ITEM_TIMEOUT)
        client.get("/", params={"token": server.token})
        client.get("/dokument/referat/intern.pdf")  # warm: the first render loads Typst's fonts
        events: queue.Queue[dict[str, object]] = queue.Queue()
        stop = threading.Event()
        reader = threading.Thread(target=_events, args=(server.base, client.cookies, events, stop), daemon=True)
        reader.start()
        version = events.get(timeout=ITEM_TIMEOUT)["version"]
        for n in range(repeat):
            time.sleep(0.2)  # the previous save's events have settled
            start = time.perf_counter()
            item.write_bytes(original + f"# måling {n}\n".encode())
            while True:
                event = events.get(timeout=ITEM_TIMEOUT)
                if event["version"] != version:
                    break
            version = event["version"]
            state = client.get("/api/tilstand").json()
            assert state["version"] >= version
            messages.append(time.perf_counter() - start)
            client.get("/dokument/referat/intern.html").raise_for_status()
            html.append(time.perf_counter() - start)
            client.get("/dokument/referat/intern.pdf").raise_for_status()
            pdf.append(time.perf_counter() - start)
        stop.set()
        client.close()
    item.write_bytes(original)
    return {"save_to_messages": _summary(messages), "save_to_html": _summary(html), "save_to_pdf": _summary(pdf)}


def commands(folder: Path, repeat: int, out: Path) -> dict[str, dict[str, float]]:
    referat = [sys.executable, "-m", "referat"]
    result: dict[str, dict[str, float]] = {}
    for name, args in (("validate", ["validate", str(folder)]),
                       ("build_pdf", ["build", str(folder), "--dokument", "referat", "--format", "pdf",
                                      "--out", str(out)])):
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(referat + args, check=True, capture_output=True, timeout=300)
            times.append(time.perf_counter() - start)
        result[name] = _summary(times)
    return result


def main() -> None:
    args = options(__doc__, 20, {"quick": "3 runs, for a loaded machine"})
    repeat = 3 if args.quick else args.repeat
    work = Path(tempfile.mkdtemp(prefix="referat-serve-bench-"))
    try:
        example = work / EXAMPLE.name
        shutil.copytree(EXAMPLE, example)
        full = generate(work / "2026-09-01-das-social-fuld")
        results = {}
        for name, folder in (("eksempel", example), ("fuld", full)):
            results[name] = {"serve": live(folder, repeat), "kommandoer": commands(folder, repeat, work / "out")}
            for part, figures in results[name].items():
                for what, f in figures.items():
                    print(f"{name:9} {part:10} {what:18} median {f['median_ms']:7.1f} ms "
                          f"[{f['min_ms']:.1f}–{f['max_ms']:.1f}] n={f['n']}")
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
