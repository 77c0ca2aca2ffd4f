"""The signer's key and certificate from a PKCS#12 file; the password never comes from the command line."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sys
from pathlib import Path

from asn1crypto import x509
from pyhanko.sign.signers import SimpleSigner

from ..diagnostics import Location
from ..errors import SignatureError
from ..fileio import read_input

PASSWORD_ENV = "REFERAT_CERT_PASSWORD"


def password(cert: Path | None = None) -> bytes | None:
    """The PKCS#12 password of `cert`: from REFERAT_CERT_PASSWORD, else asked for at the terminal."""
    value = os.environ.get(PASSWORD_ENV)
    if value is None:
        if not sys.stdin.isatty():
            raise SignatureError(f"adgangskoden til certifikatet mangler; sæt miljøvariablen {PASSWORD_ENV} "
                               "eller kør kommandoen i en terminal, så den kan spørge",
                               Location(cert) if cert is not None else None)
        value = getpass.getpass("Adgangskode til certifikatet: ")
    return value.encode("utf-8") if value else None


def load_signer(path: Path, secret: bytes | None) -> SimpleSigner:
    """A pyHanko signer from a .p12/.pfx file, checked to be usable today."""
    data = read_input(path, "certifikatfilen")
    try:
        signer = SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=secret)
    except (ValueError, TypeError):
        raise SignatureError("certifikatfilen kan ikke åbnes: forkert adgangskode, eller det er ikke en "
                           "PKCS#12-fil (.p12/.pfx) med nøgle og certifikat", Location(path)) from None
    cert = signer.signing_cert
    assert cert is not None, "a PKCS#12 file with a key has its certificate"
    validity = cert["tbs_certificate"]["validity"]
    now = dt.datetime.now(dt.UTC)
    if validity["not_after"].native < now:
        raise SignatureError(f"certifikatet udløb {validity['not_after'].native:%d.%m.%Y}", Location(path))
    if validity["not_before"].native > now:
        raise SignatureError(f"certifikatet gælder først fra {validity['not_before'].native:%d.%m.%Y}", Location(path))
    return signer


def common_name(signer: SimpleSigner) -> str:
    """The certificate holder's name (CN), or the whole subject when it has none."""
    cert = signer.signing_cert
    assert cert is not None
    return str(cert.subject.native.get("common_name") or cert.subject.human_friendly)


def chain(signer: SimpleSigner) -> list[x509.Certificate]:
    """The certificates the .p12 file carries besides the signer's (its issuers, often up to the root)."""
    own = signer.signing_cert
    return [c for c in signer.cert_registry if own is None or c.sha256 != own.sha256]


def subject_name(cert: x509.Certificate) -> str:
    """Who a certificate names: its common name (CN), and its organisation (O) where it has one — the name the
    archive shows for a signer, whatever name was typed at signing."""
    subject = cert.subject.native
    cn = subject.get("common_name")
    org = subject.get("organization_name")
    cn = " / ".join(cn) if isinstance(cn, list) else cn
    org = " / ".join(org) if isinstance(org, list) else org
    if not cn:
        return str(cert.subject.human_friendly)
    return f"{cn}, {org}" if org else str(cn)


def same_person(claimed: str, cert: x509.Certificate) -> bool:
    """Whether a name typed at signing is the certificate's (its CN, or CN and O), spacing and case aside."""
    def key(text: str) -> str:
        return " ".join(text.split()).casefold()

    cn = cert.subject.native.get("common_name")
    names = {key(subject_name(cert))} | ({key(cn)} if isinstance(cn, str) else set())
    return key(claimed) in names
