"""Reading the signatures of a signed PDF back: intact, covering the document, by whom, when, trusted how."""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asn1crypto import pem, x509
from pyhanko.pdf_utils.generic import DictionaryObject, IndirectObject
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import EmbeddedPdfSignature, KeyUsageConstraints, validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from ..errors import SignatureError
from .certificate import same_person, subject_name
from .structure import DIFF_POLICY

TRUSTED, SELF_SIGNED, UNTRUSTED = "betroet", "selvsigneret", "ikke betroet"
EXPIRED, NOT_YET_VALID = "udløbet", "endnu ikke gyldigt"  # chains to a root, but not at the moment of checking
WHOLE_FILE, OWN_REVISION = "hele filen", "sin revision"
KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)

for _name in ("pyhanko", "pyhanko_certvalidator"):  # their log lines would land on the user's terminal
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False


@dataclass
class Certificate:
    """What the archive records about a certificate."""

    subject: str
    issuer: str
    serial: str
    sha256: str
    valid_from: str
    valid_to: str

    @classmethod
    def of(cls, cert: x509.Certificate) -> Certificate:
        validity = cert["tbs_certificate"]["validity"]
        return cls(cert.subject.human_friendly, cert.issuer.human_friendly, format(cert.serial_number, "x"),
                   cert.sha256.hex(), validity["not_before"].native.isoformat(),
                   validity["not_after"].native.isoformat())


@dataclass
class Signature:
    """One signature in a PDF, checked."""

    field_name: str
    revision: int
    covered_bytes: int
    name: str  # as the signature dictionary names the signer: typed at signing (--navn) or the certificate's CN
    role: str | None
    signed_at: str | None
    timestamp: str | None
    timestamp_trusted: bool | None
    certificate: Certificate
    trust: str
    anchor: Certificate | None
    anchor_pem: str | None
    coverage: str
    problems: list[str] = field(default_factory=list)
    certificate_name: str = ""  # who the certificate says signed: its CN, and O where present
    only_lta_after: bool = False  # what follows the signed revision is validation data and document timestamps

    @property
    def intact(self) -> bool:
        return not self.problems

    @property
    def claimed(self) -> str | None:
        """The name given at signing, when it is not the certificate's (a claim, not an identity)."""
        return None if self.name_matches else self.name

    name_matches: bool = True


def load_roots(data: bytes) -> list[x509.Certificate]:
    """Every certificate in a PEM (one or more) or DER file."""
    if pem.detect(data):
        return [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
    return [x509.Certificate.load(data)]


def read_signatures(pdf: bytes, roots: list[x509.Certificate], moment: dt.datetime | None = None) -> list[Signature]:
    """Every signature in `pdf`, oldest first, validated against `roots` (at `moment`, default now). Document
    timestamps are not signatures of a person: `longterm.prove` checks them."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise SignatureError(f"PDF-filen kan ikke læses ({exc})") from None
    out = [_check(sig, roots, moment) for sig in embedded]
    if out and out[-1].coverage != WHOLE_FILE and not out[-1].problems and not out[-1].only_lta_after:
        out[-1].problems.append("filen er ændret efter den sidste underskrift")
    return out


def _context(roots: list[x509.Certificate], moment: dt.datetime | None) -> ValidationContext:
    return ValidationContext(trust_roots=roots, allow_fetching=False, moment=moment)


def _validate(sig: EmbeddedPdfSignature, context: ValidationContext) -> PdfSignatureStatus:
    return validate_pdf_signature(sig, context, key_usage_settings=KEY_USAGE, diff_policy=DIFF_POLICY)


def _check(sig: EmbeddedPdfSignature, roots: list[x509.Certificate], moment: dt.datetime | None) -> Signature:
    status = _validate(sig, _context(roots, moment))
    cert = sig.signer_cert
    trust, anchor = UNTRUSTED, None
    if status.trusted and status.validation_path is not None:
        trust, anchor = TRUSTED, status.validation_path.trust_anchor.certificate  # type: ignore[attr-defined]
    elif cert.self_signed != "no":
        own = _validate(sig, _context([cert], moment))
        if own.trusted:
            status, trust, anchor = own, SELF_SIGNED, cert
    if trust == UNTRUSTED:
        trust = _out_of_time(sig, cert, roots, moment)
    name = sig.sig_object.get("/Name")
    ts = status.timestamp_validity
    result = Signature(
        field_name=str(sig.field_name), revision=sig.signed_revision, covered_bytes=_covered(sig),
        name=str(name) if name else str(cert.subject.native.get("common_name") or cert.subject.human_friendly),
        role=_role(status),
        signed_at=status.signer_reported_dt.isoformat() if status.signer_reported_dt else None,
        timestamp=ts.timestamp.isoformat() if ts is not None else None,
        timestamp_trusted=(ts.trusted and ts.intact and ts.valid) if ts is not None else None,
        certificate=Certificate.of(cert), trust=trust,
        anchor=Certificate.of(anchor) if anchor is not None else None,
        anchor_pem=pem.armor("CERTIFICATE", anchor.dump()).decode("ascii") if anchor is not None else None,
        coverage=_coverage(status), certificate_name=subject_name(cert),
        only_lta_after=status.modification_level is not None
        and status.modification_level <= ModificationLevel.LTA_UPDATES and status.docmdp_ok is not False
        and _only_validation_data_after(sig),
        name_matches=same_person(str(name), cert) if name else True,
    )
    result.problems.extend(_problems(status))
    return result


def _out_of_time(sig: EmbeddedPdfSignature, cert: x509.Certificate, roots: list[x509.Certificate],
                 moment: dt.datetime | None) -> str:
    """EXPIRED or NOT_YET_VALID when the certificate would be trusted inside its validity period — so the
    only problem is the time — else UNTRUSTED. A distinct answer, not "ikke betroet"."""
    validity = cert["tbs_certificate"]["validity"]
    start, end = validity["not_before"].native, validity["not_after"].native
    at = moment or dt.datetime.now(dt.UTC)
    if at > end:
        trust, inside = EXPIRED, end - dt.timedelta(seconds=1)
    elif at < start:
        trust, inside = NOT_YET_VALID, start + dt.timedelta(seconds=1)
    else:
        return UNTRUSTED
    then = _validate(sig, _context(roots, inside))
    if not then.trusted and cert.self_signed != "no":
        then = _validate(sig, _context([cert], inside))
    return trust if then.trusted else UNTRUSTED


BOOKKEEPING = {"/Producer", "/ModDate"}  # what a PDF writer (pyHanko's too) updates in /Info on every save


def _only_validation_data_after(sig: EmbeddedPdfSignature) -> bool:
    return only_validation_data_since(sig.reader, sig.signed_revision)


def only_validation_data_since(reader: PdfFileReader, since: int) -> bool:
    """Whether every revision after revision `since` adds validation data (the DSS) or a document timestamp, and
    changes nothing in the document information but the writer's bookkeeping. pyHanko files an /Info change
    (a new title, say) with these as harmless; after the last signature it is a change all the same."""
    for revision in range(since + 1, reader.xrefs.total_revisions):
        before, after = reader.get_historical_resolver(revision - 1), reader.get_historical_resolver(revision)
        written = after.explicit_refs_in_revision()
        stamped = any(getattr(after(ref), "get", lambda _k: None)("/Type") == "/DocTimeStamp" for ref in written)
        dss = after.root.raw_get("/DSS") if "/DSS" in after.root else None
        new_dss = dss is not None and (
            "/DSS" not in before.root or before.root.raw_get("/DSS") != dss
            or (isinstance(dss, IndirectObject) and dss.reference in written)
            or any(getattr(after(ref), "get", lambda _k: None)("/Type") == "/VRI" for ref in written))
        if not (stamped or new_dss) or not _info_unchanged(before, after):
            return False
    return True


def _info_unchanged(before: Any, after: Any) -> bool:
    def info(resolver: Any) -> dict[str, Any]:
        found = resolver.trailer_view.get("/Info") if "/Info" in resolver.trailer_view else None
        found = found.get_object() if isinstance(found, IndirectObject) else found
        if not isinstance(found, DictionaryObject):
            return {}
        return {k: found.raw_get(k) for k in found if k not in BOOKKEEPING}

    return info(before) == info(after)


def _covered(sig: EmbeddedPdfSignature) -> int:
    byte_range = list(sig.sig_object["/ByteRange"])
    return int(byte_range[2]) + int(byte_range[3])


def _coverage(status: PdfSignatureStatus) -> str:
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return WHOLE_FILE
    if status.coverage == SignatureCoverageLevel.ENTIRE_REVISION:
        return OWN_REVISION
    return "uklar"


def _problems(status: PdfSignatureStatus) -> list[str]:
    if not (status.intact and status.valid):
        return ["underskriften er brudt: de underskrevne bytes er ændret"]
    if status.coverage not in (SignatureCoverageLevel.ENTIRE_FILE, SignatureCoverageLevel.ENTIRE_REVISION):
        return ["underskriften dækker ikke dokumentet (usædvanligt byteområde)"]
    level = status.modification_level
    if status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and (
            level is None or level > ModificationLevel.FORM_FILLING or not status.docmdp_ok):
        return ["dokumentet er ændret efter underskriften (mere end nye underskrifter)"]
    ts = status.timestamp_validity
    if ts is not None and not (ts.intact and ts.valid):
        return ["underskriftens tidsstempel er brudt"]
    return []


def _role(status: PdfSignatureStatus) -> str | None:
    attrs = status.cades_signer_attrs
    if attrs is None or attrs.claimed_attrs is None:
        return None
    for attr in attrs.claimed_attrs:
        if attr.attr_type.native == "role":
            for value in attr.attr_values:
                name: Any = value.native.get("role_name") if hasattr(value, "native") else None
                if isinstance(name, dict) and name.get("common_name"):
                    return str(name["common_name"])
                if isinstance(name, str):
                    return name
    return None


def load_root_files(paths: list[Path]) -> list[x509.Certificate]:
    """The certificates of --rodcertifikat files (PEM with one or more, or DER), with a Danish message per file."""
    from ..diagnostics import Location

    roots: list[x509.Certificate] = []
    for path in paths:
        try:
            roots.extend(load_roots(path.read_bytes()))
        except FileNotFoundError:
            raise SignatureError("rodcertifikatet findes ikke", Location(path)) from None
        except (OSError, ValueError) as exc:
            raise SignatureError(f"rodcertifikatet kan ikke læses som PEM eller DER ({exc})", Location(path)) from None
    return roots
