"""Signatures that can be proven decades later: PAdES levels, validation data in the file, document timestamps.

The levels (ETSI EN 319 142-1), as referat reads them from a file:

* **B-B** — a signature, nothing more: it can be checked only while the signer's certificate is valid and its
  CA still answers.
* **B-T** — a timestamp proves when it was made (the signature's own, or a document timestamp after it).
* **B-LT** — the file also holds the validation data (the chain and an OCSP response or CRL) with which the
  signature validates at that time, without asking anyone.
* **B-LTA** — a document timestamp covers those data, so they are proven to have existed then. It lasts while
  the newest timestamp's certificate is valid; a new document timestamp ("fornyelse") before that extends it.

`prove` checks a file the way an archive must decades later: offline, with the embedded data only. The newest
document timestamp is validated now (its certificate must still be valid; whether it was revoked since cannot be
asked offline, so the newest revocation data in the file are accepted however old); each earlier one at the
time of the next; each signature at the time its timestamp proves, with the revocation data the file holds.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass, field
from typing import Any

from asn1crypto import x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis.policy_api import ModificationLevel
from pyhanko.sign.fields import SigFieldSpec, append_signature_field, enumerate_sig_fields
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers import PdfTimeStamper
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.sign.validation import (
    DocumentSecurityStore,
    EmbeddedPdfSignature,
    add_validation_info,
    validate_pdf_signature,
    validate_pdf_timestamp,
)
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, RevokedError
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    FreshnessReqType,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)

from ..diagnostics import Location, ReferatError
from ..errors import SignatureError
from .structure import DIFF_POLICY, tag_field

B_B, B_T, B_LT, B_LTA = "B-B", "B-T", "B-LT", "B-LTA"
LEVELS = (B_B, B_T, B_LT, B_LTA)
TIMESTAMP_FIELD = "Tidsstempel"
RENEW_MARGIN = dt.timedelta(days=2 * 365)  # renew when the protection ends within this (archive renew's default)
_ANY_AGE = dt.timedelta(days=365 * 200)

for _name in ("pyhanko", "pyhanko_certvalidator"):  # their log lines would land on the user's terminal
    logging.getLogger(_name).addHandler(logging.NullHandler())
    logging.getLogger(_name).propagate = False


def now() -> dt.datetime:
    """The moment a check is made at: the clock (tests pass a later moment to `prove` instead)."""
    return dt.datetime.now(dt.UTC)


def level_for(asked: str | None, timestamp_url: str | None) -> tuple[str, str]:
    """The level `referat sign` makes, and a note saying why when it was not asked for: B-LT when a timestamp
    server is given, else B-B. A level that needs a timestamp without one (or B-B with one) is a usage error."""
    from ..diagnostics import UsageError

    if asked is None:
        if timestamp_url:
            return B_LT, " (standard med --tidsstempel; --niveau B-LTA tilføjer et dokumenttidsstempel)"
        return B_B, " (standard uden --tidsstempel; langtidsgyldige underskrifter kræver --tidsstempel URL)"
    if asked != B_B and not timestamp_url:
        raise UsageError(f"--niveau {asked} kræver en tidsstempelserver: angiv --tidsstempel URL")
    if asked == B_B and timestamp_url:
        raise UsageError("--niveau B-B er uden tidsstempel; udelad --tidsstempel eller vælg B-T, B-LT eller B-LTA")
    return asked, ""


def rank(level: str | None) -> int:
    return LEVELS.index(level) if level in LEVELS else -1


# --- collecting validation data (online) -----------------------------------------------------------------------


def collecting_context(roots: list[x509.Certificate], chain: list[x509.Certificate] | None = None) -> ValidationContext:
    """A context that fetches OCSP responses and CRLs (for B-LT and renewals), failing when it cannot."""
    return ValidationContext(trust_roots=roots, other_certs=chain or [], allow_fetching=True,
                             revocation_mode="require")


SIGN_HINT = "uden dem kan underskriften ikke gøres langtidsgyldig (B-LT); vælg --niveau B-T, hvis det er nok"
RENEW_HINT = "uden dem kan filen ikke fornyes; prøv igen senere, eller spørg udstederen"


def collecting_error(exc: Exception, what: str, where: Location | None, cert: x509.Certificate | None = None,
                     hint: str = SIGN_HINT) -> ReferatError:
    """A Danish message for a failure to validate or fetch validation data while signing or renewing (pyHanko's
    own message is English and stays out of it). `what` names the certificate, unless the error says which one
    of the chain (the timestamp authority's, say) it was."""
    from .certificate import subject_name

    leaf = getattr(getattr(exc, "original_path", None), "leaf", None)
    if isinstance(leaf, x509.Certificate) and (cert is None or leaf.sha256 != cert.sha256):
        what, cert = f"certifikatet for {subject_name(leaf)}", leaf
    if isinstance(exc, RevokedError):
        return SignatureError(f"{what} er spærret (tilbagekaldt) ifølge udstederen; der kan ikke laves en gyldig "
                            "underskrift eller fornyelse med det", where)
    if isinstance(exc, PathBuildingError):
        return SignatureError(f"{what} kan ikke føres tilbage til et rodcertifikat, så spærreoplysningerne kan ikke "
                            "hentes; angiv udstederens rodcertifikat med --rodcertifikat FIL.pem", where)
    sources = revocation_sources(cert) if cert is not None else []
    why = (f"intet gyldigt svar fra {', '.join(sources)}" if sources
           else "certifikatet angiver ingen OCSP-tjeneste eller spærreliste (CRL)" if cert is not None
           else "udstederens OCSP-tjeneste eller spærreliste svarer ikke, eller svaret kan ikke godkendes")
    return SignatureError(f"spærreoplysningerne (OCSP eller CRL) for {what} kunne ikke hentes: {why}; {hint}", where)


def revocation_sources(cert: x509.Certificate) -> list[str]:
    """The OCSP responders and CRL distribution points a certificate names."""
    urls = list(cert.ocsp_urls)
    for point in cert.crl_distribution_points or []:
        url = point.url
        if url:
            urls.append(url)
    return urls


def add_document_timestamp(pdf: bytes, timestamper: TimeStamper, context: ValidationContext,
                           where: Location | None = None, extra_dss: EmbeddedPdfSignature | None = None) -> bytes:
    """`pdf` with one more incremental update: a document timestamp in a new field `Tidsstempel N`, tagged like a
    signature field, followed by the timestamp authority's validation data. With `extra_dss` (the newest
    timestamp so far), its fresh validation data go into the same update, under the new timestamp."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    if extra_dss is not None:
        try:
            status = validate_pdf_timestamp(extra_dss, context, diff_policy=DIFF_POLICY)
        except (PathValidationError, PathBuildingError, ValueError) as exc:
            raise collecting_error(exc, "det seneste tidsstempels certifikat", where, hint=RENEW_HINT) from None
        if status.validation_path is None or not (status.intact and status.valid and status.trusted):
            raise SignatureError("det seneste tidsstempel i filen kan ikke bekræftes nu (certifikatet er udløbet, "
                               "spærret eller ikke betroet); fornyelsen kom for sent", where)
        DocumentSecurityStore.supply_dss_in_writer(writer, extra_dss.pkcs7_content,
                                                   paths=(status.validation_path,), validation_context=context)
    name = _free_name(writer, TIMESTAMP_FIELD)
    moment = now().astimezone()
    spec = SigFieldSpec(sig_field_name=name, on_page=0,
                        readable_field_name=f"{TIMESTAMP_FIELD}: dokumenttidsstempel, {moment:%d.%m.%Y}")
    append_signature_field(writer, spec)
    field_ref = next(ref for found, _, ref in enumerate_sig_fields(writer) if found == name)
    tag_field(writer, field_ref, writer.find_page_for_modification(0)[0])
    try:
        out = PdfTimeStamper(timestamper, field_name=name).timestamp_pdf(writer, "sha256", context, in_place=True)
    except (PathValidationError, PathBuildingError) as exc:
        raise collecting_error(exc, "tidsstempelserverens certifikat", where) from None
    except SigningError:
        raise SignatureError("dokumenttidsstemplet kunne ikke tilføjes: tidsstempelserverens svar kunne ikke bruges",
                           where) from None
    return bytes(out.getvalue())


def _free_name(writer: IncrementalPdfFileWriter, prefix: str) -> str:
    existing = {str(found[0]) for found in enumerate_sig_fields(writer)}
    return next(f"{prefix} {n}" for n in range(1, len(existing) + 2) if f"{prefix} {n}" not in existing)


def extend(pdf: bytes, timestamper: TimeStamper, roots: list[x509.Certificate], where: Location | None = None) -> bytes:
    """Bring `pdf` to B-LTA with a new document timestamp: the validation data every signature lacks (fetched
    now), fresh validation data for the newest document timestamp, then a new document timestamp over them.
    Used by `archive add --tidsstempel` and `archive renew`; each step is an incremental update, so the signed
    bytes stay as they are."""
    context = collecting_context(roots, _embedded_certs(pdf))
    lacking = [p.field_name for p in prove(pdf, roots).signatures if p.level not in (B_LT, B_LTA)]
    for name in lacking:
        sig = next(s for s in _reader(pdf).embedded_regular_signatures if s.field_name == name)
        try:
            out = add_validation_info(sig, context, in_place=False, force_write=True)
        except (PathValidationError, PathBuildingError) as exc:
            raise collecting_error(exc, f"certifikatet i underskriften '{sig.field_name}'", where,
                                   sig.signer_cert, RENEW_HINT) from None
        pdf = bytes(out.getvalue())
    timestamps = _reader(pdf).embedded_timestamp_signatures
    return add_document_timestamp(pdf, timestamper, context, where, timestamps[-1] if timestamps else None)


# --- proving offline -------------------------------------------------------------------------------------------


@dataclass
class Stamp:
    """A document timestamp as the chain check found it."""

    field_name: str
    time: dt.datetime | None
    authority: str
    valid_to: dt.datetime | None  # the end of the validity of its certificate (or of its chain, if earlier)
    ok: bool
    problem: str | None = None
    anchor: x509.Certificate | None = None  # the root its chain ended in


@dataclass
class SignatureProof:
    """What the embedded data prove about one signature."""

    field_name: str
    level: str
    proven_at: dt.datetime | None  # the time a timestamp proves the signature existed
    problems: list[str] = field(default_factory=list)
    anchors: list[x509.Certificate] = field(default_factory=list)  # roots of its chain and its timestamp's


@dataclass
class Proof:
    """A file's signatures checked offline: each one's level, the document timestamps, and how long it holds."""

    signatures: list[SignatureProof]
    stamps: list[Stamp]
    until: dt.datetime | None  # when the proof needs renewing at the latest (None: nothing to renew)
    at: dt.datetime
    problems: list[str] = field(default_factory=list)

    @property
    def level(self) -> str | None:
        """The weakest level of the file's signatures (None without signatures)."""
        return min((s.level for s in self.signatures), key=rank, default=None)

    @property
    def sound(self) -> bool:
        return not self.problems and not any(s.problems for s in self.signatures)

    @property
    def anchors(self) -> list[x509.Certificate]:
        """Every root a chain of the proof ended in (signers', timestamps'), once each."""
        found = {c.sha256: c for s in self.signatures for c in s.anchors}
        found.update({s.anchor.sha256: s.anchor for s in self.stamps if s.anchor is not None})
        return list(found.values())


def _reader(pdf: bytes) -> PdfFileReader:
    return PdfFileReader(io.BytesIO(pdf), strict=False)


def _embedded_certs(pdf: bytes) -> list[x509.Certificate]:
    try:
        return list(DocumentSecurityStore.read_dss(_reader(pdf)).load_certs())
    except NoDSSFoundError:
        return []


def _offline(reader: PdfFileReader, roots: list[x509.Certificate], moment: dt.datetime,
             newest: bool = False) -> ValidationContext:
    """A context with the file's own validation data and no network, at `moment`. For the newest timestamp the
    newest revocation data in the file count however old they are (a later revocation cannot be known offline);
    otherwise revocation data are required and must fit the moment (data fetched just after it count too)."""
    rule = RevocationCheckingRule.CHECK_IF_DECLARED_SOFT if newest else RevocationCheckingRule.CRL_OR_OCSP_REQUIRED
    if newest:
        policy = CertRevTrustPolicy(RevocationCheckingPolicy(rule, rule), retroactive_revinfo=True, freshness=_ANY_AGE,
                                    freshness_req_type=FreshnessReqType.MAX_DIFF_REVOCATION_VALIDATION)
    else:
        policy = CertRevTrustPolicy(RevocationCheckingPolicy(rule, rule), retroactive_revinfo=True)
    kwargs: dict[str, Any] = {"trust_roots": roots, "moment": moment, "allow_fetching": False,
                              "revinfo_policy": policy, "crls": [], "ocsps": []}
    try:
        return DocumentSecurityStore.read_dss(reader).as_validation_context(kwargs)
    except NoDSSFoundError:
        return ValidationContext(**kwargs)


def _path_end(path: Any, cert: x509.Certificate) -> dt.datetime:
    """When the first certificate of a validation path (the anchor aside) expires."""
    ends = [cert["tbs_certificate"]["validity"]["not_after"].native]
    if path is not None:
        ends += [item["tbs_certificate"]["validity"]["not_after"].native for item in path.iter_certs(include_root=False)]
    return min(ends)


def _anchor(path: Any) -> x509.Certificate | None:
    """The root certificate a validation path ends in (None for none, or an anchor that is no certificate)."""
    cert = getattr(getattr(path, "trust_anchor", None), "certificate", None) if path is not None else None
    return cert if isinstance(cert, x509.Certificate) else None


def _authority(cert: x509.Certificate) -> str:
    from .certificate import subject_name

    return subject_name(cert)


def prove(pdf: bytes, roots: list[x509.Certificate], at: dt.datetime | None = None, _again: bool = True) -> Proof:
    """Every signature of `pdf` checked at `at` (default now) with the file's own validation data only. When the
    document timestamps no longer hold at `at`, each signature's level is what the file held while they did
    (checked at the newest timestamp's time), and the proof's problems say why it fails now."""
    at = at or now()
    try:
        return _prove(pdf, roots, at, _again)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:  # a damaged, untrusted file
        return Proof([], [], None, at, [f"underskrifterne kan ikke læses ({type(exc).__name__})"])


def _prove(pdf: bytes, roots: list[x509.Certificate], at: dt.datetime, _again: bool) -> Proof:
    reader = _reader(pdf)
    signatures = reader.embedded_regular_signatures
    timestamps = reader.embedded_timestamp_signatures
    stamps = _stamp_chain(reader, timestamps, roots, at)
    proofs = [_signature(reader, sig, timestamps, stamps, roots, at) for sig in signatures]
    problems = [s.problem for s in stamps if s.problem]
    if problems and _again and stamps and stamps[-1].time is not None and stamps[-1].time < at:
        then = prove(pdf, roots, stamps[-1].time, _again=False)
        proofs = [SignatureProof(p.field_name, p.level, p.proven_at, [], p.anchors) for p in then.signatures]
    until: dt.datetime | None = None
    if stamps and all(s.ok for s in stamps):
        until = stamps[-1].valid_to
    elif not timestamps:
        ends = [p.proven_at and _signature_ts_end(sig) for sig, p in zip(signatures, proofs, strict=True)]
        known = [e for e in ends if e is not None]
        until = min(known) if known else None
    return Proof(proofs, stamps, until, at, problems)


def _stamp_chain(reader: PdfFileReader, timestamps: list[EmbeddedPdfSignature], roots: list[x509.Certificate],
                 at: dt.datetime) -> list[Stamp]:
    """The document timestamps, oldest first: the newest validated at `at`, each earlier one at the time of the
    one after it. Once one fails, the ones before it cannot be proven either."""
    out: list[Stamp] = []
    moment: dt.datetime | None = at
    for index, ts in enumerate(reversed(timestamps)):
        authority = _authority(ts.signer_cert)
        if moment is None:
            out.append(Stamp(str(ts.field_name), None, authority, None, False))
            continue
        status = validate_pdf_timestamp(ts, _offline(reader, roots, moment, newest=index == 0),
                                        diff_policy=DIFF_POLICY)
        ok = bool(status.intact and status.valid and status.trusted)
        end = _path_end(status.validation_path, ts.signer_cert)
        problem = None
        if not ok:
            problem = (f"dokumenttidsstemplet '{ts.field_name}' ({authority}) kan ikke bekræftes pr. "
                       f"{moment:%d.%m.%Y}: {_why(status, ts.signer_cert, moment)}")
        anchor = _anchor(status.validation_path) if ok else None
        out.append(Stamp(str(ts.field_name), status.timestamp, authority, end, ok, problem, anchor))
        moment = status.timestamp if ok else None
    return list(reversed(out))


def _why(status: Any, cert: x509.Certificate, moment: dt.datetime) -> str:
    if not status.intact or not status.valid:
        return "filen er ændret efter tidsstemplet"
    validity = cert["tbs_certificate"]["validity"]
    if validity["not_after"].native < moment:
        return f"dets certifikat udløb {validity['not_after'].native:%d.%m.%Y}, og filen blev ikke fornyet inden da"
    if getattr(status, "revoked", False):
        return "dets certifikat er spærret"
    return "dets certifikat kan ikke føres tilbage til et betroet rodcertifikat med oplysningerne i filen"


def _signature_ts_end(sig: EmbeddedPdfSignature) -> dt.datetime | None:
    """When the certificate of the signature's own timestamp expires (None without one)."""
    from pyhanko.sign.general import extract_certificate_info
    from pyhanko.sign.validation.generic_cms import extract_tst_data_iter

    for token in extract_tst_data_iter(sig.signer_info, signed=False):
        end = extract_certificate_info(token).signer_cert["tbs_certificate"]["validity"]["not_after"].native
        return end if isinstance(end, dt.datetime) else None
    return None


CHANGED_AFTER = ("dokumentet er ændret efter underskriften (mere end nye underskrifter, valideringsdata og "
                 "dokumenttidsstempler)")


def _signature(reader: PdfFileReader, sig: EmbeddedPdfSignature, timestamps: list[EmbeddedPdfSignature],
               stamps: list[Stamp], roots: list[x509.Certificate], at: dt.datetime) -> SignatureProof:
    """One signature: when a timestamp proves it existed, and whether it validates then with embedded data."""
    name = str(sig.field_name)
    later = [(ts, stamp) for ts, stamp in zip(timestamps, stamps, strict=True) if ts.signed_revision > sig.signed_revision]
    after = next((stamp.time for _, stamp in later if stamp.ok), None)
    ts_moment = after or at
    first = validate_pdf_signature(sig, _offline(reader, roots, ts_moment, newest=after is None),
                                   ts_validation_context=_offline(reader, roots, ts_moment, newest=after is None),
                                   diff_policy=DIFF_POLICY)
    own = first.timestamp_validity
    proven = own.timestamp if own is not None and own.intact and own.valid and own.trusted else after
    if proven is None:
        return SignatureProof(name, B_B, None)
    context = _offline(reader, roots, proven)
    status = validate_pdf_signature(sig, context, ts_validation_context=_offline(reader, roots, ts_moment,
                                                                                 newest=after is None),
                                    diff_policy=DIFF_POLICY)
    if not (status.intact and status.valid):
        return SignatureProof(name, B_T, proven, ["underskriften er brudt: de underskrevne bytes er ændret"])
    changed = status.modification_level
    if changed is None or changed > ModificationLevel.FORM_FILLING or status.docmdp_ok is False:
        return SignatureProof(name, B_T, proven, [CHANGED_AFTER])
    if not status.trusted:
        return SignatureProof(name, B_T, proven)
    ts_status = status.timestamp_validity
    found = [_anchor(status.validation_path), _anchor(ts_status.validation_path) if ts_status is not None
             and ts_status.trusted else None]
    anchors = [a for a in found if a is not None]
    covered = any(stamp.ok and "/DSS" in reader.get_historical_resolver(ts.signed_revision).root
                  for ts, stamp in later)
    return SignatureProof(name, B_LTA if covered else B_LT, proven, [], anchors)


def appended_problem(previous: bytes, data: bytes) -> str | None:
    """Why `data` (which begins with `previous`) adds more than validation data and document timestamps — other
    signatures, or any other change — or None when it does not."""
    from .signatures import only_validation_data_since

    try:
        before, after = _reader(previous), _reader(data)
        if len(after.embedded_regular_signatures) != len(before.embedded_regular_signatures):
            return "den fornyede fil har andre underskrifter end den fil, den fornyer"
        if not only_validation_data_since(after, before.xrefs.total_revisions - 1):
            return "den fornyede fil tilføjer mere end valideringsdata og dokumenttidsstempler"
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:  # an untrusted file
        return f"den fornyede fil kan ikke læses ({type(exc).__name__})"
    return None
