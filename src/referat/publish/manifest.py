"""What referat wrote in a site folder (`.referat-site.json`), so that a later `publish` removes what the current
editions no longer link — and nothing else.

```json
{
  "format": 1,
  "filer": {"index.html": "<sha256>", "das-social/2026-02-23/bilag-2-1.pdf": "<sha256>", …},
  "møder": {"das-social/2026-02-23": {"filer": ["das-social/2026-02-23/index.html", …]}},
  "tidligere": {"das-social/2026-02-23/bilag-3-1.pdf": "<sha256>"}
}
```

`filer`: every file referat wrote, by its path in the site (always `/`), with the sha256 of the bytes it wrote.
`møder`: the files of each meeting, by the meeting's path in the site; a later incremental publish (one that
rebuilds only the meetings whose input changed) keeps a meeting's entry and its files as they are, and can add
what it needs to tell that (e.g. the input's hashes) to the meeting's entry. `tidligere` is there only while a
publish is under way: the bytes a file held before, so that a publish stopped part-way still knows every file
referat wrote.

A file is removed only when the manifest names it, it is a plain file inside the site (no symbolic link on the
way), and its bytes are still what referat wrote; a file someone else wrote or changed is left where it is, with a
warning. A folder is removed only when that leaves it empty.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..diagnostics import Location, Report
from ..fileio import os_reason

NAME = ".referat-site.json"
FORMAT = 1

__all__ = ["FORMAT", "NAME", "SiteManifest", "manifest_bytes", "read_manifest", "remove_stale", "sha256"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class SiteManifest:
    """The files referat wrote in a site: path in the site → sha256; each meeting's files; while a publish is under
    way, the bytes a file held before (`earlier`)."""

    files: dict[str, str] = field(default_factory=dict)
    meetings: dict[str, dict[str, object]] = field(default_factory=dict)
    earlier: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, site: Path, written: dict[Path, bytes], meetings: dict[str, list[Path]]) -> SiteManifest:
        """The manifest of the files `written` (absolute paths in `site`) and the meetings they belong to."""
        return cls({_relative(site, p): sha256(d) for p, d in sorted(written.items())},
                   {m: {"filer": sorted(_relative(site, p) for p in files)} for m, files in sorted(meetings.items())})

    def pending(self, before: SiteManifest) -> SiteManifest:
        """This manifest while it is being written over `before`: every file of either, and what each of
        `before`'s files held, so that a publish stopped part-way forgets no file it wrote."""
        earlier = {path: digest for path, digest in before.files.items() if self.files.get(path) != digest}
        files = {**{p: d for p, d in before.files.items() if p not in self.files}, **self.files}
        return SiteManifest(dict(sorted(files.items())), self.meetings, {**before.earlier, **earlier})

    def stale(self, before: SiteManifest) -> list[str]:
        """The files of `before` (and of a publish stopped part-way) that this manifest no longer has."""
        return sorted(p for p in {*before.files, *before.earlier} if p not in self.files)


def manifest_bytes(manifest: SiteManifest) -> bytes:
    """The manifest as JSON, the same bytes for the same files."""
    data: dict[str, object] = {"format": FORMAT, "filer": manifest.files, "møder": manifest.meetings}
    if manifest.earlier:
        data["tidligere"] = dict(sorted(manifest.earlier.items()))
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def read_manifest(site: Path, report: Report) -> SiteManifest:
    """The manifest in `site`; an empty one when there is none (a new site, or one published before referat kept a
    manifest) or it cannot be read (a warning: then nothing is removed this time)."""
    path = site / NAME
    try:
        if path.is_symlink() or not path.is_file():
            return SiteManifest()
        data = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        report.warning(Location(path), f"webstedets liste over referats filer kan ikke læses ({_why(exc)}); "
                                       "ingen gamle filer slettes denne gang")
        return SiteManifest()
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("filer"), dict):
        report.warning(Location(path), "webstedets liste over referats filer har en ukendt form; ingen gamle filer "
                                       "slettes denne gang")
        return SiteManifest()

    def paths(value: object) -> dict[str, str]:
        if not isinstance(value, dict):
            return {}
        return {k: v for k, v in value.items() if isinstance(k, str) and isinstance(v, str)}

    meetings = data.get("møder")
    return SiteManifest(paths(data["filer"]),
                        {k: v for k, v in meetings.items() if isinstance(v, dict)} if isinstance(meetings, dict) else {},
                        paths(data.get("tidligere")))


def _why(exc: Exception) -> str:
    return os_reason(exc) if isinstance(exc, OSError) else "ikke gyldig JSON"


def _relative(site: Path, path: Path) -> str:
    return path.relative_to(site).as_posix()


def _inside(site: Path, relative: str) -> Path | None:
    """The file a manifest entry names, when it is a plain path inside `site` (no '..', no absolute path, no
    symbolic link on the way); None otherwise."""
    pure = PurePosixPath(relative)
    if (not relative or "\\" in relative or pure.is_absolute() or any(part in ("", ".", "..") for part in pure.parts)
            or relative == NAME):
        return None
    path = site.joinpath(*pure.parts)
    probe = site
    for part in pure.parts:
        probe = probe / part
        if probe.is_symlink():
            return None
    return path


def remove_stale(site: Path, stale: list[str], before: SiteManifest, report: Report) -> list[Path]:
    """Remove each stale file that referat wrote and that still holds what it wrote; the files removed. Folders
    left empty go too (never `site` itself)."""
    removed: list[Path] = []
    for relative in stale:
        path = _inside(site, relative)
        if path is None:
            report.warning(Location(site / NAME), f"'{relative}' er ikke en fil i webstedets mappe og slettes ikke")
            continue
        try:
            if not path.is_file():
                continue
            digest = sha256(path.read_bytes())
        except OSError:
            continue
        if digest not in (before.files.get(relative), before.earlier.get(relative)):
            report.warning(Location(path), "filen hører ikke længere til webstedet, men er ændret, efter referat "
                                           "skrev den, og slettes derfor ikke; slet den selv, hvis den skal væk")
            continue
        try:
            os.unlink(path)
        except OSError as exc:
            report.warning(Location(path), f"filen hører ikke længere til webstedet, men kan ikke slettes "
                                           f"({os_reason(exc)})")
            continue
        removed.append(path)
        _prune(site, path.parent)
    return removed


def _prune(site: Path, folder: Path) -> None:
    """Remove `folder` and the folders above it (below `site`) while they are empty."""
    while folder != site and site in folder.parents:
        try:
            folder.rmdir()
        except OSError:  # not empty (or not ours to remove)
            return
        folder = folder.parent
