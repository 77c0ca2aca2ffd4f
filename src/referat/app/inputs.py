"""Everything a meeting's public editions are made from, as one sha256: an incremental `publish` keeps a meeting
whose inputs hash as at its last publication (issue 28).

A meeting's public editions are made from:
- every file of its folder (the data, the bilag, `udsendt/`);
- the folders of the earlier meetings whose minutes its bilag carry (`referat: ../mappe`), and what the archive
  holds for them;
- what the archive holds for the meeting itself (its signed minutes, their renewals and corrections) and for the
  minutes its bilag take from the archive (`arkiv: udvalg/dato`), and which archive that is;
- the committee profiles and templates in use (every file of each template folder the meeting's commands search);
- referat itself (its version and every file of the package), the libraries beside it (their installed versions)
  and Python's version, and the LibreOffice that converts Word bilag.

The references are read from the items' YAML as text data (ruamel's safe loader), without the model: a file that
cannot be read that way gives no hash, and the meeting is built. Reading more than is needed only costs a rebuild;
what is read here must never be less than what the documents depend on, so whole folders are hashed, not the files
the last build happened to open.
"""

from __future__ import annotations

import hashlib
import os
import sys
import sysconfig
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import __version__
from ..files.checkcache import file_digest

MEETING_FILE = "møde.yaml"


def _files(folder: Path) -> list[tuple[str, str]]:
    """(path relative to `folder`, sha256) of every file below it, in order; folders reached by a link are not
    followed (the commands refuse what leads out of a meeting folder)."""
    out: list[tuple[str, str]] = []
    if not folder.is_dir():
        return out
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        here = Path(root)
        for name in sorted(names):
            path = here / name
            try:
                digest = file_digest(path)
            except OSError:
                digest = "ulæselig"
            out.append((path.relative_to(folder).as_posix(), digest))
    return out


@lru_cache(maxsize=1)
def code() -> str:
    """referat's version and package files, the installed distributions beside it, Python's version."""
    package = Path(__file__).resolve().parent.parent
    parts: list[Any] = [__version__, sys.version]
    parts += [(rel, digest) for rel, digest in _files(package) if "__pycache__" not in rel]
    for key in ("purelib", "platlib"):
        folder = Path(sysconfig.get_paths()[key])
        try:
            parts += sorted(name for name in os.listdir(folder) if name.endswith((".dist-info", ".egg-info")))
        except OSError:
            pass
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _loader() -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=False)


def _yaml(path: Path) -> Any:
    return _loader().load(path.read_bytes())


def _references(folder: Path) -> tuple[str | None, str | None, list[str], list[str]]:
    """The meeting's committee and date as written in møde.yaml, and the `referat:` and `arkiv:` values of every
    bilag of its items."""
    meeting = _yaml(folder / MEETING_FILE)
    if not isinstance(meeting, dict):
        raise TypeError("møde.yaml")
    minutes: list[str] = []
    archived: list[str] = []
    items = sorted((folder / "punkter").glob("*.y*ml")) if (folder / "punkter").is_dir() else []
    for path in items:
        item = _yaml(path)
        bilag = item.get("bilag") if isinstance(item, dict) else None
        for entry in bilag if isinstance(bilag, list) else []:
            if isinstance(entry, dict):
                if entry.get("referat") is not None:
                    minutes.append(str(entry["referat"]))
                if entry.get("arkiv") is not None:
                    archived.append(str(entry["arkiv"]))
    committee, date = meeting.get("udvalg"), meeting.get("dato")
    return (str(committee) if committee is not None else None, str(date) if date is not None else None, minutes,
            archived)


def meeting_inputs(folder: Path, archive: Path | None = None) -> tuple[str, str] | None:
    """The sha256 of everything the meeting's public editions are made from (see the module), and "udvalg/dato" as
    møde.yaml writes them (where the meeting stands in a site); None when that cannot be told without building."""
    from ..archive.store import find_root
    from ..files.libreoffice import converter_version, find_soffice
    from ..load.templates import template_dirs

    try:
        committee, date, minutes, archived = _references(folder)
        parts: list[Any] = [code(), _files(folder)]
        root = archive if archive is not None else find_root(folder)
        parts.append(str(root.resolve()) if root is not None else None)
        days = {f"{committee}/{date}"} | set(archived)
        for reference in sorted(set(minutes)):
            other = (folder / reference).resolve()
            other_committee, other_date, _, _ = _references(other)
            parts.append((reference, _files(other)))
            days.add(f"{other_committee}/{other_date}")
            other_root = archive if archive is not None else find_root(other)
            if other_root is not None and other_root != root:
                parts.append((str(other_root.resolve()), _files(other_root / str(other_committee) / str(other_date))))
        if root is not None:
            for day in sorted(days):
                parts.append((day, _files(root / day)))
        for templates in template_dirs(folder):
            parts.append((str(templates), _files(templates)))
        soffice = find_soffice()
        parts.append(converter_version(soffice) if soffice else None)
    except Exception:  # noqa: BLE001 - a file that cannot be read as plain YAML, a reference that leads nowhere
        return None
    if not committee or not date:
        return None
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest(), f"{committee}/{date}"
