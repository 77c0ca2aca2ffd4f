"""A stored version re-derived from its signed PDF: every manifest field that can be recomputed from the file
(its hash and size, its place in the archive, the items' titles, Åben/Lukket and decisions, the meeting it is
from, its signatures) is recomputed and compared. The manifest is derived data, like the index: it is trusted
only as far as the signed bytes confirm it."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Location, ReferatError, Report
from ..fileio import read_reason
from . import manifest as mf
from .store import Version

IDENTICAL, TEXT_MATCH, NOT_COMPARED = "byte-identisk", "tekst punkt for punkt", "ikke sammenlignet (scannet uden tekst)"
MIN_TEXT = 40  # fewer letters than this: an image-only (scanned) PDF
EOF_MARK = re.compile(rb"%%EOF[ \t]*(\r\n|\r|\n)?")


@dataclass(kw_only=True)
class _Rechecked:
    """A stored file's manifest and file as read, and every way the manifest disagrees with the file: what
    `Checked` (an archived version) and `CheckedCorrection` (a correction) share."""

    manifest: mf.Manifest | None = None
    manifest_bytes: bytes = b""
    pdf: bytes | None = None
    hash_ok: bool = False
    report: Report = field(default_factory=Report)

    @property
    def sound(self) -> bool:
        return self.manifest is not None and self.pdf is not None and not self.report.has_errors


@dataclass
class Checked(_Rechecked):
    """A stored version, its manifest and file as read, and every way the manifest disagrees with the file."""

    version: Version


def field_date(manifest: mf.Manifest, key: str, where: Location, report: Report,
               kind: type[dt.date | dt.datetime] = dt.date) -> Any:
    """A date field of a manifest, or None with a located Danish message."""
    value = manifest.get(key)
    try:
        if not isinstance(value, str):
            raise TypeError
        return (dt.datetime if kind is dt.datetime else dt.date).fromisoformat(value)
    except (TypeError, ValueError):
        shape = "en dato (ÅÅÅÅ-MM-DD)" if kind is dt.date else "et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm:ss+00:00)"
        report.error(where, f"feltet '{key}' er ikke {shape}: {value!r}")
        return None


# What `archive add` writes (checks.py, manifest.py, store.py); anything else was added by hand afterwards.
MANIFEST_KEYS = frozenset({
    "arkiveret", "bytes", "dato", "fil", "format", "punkter", "referat_sha256", "sagsnummer", "sammenligning",
    "sha256", "status", "tekstopdeling", "udgave", "udvalg", "udvalg_fulde_navn", "udvalg_navn", "underskrifter",
    "opfølgning",  # the decisions' follow-up tasks (issue 14), from the meeting data
    "data",  # the meeting data archived beside the signed file (issue 22; archive/snapshot.py)
    "langtid", "indgivet_sha256"})  # the long-term proof, the file as given before --tidsstempel (issue 25)
ITEM_KEYS = frozenset({"beslutning", "lukket", "nummer", "sagsnummer", "titel"})
SIGNER_KEYS = frozenset({"certifikat", "dækker", "dækker_bytes", "felt", "navn", "revision", "rodcertifikat", "rolle",
                         "tidspunkt", "tidsstempel", "tidsstempel_betroet", "tillid", "note", "underskriver", "niveau"})


def _unknown_keys(manifest: mf.Manifest, where: Location, report: Report) -> None:
    """A field the archive never writes is a change made after archiving (and could be shown by a later tool)."""
    def named(keys: set[str]) -> str:
        return ", ".join(repr(k) for k in sorted(keys)[:5]) + (" …" if len(keys) > 5 else "")

    extra = set(manifest) - MANIFEST_KEYS
    if extra:
        report.error(where, f"manifestet har feltet {named(extra)}, som arkivet ikke skriver; det er tilføjet "
                            "efter arkiveringen")
    for key, allowed, what in (("punkter", ITEM_KEYS, "punkt"), ("underskrifter", SIGNER_KEYS, "underskrift")):
        entries = manifest.get(key)
        for n, entry in enumerate(entries if isinstance(entries, list) else [], 1):
            extra = set(entry) - allowed if isinstance(entry, dict) else set()
            if extra:
                report.error(where, f"{what} nr. {n} i manifestet har feltet {named(extra)}, som arkivet ikke "
                                    "skriver; det er tilføjet efter arkiveringen")


def load(version: Version) -> Checked:
    """The version's manifest and file, read; the cheap checks done (hash, size, place, date)."""
    out = Checked(version)
    for path in (version.folder, version.manifest, version.pdf):
        if path.is_symlink():
            out.report.error(Location(path), "er en symbolsk henvisning; arkivet består kun af almindelige filer og "
                                             "mapper, og en henvisning følges ikke")
            return out
    if not version.manifest.is_file():
        out.report.error(Location(version.folder), "ufuldstændig udgave: manifest.json mangler")
        return out
    try:
        out.manifest = mf.load(version.manifest)
        out.manifest_bytes = version.manifest.read_bytes()
    except (ReferatError, OSError) as exc:
        if isinstance(exc, ReferatError):
            out.report.extend(exc.report)
        else:
            out.report.error(Location(version.manifest), f"manifestet kan ikke læses ({read_reason(exc)})")
        out.manifest = None
        return out
    manifest, where = out.manifest, Location(version.manifest)
    day = field_date(manifest, "dato", where, out.report)
    field_date(manifest, "arkiveret", where, out.report, dt.datetime)
    expected = {"udvalg": version.committee, "udgave": version.number, "fil": version.pdf_name}
    if day is not None:
        expected["dato"] = version.date
    for key, value in expected.items():
        if manifest.get(key) != value or type(manifest.get(key)) is not type(value):
            report_value = manifest.get(key)
            out.report.error(where, f"feltet '{key}' er {report_value!r}, men udgaven ligger som {value!r} i arkivet")
    _unknown_keys(manifest, where, out.report)
    pdf_path = version.pdf  # never a name from the manifest: a path out of the folder must not be followed
    try:
        out.pdf = pdf_path.read_bytes()
    except OSError:
        out.report.error(Location(pdf_path), "den arkiverede fil mangler")
        return out
    digest = mf.sha256(out.pdf)
    if digest != manifest.get("sha256"):
        out.report.error(Location(pdf_path), f"filen er ændret siden arkiveringen: sha256 {digest[:16]}… "
                                             f"men manifestet har {str(manifest.get('sha256'))[:16]}…")
        return out
    out.hash_ok = True
    from .snapshot import check_snapshot  # the data archived with the minutes, each file against its sha256

    check_snapshot(version, manifest, out.report)
    if manifest.get("bytes") != len(out.pdf):
        out.report.error(where, f"feltet 'bytes' er {manifest.get('bytes')!r}, men filen har {len(out.pdf)} bytes")
    return out


def recheck_text(checked: Checked) -> None:
    """The items, the meeting and the comparison route the manifest records, re-derived from the PDF's text."""
    from .text import (
        Expected,
        Keyed,
        Layout,
        compare_items,
        front_difference,
        pdf_keywords,
        pdf_lines,
        running_header,
    )
    from .text import _page_lines as page_lines

    manifest, data = checked.manifest, checked.pdf
    if manifest is None or data is None:
        return
    where = Location(checked.version.manifest)
    report = checked.report
    try:
        layout = Layout.from_json(manifest.get("tekstopdeling")) or _profile_layout(manifest)
        lines = pdf_lines(data, page=layout.page) if layout is not None else pdf_lines(data)
    except Exception as exc:  # noqa: BLE001 - a damaged PDF from an untrusted copy: a message, not a traceback
        report.error(Location(checked.version.pdf), f"PDF'ens tekst kan ikke læses ({type(exc).__name__})")
        return
    letters = sum(c.isalnum() for line in lines for c in line)
    route = manifest.get("sammenligning")
    if route == NOT_COMPARED:
        if letters >= MIN_TEXT:
            report.error(where, f"manifestet siger '{NOT_COMPARED}', men PDF'en har tekst; punkterne skulle være "
                                "sammenlignet")
        elif manifest.get("status") != mf.SCANNED:
            report.error(where, f"en PDF uden tekst er registreret som '{manifest.get('status')}', ikke '{mf.SCANNED}'")
        return
    if route not in (IDENTICAL, TEXT_MATCH):
        report.error(where, f"feltet 'sammenligning' har en ukendt værdi: {route!r}")
        return
    if route == IDENTICAL and not _has_revision(data, manifest.get("referat_sha256")):
        report.error(where, "manifestet siger 'byte-identisk', men ingen revision af filen har den sha256, "
                            "manifestet angiver som 'referat_sha256'")
    if layout is None:
        report.error(where, "feltet 'tekstopdeling' mangler eller er ugyldigt, og udvalgsprofilen findes ikke; "
                            "punkterne kan ikke kontrolleres mod PDF'en")
        return
    day = field_date(manifest, "dato", where, Report())
    name, short = manifest.get("udvalg_fulde_navn"), manifest.get("udvalg_navn")
    if day is not None and isinstance(name, str) and isinstance(short, str):
        problem = front_difference(lines, name, day, short, pdf_keywords(data))
        header, pages = running_header(data), page_lines(data)
        if header is None and len(pages) >= 2 and pages[-1]:
            header = pages[-1][0]  # short minutes: one page after the front page and contents carries the header
        if not problem and len(pages) == 1:
            # one page: the front page only, which has no running header
            if Keyed(short).key not in Keyed(" ".join(lines)).key:
                problem = f"den eneste side i PDF'en nævner ikke {short}"
        elif not problem and (header is None or Keyed(short).key not in Keyed(header).key):
            problem = f"sidehovedet i PDF'en ({header or 'intet'}) nævner ikke {short}"
        if problem:
            report.error(where, f"manifestets møde stemmer ikke med PDF'en: {problem}")
    else:
        report.error(where, "felterne 'udvalg_fulde_navn', 'udvalg_navn' og 'dato' skal være tekst")
    items = manifest.get("punkter")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        report.error(where, "feltet 'punkter' er ikke en liste af punkter")
        return
    try:
        expected = [Expected(str(i["nummer"]), layout.label.format(nummer=i["nummer"]), str(i["titel"]),
                             str(i.get("beslutning") or ""), i.get("lukket") is True,
                             str(i["sagsnummer"]) if i.get("sagsnummer") else None) for i in items]
    except (KeyError, ValueError, IndexError):
        report.error(where, "et punkt i feltet 'punkter' mangler 'nummer' eller 'titel'")
        return
    difference = compare_items(lines, expected, layout)
    if difference:
        report.error(where, f"manifestets punkter stemmer ikke med den underskrevne PDF: "
                            f"{difference.replace('mødet', 'manifestet')}")


def _has_revision(data: bytes, digest: object) -> bool:
    """Whether some revision of `data` (its bytes up to an end-of-file marker) hashes to `digest`."""
    if not isinstance(digest, str):
        return False
    for match in EOF_MARK.finditer(data):
        for end in {match.start() + 5, match.end()}:
            if mf.sha256(data[:end]) == digest:
                return True
    return False


def _profile_layout(manifest: mf.Manifest) -> Any:
    """For manifests written before 'tekstopdeling' was recorded: the committee profile's layout."""
    from ..load.profile import load_profile, template_dirs
    from .text import Layout

    committee = manifest.get("udvalg")
    if not isinstance(committee, str) or not re.fullmatch(r"[\w-]+", committee):
        return None
    profile = load_profile(committee, template_dirs(Path.cwd()), Location(Path(committee)), Report())
    if profile is None:
        return None
    return Layout.from_profile(profile)


def recheck_signatures(checked: Checked) -> None:
    """The signatures re-validated — intact, covering, the same certificates, signers, roles and trust —
    against the roots stored in the manifest, at the moment of archiving; and the status they give."""
    manifest, data = checked.manifest, checked.pdf
    if manifest is None or data is None:
        return
    recheck_signers(manifest, data, Location(checked.version.pdf), Location(checked.version.manifest),
                    checked.report, status=True)
    given = manifest.get("indgivet_sha256")
    if given is not None and not _has_revision(data, given):
        checked.report.error(Location(checked.version.manifest),
                             "ingen revision af filen har den sha256, manifestet angiver som 'indgivet_sha256' (filen, "
                             "som den blev givet til 'archive add')")


def recheck_signers(manifest: mf.Manifest, data: bytes, pdf_where: Location, where: Location, report: Report,
                    status: bool = False) -> list[Any] | None:
    """The signatures of `data` re-validated against the roots the manifest stored, at its moment of archiving,
    and compared field by field with its `underskrifter` (a version's, or a correction's); with `status`, the
    manifest's `status` must agree too. None when they cannot be read at all (reported)."""
    from ..errors import SignatureError
    from ..signing.signatures import TRUSTED, load_roots, read_signatures

    entries = manifest.get("underskrifter")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        report.error(where, "feltet 'underskrifter' er ikke en liste")
        return None
    recorded = [s for s in entries if isinstance(s.get("certifikat"), dict)]
    scanned = any(s.get("tillid") == mf.SCANNED for s in entries)
    try:
        roots = [c for s in recorded if s.get("tillid") == TRUSTED and isinstance(s.get("rodcertifikat"), dict)
                 for c in load_roots(str(s["rodcertifikat"].get("pem", "")).encode())]
    except (ValueError, TypeError):
        report.error(where, "et rodcertifikat i manifestet kan ikke læses")
        return None
    archived = field_date(manifest, "arkiveret", where, Report(), dt.datetime)
    if archived is None:
        return None  # reported by load()
    try:
        found = read_signatures(data, roots, moment=archived)
    except SignatureError as exc:
        report.error(pdf_where, exc.message)
        return None
    except Exception as exc:  # noqa: BLE001 - a malformed signature from an untrusted copy: a message
        report.error(pdf_where, f"underskrifterne kan ikke læses ({type(exc).__name__})")
        return None
    if status:
        value = manifest.get("status")
        if found and not scanned and value != mf.VERIFIED:
            report.error(where, f"feltet 'status' er {value!r}, men filen er digitalt underskrevet ('{mf.VERIFIED}')")
        elif scanned and value != mf.SCANNED:
            report.error(where, f"feltet 'status' er {value!r}, men udgaven er en scannet kopi ('{mf.SCANNED}')")
        elif not found and not scanned:
            report.error(where, "manifestet registrerer ingen scannet kopi, men filen har ingen digital underskrift")
    elif not found:
        report.error(pdf_where, "filen har ingen digital underskrift")
    if len(found) != len(recorded):
        report.error(pdf_where, f"filen har {len(found)} underskrifter, manifestet {len(recorded)}")
        return found
    levels = _levels(manifest, data, archived, where, report)
    for sig, entry in zip(found, recorded, strict=True):
        who = f"underskriften '{sig.field_name}' ({sig.name})"
        for key, derived in (("underskriver", sig.certificate_name), ("niveau", levels.get(sig.field_name))):
            if key in entry and entry[key] != derived:
                report.error(where, f"{who}: feltet '{key}' er {entry[key]!r} i manifestet, men {derived!r} i filen")
        for problem in sig.problems:
            report.error(pdf_where, f"{who}: {problem}")
        if sig.certificate.sha256 != entry["certifikat"].get("sha256"):
            report.error(pdf_where, f"{who}: certifikatet er et andet end det registrerede")
            continue
        if not sig.problems and sig.trust != entry.get("tillid"):
            report.error(pdf_where, f"{who}: tillid '{sig.trust}', men registreret som '{entry.get('tillid')}'")
        cert, recorded_cert = sig.certificate, entry["certifikat"]
        anchor = entry.get("rodcertifikat") if isinstance(entry.get("rodcertifikat"), dict) else {}
        for key, value, found_value in (
                ("felt", entry.get("felt"), sig.field_name), ("navn", entry.get("navn"), sig.name),
                ("rolle", entry.get("rolle"), sig.role), ("tidspunkt", entry.get("tidspunkt"), sig.signed_at),
                ("tidsstempel", entry.get("tidsstempel"), sig.timestamp),
                ("revision", entry.get("revision"), sig.revision), ("dækker", entry.get("dækker"), sig.coverage),
                ("dækker_bytes", entry.get("dækker_bytes"), sig.covered_bytes),
                ("certifikat.emne", recorded_cert.get("emne"), cert.subject),
                ("certifikat.udsteder", recorded_cert.get("udsteder"), cert.issuer),
                ("certifikat.serienummer", recorded_cert.get("serienummer"), cert.serial),
                ("certifikat.gyldig_fra", recorded_cert.get("gyldig_fra"), cert.valid_from),
                ("certifikat.gyldig_til", recorded_cert.get("gyldig_til"), cert.valid_to),
                ("rodcertifikat.sha256", (anchor or {}).get("sha256"), sig.anchor.sha256 if sig.anchor else None)):
            if value != found_value and not (key == "rodcertifikat.sha256" and sig.problems):
                report.error(where, f"{who}: feltet '{key}' er {value!r} i manifestet, men {found_value!r} i filen")
        for moment in (sig.signed_at, sig.timestamp):
            if moment and _after(moment, archived):
                report.error(where, f"{who}: underskrevet {moment}, men 'arkiveret' er {manifest.get('arkiveret')}; "
                                    "en fil kan ikke være arkiveret, før den blev underskrevet")
    return found


def _levels(manifest: mf.Manifest, data: bytes, archived: dt.datetime, where: Location,
            report: Report) -> dict[str, str]:
    """Each signature's PAdES level as the file proves it at the moment of archiving (with the roots the manifest
    stored), and the manifest's `langtid` compared with what the same proof gives."""
    from ..signing.longterm import prove

    recorded = manifest.get("langtid")
    entries = manifest.get("underskrifter")
    if recorded is None and not any(isinstance(e, dict) and "niveau" in e
                                    for e in (entries if isinstance(entries, list) else [])):
        return {}  # archived before levels were recorded
    proof = prove(data, mf.stored_roots(manifest), archived + ARCHIVE_SLACK)
    if isinstance(recorded, dict):
        derived = mf.longterm_entry(proof)
        for key in ("niveau", "beskyttet_til", "tidsstempler"):
            if recorded.get(key) != derived[key]:
                report.error(where, f"feltet 'langtid.{key}' er {_brief(recorded.get(key))} i manifestet, men "
                                    f"{_brief(derived[key])} i filen")
    elif recorded is not None:
        report.error(where, "feltet 'langtid' er ikke et objekt")
    return {p.field_name: p.level for p in proof.signatures}


ARCHIVE_SLACK = dt.timedelta(minutes=5)  # 'arkiveret' is set after the file's last timestamp; a clock may differ


def _brief(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 80 else text[:80] + "…"


def recheck(version: Version, signatures: bool = True) -> Checked:
    """Every recomputable field of the version's manifest, compared with its signed PDF."""
    checked = load(version)
    if checked.hash_ok:
        recheck_text(checked)
        if signatures:
            recheck_signatures(checked)
    return checked


def closed_items(manifest: mf.Manifest, data: bytes) -> str | None:
    """Why signed minutes from the archive may not go into a public output, or None.

    Whether an item is closed is read from the signed PDF itself — every item's heading carries an 'Åben' or
    'Lukket' line — never from the manifest alone (which can be edited): either saying 'closed' is enough, and
    a PDF without text, which cannot say, is refused too.
    """
    from ..view import labels as L
    from .text import pdf_lines

    try:
        lines = pdf_lines(data)
    except Exception:  # noqa: BLE001 - a PDF that cannot be read cannot say it has no closed items
        return "kan ikke læses som tekst, så det kan ikke afgøres, om det har lukkede punkter"
    if sum(c.isalnum() for line in lines for c in line) < MIN_TEXT:
        return "er en scannet kopi uden tekst, så det kan ikke afgøres, om det har lukkede punkter"
    closed_in_pdf = sum(1 for line in lines if line == L.CLOSED)
    if closed_in_pdf:
        return f"har {closed_in_pdf} lukkede punkter (ifølge den underskrevne PDF)"
    items = manifest.get("punkter")
    if not isinstance(items, list) or any(not isinstance(i, dict) or i.get("lukket") is not False for i in items):
        return "har lukkede punkter ifølge manifestet, eller manifestet kan ikke afgøre det"
    return None


def _after(moment: str, archived: dt.datetime) -> bool:
    try:
        when = dt.datetime.fromisoformat(moment)
    except ValueError:
        return False
    if when.tzinfo is None or archived.tzinfo is None:
        return False
    return when > archived + dt.timedelta(minutes=5)  # a signer's clock may run a little fast


# What `correction archive` writes (correction.py); anything else was added by hand afterwards.
CORRECTION_KEYS = frozenset({
    "arkiveret", "begrundelse", "bytes", "dato", "fil", "format", "rettelse", "rettelse_sha256", "retter",
    "retter_sha256", "rettelser", "rettet_af", "sha256", "udvalg", "underskrifter", "langtid"})


@dataclass
class CheckedCorrection(_Rechecked):
    """A stored correction, its manifest and file as read, and every way the manifest disagrees with the file."""

    stored: Any  # correction_index.StoredCorrection


def recheck_correction(stored: Any, signatures: bool = True) -> CheckedCorrection:
    """Every recomputable field of a correction's manifest, compared with its signed PDF: its place, hash and
    size, that the built correction (`rettelse_sha256`) is a revision of the file, that the PDF prints who
    corrects, why and what, and its signatures (re-validated at the moment of archiving). Whether the version it
    corrects is still there is the link, checked by `verify`."""
    from .correction_index import FORMAT, PDF_NAME

    out = CheckedCorrection(stored)
    report = out.report
    for path in (stored.folder, stored.manifest_path, stored.pdf):
        if path.is_symlink():
            report.error(Location(path), "er en symbolsk henvisning; arkivet består kun af almindelige filer og "
                                         "mapper, og en henvisning følges ikke")
            return out
    where = Location(stored.manifest_path)
    try:
        out.manifest_bytes = stored.manifest_path.read_bytes()
        manifest = json.loads(out.manifest_bytes)
    except FileNotFoundError:
        report.error(Location(stored.folder), "ufuldstændig rettelse: manifest.json mangler")
        return out
    except (OSError, ValueError, RecursionError) as exc:
        report.error(where, f"manifestet kan ikke læses ({type(exc).__name__})")
        return out
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        report.error(where, f"ukendt manifestformat (forventede '{FORMAT}')")
        return out
    out.manifest = manifest
    field_date(manifest, "dato", where, report)
    field_date(manifest, "arkiveret", where, report, dt.datetime)
    for key, value in (("udvalg", stored.committee), ("dato", stored.date), ("rettelse", stored.number),
                       ("fil", PDF_NAME)):
        if manifest.get(key) != value or type(manifest.get(key)) is not type(value):
            report.error(where, f"feltet '{key}' er {manifest.get(key)!r}, men rettelsen ligger som {value!r} i "
                                "arkivet")
    extra = set(manifest) - CORRECTION_KEYS
    if extra:
        report.error(where, f"manifestet har feltet {', '.join(repr(k) for k in sorted(extra)[:5])}, som arkivet "
                            "ikke skriver; det er tilføjet efter arkiveringen")
    linked = manifest.get("retter")
    if not isinstance(linked, str) or not re.fullmatch(
            rf"{re.escape(stored.committee)}/{re.escape(stored.date)}/udgave-\d+", linked):
        report.error(where, f"feltet 'retter' er {linked!r}; en rettelse retter en udgave af samme møde "
                            f"({stored.committee}/{stored.date}/udgave-N)")
    for key in ("rettet_af", "begrundelse", "retter_sha256", "rettelse_sha256"):
        if not isinstance(manifest.get(key), str) or not manifest.get(key):
            report.error(where, f"feltet '{key}' mangler eller er ikke tekst")
    points = manifest.get("rettelser")
    if not isinstance(points, list) or not points or not all(
            isinstance(p, dict) and isinstance(p.get("punkt"), str) and isinstance(p.get("tekst"), str) for p in points):
        report.error(where, "feltet 'rettelser' er ikke en liste af rettelser (punkt og tekst)")
        points = []
    try:
        out.pdf = stored.pdf.read_bytes()
    except OSError:
        report.error(Location(stored.pdf), "rettelsens fil mangler")
        return out
    digest = mf.sha256(out.pdf)
    if digest != manifest.get("sha256"):
        report.error(Location(stored.pdf), f"rettelsen er ændret siden arkiveringen: sha256 {digest[:16]}… men "
                                           f"manifestet har {str(manifest.get('sha256'))[:16]}…")
        return out
    out.hash_ok = True
    if manifest.get("bytes") != len(out.pdf):
        report.error(where, f"feltet 'bytes' er {manifest.get('bytes')!r}, men filen har {len(out.pdf)} bytes")
    if not _has_revision(out.pdf, manifest.get("rettelse_sha256")):
        report.error(where, "ingen revision af filen har den sha256, manifestet angiver som 'rettelse_sha256' "
                            "(den byggede rettelse)")
    _correction_text(out, points, where)
    if signatures:
        recheck_signers(manifest, out.pdf, Location(stored.pdf), where, report)
    return out


def _correction_text(checked: CheckedCorrection, points: list[Any], where: Location) -> None:
    """Who corrects, why and what, as the manifest says, must be printed in the signed PDF."""
    from ..text.richtext import parse, plain_text
    from .text import Keyed, pdf_text

    assert checked.manifest is not None and checked.pdf is not None
    try:
        printed = Keyed(pdf_text(checked.pdf)).key
    except Exception as exc:  # noqa: BLE001 - a damaged PDF from an untrusted copy: a message, not a traceback
        checked.report.error(Location(checked.stored.pdf), f"PDF'ens tekst kan ikke læses ({type(exc).__name__})")
        return
    fields = [("rettet_af", checked.manifest.get("rettet_af")), ("begrundelse", checked.manifest.get("begrundelse"))]
    fields += [(f"rettelser[{n}].tekst (punkt {p['punkt']})", p["tekst"]) for n, p in enumerate(points)]
    for key, value in fields:
        if not isinstance(value, str):
            continue
        wanted = Keyed(plain_text(parse(value))).key
        if wanted not in printed:
            checked.report.error(where, f"feltet '{key}' er »{' '.join(value.split())[:60]}« i manifestet, men den "
                                        "underskrevne rettelse siger det ikke")
