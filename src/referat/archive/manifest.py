"""The manifest stored beside each signed file: what was archived, its hash, its signers and its decisions."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Location
from ..errors import ArchiveError
from ..fileio import read_reason

if TYPE_CHECKING:  # kept out of the import path of `search` and `list`, which need neither pyHanko nor pypdf
    from asn1crypto import x509

    from ..signing.longterm import Proof
    from ..signing.signatures import Signature
    from .text import ItemText

FORMAT = "referat-arkiv/1"
VERIFIED, SCANNED = "verificeret", "scannet/uverificeret"
Manifest = dict[str, Any]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def signer_entry(sig: Signature, level: str | None = None) -> dict[str, Any]:
    """A signature as the manifest records it: `underskriver` is who the certificate names, `navn` the name in
    the signature dictionary (typed at signing, or the certificate's), `niveau` its PAdES level."""
    cert = asdict(sig.certificate)
    return {
        "felt": sig.field_name, "navn": sig.name, "underskriver": sig.certificate_name,
        **({"niveau": level} if level is not None else {}),
        "rolle": sig.role, "tidspunkt": sig.signed_at,
        "tidsstempel": sig.timestamp, "tidsstempel_betroet": sig.timestamp_trusted,
        "revision": sig.revision, "dækker": sig.coverage, "dækker_bytes": sig.covered_bytes, "tillid": sig.trust,
        "certifikat": {"emne": cert["subject"], "udsteder": cert["issuer"], "serienummer": cert["serial"],
                       "sha256": cert["sha256"], "gyldig_fra": cert["valid_from"], "gyldig_til": cert["valid_to"]},
        "rodcertifikat": None if sig.anchor is None else {
            "emne": sig.anchor.subject, "sha256": sig.anchor.sha256, "pem": sig.anchor_pem},
    }


def longterm_entry(proof: Proof) -> dict[str, Any]:
    """What the archive records about a file's long-term proof (`langtid`): the weakest level of its signatures,
    until when its newest timestamp holds (renew before that), the document timestamps, and the roots their and
    the signers' chains ended in (so that `archive verify` can check them offline later)."""
    return {
        "niveau": proof.level, "beskyttet_til": proof.until.isoformat() if proof.until else None,
        "tidsstempler": [{"felt": s.field_name, "tidspunkt": s.time.isoformat() if s.time else None,
                          "udsteder": s.authority, "gyldig_til": s.valid_to.isoformat() if s.valid_to else None}
                         for s in proof.stamps],
        "rodcertifikater": [root_entry(c) for c in sorted(proof.anchors, key=lambda c: c.sha256)],
    }


def root_entry(cert: x509.Certificate) -> dict[str, Any]:
    from asn1crypto import pem

    return {"emne": cert.subject.human_friendly, "sha256": cert.sha256.hex(),
            "pem": pem.armor("CERTIFICATE", cert.dump()).decode("ascii")}


def stored_roots(manifest: Manifest) -> list[x509.Certificate]:
    """Every root certificate a manifest stored: the signers' anchors and those of the long-term proof."""
    from ..signing.signatures import load_roots

    entries = manifest.get("underskrifter")
    pems = [s["rodcertifikat"].get("pem", "") for s in (entries if isinstance(entries, list) else [])
            if isinstance(s, dict) and isinstance(s.get("rodcertifikat"), dict)]
    longterm = manifest.get("langtid")
    stored = longterm.get("rodcertifikater") if isinstance(longterm, dict) else None
    pems += [r.get("pem", "") for r in (stored if isinstance(stored, list) else []) if isinstance(r, dict)]
    found: dict[bytes, x509.Certificate] = {}
    for text in pems:
        try:
            for cert in load_roots(str(text).encode()):
                found[cert.sha256] = cert
        except (ValueError, TypeError):
            continue
    return list(found.values())


SCANNED_SIGNER = {"navn": None, "tillid": SCANNED,
                  "note": "håndskreven underskrift på en scannet kopi; kan ikke verificeres digitalt"}


def item_entry(item: ItemText) -> dict[str, Any]:
    return {"nummer": item.number, "titel": item.title, "lukket": item.closed, "sagsnummer": item.case_number,
            "beslutning": item.decision}


def dumps(manifest: Manifest) -> bytes:
    """The manifest as stored: sorted keys, indented, UTF-8, so the same content gives the same bytes."""
    return (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _why(exc: Exception) -> str:
    """Why a manifest's bytes are no manifest, in Danish."""
    if isinstance(exc, OSError):
        return read_reason(exc)
    if isinstance(exc, RecursionError):
        return "for dybt indlejret"
    if isinstance(exc, UnicodeDecodeError):
        return f"ikke UTF-8 ved byte {exc.start}"
    if isinstance(exc, json.JSONDecodeError):
        return f"ugyldig JSON i linje {exc.lineno}, kolonne {exc.colno}"
    return str(exc)


def load(path: Path) -> Manifest:
    """A stored manifest, or an ArchiveError saying why it cannot be read."""
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise ArchiveError("manifestet mangler", Location(path)) from None
    except (OSError, ValueError, RecursionError) as exc:
        raise ArchiveError(f"manifestet kan ikke læses ({_why(exc)})", Location(path)) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ArchiveError(f"ukendt manifestformat (forventede '{FORMAT}')", Location(path))
    return data
