"""Run the test suite against the newest versions of referat's dependencies and print what drifted from the lock.

Usage: python3 scripts/drift.py [--keep DIR] [PYTEST-ARGS…]

The README's commands install the versions pinned in requirements/*.txt, the ones the suite last passed with.
This script installs `referat[test]` into a fresh virtual environment *without* the lock (so pip takes the newest
release of everything pyproject.toml allows), lists each package whose version differs from requirements/test.txt,
and runs the suite there. Exit 0 when the suite passes on the newest versions, 1 when it fails (then the list
says which packages to suspect), 2 when the environment could not be made. It never changes the lock files; to
move them, run scripts/update_locks.sh and the suite, and commit both.

.ci/run runs it as a last, non-blocking step: its failure is reported, not fatal.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "test.txt"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(text: str) -> dict[str, str]:
    """`name==version` lines (of a lock file or of `pip freeze`), by normalised name."""
    return {_name(m[1]): m[2] for line in text.splitlines() if (m := _PIN.match(line))}


def drifted(locked: dict[str, str], newest: dict[str, str]) -> list[str]:
    """One line per package whose version differs, is new, or is gone."""
    lines = []
    for name in sorted(set(locked) | set(newest)):
        old, new = locked.get(name), newest.get(name)
        if old == new or name == "referat":
            continue
        if old is None:
            lines.append(f"  {name}: new dependency {new}")
        elif new is None:
            lines.append(f"  {name}: {old} in the lock, no longer installed")
        else:
            lines.append(f"  {name}: {old} -> {new}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", metavar="DIR", help="make the environment in DIR and keep it (default: temporary)")
    args, pytest_args = parser.parse_known_args(argv)
    with tempfile.TemporaryDirectory(prefix="referat-drift-") as tmp:
        env_dir = Path(args.keep) if args.keep else Path(tmp) / "venv"
        python = env_dir / ("Scripts" if sys.platform == "win32" else "bin") / "python"
        try:
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(env_dir)], check=True)
            subprocess.run([str(python), "-m", "pip", "install", "-q", "--upgrade", "--upgrade-strategy", "eager",
                            "-e", f"{ROOT}[test]"], check=True)
            frozen = subprocess.run([str(python), "-m", "pip", "freeze", "--exclude-editable"], check=True,
                                    capture_output=True, text=True).stdout
        except (OSError, subprocess.CalledProcessError) as exc:
            print(f"drift: the environment could not be made: {exc}", file=sys.stderr)
            return 2
        changes = drifted(pins(LOCK.read_text(encoding="utf-8")), pins(frozen))
        print(f"drift: {len(changes)} package(s) differ from {LOCK.relative_to(ROOT)}:" if changes
              else f"drift: the newest versions are the ones in {LOCK.relative_to(ROOT)}")
        for line in changes:
            print(line)
        done = subprocess.run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *pytest_args], check=False,
                              cwd=ROOT)
        verdict = "passes" if done.returncode == 0 else f"FAILS (pytest exit {done.returncode})"
        print(f"drift: the suite {verdict} on the newest versions" + (
            "; suspect the packages above" if done.returncode and changes else ""))
        return 0 if done.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
