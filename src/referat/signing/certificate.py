"""The signer's key and certificate from a PKCS#12 file; the password never comes from the command line."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sys
from pathlib import Path

from pyhanko.sign.signers import SimpleSigner

from ..diagnostics import Location, ReferatError
from ..fileio import read_input

PASSWORD_ENV = "REFERAT_CERT_PASSWORD"


def password(cert: Path | None = None) -> bytes | None:
    """The PKCS#12 password of `cert`: from REFERAT_CERT_PASSWORD, else asked for at the terminal."""
    value = os.environ.get(PASSWORD_ENV)
    if value is None:
        if not sys.stdin.isatty():
            raise ReferatError(f"adgangskoden til certifikatet mangler; sæt miljøvariablen {PASSWORD_ENV} "
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
        raise ReferatError("certifikatfilen kan ikke åbnes: forkert adgangskode, eller det er ikke en "
                           "PKCS#12-fil (.p12/.pfx) med nøgle og certifikat", Location(path)) from None
    cert = signer.signing_cert
    assert cert is not None, "a PKCS#12 file with a key has its certificate"
    validity = cert["tbs_certificate"]["validity"]
    now = dt.datetime.now(dt.UTC)
    if validity["not_after"].native < now:
        raise ReferatError(f"certifikatet udløb {validity['not_after'].native:%d.%m.%Y}", Location(path))
    if validity["not_before"].native > now:
        raise ReferatError(f"certifikatet gælder først fra {validity['not_before'].native:%d.%m.%Y}", Location(path))
    return signer


def common_name(signer: SimpleSigner) -> str:
    """The certificate holder's name (CN), or the whole subject when it has none."""
    cert = signer.signing_cert
    assert cert is not None
    return str(cert.subject.native.get("common_name") or cert.subject.human_friendly)
