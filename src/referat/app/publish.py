"""`referat publish --site DIR MØDEMAPPER…`: every meeting's public editions from the pipeline, then the site."""

from __future__ import annotations

from pathlib import Path

from ..archive.signers import public_lines
from ..diagnostics import Location, ReferatError
from ..fileio import write_all
from ..progress import progress
from ..publish.site import Published, site_files
from . import pipeline


def _published(folder: Path, seen: dict[str, Path], archive: Path | None) -> Published:
    """One meeting's public editions, checked for leaks; a second folder of the same meeting is refused."""
    checked = pipeline.load(folder, None, public=True, archive=archive)
    meeting = checked.meeting
    kinds = pipeline.kinds_for(meeting, None)
    views = pipeline.views(checked, kinds, [True])
    files = pipeline.documents(checked, views, ["pdf", "html"])
    pipeline.control_reports(meeting, kinds, files)  # raises on any leak
    path = f"{meeting.committee_id}/{meeting.date.isoformat()}"
    if path in seen:
        raise ReferatError(f"to mødemapper er samme møde ({path}); angiv kun den ene", Location(folder))
    seen[path] = folder
    archived = checked.state.archived  # the signed minutes' signers, as their certificates name them (issue 25)
    signers = public_lines(archived.manifest) if archived is not None and "referat" in kinds else []
    return Published(meeting, path, files, kinds, {kind: views[(kind, True)] for kind in kinds}, signers)


def publish_site(site: Path, folders: list[Path], archive: Path | None = None) -> list[Path]:
    """Build every meeting's public editions and write the site; returns the files written."""
    pubs: list[Published] = []
    seen: dict[str, Path] = {}
    with progress("Publicering: møde {n}/{total}: {detail}", len(folders)) as shown:
        for folder in folders:
            shown.step(folder.name)
            pubs.append(_published(folder, seen, archive))
    out = site_files(site, pubs)
    write_all(out)
    return sorted(out)
