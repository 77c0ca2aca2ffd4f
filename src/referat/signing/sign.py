"""`referat sign`: a PAdES signature (B-B, or B-T with a timestamp server) as an incremental update."""

from __future__ import annotations

import io

from asn1crypto import cms, x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.sign.ades.api import CAdESSignedAttrSpec, SignerAttrSpec
from pyhanko.sign.fields import SigFieldSpec, SigSeedSubFilter, enumerate_sig_fields
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, SimpleSigner
from pyhanko.sign.timestamps.api import TimeStamper
from pyhanko.stamp import StaticStampStyle

from ..diagnostics import Location, ReferatError
from .appearance import appearance
from .placement import stamp_box

REASON = "Godkendelse af referat"
FIELD_PREFIX = "Underskrift"


def role_attribute(role: str) -> cms.AttCertAttribute:
    """The signer's claimed role (CAdES signer-attributes-v2, id-at-role) with the role as a name."""
    name = x509.GeneralName(name="directory_name", value=x509.Name.build({"common_name": role}))
    return cms.AttCertAttribute({"type": "role", "values": [cms.RoleSyntax({"role_name": name})]})


def sign_pdf(pdf: bytes, signer: SimpleSigner, name: str, role: str | None = None, visible: bool = False,
             timestamper: TimeStamper | None = None, where: Location | None = None) -> bytes:
    """`pdf` with one more signature appended; earlier revisions and signatures stay byte for byte.

    Problems are reported at `where` (the file being signed)."""
    if pdf.lstrip()[:5] != b"%PDF-":
        raise ReferatError("filen er ikke en PDF", where)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except (PdfReadError, ValueError) as exc:
        raise ReferatError(f"PDF-filen kan ikke læses ({exc})", where) from None
    if writer.prev.encrypted:
        raise ReferatError("PDF-filen er krypteret; et referat skal underskrives uden adgangskode", where)
    existing = [str(found[0]) for found in enumerate_sig_fields(writer.prev)]
    field = next(f"{FIELD_PREFIX} {n}" for n in range(1, len(existing) + 2) if f"{FIELD_PREFIX} {n}" not in existing)
    meta = PdfSignatureMetadata(
        field_name=field, reason=REASON, name=name, md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES,
        cades_signed_attr_spec=CAdESSignedAttrSpec(signer_attributes=SignerAttrSpec(
            claimed_attrs=[role_attribute(role)], certified_attrs=[])) if role else None,
    )
    spec, style = None, None
    if visible:
        box = stamp_box(pdf, len(existing), where)
        spec = SigFieldSpec(sig_field_name=field, on_page=-1, box=box)
        style = StaticStampStyle(background=appearance(name, role, box), border_width=0)
    pdf_signer = PdfSigner(meta, signer, timestamper=timestamper, stamp_style=style, new_field_spec=spec)
    try:
        out = pdf_signer.sign_pdf(writer)
    except SigningError as exc:  # e.g. a certification signature that allows no further changes
        raise ReferatError(f"PDF-filen kan ikke underskrives ({exc})", where) from None
    return bytes(out.getbuffer())
