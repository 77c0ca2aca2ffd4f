"""`referat archive add`: the signed minutes checked against the meeting as the pipeline makes it, then stored
write-once with the meeting data they were built from (so that the minutes are sealed from then on)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..archive import index, store
from ..archive import manifest as mf
from ..archive.checks import Examined, Options, examine
from ..archive.snapshot import KEY, manifest_entry, snapshot_files
from ..diagnostics import Location
from ..errors import ArchiveError
from ..lifecycle.versions import current_state
from . import pipeline


@dataclass
class Added:
    version: store.Version
    examined: Examined


def add(folder: Path, pdf: Path, options: Options, root: Path) -> Added:
    checked = pipeline.load(folder, options.templates, archive=root)
    meeting = checked.meeting

    def rebuilt() -> bytes:  # the minutes as the pipeline renders them now (a sealed meeting: checked unchanged)
        from ..render.pdf import write_pdf

        return write_pdf(pipeline.view_of(checked, "referat", False), meeting.date, meeting.profile.logo_path())

    examined = examine(meeting, rebuilt, pdf, options)
    data = current_state(folder, list(meeting.item_files))
    manifest = {**examined.manifest, KEY: manifest_entry(data)}
    with store.locked(root):
        store.clear_staging(root)
        same = store.same_file(root, meeting.profile.id, meeting.date, examined.given)  # as given (issue 25)
        if same is not None:
            raise ArchiveError(f"filen er allerede arkiveret som udgave {same.number} ({same.pdf}); den samme "
                               "fil arkiveres ikke to gange", Location(pdf))
        version = store.store(root, meeting.profile.id, meeting.date, examined.pdf, manifest, snapshot_files(data))
        with index.opened(root) as conn:
            index.add(conn, version, mf.load(version.manifest), version.manifest.read_bytes())  # checked above
            caught = index.catch_up(conn, root)
            index.mark_caught_up(conn, store.generation(root), caught)  # under the lock: no other add since
    examined.manifest = manifest
    return Added(version, examined)
