"""Search at scale (issue 17, item 5): a query neither lists every version folder nor fetches every match.

`archive add` replaces the archive's generation token (arkiv/.udgaver) just before its rename, and records in the
index the token it has caught up with; a reading command lists the version folders (to index one an interrupted
add left behind) only when the two differ. The checks of issue 11 on what a search shows are unchanged."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLE, build_minutes, sign_as_chair
from pki import Pki
from referat.archive import index, store
from referat.archive import manifest as mf
from referat.cli import main

Run = Callable[..., tuple[int, str, str]]
MEETINGS = 2_000


def fill(root: Path, meetings: int) -> None:
    """`meetings` meetings of three items each, indexed as `archive add` indexes them (manifests generated, as in
    benchmarks/archive_search.py: catch_up would rightly refuse them, having no signed PDF behind them)."""
    made = []
    day = dt.date(2026, 2, 23)
    for n in range(meetings):
        date = (day - dt.timedelta(days=7 * n)).isoformat()
        items = [{"nummer": "1", "titel": "Godkendelse af dagsorden", "beslutning": "Godkendt", "lukket": False},
                 {"nummer": "2", "titel": f"Planer for Ungehjemmet Bifrost, møde {n}",
                  "beslutning": f"Styregruppen tog orienteringen om Bifrost til efterretning ({n}).", "lukket": False},
                 {"nummer": "3", "titel": "Takster", "beslutning": "Taksterne blev godkendt.", "lukket": False}]
        manifest = {"format": mf.FORMAT, "udvalg": "das-social", "udvalg_navn": "DAS Social", "dato": date,
                    "sagsnummer": f"2026-{n:06d}", "udgave": 1, "fil": "referat-signeret.pdf", "sha256": "0" * 64,
                    "bytes": 0, "arkiveret": "2026-03-01T12:00:00+00:00", "status": mf.VERIFIED,
                    "underskrifter": [], "punkter": items}
        version = store.Version(root, "das-social", date, 1)
        version.folder.mkdir(parents=True)
        (version.folder / store.MANIFEST).write_bytes(mf.dumps(manifest))
        made.append((version, manifest))
    (root / store.GENERATION).write_text("efter-sidste-arkivering", encoding="ascii")
    with index.opened(root) as conn:
        conn.execute("PRAGMA synchronous = OFF")  # a test fixture: 2,000 commits without 2,000 fsyncs
        for version, manifest in made:
            index.add(conn, version, manifest, mf.dumps(manifest))
        index.mark_caught_up(conn, store.generation(root), index.CaughtUp())


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stort") / "arkiv"
    fill(root, MEETINGS)
    return root


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Every folder listed (os.scandir, os.listdir: what Path.iterdir and os.walk use) while the test runs."""
    seen: list[Path] = []
    real_scandir, real_listdir = os.scandir, os.listdir

    def scandir(path: object = ".") -> object:
        seen.append(Path(os.fsdecode(path)))  # type: ignore[arg-type]
        return real_scandir(path)  # type: ignore[arg-type]

    def listdir(path: object = ".") -> list[str]:
        seen.append(Path(os.fsdecode(path)))  # type: ignore[arg-type]
        return real_listdir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "listdir", listdir)
    yield seen


def date_folders(seen: list[Path], root: Path) -> list[Path]:
    return [p for p in seen if p.resolve().parent.parent == root.resolve()]


def test_search_over_2000_meetings_lists_no_version_folder(run: Run, big: Path, listed: list[Path]) -> None:
    code, out, err = run("search", "Bifrost", "--arkiv", big)
    assert code == 0, err
    assert out.count("punkt 2: Planer for Ungehjemmet Bifrost") == 20
    assert out.rstrip().endswith(f"{MEETINGS} træf (viser 20; brug --antal for flere)")
    assert date_folders(listed, big) == []
    assert len(listed) < 10, listed


def test_after_an_add_the_next_search_looks_at_the_folders_again(run: Run, big: Path, listed: list[Path],
                                                                 tmp_path: Path) -> None:
    """The other side: when the generation differs from the index's (an add happened, maybe interrupted after
    its rename), the version folders are listed (and here, with nothing missing, nothing is written)."""
    token = big / store.GENERATION
    before = token.read_bytes()
    try:
        token.write_text("en-anden-arkivering", encoding="ascii")
        code, out, err = run("search", "Bifrost", "--arkiv", big)
    finally:
        token.write_bytes(before)
    assert code == 0, err
    assert out.rstrip().endswith(f"{MEETINGS} træf (viser 20; brug --antal for flere)")
    assert len(date_folders(listed, big)) == MEETINGS


def test_only_the_rows_shown_are_fetched_and_the_total_is_counted(big: Path) -> None:
    with index.opened(big) as conn:
        every, total_every = index.search(conn, "Bifrost", 10**6)
        calls: list[str] = []
        conn.set_trace_callback(calls.append)
        five, total = index.search(conn, "Bifrost", 5)
        conn.set_trace_callback(None)
        few, few_total = index.search(conn, "takster godkendt møde 7", 20)
    assert len(every) == total_every == total == MEETINGS
    assert five == every[:5]  # the same best five, in the same order
    assert any("LIMIT" in c for c in calls) and any("count(*)" in c for c in calls)
    assert len(few) == few_total < 20  # fewer than asked: no second query needed, the total is what was found


# --- with real signed minutes: what another process adds is found, a changed row is still caught ---------------


@pytest.fixture(scope="module")
def signed_twice(tmp_path_factory: pytest.TempPathFactory, pki: Pki, cert_password: None) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("soeg-underskrevet")
    minutes = build_minutes(EXAMPLE, folder / "ud")
    return sign_as_chair(minutes, pki, folder / "en.pdf"), sign_as_chair(minutes, pki, folder / "to.pdf")


def _add_in_another_process(archive: Path, pdf: Path, pki: Pki, crash: str | None = None) -> int:
    env = {k: v for k, v in os.environ.items() if k != store.CRASH_HOOK}
    if crash:
        env[store.CRASH_HOOK] = crash
    return subprocess.run([sys.executable, "-m", "referat", "archive", "add", str(EXAMPLE), str(pdf), "--arkiv",
                           str(archive), "--rodcertifikat", str(pki.root_pem)], env=env, capture_output=True,
                          text=True, timeout=300, check=False).returncode


def test_a_version_another_process_left_unindexed_is_found_and_a_changed_row_still_caught(
        run: Run, signed_twice: tuple[Path, Path], pki: Pki, tmp_path: Path) -> None:
    first, second = signed_twice
    archive = tmp_path / "arkiv"
    assert main(["archive", "add", str(EXAMPLE), str(first), "--arkiv", str(archive),
                 "--rodcertifikat", str(pki.root_pem)]) == 0
    with sqlite3.connect(archive / index.INDEX) as conn:
        assert index.caught_up_with(conn) == store.generation(archive) is not None
    # another process stores version 2 and dies before indexing it (a power cut after the rename)
    assert _add_in_another_process(archive, second, pki, crash="rename") == 1
    assert (archive / "das-social" / "2026-02-23" / "udgave-2" / "manifest.json").is_file()
    code, out, err = run("search", "Bifrost", "--arkiv", archive)
    assert code == 0, err
    assert "udgave-2: advarsel: manglede i søgeindekset (afbrudt arkivering); nu indekseret" in err
    assert out.endswith("1 træf\n") and "Bifrost" in out  # one meeting: its newest version
    with sqlite3.connect(archive / index.INDEX) as conn:
        assert [r[0] for r in conn.execute("SELECT udgave FROM udgaver ORDER BY udgave")] == [1, 2]
        assert index.caught_up_with(conn) == store.generation(archive)
        conn.execute("UPDATE punkter SET beslutning = 'Ikke godkendt' WHERE nummer = '1'")
    # the index is caught up again (no folder is listed), and a row changed behind its back is still refused
    code, out, err = run("search", "godkendt", "--arkiv", archive)
    assert code == 1 and "Ikke godkendt" not in out
    assert "punkt 1: kolonnen 'beslutning' er »Ikke godkendt« i indekset, men »Godkendt« i manifestet" in err


def test_search_checks_the_index_rows_of_the_versions_it_shows_only(run: Run, big: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The consistency check before a search's hits are shown reads the rows of those versions, not the whole
    index (at 10,000 meetings it read every row: 3.5 of 3.9 s)."""
    real = index.stored_rows
    read: list[int] = []

    def counted(conn: sqlite3.Connection, only: set[str] | None = None) -> dict[str, object]:
        rows = real(conn, only)
        read.append(len(rows))
        return rows  # type: ignore[return-value]

    monkeypatch.setattr(index, "stored_rows", counted)
    code, out, err = run("search", "Bifrost", "--arkiv", big)
    assert code == 0, err
    assert out.rstrip().endswith(f"{MEETINGS} træf (viser 20; brug --antal for flere)")
    assert read == [20]
    with index.opened(big) as conn:
        everything = real(conn)
        some = sorted(everything)[5:8]
        assert real(conn, set(some)) == {path: everything[path] for path in some}
