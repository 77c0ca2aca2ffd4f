"""Progress on a terminal (issue 17, item 8): Danish labels on stderr when it is a terminal, nothing otherwise.

The terminal is a real pseudo-terminal (`os.openpty`) given to the child as its stderr; the other runs use pipes,
as every other test and every script does.
"""

from __future__ import annotations

import fcntl
import os
import re
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

import pytest

from conftest import EXAMPLE
from referat.progress import Progress, danish, progress

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals on this system (Windows)")

ROOT = Path(__file__).resolve().parents[1]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REFERAT_PROGRESS", "TERM")}
    env.update(TERM="xterm", COLUMNS="120", **extra)
    return env


def run_on_terminal(*args: str, **env: str) -> tuple[int, str, str]:
    """Run referat with stderr on a pseudo-terminal: (exit code, stdout, what the terminal received)."""
    return run_on_terminal_argv([sys.executable, "-m", "referat", *args], **env)


def run_on_terminal_argv(argv: list[str], **env: str) -> tuple[int, str, str]:
    """Run `argv` with stderr on a pseudo-terminal: (exit code, stdout, what the terminal received)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))  # 40 rows, 160 columns
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=slave,
                             stdin=subprocess.DEVNULL, env=_env(**env), cwd=ROOT)
    os.close(slave)
    received = bytearray()

    def read() -> None:
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the child closed its end
                return
            if not chunk:
                return
            received.extend(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    out, _ = child.communicate(timeout=600)
    reader.join(timeout=60)
    os.close(master)
    return child.returncode, out.decode("utf-8"), received.decode("utf-8", errors="replace")


def run_on_pipes(*args: str, **env: str) -> tuple[int, str, str]:
    done = subprocess.run([sys.executable, "-m", "referat", *args], capture_output=True, env=_env(**env), cwd=ROOT,
                          timeout=600, check=False)
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def test_labels_are_danish_with_danish_numbers() -> None:
    shown = Progress("Takster: {n}/{total} rækker", 30_000)
    shown.at(4_000)
    assert shown.label() == "Takster: 4.000/30.000 rækker"
    shown = Progress("Bilag {n}/{total}: {detail}", 25)
    shown.at(12, "03-notat.docx konverteres")
    assert shown.label("03-notat.docx konverteres") == "Bilag 12/25: 03-notat.docx konverteres"
    assert Progress("Arkiv: udgave {n}/{total} kontrolleres", 120).label() == "Arkiv: udgave 0/120 kontrolleres"
    assert danish(1_234_567) == "1.234.567"


def test_nothing_and_no_tqdm_when_stderr_is_not_a_terminal() -> None:
    code = ("import sys; from referat.progress import progress\n"
            "with progress('Bilag {n}/{total}: {detail}', 3) as p:\n"
            "    p.step('a.pdf læses')\n"
            "print('tqdm' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, env=_env(), timeout=120, check=False)
    assert done.stdout.decode().strip() == "False"
    assert done.stderr == b""


def test_packet_on_a_terminal_shows_each_bilag_and_the_documents(tmp_path: Path) -> None:
    code, out, terminal = run_on_terminal("packet", str(EXAMPLE), "--dokument", "referat", "--out", str(tmp_path))
    assert code == 0, terminal
    assert "Dokumenter 1/1: referat (pdf)" in terminal
    assert "Bilag 1/17: 02-das-social-referat-2025-11-17.pdf læses" in terminal
    assert "Pakke: bilag 17/17: 14.1 sættes ind" in terminal
    assert re.search("\r(?!\n)", terminal)  # one line, redrawn in place (the terminal ends lines with \r\n)
    assert f"skrev {tmp_path / 'referat-med-bilag.pdf'}" in out  # stdout as always
    # the warnings still reach the terminal, and the progress line is cleared before the command ends
    assert "advarsel" in terminal
    assert "Pakke: bilag" not in terminal.rstrip().splitlines()[-1]


def test_packet_on_pipes_prints_exactly_what_it_did_before(tmp_path: Path) -> None:
    code, out, err = run_on_pipes("packet", str(EXAMPLE), "--dokument", "referat", "--out", str(tmp_path))
    assert code == 0, err
    assert "\r" not in err and "Bilag 1/" not in err and "Pakke:" not in err and "Dokumenter" not in err
    assert all(line.startswith((str(EXAMPLE), "0 fejl", "1 fejl")) or "advarsel" in line
               for line in err.splitlines()), err
    assert out.splitlines() == [f"skrev {tmp_path / name}" for name in ("referat.pdf", "referat-med-bilag.pdf")]


def test_referat_progress_0_turns_it_off_on_a_terminal(tmp_path: Path) -> None:
    code, _, terminal = run_on_terminal("build", str(EXAMPLE), "--format", "txt", "--out", str(tmp_path),
                                        REFERAT_PROGRESS="0")
    assert code == 0, terminal
    assert "Dokumenter" not in terminal and not re.search("\r(?!\n)", terminal)


def test_tariff_render_on_a_terminal(tmp_path: Path) -> None:
    sample = ROOT / "tests" / "fixtures" / "takster" / "alle-strukturer.yaml"
    code, _, terminal = run_on_terminal("tariffs", "render", str(sample), "--format", "csv", "--out", str(tmp_path))
    assert code == 0, terminal
    assert f"Takster 1/2: {sample.name} kontrolleres" in terminal
    assert "Takster 2/2: csv sættes (" in terminal


def test_a_progress_line_in_process_is_silent_under_pytest(capsys: pytest.CaptureFixture[str]) -> None:
    with progress("Publicering: møde {n}/{total}: {detail}", 2) as shown:
        shown.step("a")
        shown.step("b")
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_tariff_import_on_a_terminal_counts_rows(tmp_path: Path) -> None:
    template = tmp_path / "skema.xlsx"
    assert run_on_pipes("tariffs", "template", "--out", str(template))[0] == 0
    code, _, terminal = run_on_terminal("tariffs", "import", str(template), "--out", str(tmp_path / "ud.yaml"))
    assert code == 1  # the blank template holds no rows: said as always, after the progress line is gone
    assert re.search(r"Takster: \d+/\d+ rækker: skema\.xlsx!", terminal), terminal
    assert "ingen takstrækker" in terminal


def test_publish_on_a_terminal_names_each_meeting(tmp_path: Path) -> None:
    demo = ROOT / "agendas" / "demo-2026-06-15-das-social"
    code, _, terminal = run_on_terminal("publish", "--site", str(tmp_path / "site"), str(demo))
    assert code == 0, terminal
    assert f"Publicering: møde 1/1: {demo.name}" in terminal
