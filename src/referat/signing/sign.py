"""`referat sign`: a PAdES signature (B-B, B-T, B-LT or B-LTA) as an incremental update.

The signature field is made first, in the same update, and put into the structure tree (`structure.tag_field`)
with an alternative description, so the signed minutes stay tagged; then pyHanko signs into it. B-LT embeds the
signer's chain and revocation data (fetched now, through the certificate's OCSP responder or CRL); B-LTA adds a
document timestamp over them (`longterm.add_document_timestamp`, in a tagged field of its own)."""

from __future__ import annotations

import datetime as dt
import io

from asn1crypto import cms, x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.sign.ades.api import CAdESSignedAttrSpec, SignerAttrSpec
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter, append_signature_field, enumerate_sig_fields
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, SimpleSigner
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

from ..diagnostics import Location
from ..errors import SignatureError
from .appearance import appearance
from .certificate import chain, common_name, same_person
from .longterm import B_B, B_LT, B_LTA, add_document_timestamp, collecting_context, collecting_error
from .placement import stamp_box
from .structure import tag_field

REASON = "Godkendelse af referat"
FIELD_PREFIX = "Underskrift"


def role_attribute(role: str) -> cms.AttCertAttribute:
    """The signer's claimed role (CAdES signer-attributes-v2, id-at-role) with the role as a name."""
    name = x509.GeneralName(name="directory_name", value=x509.Name.build({"common_name": role}))
    return cms.AttCertAttribute({"type": "role", "values": [cms.RoleSyntax({"role_name": name})]})


def description(cert_name: str, claimed: str | None, role: str | None, when: dt.datetime) -> str:
    """The field's alternative description (/TU): 'Underskrift: navn, rolle, dato', the name the certificate's."""
    parts = [cert_name] + ([f"oplyst navn {claimed}"] if claimed else []) + ([role] if role else [])
    return f"{FIELD_PREFIX}: {', '.join(parts)}, {when:%d.%m.%Y}"


def sign_pdf(pdf: bytes, signer: SimpleSigner, name: str, role: str | None = None, visible: bool = False,
             timestamper: TimeStamper | None = None, where: Location | None = None, level: str = B_B,
             roots: list[x509.Certificate] | None = None) -> bytes:
    """`pdf` with one more signature appended at `level`; earlier revisions and signatures stay byte for byte.

    `name` is the name for the signature dictionary (typed with --navn, or the certificate's); `roots` are the
    trust anchors for collecting validation data (B-LT, B-LTA). Problems are reported at `where` (the file being
    signed)."""
    if pdf.lstrip()[:5] != b"%PDF-":
        raise SignatureError("filen er ikke en PDF", where)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except (PdfReadError, ValueError) as exc:
        raise SignatureError(f"PDF-filen kan ikke læses ({exc})", where) from None
    if writer.prev.encrypted:
        raise SignatureError("PDF-filen er krypteret; et referat skal underskrives uden adgangskode", where)
    cert = signer.signing_cert
    assert cert is not None
    cert_name = common_name(signer)
    claimed = None if same_person(name, cert) else name
    existing = [str(found[0]) for found in enumerate_sig_fields(writer.prev)]
    field = next(f"{FIELD_PREFIX} {n}" for n in range(1, len(existing) + 2) if f"{FIELD_PREFIX} {n}" not in existing)
    page = -1 if visible else 0
    box = stamp_box(pdf, sum(1 for f in existing if f.startswith(FIELD_PREFIX)), where) if visible else None
    append_signature_field(writer, SigFieldSpec(
        sig_field_name=field, on_page=page, box=box,
        readable_field_name=description(cert_name, claimed, role, dt.datetime.now().astimezone())))
    field_ref = next(ref for found, _, ref in enumerate_sig_fields(writer) if found == field)
    tagged = tag_field(writer, field_ref, writer.find_page_for_modification(page)[0])
    carried = chain(signer)
    context = collecting_context([*(roots or []), *(c for c in carried if c.self_signed != "no")],
                                 carried) if level in (B_LT, B_LTA) else None
    meta = PdfSignatureMetadata(
        field_name=field, reason=REASON, name=name, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES,
        cades_signed_attr_spec=CAdESSignedAttrSpec(signer_attributes=SignerAttrSpec(
            claimed_attrs=[role_attribute(role)], certified_attrs=[])) if role else None,
        embed_validation_info=context is not None, validation_context=context,
    )
    style = None
    if box is not None:
        style = StaticStampStyle(background=appearance(cert_name, role, box, claimed,
                                                       tagged.appearance if tagged else None), border_width=0)
    pdf_signer = PdfSigner(meta, signer, timestamper=timestamper if level != B_B else None, stamp_style=style)
    try:
        out = bytes(pdf_signer.sign_pdf(writer).getbuffer())
    except (PathValidationError, PathBuildingError) as exc:
        raise collecting_error(exc, f"certifikatet ({cert_name})", where, cert) from None
    except SigningError as exc:  # e.g. a certification signature that allows no further changes
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, (PathValidationError, PathBuildingError)):
            raise collecting_error(cause, f"certifikatet ({cert_name})", where, cert) from None
        raise SignatureError(f"PDF-filen kan ikke underskrives ({exc})", where) from None
    if level == B_LTA:
        assert timestamper is not None and context is not None
        out = add_document_timestamp(out, timestamper, context, where)
    return out
