"""A test PKI with live revocation and timestamp services on 127.0.0.1, for the long-term signature tests.

certomancer describes the PKI (a root CA, an OCSP responder, a CRL, two timestamp authorities, the signers) and
its Animator answers OCSP, CRL and RFC 3161 requests over HTTP; werkzeug serves it in a thread of the test process
on a free port of 127.0.0.1. The services' clock (`Services.clock`) can be moved by a test: a certificate revoked
"in 30 days" is then revoked as far as OCSP and the CRL say, without waiting.

The chair's certificate is issued by the root, whose OCSP responder answers for it; the secretariat's by an issuing
CA below the root that publishes a CRL only. The first timestamp authority ("tsa") has a certificate that expires after three years, the second ("tsa2")
after twenty: a renewal with the second keeps minutes verifiable past the first one's expiry.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

PASSWORD = "hemmelig-æøå"
ARCH = "referat"
KEYS = ("root", "ocsp", "udsteder", "tsa", "tsa2", "formand", "sekretariat", "spaerret")
CHAIR = "Henrik Aarup-Kristensen"  # the chair's certificate
ORG = "Nordjysk Socialaftale"


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+0000")


def config(url: str, start: dt.datetime) -> dict[str, Any]:
    """The certomancer configuration: every service under `url`, validity counted from `start`."""
    def valid(days_before: int, years: int) -> dict[str, str]:
        return {"valid-from": _iso(start - dt.timedelta(days=days_before)),
                "valid-to": _iso(start + dt.timedelta(days=365 * years))}

    def ts_cert(years: int) -> dict[str, Any]:
        return {"issuer": "root", "validity": valid(1, years), "extensions": [
            {"id": "key_usage", "critical": True, "smart-value": {"schema": "key-usage", "params": ["digital_signature"]}},
            {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]}]}

    signer = {"issuer": "root", "validity": valid(1, 2), "profiles": ["digsig-commitment"]}
    return {
        "external-url-prefix": url,
        "keysets": {ARCH: {"path-prefix": ".", "keys": {k: {"path": f"{k}.key.pem"} for k in KEYS}}},
        "pki-architectures": {ARCH: {
            "keyset": ARCH,
            "entity-defaults": {"country-name": "DK"},
            "entities": {
                "root": {"common-name": "Referat Test Rod-CA", "organization-name": "Referat Test"},
                "ocsp": {"common-name": "Referat Test OCSP", "organization-name": "Referat Test"},
                "udsteder": {"common-name": "Referat Test Udsteder-CA", "organization-name": "Referat Test"},
                "tsa": {"common-name": "Referat Test TSA 1", "organization-name": "Referat Test"},
                "tsa2": {"common-name": "Referat Test TSA 2", "organization-name": "Referat Test"},
                "formand": {"common-name": CHAIR, "organization-name": ORG},
                "sekretariat": {"common-name": "Sekretariat for Nordjysk Socialaftale", "organization-name": ORG},
                "spaerret": {"common-name": "Bo Bertelsen", "organization-name": ORG},
            },
            "certs": {
                "root": {"subject": "root", "issuer": "root", "validity": valid(2, 50), "profiles": [
                    {"id": "simple-ca", "params": {"crl-repo": "root", "ocsp-service": "root"}}]},
                "ocsp": {"issuer": "root", "validity": valid(1, 50), "profiles": ["ocsp-responder"]},
                # an issuing CA below the root that publishes a CRL only (no OCSP), as many CAs do
                "udsteder": {"issuer": "root", "validity": valid(1, 30), "profiles": [
                    {"id": "simple-ca", "params": {"crl-repo": "udsteder"}}]},
                "tsa": ts_cert(3),
                "tsa2": ts_cert(20),
                # the chair's certificate is revoked 30 days from now: after the minutes are signed and stamped
                "formand": {**signer, "revocation": {"revoked-since": _iso(start + dt.timedelta(days=30)),
                                                     "reason": "key_compromise"}},
                "sekretariat": {**signer, "issuer": "udsteder"},  # its revocation data: the issuing CA's CRL
                # revoked an hour before the fixture starts: it can no longer make a valid signature
                "spaerret": {**signer, "revocation": {"revoked-since": _iso(start - dt.timedelta(hours=1)),
                                                      "reason": "key_compromise"}},
            },
            "services": {
                "ocsp": {"root": {"for-issuer": "root", "responder-cert": "ocsp", "signing-key": "ocsp"}},
                "crl-repo": {"root": {"for-issuer": "root", "signing-key": "root",
                                      "simulated-update-schedule": "P7D"},
                             "udsteder": {"for-issuer": "udsteder", "signing-key": "udsteder",
                                          "simulated-update-schedule": "P7D"}},
                "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"},
                                  "tsa2": {"signing-key": "tsa2", "signing-cert": "tsa2"}},
            },
        }},
    }


@dataclass
class Services:
    """The running test PKI: where its files and services are, and its clock."""

    folder: Path
    url: str
    animator: Any
    start: dt.datetime

    @property
    def root_pem(self) -> Path:
        return self.folder / "rod.pem"

    @property
    def formand(self) -> Path:
        return self.folder / "formand.p12"

    @property
    def sekretariat(self) -> Path:
        return self.folder / "sekretariat.p12"

    @property
    def revoked(self) -> Path:
        return self.folder / "spaerret.p12"

    def tsa(self, label: str = "tsa") -> str:
        return f"{self.url}/{ARCH}/tsa/{label}"

    @property
    def arch(self) -> Any:
        return self.animator.architectures[ARCH]

    def cert(self, label: str) -> Any:
        """A certificate of the PKI (asn1crypto)."""
        return self.arch.get_cert(label)

    @contextmanager
    def clock(self, moment: dt.datetime) -> Iterator[None]:
        """The services answer as at `moment` (OCSP, CRL and timestamps) while the block runs."""
        self.animator.fixed_time = moment
        try:
            yield
        finally:
            self.animator.fixed_time = None


@contextmanager
def running(folder: Path) -> Iterator[Services]:
    """Make the PKI in `folder`, serve it on 127.0.0.1 until the block ends."""
    from certomancer.integrations.animator import Animator, AnimatorArchStore
    from certomancer.registry import CertomancerConfig
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args: Any, **kwargs: Any) -> None:  # no access log on the test's stderr
            pass

    folder.mkdir(parents=True, exist_ok=True)
    for label in KEYS:
        key = ec.generate_private_key(ec.SECP256R1())
        (folder / f"{label}.key.pem").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    holder: dict[str, Any] = {}

    def app(environ: Any, start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        prefix = f"/{ARCH}/ocsp/"
        if environ.get("REQUEST_METHOD") == "GET" and path.startswith(prefix) and path.count("/") > 3:
            # RFC 6960 A.1: an OCSP request may come as GET, base64 in the URL (NSS, and so pdfsig, sends it so);
            # certomancer's responder takes POST only, so the request is handed on as one
            label, _, encoded = path[len(prefix):].partition("/")
            body = base64.b64decode(urllib.parse.unquote(encoded))
            environ = {**environ, "REQUEST_METHOD": "POST", "PATH_INFO": prefix + label,
                       "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": "application/ocsp-request",
                       "wsgi.input": io.BytesIO(body)}
        return holder["animator"](environ, start_response)

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
    url = f"http://127.0.0.1:{server.server_port}"
    start = dt.datetime.now(dt.UTC).replace(microsecond=0)
    class WholeSeconds(Animator):
        """Times in whole seconds, as real services give them: a GeneralizedTime with a fraction of a second in an
        OCSP response is refused by NSS (and so by pdfsig) and by cryptography."""

        def at_time(self, request: Any) -> dt.datetime:
            moment: dt.datetime = super().at_time(request)
            return moment.replace(microsecond=0)

    cfg = CertomancerConfig(config(url, start), key_search_dir=str(folder))
    animator = WholeSeconds(AnimatorArchStore(cfg.pki_archs), with_web_ui=False)
    holder["animator"] = animator
    services = Services(folder, url, animator, start)
    arch = services.arch
    services.root_pem.write_bytes(_pem(arch.get_cert("root")))
    for label in ("formand", "sekretariat", "spaerret"):
        (folder / f"{label}.p12").write_bytes(arch.package_pkcs12(label, password=PASSWORD.encode()))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield services
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def _pem(cert: Any) -> bytes:
    from asn1crypto import pem

    return bytes(pem.armor("CERTIFICATE", cert.dump()))
