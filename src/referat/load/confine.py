"""The one rule for the files of a meeting folder: nothing is read through a symbolic link that leads out of it.

A meeting folder arrives by mail as a zip, or from a shared drive: a symbolic link in it may point anywhere
(`punkter/02.yaml → /etc/passwd`, `bilag/ → ~/Dokumenter`, `udsendt/1-…/data → ../../andet-møde`). Every command
that reads `møde.yaml`, `punkter/`, `bilag/` or `udsendt/` asks this module first — `validate` (load/meeting.py,
validate/bilag.py), `send`, `diff` and the sent versions they read (lifecycle/versions.py), and through
validation `build`, `packet` and `publish` — so that all of them refuse the same files with the same message. A
link that stays inside the folder is followed (it is the meeting's own file).
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Location
from ..errors import InputError

__all__ = ["files_in", "inside", "outside_message", "refuse_outside"]


def inside(path: Path, folder: Path) -> bool:
    """`path`, with every symbolic link on the way followed, lies in `folder` (or is it)."""
    try:
        real, root = path.resolve(), folder.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return False
    return real == root or root in real.parents


def outside_message(shown: str) -> str:
    """The message for a file or folder (`shown`, as the user knows it: "punkter/02.yaml") that leads out."""
    return (f"{shown} peger (via et symbolsk link) ud af mødemappen, og referat læser den ikke; læg selve filen "
            "i mødemappen")


def refuse_outside(path: Path, folder: Path) -> None:
    """An InputError naming `path` when it leads out of the meeting `folder`."""
    if not inside(path, folder):
        raise InputError(outside_message(_shown(path, folder)), Location(path))


def files_in(directory: Path, folder: Path) -> list[Path]:
    """The files in `directory` of the meeting `folder` (hidden ones aside), sorted; an InputError naming the first
    entry, or the directory, that leads out of the folder."""
    if not directory.is_dir():
        return []
    refuse_outside(directory, folder)
    found = []
    for entry in sorted(directory.iterdir()):
        if entry.name.startswith("."):
            continue
        refuse_outside(entry, folder)
        if entry.is_file():
            found.append(entry)
    return found


def _shown(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return path.name
