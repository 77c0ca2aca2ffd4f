"""The meeting data archived beside the signed minutes (`udgave-N/data/`): møde.yaml and the item files as they
were when the minutes were archived, and every bilag by its sha256.

With it, every later command can tell whether the meeting folder still says what was signed (the minutes are
sealed once archived: `referat.app.state`), and the public edition of archived minutes is made from their data,
through the same public filter as any other edition, instead of from the signed file (which shows what a public
edition leaves out). The manifest records the sha256 of each data file; the data is read only after those match,
and `archive verify` checks them as it checks the signed file. Versions archived before referat stored the data
have none: their minutes are compared by their text instead (see `app.state`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Location, Report
from ..errors import ArchiveError
from ..fileio import read_reason
from . import manifest as mf
from .store import Version

if TYPE_CHECKING:  # the model and the loader only where data is read back: `archive verify` hashes files only
    from ..lifecycle.versions import State
    from ..model.meeting import Meeting

DATA_DIR = "data"
KEY = "data"  # the manifest's field
MEETING_FILE, ITEMS_DIR = "møde.yaml", "punkter"  # as in a meeting folder (load/meeting.py)
_ITEM_NAME = re.compile(r"^[^/\\\x00]+\.ya?ml$")


def snapshot_files(state: State) -> dict[str, bytes]:
    """Path in the version folder → bytes of the meeting data to archive."""
    files = {f"{DATA_DIR}/{MEETING_FILE}": state.meeting}
    files.update({f"{DATA_DIR}/{ITEMS_DIR}/{name}": data for name, data in state.items.items()})
    return files


def manifest_entry(state: State) -> dict[str, Any]:
    """What the manifest records of the data: the item files in order, each file's sha256, the bilag's."""
    return {"punkter": list(state.items), "bilag": dict(sorted(state.bilag.items())),
            "filer": {path: mf.sha256(data) for path, data in snapshot_files(state).items()}}


def _entry(manifest: mf.Manifest) -> dict[str, Any] | None:
    entry = manifest.get(KEY)
    return entry if isinstance(entry, dict) else None


def _problems(version: Version, manifest: mf.Manifest) -> tuple[dict[str, bytes], list[tuple[Path, str]]]:
    """The data files that match their recorded sha256, and every problem (file, Danish message)."""
    entry = _entry(manifest)
    problems: list[tuple[Path, str]] = []
    found: dict[str, bytes] = {}
    if entry is None:
        if KEY in manifest:
            problems.append((version.manifest, f"feltet '{KEY}' er ikke et objekt"))
        return found, problems
    files = entry.get("filer")
    names = entry.get("punkter")
    if not isinstance(files, dict) or not isinstance(names, list) or not isinstance(entry.get("bilag"), dict):
        problems.append((version.manifest, f"feltet '{KEY}' mangler 'filer', 'punkter' eller 'bilag'"))
        return found, problems
    wanted = {f"{DATA_DIR}/{MEETING_FILE}"} | {f"{DATA_DIR}/{ITEMS_DIR}/{n}" for n in names
                                                if isinstance(n, str) and _ITEM_NAME.match(n)}
    if set(files) != wanted or len(wanted) != len(names) + 1:
        problems.append((version.manifest, f"feltet '{KEY}' nævner andre filer end mødets data"))
        return found, problems
    for rel in sorted(wanted):
        path = version.folder / rel  # the names are checked above: plain file names under data/ and data/punkter/
        if any(p.is_symlink() for p in (path, path.parent)):
            problems.append((path, "er en symbolsk henvisning; den følges ikke"))
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append((path, f"den arkiverede data kan ikke læses ({read_reason(exc)})"))
            continue
        if mf.sha256(data) != files[rel]:
            problems.append((path, ("den arkiverede data er ændret siden arkiveringen (sha256 passer ikke med "
                                    "manifestet); kør 'referat archive verify'")))
            continue
        found[rel] = data
    return found, problems


def check_snapshot(version: Version, manifest: mf.Manifest, report: Report) -> None:
    """`archive verify`: every data file is there and unchanged (each problem located in the report)."""
    for path, message in _problems(version, manifest)[1]:
        report.error(Location(path), message)


def read_snapshot(version: Version, manifest: mf.Manifest) -> State | None:
    """The archived data as a `State` (None for a version archived without it); an ArchiveError naming the file
    when it does not match the manifest."""
    entry = _entry(manifest)
    found, problems = _problems(version, manifest)
    if problems:
        path, message = problems[0]
        raise ArchiveError(message, Location(path))
    if entry is None:
        return None
    from ..lifecycle.versions import State

    items = {name: found[f"{DATA_DIR}/{ITEMS_DIR}/{name}"] for name in entry["punkter"]}
    bilag = {k: v for k, v in entry["bilag"].items() if isinstance(k, str) and isinstance(v, str)}
    return State(found[f"{DATA_DIR}/{MEETING_FILE}"], items, bilag, f"det arkiverede referat ({version.relative})",
                 version.folder / DATA_DIR)


def archived_meeting(version: Version, manifest: mf.Manifest, templates: list[Path] | None,
                     where: Location) -> Meeting | None:
    """The meeting as archived, loaded from its checked data (None for a version archived without data)."""
    from ..load.meeting import load_meeting

    if read_snapshot(version, manifest) is None:
        return None
    meeting, report = load_meeting(version.folder / DATA_DIR, templates)
    if meeting is None or report.has_errors:
        first = report.errors[0].message if report.errors else "kan ikke indlæses"
        raise ArchiveError(f"mødets data i det arkiverede referat {version.relative} kan ikke indlæses: {first}",
                           where)
    return meeting
