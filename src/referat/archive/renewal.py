"""Keeping archived signatures provable: renewals (`archive renew`) and the long-term check of `archive verify`.

A signature stays provable only while the newest timestamp over it can be checked; a timestamp's certificate
expires (after a few years, at the latest when its CA's does). A renewal adds a new document timestamp, with
fresh validation data for the previous one, before that happens. The archive is append-only, so the stored file
is never rewritten: each renewal is a new file beside it — the previous file byte for byte plus one incremental
update — in a folder of its own, moved into place with one rename:

    arkiv/<udvalg>/<dato>/udgave-N/fornyelse-K/referat-signeret[-N].pdf + fornyelse.json
    arkiv/<udvalg>/<dato>/rettelse-N/fornyelse-K/rettelse-signeret.pdf + fornyelse.json

The archived file, its sha256 (journalised) and its manifest stay as they are; the newest renewal is what is
proven. `fornyelse.json` records what it was made from (`grundlag_sha256`), its hash, the timestamp server and
the long-term proof (as in the manifest's `langtid`); `archive verify` re-derives all of it from the files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Location, OutputError, ReferatError, Report
from ..fileio import os_reason, read_reason
from . import manifest as mf
from .store import MANIFEST, STAGING, _fsync_dir, _write_new, versions

if TYPE_CHECKING:
    from asn1crypto import x509

    from ..signing.longterm import Proof

FORMAT = "referat-fornyelse/1"
RECORD = "fornyelse.json"
RENEWAL_DIR = re.compile(r"^fornyelse-(\d+)$")
RECORD_KEYS = frozenset({"format", "fornyelse", "fil", "grundlag_sha256", "sha256", "bytes", "fornyet",
                         "tidsstempelserver", "langtid"})


@dataclass(frozen=True)
class Renewable:
    """Something archived whose signatures can be renewed: a version of the minutes or a correction."""

    folder: Path  # udgave-N or rettelse-N
    pdf_name: str
    label: str  # for messages: 'udgave 1' or 'rettelse 1'

    @property
    def pdf(self) -> Path:
        return self.folder / self.pdf_name

    @property
    def manifest(self) -> Path:
        return self.folder / MANIFEST


@dataclass(frozen=True)
class Renewal:
    folder: Path
    number: int
    pdf_name: str

    @property
    def pdf(self) -> Path:
        return self.folder / self.pdf_name

    @property
    def record(self) -> Path:
        return self.folder / RECORD


def renewables(root: Path) -> list[Renewable]:
    """Every stored version and correction of the archive."""
    from .correction_index import PDF_NAME, all_corrections

    found = [Renewable(v.folder, v.pdf_name, f"udgave {v.number}") for v in versions(root)]
    found += [Renewable(c.folder, PDF_NAME, f"rettelse {c.number}") for c in all_corrections(root)]
    return found


def renewals(item: Renewable) -> list[Renewal]:
    """The renewal folders of a stored version or correction, by number."""
    if not item.folder.is_dir():
        return []
    found = [Renewal(p, int(m[1]), item.pdf_name) for p in item.folder.iterdir()
             if (m := RENEWAL_DIR.match(p.name)) and p.is_dir()]
    return sorted(found, key=lambda r: r.number)


# --- reading and checking ----------------------------------------------------------------------------------------


@dataclass
class Chain:
    """A stored file and its renewals as read and checked: the newest bytes, every record, the roots they name."""

    newest: bytes
    newest_path: Path
    records: list[dict[str, Any]] = field(default_factory=list)
    report: Report = field(default_factory=Report)


def read_chain(item: Renewable, base: bytes) -> Chain:
    """The renewals of `item` on top of its archived bytes `base`, each checked: a regular folder, a readable record
    of this format, the file the record's hash and size, the previous file byte for byte at its start (and the
    record's `grundlag_sha256` its hash), and nothing appended but validation data and document timestamps. The
    newest sound file is what the long-term check proves."""
    out = Chain(base, item.pdf)
    previous = base
    for renewal in renewals(item):
        where = Location(renewal.record)
        if any(p.is_symlink() for p in (renewal.folder, renewal.record, renewal.pdf)):
            out.report.error(Location(renewal.folder), "er en symbolsk henvisning; arkivet består kun af almindelige "
                                                       "filer og mapper, og en henvisning følges ikke")
            break
        try:
            record = json.loads(renewal.record.read_bytes())
        except FileNotFoundError:
            out.report.error(Location(renewal.folder), f"ufuldstændig fornyelse: {RECORD} mangler")
            break
        except (OSError, ValueError, RecursionError) as exc:
            why = read_reason(exc) if isinstance(exc, OSError) else "ugyldig JSON"
            out.report.error(where, f"fornyelsen kan ikke læses ({why})")
            break
        if not isinstance(record, dict) or record.get("format") != FORMAT:
            out.report.error(where, f"ukendt format (forventede '{FORMAT}')")
            break
        extra = set(record) - RECORD_KEYS
        if extra:
            out.report.error(where, f"fornyelsen har feltet {', '.join(repr(k) for k in sorted(extra))}, som arkivet "
                                    "ikke skriver; det er tilføjet bagefter")
        for key, value in (("fornyelse", renewal.number), ("fil", renewal.pdf_name)):
            if record.get(key) != value:
                out.report.error(where, f"feltet '{key}' er {record.get(key)!r}, men fornyelsen ligger som {value!r}")
        try:
            data = renewal.pdf.read_bytes()
        except OSError:
            out.report.error(Location(renewal.pdf), "den fornyede fil mangler")
            break
        if mf.sha256(data) != record.get("sha256") or record.get("bytes") != len(data):
            out.report.error(Location(renewal.pdf), "filen er ændret siden fornyelsen: dens sha256 eller størrelse "
                                                    "stemmer ikke med fornyelse.json")
            break
        if not data.startswith(previous) or record.get("grundlag_sha256") != mf.sha256(previous):
            out.report.error(Location(renewal.pdf), "den fornyede fil begynder ikke med den fil, den fornyer, byte for "
                                                    "byte; en fornyelse må kun tilføje")
            break
        problem = _only_appended_proof(previous, data)
        if problem:
            out.report.error(Location(renewal.pdf), problem)
            break
        out.records.append(record)
        out.newest, out.newest_path, previous = data, renewal.pdf, data
    return out


def _only_appended_proof(previous: bytes, data: bytes) -> str | None:
    """Why what a renewal appended is more than validation data and document timestamps (None when it is not)."""
    from ..signing.longterm import appended_problem

    return appended_problem(previous, data)


def roots_of(manifest: mf.Manifest, records: list[dict[str, Any]],
             extra: list[x509.Certificate] | None = None) -> list[x509.Certificate]:
    """The roots to prove a file with: those its manifest stored, those its renewals recorded, and `extra`."""
    found = {c.sha256: c for c in mf.stored_roots(manifest)}
    for record in records:
        found.update({c.sha256: c for c in mf.stored_roots({"langtid": record.get("langtid")})})
    found.update({c.sha256: c for c in extra or []})
    return list(found.values())


@dataclass
class Status:
    """The long-term state of one stored file, as `archive verify` and `archive list` say it."""

    level: str | None
    until: dt.datetime | None
    renewals: int
    due: bool
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """'PAdES B-LTA, beskyttet til 06.12.2029 (fornyet 1 gang)'."""
        parts = [f"PAdES {self.level}" if self.level else "uden digitale underskrifter"]
        if self.until is not None:
            parts.append(f"beskyttet til {self.until:%d.%m.%Y}")
        text = ", ".join(parts)
        if self.renewals:
            text += f" (fornyet {self.renewals} {'gang' if self.renewals == 1 else 'gange'})"
        return text


def due(proof: Proof, before: dt.datetime) -> bool:
    """Whether a file needs a renewal before `before`: it has signatures and no document timestamp holding them
    that long (B-B, B-T and B-LT files always; B-LTA files when their newest timestamp expires before then)."""
    from ..signing.longterm import B_LTA

    if proof.level is None:
        return False
    return proof.level != B_LTA or proof.until is None or proof.until < before


def status(item: Renewable, manifest: mf.Manifest, base: bytes, at: dt.datetime | None = None,
           report: Report | None = None) -> Status:
    """The renewals read and checked (into `report`), and the newest file proven offline at `at` (default now)."""
    from ..signing.longterm import RENEW_MARGIN, now, prove

    at = at or now()
    chain = read_chain(item, base)
    if report is not None:
        report.extend(chain.report)
    proof = prove(chain.newest, roots_of(manifest, chain.records), at)
    problems = [*proof.problems, *(f"underskriften '{s.field_name}': {p}" for s in proof.signatures for p in s.problems)]
    return Status(proof.level, proof.until, len(chain.records), due(proof, at + RENEW_MARGIN), problems)


# --- renewing ----------------------------------------------------------------------------------------------------


@dataclass
class Renewed:
    """What `archive renew` did with one stored file."""

    item: Renewable
    status: Status | None = None
    renewal: Renewal | None = None
    skipped: str | None = None  # why nothing was done ('ikke nødvendig', a problem)


def renew(root: Path, url: str | None, before: dt.datetime, extra_roots: list[x509.Certificate]) -> list[Renewed]:
    """Renew every stored file whose proof ends before `before` (or that has no document timestamp yet), under
    the archive's lock. A file that cannot be renewed is named with the reason; the others are renewed."""
    from .store import clear_staging, locked

    out: list[Renewed] = []
    with locked(root):
        clear_staging(root)
        for item in renewables(root):
            out.append(_renew_one(root, item, url, before, extra_roots))
    return out


def _renew_one(root: Path, item: Renewable, url: str | None, before: dt.datetime,
               extra_roots: list[x509.Certificate]) -> Renewed:
    from ..signing.longterm import extend, now, prove
    from ..signing.timestamp import UrlTimeStamper

    done = Renewed(item)
    try:
        manifest = json.loads(item.manifest.read_bytes())
        base = item.pdf.read_bytes()
    except (OSError, ValueError) as exc:
        done.skipped = f"kan ikke læses ({type(exc).__name__}); kør 'referat archive verify'"
        return done
    if not isinstance(manifest, dict) or mf.sha256(base) != manifest.get("sha256"):
        done.skipped = "filen stemmer ikke med sit manifest; kør 'referat archive verify'"
        return done
    chain = read_chain(item, base)
    if chain.report.has_errors:
        done.skipped = chain.report.errors[0].message + "; kør 'referat archive verify'"
        return done
    roots = roots_of(manifest, chain.records, extra_roots)
    proof = prove(chain.newest, roots)
    if not due(proof, before):
        done.status = Status(proof.level, proof.until, len(chain.records), False)
        done.skipped = "ikke nødvendig"
        return done
    server = url or _last_server(manifest, chain.records)
    if server is None:
        done.skipped = ("ingen tidsstempelserver er brugt til filen før; angiv den med --tidsstempel URL")
        return done
    where = Location(chain.newest_path)
    try:
        data = extend(chain.newest, UrlTimeStamper(server, where=where), roots, where)
    except ReferatError as exc:
        done.skipped = exc.message or str(exc)
        return done
    after = prove(data, roots)
    earlier = renewals(item)
    number = earlier[-1].number + 1 if earlier else 1
    record = {"format": FORMAT, "fornyelse": number, "fil": item.pdf_name, "grundlag_sha256": mf.sha256(chain.newest),
              "sha256": mf.sha256(data), "bytes": len(data),
              "fornyet": now().replace(microsecond=0).isoformat(), "tidsstempelserver": server,
              "langtid": mf.longterm_entry(after)}
    done.renewal = _store(root, item, number, data, record)
    done.status = Status(after.level, after.until, number, False)
    return done


def _last_server(manifest: mf.Manifest, records: list[dict[str, Any]]) -> str | None:
    """The timestamp server used last for a file: its newest renewal's, else the one of `archive add`."""
    for record in reversed(records):
        if isinstance(record.get("tidsstempelserver"), str):
            return str(record["tidsstempelserver"])
    longterm = manifest.get("langtid")
    server = longterm.get("tidsstempelserver") if isinstance(longterm, dict) else None
    return server if isinstance(server, str) else None


def _store(root: Path, item: Renewable, number: int, data: bytes, record: dict[str, Any]) -> Renewal:
    """Write the renewal into staging, fsynced and read-only, and move it into place with one rename."""
    target = item.folder / f"fornyelse-{number}"
    staging = root / STAGING / uuid.uuid4().hex
    inner = staging / target.name
    try:
        inner.mkdir(parents=True)
        for name, content in ((item.pdf_name, data), (RECORD, mf.dumps(record))):
            _write_new(inner / name, content)  # read-only, fsynced, never over a file
        _fsync_dir(inner)
        os.rename(inner, target)
        _fsync_dir(target.parent)
    except OSError as exc:
        raise OutputError(f"fornyelsen kunne ikke gemmes i arkivet ({os_reason(exc)}); arkivet er uændret",
                          Location(target)) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Renewal(target, number, item.pdf_name)


def newest_records(item: Renewable) -> Iterator[dict[str, Any]]:
    """The renewal records of `item` as stored (unchecked), oldest first: for listing only."""
    for renewal in renewals(item):
        try:
            record = json.loads(renewal.record.read_bytes())
        except (OSError, ValueError, RecursionError):
            continue
        if isinstance(record, dict):
            yield record


def recorded(folder: Path, pdf_name: str, manifest: mf.Manifest) -> str | None:
    """What the manifest and the renewal records say about a stored file's long-term proof, for `archive list`
    (which reads no PDF: `archive verify` proves it): 'PAdES B-LTA, beskyttet til 06.12.2029 (fornyet 1 gang)'."""
    records = list(newest_records(Renewable(folder, pdf_name, "")))
    longterm = (records[-1].get("langtid") if records else None) or manifest.get("langtid")
    if not isinstance(longterm, dict) or not longterm.get("niveau"):
        return None
    until = longterm.get("beskyttet_til")
    try:
        end = dt.datetime.fromisoformat(until) if isinstance(until, str) else None
    except ValueError:
        end = None
    return Status(str(longterm["niveau"]), end, len(records), False).summary()
