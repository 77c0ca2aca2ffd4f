"""A secretariat's history for the year-scale series (issue 28): `publish --site` and `archive verify` over n meetings.

Usage (alone): python benchmarks/history.py [--sizes 4,16] [--rounds 3] [--base SRC] [--json FILE]

- `meetings(work, n)`: n copies of the example meeting (agendas/2026-02-23-das-social: 17 items, 17 PDF bilag, in
  `fase: referat`), each under its own date, six weeks apart from 23.02.2026, with the next meeting six weeks after;
- `archive(work, folders)`: the archive of those meetings' signed minutes, each built, signed (PAdES B-B, a
  throwaway PKI from tests/pki.py) and stored with `referat archive add`, as a secretariat does after each meeting.

The series, each size's steps interleaved round by round (every step a whole command in a fresh process):
- `publish --site`, first run: an empty site folder and empty caches (`REFERAT_CACHE` a new folder each round:
  the check cache, the Word conversions and the publication cache are all cold), with the default number of
  processes (the cores), with `--jobs 1`, and with an earlier referat's code (`--base SRC`, its `src/` folder; the
  code before issue 28 has neither option nor cache);
- rerun with nothing changed: the same site and caches (warm), the same folders;
- one meeting changed: a sentence added to one item's decision of one meeting (a new sentence each round), then
  publish again (that meeting built, the rest kept);
- `archive verify` of the archive of n meetings: default processes, `--jobs 1`, and the earlier code (`--base`).

Only the command's own process and the children it waits for count in the CPU column (GNU time): the processes of
the pool are started by a fork server, so their CPU time is not in it; the wall time is the figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from generate import EXAMPLE, ROOT, as_a_user
from measure import Sample, run_once, summary

REFERAT = [sys.executable, "-m", "referat"]
START = dt.date(2026, 2, 23)
STEP = dt.timedelta(weeks=6)
LONG_S = 30.0  # a first run longer than this runs once per size (said in the table's runs)


def meetings(work: Path, n: int) -> list[Path]:
    """n dated copies of the example meeting in work/moeder-n/ (made once), each made its own: every bilag PDF gets
    a content stream of its own and every decision a sentence of its own, so that no cache of the run (checked
    bilag, cleaned bilag read back by the leak check, parsed text) serves one meeting with another's work — as in a
    real year, where the meetings' bilag and texts differ."""
    base = work / f"moeder-{n}"
    out = []
    for k in range(n):
        date = START + k * STEP
        folder = base / f"{date.isoformat()}-das-social"
        out.append(folder)
        if folder.exists():
            continue
        shutil.copytree(EXAMPLE, folder)
        meeting = folder / "møde.yaml"
        text = meeting.read_text("utf-8")
        text = re.sub(r"(?m)^dato: 2026-02-23$", f"dato: {date.isoformat()}", text)
        text = re.sub(r"(?m)^  dato: 2026-05-22$", f"  dato: {(date + STEP).isoformat()}", text)
        meeting.write_text(text, "utf-8")
        _own(folder, k + 1)
    return out


def _own(folder: Path, k: int) -> None:
    import pikepdf

    from referat.load.yamledit import load, set_value

    for pdf_path in sorted((folder / "bilag").glob("*.pdf")):
        with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
            for page in pdf.pages:
                page.contents_add(pdf.make_stream(f"% møde {k}\n".encode()), prepend=False)
            pdf.save(pdf_path)
    for item in sorted((folder / "punkter").glob("*.yaml")):
        text = item.read_text("utf-8")
        decision = load(text, item).get("beslutning")
        if isinstance(decision, str):
            item.write_text(set_value(text, item, ("beslutning",), f"{decision.rstrip()} (Møde nr. {k}.)"), "utf-8")


def change(folder: Path, round_: int) -> None:
    """The decision of the meeting's last item says something new: a real change of its public minutes."""
    from referat.load.yamledit import set_value

    item = max((folder / "punkter").glob("*.yaml"))
    item.write_text(set_value(item.read_text("utf-8"), item, ("beslutning",),
                              f"Ingen bemærkninger. (Ændret i runde {round_ + 1}.)"), "utf-8")


def archive(work: Path, folders: list[Path]) -> Path:
    """The archive of the meetings' signed minutes (made once per size)."""
    root = work / f"arkiv-{len(folders)}"
    if root.exists():
        return root
    sys.path.insert(0, str(ROOT / "tests"))
    from pki import PASSWORD, make_pki

    pki = make_pki(work / f"pki-{len(folders)}")
    env = {**os.environ, "REFERAT_CERT_PASSWORD": PASSWORD}
    for folder in folders:
        out = work / "signering" / folder.name
        subprocess.run([*REFERAT, "build", str(folder), "--dokument", "referat", "--format", "pdf", "--out",
                        str(out), "--arkiv", str(root)], check=True, capture_output=True, env=env)
        signed = out / "referat-signeret.pdf"
        subprocess.run([*REFERAT, "sign", str(out / "referat.pdf"), "--cert", str(pki.sekretariat), "--out",
                        str(signed)], check=True, capture_output=True, env=env)
        subprocess.run([*REFERAT, "archive", "add", str(folder), str(signed), "--arkiv", str(root),
                        "--rodcertifikat", str(pki.root_pem)], check=True, capture_output=True, env=env)
    return root


def _env(base: Path | None, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["REFERAT_CACHE"] = str(cache)
    if base is not None:
        env["PYTHONPATH"] = str(base)
    return env


def series(work: Path, sizes: tuple[int, ...], rounds: int, say: Callable[[str], None] = print,
           base: Path | None = None) -> dict[str, object]:
    """Every step of both series at every size; per step the summary of its runs (see the module)."""
    results: dict[str, object] = {}
    for n in sizes:
        results.update(_size(work, n, rounds, say, base))
    return results


def _size(work: Path, n: int, rounds: int, say: Callable[[str], None], base: Path | None) -> dict[str, object]:
    folders = meetings(work, n)
    say(f"  forbereder arkivet med {n} møder (bygget, underskrevet, arkiveret) …")
    root = archive(work, folders)
    names = [str(f) for f in folders]
    cold = work / f"kold-{n}"

    def first(extra: list[str], env_base: Path | None, tag: str) -> Callable[[int], Sample]:
        def step(round_: int) -> Sample:
            site, cache = work / f"sted-{tag}-{n}-{round_}", cold / f"{tag}-{round_}"
            shutil.rmtree(site, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
            return run_once([*REFERAT, "publish", "--site", str(site), *extra, *names], env=_env(env_base, cache),
                            timeout=3600)
        return step

    warm_site, warm_cache = work / f"sted-varm-{n}", work / f"cache-varm-{n}"
    publish = [*REFERAT, "publish", "--site", str(warm_site), *names]
    subprocess.run(publish, check=True, capture_output=True, env=_env(None, warm_cache))

    def unchanged(round_: int) -> Sample:
        return run_once(publish, env=_env(None, warm_cache), timeout=3600)

    def changed(round_: int) -> Sample:
        change(folders[len(folders) // 2], round_)
        return run_once(publish, env=_env(None, warm_cache), timeout=3600)

    verify = [*REFERAT, "archive", "verify", "--arkiv", str(root)]

    def verifying(extra: list[str], env_base: Path | None) -> Callable[[int], Sample]:
        return lambda round_: run_once([*verify, *extra], env=_env(env_base, cold / "v"), timeout=3600)

    steps: dict[str, Callable[[int], Sample]] = {f"publish --site, {n} møder, første gang": first([], None, "ny"),
                                                 f"publish --site --jobs 1, {n} møder, første gang":
                                                     first(["--jobs", "1"], None, "en")}
    if base is not None:
        steps[f"publish --site (før issue 28), {n} møder, første gang"] = first([], base, "før")
    steps[f"publish --site, {n} møder, uændret"] = unchanged
    steps[f"publish --site, {n} møder, ét ændret"] = changed
    steps[f"archive verify, {n} møder"] = verifying([], None)
    steps[f"archive verify --jobs 1, {n} møder"] = verifying(["--jobs", "1"], None)
    if base is not None:
        steps[f"archive verify (før issue 28), {n} møder"] = verifying([], base)
    samples: dict[str, list[Sample]] = {name: [] for name in steps}
    once: set[str] = set()
    for round_ in range(rounds):
        for name, step in steps.items():
            if name in once:
                continue
            sample = step(round_)
            samples[name].append(sample)
            say(f"    runde {round_ + 1}/{rounds}  {name:58s} {sample.seconds:8.2f} s")
            if round_ == 0 and sample.seconds > LONG_S:
                once.add(name)
    results: dict[str, object] = {name: {"n": n, **summary(taken)} for name, taken in samples.items()}
    pairs = [("publish", f"publish --site, {n} møder, første gang", f"publish --site --jobs 1, {n} møder, første gang",
              "--jobs 1"),
             ("publish", f"publish --site, {n} møder, første gang",
              f"publish --site (før issue 28), {n} møder, første gang", "the code before issue 28"),
             ("verify", f"archive verify, {n} møder", f"archive verify --jobs 1, {n} møder", "--jobs 1"),
             ("verify", f"archive verify, {n} møder", f"archive verify (før issue 28), {n} møder",
              "the code before issue 28")]
    for tag, ours, theirs, what in pairs:
        if ours in results and theirs in results:
            mine, other = results[ours], results[theirs]
            assert isinstance(mine, dict) and isinstance(other, dict)
            results[f"{tag} {n}: against {what}"] = {
                "what": f"{ours}: against {what}", "n": n, "ratio": round(other["median_s"] / mine["median_s"], 2)}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="4,16")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--base", metavar="SRC", help="an earlier referat's src/ folder, for the comparison")
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args()
    as_a_user()
    work = Path(tempfile.mkdtemp(prefix="referat-site-"))
    try:
        results = series(work, tuple(int(s) for s in args.sizes.split(",")), args.rounds,
                         base=Path(args.base).resolve() if args.base else None)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(results, ensure_ascii=False, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
