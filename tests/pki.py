"""A throwaway PKI for the signing tests: a root CA, signers it issued, a self-signed one and a TSA."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSWORD = "hemmelig-æøå"
NOW = dt.datetime.now(dt.UTC)


@dataclass
class Pki:
    folder: Path
    root_pem: Path
    formand: Path  # .p12 issued by the root
    sekretariat: Path  # .p12 issued by the root
    selvsigneret: Path  # .p12, self-signed
    other_root_pem: Path  # a root that issued nothing here
    tsa_cert: x509.Certificate
    tsa_key: rsa.RSAPrivateKey


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn), x509.NameAttribute(NameOID.COUNTRY_NAME, "DK")])


def _cert(cn: str, key, issuer_cn: str, issuer_key, ca: bool, tsa: bool = False) -> x509.Certificate:  # type: ignore[no-untyped-def]
    builder = (
        x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(_name(issuer_cn))
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=1)).not_valid_after(NOW + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=not ca, content_commitment=not ca and not tsa,
                                     key_encipherment=False, data_encipherment=False, key_agreement=False,
                                     key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False),
                       critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if tsa:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


def _p12(path: Path, name: str, key, cert: x509.Certificate, chain: list[x509.Certificate]) -> Path:  # type: ignore[no-untyped-def]
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        name.encode(), key, cert, chain or None, serialization.BestAvailableEncryption(PASSWORD.encode())))
    return path


def make_pki(folder: Path) -> Pki:
    folder.mkdir(parents=True, exist_ok=True)
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = _cert("Referat Test Rod-CA", root_key, "Referat Test Rod-CA", root_key, ca=True)
    (folder / "rod.pem").write_bytes(root.public_bytes(serialization.Encoding.PEM))
    other_key = ec.generate_private_key(ec.SECP256R1())
    other = _cert("Anden Rod-CA", other_key, "Anden Rod-CA", other_key, ca=True)
    (folder / "anden-rod.pem").write_bytes(other.public_bytes(serialization.Encoding.PEM))
    signers = {}
    for label, cn in (("formand", "Henrik Aarup-Kristensen"), ("sekretariat", "Sekretariat for Nordjysk Socialaftale")):
        key = ec.generate_private_key(ec.SECP256R1())
        signers[label] = _p12(folder / f"{label}.p12", label, key,
                              _cert(cn, key, "Referat Test Rod-CA", root_key, ca=False), [root])
    self_key = ec.generate_private_key(ec.SECP256R1())
    selv = _p12(folder / "selv.p12", "selv", self_key,
                _cert("Søren Selvsigneret", self_key, "Søren Selvsigneret", self_key, ca=False), [])
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa = _cert("Referat Test TSA", tsa_key, "Referat Test Rod-CA", root_key, ca=False, tsa=True)
    return Pki(folder, folder / "rod.pem", signers["formand"], signers["sekretariat"], selv,
               folder / "anden-rod.pem", tsa, tsa_key)

