"""Corrections after signing: a signed, archived referat is never rebuilt or replaced; a correction is added.

`referat correction build` writes the "Rettelse til referat af …" document (what is corrected, by whom, why) from a
small YAML file; it is signed with `referat sign`, and `referat rettelse arkivér` checks that the signed file is
that document (its first revision byte for byte) with valid signatures, then stores it write-once beside the
minutes it corrects, in `arkiv/<udvalg>/<dato>/rettelse-N/`, with a manifest that links it to the archived
version (folder and sha256). `archive list` shows it under the version; `archive verify` re-hashes it,
re-validates its signatures and checks that the version it names is still there with the same sha256.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

from pydantic import Field, PrivateAttr

from ..diagnostics import Location, OutputError, Report
from ..errors import ArchiveError, InputError, SignatureError
from ..fileio import os_reason, read_reason
from ..model.base import Model
from ..model.meeting import Meeting
from . import correction_index, index
from . import manifest as mf
from .correction_index import FORMAT, PDF_NAME, StoredCorrection, corrections
from .store import MANIFEST, STAGING, Version, _fsync_dir, generation, latest, locked, new_generation

TITLE = "Rettelse til referat"


class Point(Model):
    """One correction: the item it concerns and what is corrected."""

    item: str = Field(alias="punkt", description="Punktets nummer i referatet, fx \"3\".")
    text: str = Field(alias="tekst", min_length=1, description="Hvad der rettes, fx 'I beslutningen rettes …'.")


class Correction(Model):
    """A correction to signed minutes (rettelse.yaml)."""

    by: str = Field(alias="rettet_af", min_length=1, description="Hvem retter, fx Sekretariatet.")
    reason: str = Field(alias="begrundelse", min_length=1, description="Hvorfor der rettes.")
    points: list[Point] = Field(alias="rettelser", min_length=1, description="Rettelserne, én pr. punkt.")

    _source: Any = PrivateAttr(None)

    @property
    def source(self) -> Any:
        return self._source


def read_correction(path: Path) -> Correction:
    from ..load.parse import parse_model

    report = Report()
    found = parse_model(path, Correction, report)
    if found is None or report.has_errors:
        raise InputError(report)
    return found


def original_of(root: Path, meeting: Meeting) -> Version:
    version = latest(root, meeting.profile.id, meeting.date.isoformat())
    if version is None or not version.manifest.is_file():
        raise ArchiveError(f"arkivet har intet underskrevet referat af mødet {meeting.date.isoformat()}; kun et "
                           "arkiveret referat rettes med en rettelse (ellers: ret mødets filer og byg igen)",
                           Location(root))
    return version


def archived_items(original: Version) -> dict[str, dict[str, Any]]:
    """The archived minutes' items as the manifest records them (number → entry): a correction names items by what
    was signed, never by what the folder says now."""
    entries = mf.load(original.manifest).get("punkter")
    return {str(e.get("nummer")): e for e in entries if isinstance(e, dict)} if isinstance(entries, list) else {}


def correction_view(meeting: Meeting, correction: Correction, original: Version, original_sha: str) -> Any:
    """The correction document's view: `meeting` is the archived meeting (its data, or the folder for a version
    archived without data: only its committee and date are used then), the items' titles and access are the
    archived minutes' (the manifest, checked against the signed file by `archive verify`)."""
    from ..text.danish import long_date
    from ..text.richtext import parse, printable
    from ..view import labels as L
    from ..view.document import document_view, retitle

    base = document_view(meeting, "referat")
    signed = archived_items(original)
    view = dict(base)
    day = long_date(meeting.date)
    retitle(view, TITLE, TITLE)  # type: ignore[arg-type]
    view["title"] = printable(f"{TITLE} af mødet den {day} – {meeting.profile.short_name}")
    view["front"] = [
        {"label": "Retter", "lines": [printable(f"Referat af mødet den {day}, arkiveret som {original.relative}"),
                                      f"sha256 {original_sha}"]},
        {"label": "Rettet af", "lines": [printable(correction.by)]},
        {"label": "Begrundelse", "lines": [], "blocks": parse(correction.reason)},
    ]
    items = []
    for point in correction.points:
        label = meeting.profile.label(point.item)
        entry = signed.get(point.item, {})
        title = printable(str(entry.get("titel") or ""))
        closed = entry.get("lukket") is True
        items.append({"number": point.item, "label": label, "title": title, "bookmark": f"{label} {title}",
                      "access": L.CLOSED if closed else L.OPEN, "closed": closed, "withheld": False,
                      "case_number": None, "time_slot": None, "notice": None, "group": None, "opens_group": False,
                      "sections": [{"type": "blocks", "key": "rettelse", "heading": "Rettelse",
                                    "blocks": parse(point.text)}]})
    view["items"] = items
    return view


def check_points(original: Version, correction: Correction, path: Path) -> None:
    numbers = set(archived_items(original))
    report = Report()
    for n, point in enumerate(correction.points):
        if point.item not in numbers:
            where = correction.source.at(("rettelser", n, "punkt")) if correction.source else Location(path)
            report.error(where, f"det arkiverede referat har intet punkt {point.item}; punkterne er "
                                f"{', '.join(sorted(numbers, key=lambda n: (len(n), n)))}")
    if report.has_errors:
        raise InputError(report)


def correction_document(meeting: Meeting, correction_path: Path, root: Path, templates: list[Path] | None = None
                        ) -> tuple[Any, Meeting, Version, str]:
    """The correction document's view, the archived meeting it is made from, the archived version it corrects and
    that file's sha256: made from the archived version (its data when it was archived with it), never from the
    folder, which may have been changed since (that is what a correction is for)."""
    from .snapshot import archived_meeting

    correction = read_correction(correction_path)
    original = original_of(root, meeting)
    check_points(original, correction, correction_path)
    original_sha = mf.sha256(original.pdf.read_bytes())
    base = archived_meeting(original, mf.load(original.manifest), templates, Location(original.folder)) or meeting
    return correction_view(base, correction, original, original_sha), base, original, original_sha


def archive_correction(root: Path, meeting: Meeting, correction_path: Path, signed_path: Path, roots: list[Path],
                       allow_self_signed: bool, built: tuple[dict[str, bytes], Version, str]) -> StoredCorrection:
    """Store the signed correction; `built`: the correction's files as `correction build` makes them (the pipeline
    renders them), the version it corrects and that file's sha256."""
    from .checks import Options, _signatures, trust_roots

    files, original, original_sha = built
    try:
        data = signed_path.read_bytes()
    except OSError as exc:
        raise InputError(f"filen kan ikke læses ({read_reason(exc)})", Location(signed_path)) from None
    where = Location(signed_path)
    report = Report()
    if not data.startswith(files["rettelse.pdf"]):
        report.error(where, f"filen er ikke rettelsen bygget fra {correction_path} (dens første udgave skal være "
                            "rettelse.pdf byte for byte); byg den med 'referat correction build', og underskriv den")
    anchors = trust_roots(roots, meeting)
    signatures = _signatures(data, anchors, Options(roots, allow_self_signed), where, report)
    if report.has_errors:
        raise SignatureError(report)
    from ..signing.longterm import prove

    proof = prove(data, anchors) if signatures else None
    levels = {p.field_name: p.level for p in proof.signatures} if proof is not None else {}
    digest = mf.sha256(data)
    with locked(root):
        existing = corrections(root, meeting.profile.id, meeting.date.isoformat())
        for c in existing:
            if c.manifest.get("sha256") == digest:
                raise ArchiveError(f"filen er allerede arkiveret som rettelse {c.number} ({c.folder}); den samme fil "
                                   "arkiveres ikke to gange", where)
        number = (existing[-1].number + 1) if existing else 1
        correction = read_correction(correction_path)
        manifest = {
            "format": FORMAT, "udvalg": meeting.profile.id, "dato": meeting.date.isoformat(), "rettelse": number,
            "fil": PDF_NAME, "sha256": digest, "bytes": len(data), "rettelse_sha256": mf.sha256(files["rettelse.pdf"]),
            "retter": original.relative, "retter_sha256": original_sha,
            "arkiveret": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "rettet_af": correction.by, "begrundelse": correction.reason,
            "rettelser": [{"punkt": p.item, "tekst": p.text} for p in correction.points],
            "underskrifter": [mf.signer_entry(s, levels.get(s.field_name)) for s in signatures],
        }
        if proof is not None:
            manifest["langtid"] = mf.longterm_entry(proof)
        target = original.folder.parent / f"rettelse-{number}"
        staging = root / STAGING / uuid.uuid4().hex
        try:
            staging.mkdir(parents=True)
            for name, content in ((PDF_NAME, data), (MANIFEST, mf.dumps(manifest))):
                fd = os.open(staging / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(content)
                    fh.flush()
                    os.fsync(fh.fileno())
            new_generation(root, staging)  # moved out of staging into the archive's root before the rename
            os.rename(staging, target)
            _fsync_dir(target.parent)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise OutputError(f"rettelsen kunne ikke gemmes i arkivet ({os_reason(exc)}); arkivet er uændret",
                              Location(target)) from None
        stored = StoredCorrection(target, number, manifest)
        with index.opened(root) as conn:  # checked above: the file is the built correction, its signatures valid
            correction_index.add(conn, stored, manifest, (target / MANIFEST).read_bytes())
            index.mark_caught_up(conn, generation(root), index.catch_up(conn, root))  # under the lock
    return stored
