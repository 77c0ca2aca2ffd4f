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
    from ..signing.signatures import Signature
    from .text import ItemText

FORMAT = "referat-arkiv/1"
VERIFIED, SCANNED = "verificeret", "scannet/uverificeret"
Manifest = dict[str, Any]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def signer_entry(sig: Signature) -> dict[str, Any]:
    """A signature as the manifest records it."""
    cert = asdict(sig.certificate)
    return {
        "felt": sig.field_name, "navn": sig.name, "rolle": sig.role, "tidspunkt": sig.signed_at,
        "tidsstempel": sig.timestamp, "tidsstempel_betroet": sig.timestamp_trusted,
        "revision": sig.revision, "dækker": sig.coverage, "dækker_bytes": sig.covered_bytes, "tillid": sig.trust,
        "certifikat": {"emne": cert["subject"], "udsteder": cert["issuer"], "serienummer": cert["serial"],
                       "sha256": cert["sha256"], "gyldig_fra": cert["valid_from"], "gyldig_til": cert["valid_to"]},
        "rodcertifikat": None if sig.anchor is None else {
            "emne": sig.anchor.subject, "sha256": sig.anchor.sha256, "pem": sig.anchor_pem},
    }


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
