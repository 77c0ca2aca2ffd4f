"""What `archive add` checks before anything is stored: the right minutes, complete, signed and trusted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import x509

from ..diagnostics import Location, ReferatError, Report
from ..errors import InputError, SignatureError
from ..files.pdfcheck import pdf_problem
from ..model.meeting import Meeting
from ..signing.longterm import Proof
from ..signing.signatures import (
    EXPIRED,
    NOT_YET_VALID,
    SELF_SIGNED,
    TRUSTED,
    Signature,
    load_root_files,
    read_signatures,
)
from . import manifest as mf
from .recheck import IDENTICAL, MIN_TEXT, NOT_COMPARED, TEXT_MATCH
from .signers import SUBJECT_FIELD, SUBJECT_FIELDS
from .text import Layout, item_texts, pdf_text, printed_texts, text_difference


@dataclass
class Options:
    roots: list[Path]
    allow_self_signed: bool = False
    scanned: bool = False
    templates: list[Path] | None = None
    timestamp_url: str | None = None  # --tidsstempel: bring the file to B-LTA on the way in


@dataclass
class Examined:
    """A signed PDF that passed every check, with what the manifest records (`pdf` is what is stored: the file
    as given, or with validation data and a document timestamp added), and the warnings to print."""

    meeting: Meeting
    pdf: bytes
    manifest: mf.Manifest
    warnings: Report = field(default_factory=Report)
    upgraded: bool = False
    given: bytes = b""  # the file as given (what 'not the same file twice' compares)


def trust_roots(files: list[Path], meeting: Meeting) -> list[x509.Certificate]:
    """The trust anchors: --rodcertifikat files and the committee profile's 'rodcertifikater'."""
    return load_root_files([*files, *meeting.profile.trust_root_paths()])


def examine(meeting: Meeting, rebuilt: Callable[[], bytes], pdf_path: Path, options: Options) -> Examined:
    """Every check of the issue, all problems reported at once; a SignatureError when any fails. `meeting` is the
    checked meeting (in fase 'referat' every item has a decision), `rebuilt()` its minutes as the pipeline makes
    them now (the internal referat.pdf)."""
    report = Report()
    where = Location(pdf_path)
    if not meeting.is_minutes:
        raise InputError("mødet står i fasen 'dagsorden'; kun et referat kan arkiveres",
                         meeting.source.at(("fase",)))
    if not pdf_path.is_file():
        raise InputError("filen findes ikke", where)
    problem = pdf_problem(pdf_path)
    if problem:
        report.error(where, f"filen {problem}")
        raise SignatureError(report)
    data = pdf_path.read_bytes()
    made = rebuilt()
    comparison = _compare(data, made, meeting, options.scanned, where, report)
    roots = trust_roots(options.roots, meeting)
    signatures = _signatures(data, roots, options, where, report)
    if report.has_errors:
        raise SignatureError(report)
    given = data
    data, signatures, proof = _longterm(data, signatures, roots, options, where, report)
    if report.has_errors:
        raise SignatureError(report)
    levels = {p.field_name: p.level for p in proof.signatures} if proof is not None else {}
    manifest: mf.Manifest = {
        "format": mf.FORMAT,
        "udvalg": meeting.profile.id, "udvalg_navn": meeting.profile.short_name,
        "udvalg_fulde_navn": meeting.profile.name,
        "dato": meeting.date.isoformat(), "sagsnummer": meeting.case_number,
        "sha256": mf.sha256(data), "bytes": len(data),
        "arkiveret": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "status": mf.SCANNED if options.scanned else mf.VERIFIED,
        "sammenligning": comparison, "referat_sha256": mf.sha256(made),
        "underskrifter": [mf.signer_entry(s, levels.get(s.field_name)) for s in signatures]
        + ([mf.SCANNED_SIGNER] if options.scanned else []),
        "punkter": [mf.item_entry(i) for i in item_texts(meeting)],
        "tekstopdeling": Layout.of(meeting).to_json(),
    }
    if comparison != NOT_COMPARED:  # each item's whole text as the signed PDF prints it: searched (issue 24)
        for entry, text in zip(manifest["punkter"], printed_texts(data, meeting), strict=True):
            if text is not None:
                entry["tekst"] = text
    from ..lifecycle.followup import manifest_entries

    tasks = manifest_entries(meeting)
    if tasks:  # the decisions' follow-up tasks, from the meeting data (not part of the signed text)
        manifest["opfølgning"] = tasks
    if proof is not None:
        manifest["langtid"] = {**mf.longterm_entry(proof),
                               **({"tidsstempelserver": options.timestamp_url} if options.timestamp_url else {})}
    if data != given:
        manifest["indgivet_sha256"] = mf.sha256(given)
    return Examined(meeting, data, manifest, _claims(signatures, where), data != given, given)


def _longterm(data: bytes, signatures: list[Signature], roots: list[x509.Certificate], options: Options,
              where: Location, report: Report) -> tuple[bytes, list[Signature], Proof | None]:
    """With --tidsstempel, a file below B-LTA brought to B-LTA (validation data the signatures lack, fetched now,
    and a document timestamp over them, as incremental updates); then every signature's level, proven offline."""
    from ..signing.longterm import B_LTA, extend, prove
    from ..signing.timestamp import UrlTimeStamper

    if not signatures:
        return data, signatures, None
    proof = prove(data, roots)
    if options.timestamp_url and proof.level != B_LTA:
        try:
            data = extend(data, UrlTimeStamper(options.timestamp_url, where=where), roots, where)
        except SignatureError as exc:
            report.extend(exc.report)
            return data, signatures, proof
        except ReferatError as exc:
            report.error(where, exc.message)
            return data, signatures, proof
        signatures = _signatures(data, roots, options, where, report)
        proof = prove(data, roots)
    return data, signatures, proof


def _claims(signatures: list[Signature], where: Location) -> Report:
    """A warning for each signature whose typed name is not the certificate's: the archive shows the
    certificate's name, and the typed one only as "oplyst"."""
    report = Report()
    for s in signatures:
        if s.claimed:
            report.warning(where, f"underskriften '{s.field_name}' er lavet med certifikatet for "
                                  f"»{s.certificate_name}«, men navnet »{s.claimed}« blev oplyst ved "
                                  "underskrivningen; arkivet viser certifikatets navn, og det andet som oplyst")
    return report


def _compare(data: bytes, rebuilt: bytes, meeting: Meeting, scanned: bool, where: Location, report: Report) -> str:
    """The signed file's first revision is our referat.pdf byte for byte, or its text matches item by item."""
    if data.startswith(rebuilt):
        return IDENTICAL
    text = pdf_text(data)
    if sum(c.isalnum() for c in text) < MIN_TEXT:
        if scanned:
            return NOT_COMPARED
        report.error(where, "PDF'en har ingen tekst (en scannet kopi?); arkivér en scannet, håndunderskrevet kopi "
                            "med --scannet, så registreres den som uverificeret")
        return NOT_COMPARED
    difference = text_difference(data, meeting)
    if difference:
        report.error(where, f"{difference}; den underskrevne fil er ikke referatet bygget fra {meeting.folder}")
    return TEXT_MATCH


def _signatures(data: bytes, roots: list[x509.Certificate], options: Options, where: Location,
                report: Report) -> list[Signature]:
    try:
        signatures = read_signatures(data, roots)
    except SignatureError as exc:
        report.error(where, exc.message)
        return []
    if not signatures and not options.scanned:
        report.error(where, "filen har ingen digital underskrift; underskriv den med 'referat sign', eller arkivér "
                            "en scannet, håndunderskrevet kopi med --scannet (registreres som uverificeret)")
    for sig in signatures:
        who = f"underskriften '{sig.field_name}' ({sig.name})"
        for problem in sig.problems:
            report.error(where, f"{who}: {problem}")
        if sig.problems:
            continue
        if sig.trust == SELF_SIGNED and not options.allow_self_signed:
            report.error(where, f"{who} er lavet med et selvsigneret certifikat ({danish_name(sig.certificate.subject)}); det "
                                "accepteres kun med --tillad-selvsigneret og registreres da som selvsigneret")
        elif sig.trust in (EXPIRED, NOT_YET_VALID):
            cert = sig.certificate
            when = (f"gyldig til {_day(cert.valid_to)}" if sig.trust == EXPIRED
                    else f"gyldig fra {_day(cert.valid_from)}")
            report.error(where, f"{who}: certifikatet ({danish_name(cert.subject)}) er {sig.trust} ({when}); "
                                "underskriv igen med et gyldigt certifikat")
        elif sig.trust not in (TRUSTED, SELF_SIGNED):
            hint = ("der er ingen rodcertifikater angivet" if not roots
                    else f"det kan ikke føres tilbage til de {len(roots)} angivne rodcertifikater")
            report.error(where, f"{who}: certifikatet ({danish_name(sig.certificate.subject)}, udstedt af "
                                f"{danish_name(sig.certificate.issuer)}) er ikke betroet, {hint}; angiv udstederens rodcertifikat "
                                "med --rodcertifikat FIL.pem eller under 'rodcertifikater' i udvalgsprofilen")
    return signatures


def danish_name(subject: str) -> str:
    """A certificate's subject or issuer as recorded ("Common Name: X, Organization: Y, Country: DK", the fields
    "; " apart when a value holds a comma) with the fields named in Danish ("navn: X, organisation: Y, land: DK");
    the manifest keeps the recorded form."""
    return SUBJECT_FIELD.sub(lambda m: f"{m[1]}{SUBJECT_FIELDS[m[2]]}: ", subject)


def _day(iso: str) -> str:
    """A certificate's validity limit as the documents print dates (23.02.2026)."""
    try:
        return dt.datetime.fromisoformat(iso).strftime("%d.%m.%Y")
    except ValueError:
        return iso
