"""`referat publish --site DIR MØDEMAPPER…`: every meeting's public editions from the pipeline, then the site.

The site's writers (`publish.site`) get only the public edition: each meeting as the public filter made it
(`Checked.edition(True)`: redaction spans resolved in every text, closed items reduced to what they print) and its
public views, so no page, calendar or feed entry can show what a public edition leaves out. Every file of the site
passes the leak check before anything is written; then the files referat wrote earlier that the site no longer has
are removed (`publish.manifest`: `.referat-site.json`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..archive.signers import public_lines
from ..diagnostics import Location, Report
from ..errors import InputError
from ..fileio import write_all, write_atomic
from ..model.meeting import Meeting
from ..progress import progress
from ..publish.manifest import NAME, SiteManifest, manifest_bytes, read_manifest, remove_stale
from ..publish.site import Published, site_files
from . import pipeline

__all__ = ["SiteResult", "publish_site"]


@dataclass
class SiteResult:
    """What `publish` did: the files written, the files of an earlier publish it removed, and its warnings."""

    written: list[Path]
    removed: list[Path]
    report: Report = field(default_factory=Report)


@dataclass
class _Meeting:
    published: Published
    meeting: Meeting  # as read: what its public edition hides is known from it
    others: list[Meeting]  # the meetings whose public minutes its bilag carry


def _published(folder: Path, seen: dict[str, Path], archive: Path | None) -> _Meeting:
    """One meeting's public editions, checked for leaks; a second folder of the same meeting is refused."""
    checked = pipeline.load(folder, None, public=True, archive=archive)
    meeting = checked.meeting
    kinds = pipeline.kinds_for(meeting, None)
    views = pipeline.views(checked, kinds, [True])
    earlier = pipeline.earlier(checked)
    files = pipeline.documents(checked, views, ["pdf", "html"], earlier_minutes=earlier)
    pipeline.control_reports(meeting, kinds, files, earlier)  # raises on any leak
    path = f"{meeting.committee_id}/{meeting.date.isoformat()}"
    if path in seen:
        raise InputError(f"to mødemapper er samme møde ({path}); angiv kun den ene", Location(folder))
    seen[path] = folder
    archived = checked.state.archived  # the signed minutes' signers, as their certificates name them (issue 25)
    signers = public_lines(archived.manifest) if archived is not None and "referat" in kinds else []
    public = Published(checked.edition(True), path, files, kinds, {kind: views[(kind, True)] for kind in kinds},
                       signers)
    return _Meeting(public, meeting, list(earlier.public_meetings))


def _site_leak_check(site: Path, out: dict[Path, bytes], meetings: list[_Meeting]) -> None:
    """The leak check over every file of the site that is not a meeting's file already checked as it is: the
    index, the decision register, the calendar, the feed, each meeting's page. What any of the meetings hides is
    searched for, leaving out what any of them prints."""
    checked = {(site / m.published.path / name, data) for m in meetings for name, data in m.published.files.items()}
    files = {path.relative_to(site).as_posix(): data for path, data in out.items() if (path, data) not in checked}
    hidden = []
    everyone = [m.meeting for m in meetings]
    for m in meetings:
        hidden += pipeline.hidden_of(m.meeting, m.others, [o for o in everyone if o is not m.meeting])
    pipeline.leak_check("webstedet", files, hidden, Location(site))


def publish_site(site: Path, folders: list[Path], archive: Path | None = None) -> SiteResult:
    """Build every meeting's public editions, check and write the site, and remove the files of an earlier publish
    that it no longer has."""
    meetings: list[_Meeting] = []
    seen: dict[str, Path] = {}
    with progress("Publicering: møde {n}/{total}: {detail}", len(folders)) as shown:
        for folder in folders:
            shown.step(folder.name)
            meetings.append(_published(folder, seen, archive))
    out = site_files(site, [m.published for m in meetings])
    _site_leak_check(site, out, meetings)  # raises on any find: nothing is written
    report = Report()
    before = read_manifest(site, report)
    now = SiteManifest.of(site, out, {m.published.path: [p for p in out if site / m.published.path in p.parents]
                                      for m in meetings})
    # the manifest first names every file this publish may leave behind, then the files, then what is gone
    write_atomic(site / NAME, manifest_bytes(now.pending(before)))
    write_all(out)
    removed = remove_stale(site, now.stale(before), before, report)
    write_atomic(site / NAME, manifest_bytes(now))
    return SiteResult(sorted([*out, site / NAME]), removed, report)
