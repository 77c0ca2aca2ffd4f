"""Two `referat send` (and two `archive add`) at once (issue 14): never two versions with the same number, never a
half-written version folder, a clear Danish refusal while another send holds the meeting, and the lock file gone
when a send ends, also by SIGTERM."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import absolute, absolute_run
from pki import PASSWORD, Pki
from referat.cli import main

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(run: Run) -> Run:
    """These tests name files as `f"{path}: fejl: …"`: paths in the output absolute, wherever the clone sits."""
    return absolute_run(run)

LOCK = ".udsender.laas"
BUSY = "en anden 'referat send' udsender allerede dette møde"
ITEMS = {
    "01-dagsorden.yaml": "titel: Godkendelse af dagsorden\ntype: standard\n",
    "02-botilbud.yaml": "titel: Nye botilbud i regionen\ntype: beslutning\nsagsfremstilling: |\n"
                        "  Der foreslås to nye botilbud til unge.\nindstilling: [Godkender de nye botilbud]\n",
}


def cli(*args: object) -> subprocess.Popen[str]:
    env = {**os.environ, "REFERAT_CERT_PASSWORD": PASSWORD}
    env.pop("REFERAT_TEST_CRASH_AFTER", None)
    return subprocess.Popen([sys.executable, "-m", "referat", *map(str, args)], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def together(*commands: tuple[object, ...]) -> list[tuple[int, str, str]]:
    """Start every command at once, then wait for all."""
    procs = [cli(*c) for c in commands]
    out = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=300)
        out.append((proc.returncode, absolute(stdout), absolute(stderr)))  # the paths compared, wherever the clone is
    return out


def sent(folder: Path) -> list[str]:
    """The sent version folders, each checked complete: every file its manifest lists, with that sha256."""
    names = sorted(p.name for p in (folder / "udsendt").iterdir())
    for name in names:
        assert not name.startswith("."), f"staging left behind: {name}"
        version = folder / "udsendt" / name
        manifest = json.loads((version / "manifest.json").read_text("utf-8"))
        assert manifest["udgave"] == int(name.split("-")[0])
        for listed, key in ((manifest["filer"], ""), (manifest["data"], "data")):
            for rel, digest in listed.items():
                assert hashlib.sha256((version / key / rel).read_bytes()).hexdigest() == digest, (name, rel)
        assert "dagsordenspakke.pdf" in manifest["filer"]
    return [n.split("-")[0] for n in names]


def check_pair(results: list[tuple[int, str, str]], folder: Path) -> None:
    """Of two sends at once, one sends; the other is refused clearly (exit 3), or — when it started only after the
    first had finished — finds nothing changed (exit 0)."""
    codes = sorted(r[0] for r in results)
    assert codes in ([0, 0], [0, 3]), results
    for code, out, err in results:
        if code == 3:
            # The holder's number is named when it has written it; it takes the lock first and writes it just
            # after, and a machine under load can keep it from writing for longer than the other waits for it.
            busy = re.escape(f"{folder / LOCK}: fejl: {BUSY}") + r"(?: \(proces \d+\))?; intet er udsendt"
            assert re.match(busy, err), err
            assert "Traceback" not in err
    assert any("udsendt som udgave" in out for _, out, _ in results)
    assert not (folder / LOCK).exists()


def test_two_sends_at_once_never_give_two_versions_with_the_same_number(make_meeting: Callable[..., Path]) -> None:
    folder = make_meeting(ITEMS)
    check_pair(together(("send", folder), ("send", folder)), folder)
    assert sent(folder) == ["1"]
    item = folder / "punkter" / "02-botilbud.yaml"
    item.write_text(item.read_text("utf-8").replace("to nye", "tre nye"), encoding="utf-8")
    check_pair(together(("send", folder), ("send", folder)), folder)
    assert sent(folder) == ["1", "2"]


def test_a_send_while_another_holds_the_meeting_is_refused_in_danish(make_meeting: Callable[..., Path],
                                                                     run: Run) -> None:
    folder = make_meeting(ITEMS)
    fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.write(fd, b"4242\n")
        code, out, err = run("send", folder)
    finally:
        os.close(fd)
    assert code == 3
    assert err.startswith(f"{folder / LOCK}: fejl: {BUSY} (proces 4242); intet er udsendt. Vent, til den er færdig, "
                          "og kør 'referat send' igen")
    assert out == "" and not (folder / "udsendt").exists()
    assert (folder / LOCK).exists()  # not ours to remove: the other send's
    (folder / LOCK).unlink()
    code, out, err = run("send", folder)
    assert code == 0 and "udsendt som udgave 1" in out, err
    assert not (folder / LOCK).exists()


@pytest.mark.parametrize("written", [None, 0.02])
def test_a_holder_that_has_not_written_its_number_yet(make_meeting: Callable[..., Path], run: Run,
                                                      written: float | None) -> None:
    """The holder writes its process number just after taking the lock: a send refused in between waits a moment
    for it, and says the rest of the message without it when it does not come."""
    import threading

    folder = make_meeting(ITEMS)
    fd = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    later = threading.Timer(written or 0, os.write, (fd, b"4343\n"))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if written is not None:
            later.start()
        code, out, err = run("send", folder)
    finally:
        later.cancel()
        if later.is_alive():
            later.join()
        os.close(fd)
    who = " (proces 4343)" if written is not None else ""
    assert code == 3 and err.startswith(f"{folder / LOCK}: fejl: {BUSY}{who}; intet er udsendt"), err
    assert out == "" and not (folder / "udsendt").exists()


def test_what_a_killed_send_left_is_taken_over(make_meeting: Callable[..., Path], run: Run) -> None:
    """SIGKILL leaves an unlocked lock file and maybe a staging folder: the next send takes both over."""
    folder = make_meeting(ITEMS)
    (folder / LOCK).write_text("99999\n")
    staging = folder / "udsendt" / ".udsender-abc123"
    staging.mkdir(parents=True)
    (staging / "dagsorden.pdf").write_bytes(b"%PDF-1.7 halv")
    (staging / "dagsorden.pdf").chmod(0o444)
    code, out, err = run("send", folder)
    assert code == 0 and "udsendt som udgave 1" in out, err
    assert not (folder / LOCK).exists() and not staging.exists()
    assert sent(folder) == ["1"]


def test_sigterm_during_a_send_removes_the_lock_and_leaves_no_half_version(make_meeting: Callable[..., Path]) -> None:
    folder = make_meeting(ITEMS)
    proc = cli("send", folder)
    deadline = time.monotonic() + 120
    while not (folder / LOCK).exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert (folder / LOCK).exists(), "the send took the lock"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 143, err
    assert not (folder / LOCK).exists()
    assert not (folder / "udsendt").exists() or sent(folder) in ([], ["1"])
    assert "Traceback" not in err


@pytest.fixture(scope="module")
def two_signed(tmp_path_factory: pytest.TempPathFactory, pki: Pki, cert_password: None) -> tuple[Path, Path, Path]:
    """A small meeting in fase referat, and its minutes signed twice (two different files)."""
    base = tmp_path_factory.mktemp("to-add")
    folder = base / "møde"
    (folder / "punkter").mkdir(parents=True)
    (folder / "bilag").mkdir()
    (folder / "møde.yaml").write_text(
        "udvalg: das-social\nfase: referat\ndato: 2026-02-23\nstart: '12.00'\nslut: '16.00'\nsted: Aalborg\n"
        "medlemmer:\n  - {navn: Anne Andersen, titel: Socialdirektør, organisation: Aalborg Kommune}\n"
        "fremmøde:\n  til_stede: [Anne Andersen]\npunkter: [01-dagsorden.yaml]\n", encoding="utf-8")
    (folder / "punkter" / "01-dagsorden.yaml").write_text(
        "titel: Godkendelse af dagsorden\ntype: standard\nbeslutning: Godkendt\n", encoding="utf-8")
    assert main(["build", str(folder), "--dokument", "referat", "--format", "pdf", "--out", str(base / "ud")]) == 0
    signed = []
    for cert, name in ((pki.formand, "a.pdf"), (pki.sekretariat, "b.pdf")):
        assert main(["sign", str(base / "ud" / "referat.pdf"), "--cert", str(cert), "--out", str(base / name)]) == 0
        signed.append(base / name)
    return folder, signed[0], signed[1]


def test_two_archive_adds_at_once_get_versions_1_and_2(two_signed: tuple[Path, Path, Path], pki: Pki,
                                                       tmp_path: Path) -> None:
    folder, first, second = two_signed
    archive = tmp_path / "arkiv"
    results = together(*(("archive", "add", folder, pdf, "--arkiv", archive, "--rodcertifikat", pki.root_pem)
                         for pdf in (first, second)))
    assert [r[0] for r in results] == [0, 0], results
    day = archive / "das-social" / "2026-02-23"
    assert sorted(p.name for p in day.iterdir()) == ["udgave-1", "udgave-2"]
    stored = {hashlib.sha256(p.read_bytes()).hexdigest() for p in day.glob("udgave-*/referat-signeret*.pdf")}
    assert stored == {hashlib.sha256(p.read_bytes()).hexdigest() for p in (first, second)}
    assert not any((archive / ".indgang").iterdir())
    [(code, out, err)] = together(("archive", "verify", "--arkiv", archive))
    assert code == 0 and "2 udgaver kontrolleret" in out, err
    # the same file twice at once: one is stored, the other refused ("allerede arkiveret")
    archive = tmp_path / "arkiv-2"
    results = together(*(("archive", "add", folder, first, "--arkiv", archive, "--rodcertifikat", pki.root_pem)
                         for _ in range(2)))
    assert sorted(r[0] for r in results) == [0, 1], results
    assert any("filen er allerede arkiveret som udgave 1" in err for _, _, err in results)
    assert sorted(p.name for p in (archive / "das-social" / "2026-02-23").iterdir()) == ["udgave-1"]
