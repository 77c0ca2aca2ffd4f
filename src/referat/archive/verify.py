"""`archive verify`: re-hash every stored file and re-validate every signature against what was recorded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Location, ReferatError, Report
from ..signing.signatures import TRUSTED, load_roots, read_signatures
from . import index
from . import manifest as mf
from .store import Version, versions


@dataclass
class Outcome:
    checked: list[Version] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    reindexed: list[Version] = field(default_factory=list)


def verify(root: Path) -> Outcome:
    """Every version: file hash = manifest, manifest hash = index, signatures intact and as recorded."""
    out = Outcome()
    with index.opened(root) as conn:
        out.reindexed = index.catch_up(conn, root)
        indexed = {r.path: r for r in index.rows(conn)}
    stored = versions(root)
    for version in stored:
        out.checked.append(version)
        _verify_version(version, indexed.get(version.relative), out.report)
    for path in sorted(set(indexed) - {v.relative for v in stored}):
        out.report.error(Location(root / path), "udgaven står i søgeindekset, men mappen findes ikke i arkivet")
    return out


def _verify_version(version: Version, row: index.Row | None, report: Report) -> None:
    if not version.manifest.is_file():
        report.error(Location(version.folder), "ufuldstændig udgave: manifest.json mangler")
        return
    try:
        manifest = mf.load(version.manifest)
        manifest_bytes = version.manifest.read_bytes()
    except ReferatError as exc:  # reported; the other versions are still checked
        report.extend(exc.report)
        return
    if row is not None and row.manifest_sha256 != mf.sha256(manifest_bytes):
        report.error(Location(version.manifest), "manifestet er ændret siden arkiveringen (sha256 stemmer ikke "
                                                 "med søgeindekset)")
    pdf_path = version.folder / str(manifest.get("fil", version.pdf_name))
    try:
        data = pdf_path.read_bytes()
    except OSError:
        report.error(Location(pdf_path), "den arkiverede fil mangler")
        return
    if mf.sha256(data) != manifest.get("sha256"):
        report.error(Location(pdf_path), f"filen er ændret siden arkiveringen: sha256 {mf.sha256(data)[:16]}… "
                                         f"men manifestet har {str(manifest.get('sha256'))[:16]}…")
        return
    recorded = [s for s in manifest.get("underskrifter", []) if s.get("certifikat")]
    roots = [c for s in recorded if s.get("tillid") == TRUSTED and s.get("rodcertifikat")
             for c in load_roots(s["rodcertifikat"]["pem"].encode())]
    archived = dt.datetime.fromisoformat(manifest["arkiveret"])
    try:
        found = read_signatures(data, roots, moment=archived)
    except ValueError as exc:
        report.error(Location(pdf_path), str(exc))
        return
    if len(found) != len(recorded):
        report.error(Location(pdf_path), f"filen har {len(found)} underskrifter, manifestet {len(recorded)}")
        return
    for sig, entry in zip(found, recorded, strict=True):
        who = f"underskriften '{sig.field_name}' ({sig.name})"
        for problem in sig.problems:
            report.error(Location(pdf_path), f"{who}: {problem}")
        if sig.certificate.sha256 != entry["certifikat"]["sha256"]:
            report.error(Location(pdf_path), f"{who}: certifikatet er et andet end det registrerede")
        elif not sig.problems and sig.trust != entry.get("tillid"):
            report.error(Location(pdf_path), f"{who}: tillid '{sig.trust}', men registreret som '{entry.get('tillid')}'")
