"""The meeting's state, derived in one place from the folder, its sent versions (`udsendt/`) and the archive.

    dagsorden (kladde) → dagsorden udsendt (udgave N) → referat (kladde) → referat arkiveret (udgave N) → rettet

Every command asks this module what the meeting is, instead of deciding for itself:

- once signed minutes are archived, the folder's minutes are **sealed**: the documents of the minutes come from the
  archived version (its signed file for the internal PDF; its data for every other format, which the folder must
  still equal), and a folder that differs is an error naming each changed field and pointing to
  `referat correction` (`seal_report`, which the pipeline's `Checked.seal` holds);
- a correction is built from the archived version it corrects, never from the folder (`archive.correction`);
- the note that the data differs from the sent agenda belongs to the agenda's time only (`sent_notice`).

The archive is the first `arkiv/` folder in or above the meeting folder (as for bilag `arkiv: udvalg/dato`), or the
one a command names with `--arkiv`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Location, ReferatError, Report
from ..errors import ArchiveError
from ..lifecycle.versions import SENT_DIR, SentVersion, State, current_state, sent_versions
from ..model.meeting import Meeting
from ..validate.structure import named_date

if TYPE_CHECKING:
    from ..archive.store import Version

CORRECTION_HINT = ("et underskrevet, arkiveret referat ændres ikke; ret det med 'referat correction build' og "
                   "'referat correction archive' (docs/lifecycle.md), og læg mappen tilbage, som den var")
# Fields that are not part of the signed minutes: the decisions' follow-up tasks change after the meeting (their
# status is kept up to date in the folder; `archive add` records them in the manifest, not in the signed text).
UNSEALED_FIELDS = frozenset({"opfølgning"})


class Phase(StrEnum):
    AGENDA_DRAFT = "dagsorden, ikke udsendt"
    AGENDA_SENT = "dagsorden udsendt"
    MINUTES_DRAFT = "referat, ikke arkiveret"
    ARCHIVED = "referat underskrevet og arkiveret"
    CORRECTED = "referat underskrevet, arkiveret og rettet"


@dataclass(frozen=True)
class Archived:
    """The newest archived version of the meeting's signed minutes, checked against its manifest."""

    version: Version  # its committee and date: the folder's, unless the folder's `dato` was changed since
    manifest: dict[str, Any]
    pdf: bytes
    data: State | None  # the meeting data archived with it; None for a version archived before referat kept it

    @property
    def relative(self) -> str:
        """The version's place in the archive: das-social/2026-02-23/udgave-1."""
        return self.version.relative

    @property
    def folder(self) -> Path:
        return self.version.folder


@dataclass(frozen=True)
class MeetingState:
    phase: Phase
    sent: tuple[SentVersion, ...]
    archive: Path | None  # the archive this meeting's signed minutes go into (None: no arkiv/ found)
    archived: Archived | None
    corrections: int = 0

    @property
    def sealed(self) -> bool:
        return self.archived is not None

    def describe(self) -> str:
        """The state in one Danish line."""
        if self.archived is not None:
            text = f"{self.phase} ({self.archived.relative})"
            return text if not self.corrections else f"{text}, {self.corrections} rettelse(r)"
        if self.phase is Phase.AGENDA_SENT and self.sent:
            return f"{self.phase} ({self.sent[-1].label})"
        return str(self.phase)


def archive_of(folder: Path, archive: Path | None = None) -> Path | None:
    from ..archive.store import find_root

    if archive is not None:
        return archive
    return find_root(folder)


def meeting_state(meeting: Meeting, archive: Path | None = None) -> MeetingState:
    """The meeting's state now. Reading the archive costs nothing for a meeting that has none; an archived
    version is read (and its file and data checked against the manifest) only when it exists."""
    sent = tuple(sent_versions(meeting.folder))
    root = archive_of(meeting.folder, archive)
    # looked up in the agenda phase too: a sealed meeting's folder put back to 'fase: dagsorden' is still sealed
    version = sealed_version(root, meeting.folder, meeting.committee_id, meeting.date) if root is not None else None
    archived = _archived(version) if version is not None else None
    if archived is not None:
        fixes = _corrections(root, archived) if root is not None else 0
        return MeetingState(Phase.CORRECTED if fixes else Phase.ARCHIVED, sent, root, archived, fixes)
    if meeting.is_minutes:
        return MeetingState(Phase.MINUTES_DRAFT, sent, root, None)
    return MeetingState(Phase.AGENDA_SENT if sent else Phase.AGENDA_DRAFT, sent, root, None)


def sealed_version(root: Path, folder: Path, committee_id: str, date: dt.date | str) -> Version | None:
    """The newest archived version of the minutes the meeting folder is, or None (found by its folder and
    manifest, nothing read): the committee's of the meeting's date, else of the date the folder is named by
    ("2026-02-23-das-social") when `dato` was changed since. The one lookup for every command that asks."""
    version = _newest(root, committee_id, str(date))
    named = named_date(folder)
    if version is None and named is not None and named.isoformat() != str(date):
        version = _newest(root, committee_id, named.isoformat())
    return version


def _newest(root: Path, committee_id: str, date: str) -> Version | None:
    from ..archive.store import VERSION_DIR, Version

    day = root / committee_id / date
    if not day.is_dir():
        return None
    numbers = sorted(int(m[1]) for p in day.iterdir() if (m := VERSION_DIR.match(p.name)) and (p / "manifest.json"
                                                                                                 ).is_file())
    return Version(root, committee_id, date, numbers[-1]) if numbers else None


def _archived(version: Version) -> Archived:
    from ..archive import manifest as mf
    from ..archive.snapshot import read_snapshot

    where = Location(version.folder)
    if any(p.is_symlink() for p in (version.folder, version.manifest, version.pdf)):
        raise ArchiveError("den arkiverede udgave indeholder en symbolsk henvisning; den følges ikke", where)
    manifest = mf.load(version.manifest)
    try:
        pdf = version.pdf.read_bytes()  # never a name from the manifest
    except OSError:
        raise ArchiveError(f"den arkiverede fil {version.pdf_name} mangler; kør 'referat archive verify'",
                           where) from None
    if mf.sha256(pdf) != manifest.get("sha256"):
        raise ArchiveError(f"den arkiverede fil {version.pdf_name} er ændret siden arkiveringen; kør 'referat "
                           "archive verify'", Location(version.pdf))
    return Archived(version, manifest, pdf, read_snapshot(version, manifest))


def _corrections(root: Path, archived: Archived) -> int:
    from ..archive.correction_index import corrections

    return len(corrections(root, archived.version.committee, archived.version.date))


# ---- sealed minutes ---------------------------------------------------------------------------------------------

def seal_report(meeting: Meeting, state: MeetingState) -> Report:
    """Every way the folder's minutes differ from the archived ones, each an error at the changed field."""
    report = Report()
    archived = state.archived
    if archived is None:
        return report
    if archived.data is None:  # archived before the data was kept: compare the signed file's text, item by item
        from ..archive.text import text_difference

        difference = text_difference(archived.pdf, meeting)
        if difference:
            report.error(Location(meeting.folder), f"mødets mappe afviger fra det underskrevne referat "
                                                   f"({archived.relative}): {difference}; {CORRECTION_HINT}")
        return report
    from ..lifecycle.diff import diff_states

    now = current_state(meeting.folder, list(meeting.item_files))
    diff = diff_states(archived.data, now)
    what = f"efter at referatet blev underskrevet og arkiveret ({archived.relative})"
    for change in diff.meeting:
        if change.key in UNSEALED_FIELDS:
            continue
        copied = (". Er mappen en kopi til et nyt møde, så giv kopien det nye mødes dato i navnet og slet dens "
                  "udsendt/ (et nyt møde laves med 'referat new --fra')") if change.key == "dato" else ""
        report.error(meeting.source.at((change.key,)), f"'{change.key}' er ændret {what}; {CORRECTION_HINT}{copied}")
    files = {item.file.name: item for item in meeting.items if item.file is not None}
    for item_change in diff.items:
        item = files.get(item_change.file)
        if item_change.status == "fjernet" or item is None:
            report.error(meeting.source.at(("punkter",)), f"punktet {item_change.file} ('{item_change.title}') er "
                                                          f"fjernet {what}; {CORRECTION_HINT}")
            continue
        if item_change.status == "tilføjet":
            report.error(Location(item.file or meeting.folder), f"punktet er tilføjet {what}; {CORRECTION_HINT}")
            continue
        if item_change.moved:
            report.error(meeting.source.at(("punkter",)), f"punktet {item_change.file} er flyttet {what}; "
                                                          f"{CORRECTION_HINT}")
        for change in item_change.fields:
            if change.key not in UNSEALED_FIELDS:
                report.error(item.source.at((change.key,)), f"'{change.key}' er ændret {what}; {CORRECTION_HINT}")
        for bilag in item_change.bilag:
            report.error(item.source.at(("bilag",)), f"bilaget {bilag.name} er {bilag.kind} {what}; "
                                                     f"{CORRECTION_HINT}")
    return report


# ---- the sent agenda ---------------------------------------------------------------------------------------------

def sent_notice(meeting: Meeting, state: MeetingState) -> str | None:
    """For build/packet while the meeting is an agenda: a line when it was sent and the data differs from the
    latest sent version. Once the meeting is in `fase: referat` the difference is expected and not repeated."""
    if meeting.is_minutes or not state.sent:
        return None
    latest = state.sent[-1]
    try:
        latest.manifest()
    except ReferatError as exc:  # changed since it was sent (lifecycle/versions.py): say so, and build on
        first = exc.report.items[0]
        return f"bemærk: den udsendte {latest.label} bruges ikke: {first.location.format()}: {first.message}"
    try:
        if latest.manifest().get("data_sha256") == current_state(meeting.folder,
                                                                 list(meeting.item_files)).data_hash():
            return None
    except ReferatError:
        return None
    return (f"bemærk: mødets data afviger fra den udsendte {latest.label}, som ligger uændret i "
            f"{meeting.folder / SENT_DIR}; 'referat diff {meeting.folder}' viser ændringerne")
