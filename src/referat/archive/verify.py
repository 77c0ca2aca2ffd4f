"""`archive verify`: re-derive what every manifest and the index should say from the signed PDFs, and report
every difference.

For each stored version: the file's hash and size, its place, the meeting it is from, every item's title,
Åben/Lukket and decision (from the PDF's text), the comparison route and the signatures (re-validated against
the roots the manifest stored, at the moment of archiving) must be what the manifest says; and the index's
rows must be exactly what that checked manifest gives. Nothing is trusted because it is written down.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from ..diagnostics import Location, ReferatError, Report, count
from ..progress import Progress, progress
from . import correction_index, index
from . import manifest as mf
from .recheck import Checked, recheck
from .store import Version, versions

REBUILD = "slet index.sqlite, så bygges det igen fra de kontrollerede manifester"
VERSION_PATH = re.compile(r"([^/]+)/(\d{4}-\d{2}-\d{2})/udgave-(\d+)")


@dataclass
class Outcome:
    checked: list[Version] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    reindexed: list[Version] = field(default_factory=list)
    in_memory: bool = False
    bad: set[Version] = field(default_factory=set)  # versions with any problem, in their files or their index rows
    corrections: list[Path] = field(default_factory=list)  # every stored correction's file (issue 14)
    bad_corrections: set[Path] = field(default_factory=set)
    reindexed_corrections: list[Any] = field(default_factory=list)
    longterm: dict[Path, Any] = field(default_factory=dict)  # each stored file's renewal.Status (issue 25)
    warnings: Report = field(default_factory=Report)


def verify(root: Path, at: dt.datetime | None = None, jobs: int = 1) -> Outcome:
    """Every version re-checked against its signed PDF, and the index against the checked manifests; every
    stored file's signatures proven offline at `at` (default now) from its newest renewal. With `jobs` > 1 the
    versions are re-checked in that many processes (`referat.pool`); what is reported, and in which order, is the
    same as in one process."""
    out = Outcome()
    with index.reading(root, full=True) as (conn, caught):  # every folder, also one copied in by hand
        out.reindexed, out.in_memory = caught.added, caught.in_memory
        indexed = index.stored_rows(conn)
        indexed_corrections = correction_index.stored_rows(conn)
        out.reindexed_corrections = caught.added_corrections
    already = {c.version: c for c in caught.refused}
    stored = versions(root)
    where = Location(root / index.INDEX)
    with progress("Arkiv: udgave {n}/{total} kontrolleres", len(stored), delay=2.0) as shown:  # when over 2 s
        _check_versions(stored, already, indexed, where, out, shown, at, jobs)
    for path in sorted(set(indexed) - {v.relative for v in stored}):
        out.report.error(Location(root / path), "udgaven står i søgeindekset, men mappen findes ikke i arkivet")
    out.corrections, out.bad_corrections = verify_corrections(root, indexed_corrections, caught.refused_corrections,
                                                              out.report)
    _corrections_longterm(root, out, at)
    return out


def _longterm(item: Any, manifest: mf.Manifest, data: bytes, at: dt.datetime | None, out: Outcome,
              found: tuple[Any, Report] | None = None) -> bool:
    """The renewals of a stored file checked and its newest file proven offline (issue 25): an error for a proof
    that no longer holds, a warning when a renewal is due. Whether it found an error. `found`: the status and the
    renewals' report, when a process of the pool worked them out (`_proof`)."""
    before = len(out.report.errors)
    state, report = found if found is not None else _proof(item, manifest, data, at)
    out.report.extend(report)
    out.longterm[item.pdf] = state
    where = Location(item.pdf)
    for problem in state.problems:
        out.report.error(where, f"underskrifterne kan ikke længere bevises: {problem}")
    if not state.problems and state.due:
        out.warnings.warning(where, due_message(state))
    return len(out.report.errors) > before


def _proof(item: Any, manifest: mf.Manifest, data: bytes, at: dt.datetime | None) -> tuple[Any, Report]:
    from .renewal import status

    report = Report()
    return status(item, manifest, data, at, report), report


def due_message(state: Any) -> str:
    """Why a stored file should be renewed, and how."""
    if state.level == "B-LTA" and state.until is not None:
        return (f"beskyttelsen udløber {state.until:%d.%m.%Y} (det nyeste tidsstempels certifikat); forny den inden "
                "da med 'referat archive renew'")
    return (f"PAdES {state.level}: uden et dokumenttidsstempel over valideringsdata kan underskrifterne ikke bevises, "
            "når certifikaterne er udløbet eller spærret; forny med 'referat archive renew --tidsstempel URL', mens "
            "de endnu er gyldige")


def _corrections_longterm(root: Path, out: Outcome, at: dt.datetime | None) -> None:
    from .correction_index import PDF_NAME, all_corrections
    from .renewal import Renewable

    for stored in all_corrections(root):
        if stored.pdf in out.bad_corrections or not stored.manifest:
            continue
        try:
            data = stored.pdf.read_bytes()
        except OSError:
            continue
        if _longterm(Renewable(stored.folder, PDF_NAME, f"rettelse {stored.number}"), stored.manifest, data, at, out):
            out.bad_corrections.add(stored.pdf)


def _check_versions(stored: list[Version], already: dict[Version, Checked], indexed: dict[str, Any], where: Location,
                    out: Outcome, shown: Progress, at: dt.datetime | None = None, jobs: int = 1) -> None:
    from ..pool import run
    from .renewal import Renewable

    # the expensive part of each version (its text re-derived, its signatures validated and proven) in the pool
    done = run(partial(_version_work, at), [(v, already.get(v)) for v in stored], jobs, shown)
    for version, (checked, proof) in zip(stored, done, strict=True):
        out.checked.append(version)
        errors_before = len(out.report.errors)
        out.report.extend(checked.report)
        if version in already:
            out.report.error(Location(version.folder), "udgaven er ikke i søgeindekset: dens manifest stemmer ikke "
                                                       "med den underskrevne fil (se ovenfor)")
        elif checked.manifest is not None and checked.hash_ok:
            _compare_index(checked, indexed.get(version.relative), where, out.report)
        if checked.manifest is not None and checked.pdf is not None and checked.hash_ok:
            _longterm(Renewable(version.folder, version.pdf_name, f"udgave {version.number}"), checked.manifest,
                      checked.pdf, at, out, proof)
        if len(out.report.errors) > errors_before:
            out.bad.add(version)


def _version_work(at: dt.datetime | None, task: tuple[Version, Checked | None]) -> tuple[Checked, Any]:
    """One version re-checked (unless the index's catch-up already did) and, when its file is the one the manifest
    names, its long-term proof: what `_check_versions` reports, worked out where the pool puts it."""
    from .renewal import Renewable

    version, checked = task
    checked = checked or recheck(version)
    proof = None
    if checked.manifest is not None and checked.pdf is not None and checked.hash_ok:
        proof = _proof(Renewable(version.folder, version.pdf_name, f"udgave {version.number}"), checked.manifest,
                       checked.pdf, at)
    return checked, proof


def index_consistency(root: Path, conn: Any, scope: str = "search", only: set[str] | None = None) -> Report:
    """The cheap half of `verify`, for `list`, `search` and `decisions`: every indexed version's rows must be
    what its manifest gives, and the manifest the one indexed (by its sha256). The manifests are read, not the
    PDFs (that is `verify`'s work), so an edited index or manifest is refused here in milliseconds. `scope` is
    what the command shows: "list" (the versions), "decisions" (and their items), "search" (and the search
    table); `only` limits the check to the versions shown (a search's hits)."""
    report = Report()
    where = Location(root / index.INDEX)
    for path, stored in index.stored_rows(conn, only).items():
        match = VERSION_PATH.fullmatch(path)
        if match is None:
            report.error(where, f"søgeindekset har en udgave med en ugyldig sti {path!r}; {REBUILD}")
            continue
        version = Version(root, match[1], match[2], int(match[3]))
        try:
            manifest_bytes = version.manifest.read_bytes()
            manifest = mf.load(version.manifest)
        except (OSError, ReferatError):
            report.error(Location(version.folder), "udgaven står i søgeindekset, men dens manifest mangler eller "
                                                   "kan ikke læses; kør 'referat archive verify'")
            continue
        if scope == "list":
            stored = (stored[0], [])
        checked = Checked(version, manifest=manifest, manifest_bytes=manifest_bytes, hash_ok=True)
        _compare_index(checked, stored, where, report, scope)
    return report


def _compare_index(checked: Checked, stored: tuple[Any, list[Any]] | None, where: Location, report: Report,
                   scope: str = "search") -> None:
    """The index rows of one version against those its checked manifest gives; every difference named."""
    assert checked.manifest is not None
    name = checked.version.relative
    if stored is None:
        report.error(where, f"udgaven {name} mangler i søgeindekset; {REBUILD}")
        return
    try:
        row, items = index.expected_rows(checked.version, checked.manifest, checked.manifest_bytes,
                                         folded=scope == "search")
        if scope == "list":
            items = []
    except (KeyError, TypeError, AttributeError) as exc:
        report.error(Location(checked.version.manifest), f"manifestet mangler feltet {exc}")
        return
    found_row, found_items = stored
    if found_row[index.VERSION_COLUMNS.index("manifest_sha256")] != row[index.VERSION_COLUMNS.index("manifest_sha256")]:
        report.error(Location(checked.version.manifest),
                     "manifestet er ændret siden arkiveringen (sha256 stemmer ikke med søgeindekset); kør "
                     "'referat archive verify'")
    for column, want, got in zip(index.VERSION_COLUMNS, row, found_row, strict=True):
        if column != "manifest_sha256" and want != got:
            report.error(where, f"udgaven {name}: kolonnen '{column}' er {_short(got)} i indekset, men "
                                f"{_short(want)} i manifestet; {REBUILD}")
    if len(found_items) != len(items):
        report.error(where, f"udgaven {name} har {count(len(found_items), 'punkt', 'punkter')} i indekset, men {len(items)} i "
                            f"manifestet; {REBUILD}")
    for want_item, got_item in zip(items, found_items, strict=False):
        for column, want, got in zip(index.ITEM_COLUMNS[:len(want_item)], want_item, got_item[:len(want_item)],
                                     strict=True):
            if want != got:
                report.error(where, f"udgaven {name}, punkt {want_item[1]}: kolonnen '{column}' er {_short(got)} i "
                                    f"indekset, men {_short(want)} i manifestet; {REBUILD}")


def _short(value: object, width: int = 60) -> str:
    if isinstance(value, str):
        flat = " ".join(value.split())
        return f"»{flat[:width]}{'…' if len(flat) > width else ''}«"
    return repr(value)


def verify_corrections(root: Path, conn_rows: dict[str, tuple[Any, ...]], caught_refused: list[Any],
                       report: Report) -> tuple[list[Path], set[Path]]:
    """Every stored correction (issue 14): its manifest re-derived from its signed PDF (hash, size, place, the
    built correction as a revision, who/why/what printed, signatures re-validated), the link (the version it
    corrects exists and its file still has the sha256 the correction recorded) and its index row. Returns the
    corrections' files checked and those with a problem."""
    from .correction_index import CORRECTION_PATH, all_corrections, compare
    from .recheck import recheck_correction

    checked_files: list[Path] = []
    bad: set[Path] = set()
    refused = {c.stored.relative: c for c in caught_refused}
    where_index = Location(root / index.INDEX)
    stored_all = all_corrections(root)
    for stored in stored_all:
        before = len(report.errors)
        checked_files.append(stored.pdf)
        checked = refused.get(stored.relative) or recheck_correction(stored)
        report.extend(checked.report)
        where = Location(stored.pdf)
        manifest = checked.manifest
        if manifest is not None:
            linked = manifest.get("retter")
            match = VERSION_PATH.fullmatch(linked) if isinstance(linked, str) else None
            target = Version(root, match[1], match[2], int(match[3])) if match else None
            if target is None or not target.folder.is_dir():
                report.error(where, f"rettelsen retter '{linked}', som ikke findes i arkivet")
            else:
                try:
                    if mf.sha256(target.pdf.read_bytes()) != manifest.get("retter_sha256"):
                        report.error(where, f"referatet, som rettelsen retter ({target.pdf}), har ikke den sha256, "
                                            "rettelsens manifest angiver som 'retter_sha256'")
                except OSError:
                    report.error(where, f"referatet, som rettelsen retter ({target.pdf}), mangler")
        if stored.relative in refused:
            report.error(Location(stored.folder), "rettelsen er ikke i søgeindekset: dens manifest stemmer ikke "
                                                  "med den underskrevne fil (se ovenfor)")
        elif manifest is not None and checked.hash_ok:
            compare(stored, manifest, checked.manifest_bytes, conn_rows.get(stored.relative), where_index, report)
        if len(report.errors) > before:
            bad.add(stored.pdf)
    known = {c.relative for c in stored_all}
    for path in sorted(set(conn_rows) - known):
        if CORRECTION_PATH.fullmatch(path):
            report.error(Location(root / path), "rettelsen står i søgeindekset, men mappen findes ikke i arkivet")
        else:
            report.error(where_index, f"søgeindekset har en rettelse med en ugyldig sti {path!r}; {REBUILD}")
    return checked_files, bad
