"""Reading the signatures of a signed PDF back: intact, covering the document, by whom, when, trusted how."""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass, field
from typing import Any

from asn1crypto import pem, x509
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import EmbeddedPdfSignature, KeyUsageConstraints, validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from ..errors import SignatureError

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
    name: str
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

    @property
    def intact(self) -> bool:
        return not self.problems


def load_roots(data: bytes) -> list[x509.Certificate]:
    """Every certificate in a PEM (one or more) or DER file."""
    if pem.detect(data):
        return [x509.Certificate.load(der) for _, _, der in pem.unarmor(data, multiple=True)]
    return [x509.Certificate.load(data)]


def read_signatures(pdf: bytes, roots: list[x509.Certificate], moment: dt.datetime | None = None) -> list[Signature]:
    """Every signature in `pdf`, oldest first, validated against `roots` (at `moment`, default now)."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise SignatureError(f"PDF-filen kan ikke læses ({exc})") from None
    out = [_check(sig, roots, moment) for sig in embedded]
    if out and out[-1].coverage != WHOLE_FILE and not out[-1].problems:
        out[-1].problems.append("filen er ændret efter den sidste underskrift")
    return out


def _context(roots: list[x509.Certificate], moment: dt.datetime | None) -> ValidationContext:
    return ValidationContext(trust_roots=roots, allow_fetching=False, moment=moment)


def _check(sig: EmbeddedPdfSignature, roots: list[x509.Certificate], moment: dt.datetime | None) -> Signature:
    status = validate_pdf_signature(sig, _context(roots, moment), key_usage_settings=KEY_USAGE)
    cert = sig.signer_cert
    trust, anchor = UNTRUSTED, None
    if status.trusted and status.validation_path is not None:
        trust, anchor = TRUSTED, status.validation_path.trust_anchor.certificate  # type: ignore[attr-defined]
    elif cert.self_signed != "no":
        own = validate_pdf_signature(sig, _context([cert], moment), key_usage_settings=KEY_USAGE)
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
        coverage=_coverage(status),
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
    then = validate_pdf_signature(sig, _context(roots, inside), key_usage_settings=KEY_USAGE)
    if not then.trusted and cert.self_signed != "no":
        then = validate_pdf_signature(sig, _context([cert], inside), key_usage_settings=KEY_USAGE)
    return trust if then.trusted else UNTRUSTED


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
