"""Each bilag's check result, kept on disk by its content: an unchanged bilag is not parsed again by any command.

Checking a bilag means parsing it — a PDF's page tree (with a PDF library, whose import alone costs a tenth of a second),
a Word file's XML, a workbook's sheets — while a secretariat's bilag rarely change between two runs of
`validate`, `build` or `packet`. The result of each check (a few words: the problem found or none, the notes) is
kept as a small JSON file named by the sha256 of the file's bytes, under a folder named by what the result
depends on besides the bytes: referat's version, `CHECKS` (bumped when a check changes what it says) and the
limits the check applies (`salt`). A file whose bytes change gets a new key; an entry that cannot be read or
does not hold what it should is checked again and replaced; a cache that cannot be written is simply not used.

The folder is `$REFERAT_CACHE/kontrol/` when `REFERAT_CACHE` is set (the Word conversions' cache, see
`files.libreoffice`), else `kontrol/` in the user cache folder (`~/.cache/referat/kontrol/` on Linux). Entries
are written atomically (a temporary file and a rename), so parallel runs may share it. `recall` and `keep` serve
other results kept by what they were made from (an incremental `publish` keeps what the site's pages need of each
meeting, keyed by the hash of its inputs); they live in the same folder, one subfolder per kind.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import __version__

CHECKS = "2"  # bump when a check's result for the same bytes changes: earlier entries are then not used


def cache_base() -> Path:
    """The user cache folder of referat (without `REFERAT_CACHE`)."""
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "referat" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "referat"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "referat"


def checks_dir() -> Path | None:
    """Where check results are kept (see the module's docstring); None when there is no home folder to find."""
    try:
        if os.environ.get("REFERAT_CACHE"):
            return Path(os.environ["REFERAT_CACHE"]) / "kontrol"
        return cache_base() / "kontrol"
    except (RuntimeError, OSError, KeyError):
        return None


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    """The sha256 of a file's bytes, read in pieces (a large file is never held in memory for its key)."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _entry(kind: str, key: str, salt: str) -> Path | None:
    base = checks_dir()
    if base is None:
        return None
    folder = hashlib.sha256(f"{__version__}\0{CHECKS}\0{kind}\0{salt}".encode()).hexdigest()[:16]
    return base / f"{kind}-{folder}" / f"{key}.json"


def remembered(kind: str, key: str, salt: str, check: Callable[[], Any],
               valid: Callable[[Any], bool] = lambda _: True) -> Any:
    """The result of `check()` for the file whose sha256 is `key`: from the cache when this version of referat
    checked the same bytes of this kind before with the same `salt`; else checked now and kept. `check` returns
    JSON-ready data; `valid` says whether a kept entry has the shape `check` gives (else it is checked again)."""
    found = recall(kind, key, salt, valid)
    if found is not None:
        return found
    result = check()
    keep(kind, key, salt, result)
    return result


def recall(kind: str, key: str, salt: str, valid: Callable[[Any], bool] = lambda _: True) -> Any:
    """What was kept for `key` (see `remembered`), or None."""
    entry = _entry(kind, key, salt)
    if entry is None:
        return None
    try:
        kept = json.loads(entry.read_bytes())
    except (OSError, ValueError):
        return None
    if isinstance(kept, dict) and kept.get("sha256") == key and "result" in kept and valid(kept["result"]):
        return kept["result"]
    return None


def keep(kind: str, key: str, salt: str, result: Any) -> None:
    """Keep `result` (JSON-ready) for `key`; a cache that cannot be written is not used."""
    entry = _entry(kind, key, salt)
    if entry is not None:
        store(entry, json.dumps({"sha256": key, "result": result}, ensure_ascii=False).encode("utf-8"))


def store(entry: Path, data: bytes, suffix: str = ".json") -> None:
    """Write a cache entry atomically; a cache that cannot be written is not an error (only slower)."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=suffix, dir=entry.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, entry)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
    except OSError:
        pass
