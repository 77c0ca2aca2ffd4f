"""Who signed archived minutes, as the archive says it everywhere (`archive add`, `archive list`, the decision
register, the web edition): the name the certificate gives (CN, and O where present), with a name or role typed at
signing shown beside it as "oplyst" — a claim, not an identity — and "betroet" only for a chain that validated to
a root the committee gave. Read from the manifests; no PDF is opened here."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from . import manifest as mf

CLAIMED = "oplyst"
LEVEL_WORD = "PAdES"
# asn1crypto's English names of a certificate's fields (Name.human_friendly: "Common Name: X, Organization: Y",
# the fields "; " apart when a value holds a comma), and how a Danish message names them
SUBJECT_FIELDS = {"Common Name": "navn", "Organization": "organisation", "Organizational Unit": "afdeling",
                  "Country": "land", "Email Address": "e-mail", "Locality": "by", "State/Province": "region",
                  "Street Address": "adresse", "Postal Code": "postnummer", "Serial Number": "serienummer",
                  "Title": "titel", "Given Name": "fornavn", "Surname": "efternavn", "Name": "navn",
                  "Telephone Number": "telefon", "Organization Identifier": "organisations-id"}
SUBJECT_FIELD = re.compile(r"(^|, |; )(" + "|".join(sorted(map(re.escape, SUBJECT_FIELDS), key=len, reverse=True))
                           + r"): ")


def subject_fields(subject: str) -> dict[str, str]:
    """A recorded certificate subject's fields by asn1crypto's names: {"Common Name": "X", "Organization": "Y"}."""
    found = list(SUBJECT_FIELD.finditer(subject))
    return {m[2]: subject[m.end():nxt.start() if nxt is not None else len(subject)]
            for m, nxt in zip(found, [*found[1:], None], strict=True)}


def certificate_name(entry: dict[str, Any]) -> str | None:
    """The signer as the certificate names them; for manifests from before it was recorded, read from the stored
    certificate subject ('Common Name: …, Organization: …')."""
    name = entry.get("underskriver")
    if isinstance(name, str) and name:
        return name
    cert = entry.get("certifikat")
    subject = cert.get("emne") if isinstance(cert, dict) else None
    if not isinstance(subject, str):
        return None
    parts = subject_fields(subject)
    if "Common Name" not in parts:
        return subject
    return ", ".join(p for p in (parts["Common Name"], parts.get("Organization")) if p)


def claimed_name(entry: dict[str, Any]) -> str | None:
    """The name given at signing when it is not the certificate's (a claim shown beside it)."""
    name, cert = entry.get("navn"), certificate_name(entry)
    if not isinstance(name, str) or not name or cert is None:
        return None
    cn = cert.split(", ")[0]
    key = " ".join(name.split()).casefold()
    return None if key in {" ".join(cert.split()).casefold(), " ".join(cn.split()).casefold()} else name


def describe(entry: dict[str, Any]) -> str:
    """One signer in one line: 'Henrik Aarup-Kristensen, Nordjysk Socialaftale (oplyst: Næstformand, formand),
    betroet, PAdES B-LTA'. A scanned copy's handwritten signature is said as such."""
    if entry.get("tillid") == mf.SCANNED:
        return "håndskreven underskrift på en scannet kopi (kan ikke verificeres digitalt)"
    who = certificate_name(entry) or "(ukendt certifikat)"
    claims = [c for c in (claimed_name(entry), entry.get("rolle")) if isinstance(c, str) and c]
    text = who + (f" ({CLAIMED}: {', '.join(claims)})" if claims else "")
    extra = [str(entry["tillid"])] if entry.get("tillid") else []
    if isinstance(entry.get("niveau"), str):
        extra.append(f"{LEVEL_WORD} {entry['niveau']}")
    return ", ".join([text, *extra])


def lines(manifest: mf.Manifest) -> list[str]:
    """Every signer of a manifest, described."""
    entries = manifest.get("underskrifter")
    return [describe(e) for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []


def of_folder(folder: Path) -> list[str]:
    """The signers of a stored version or correction (its manifest.json), [] when it cannot be read."""
    import json

    try:  # a version's or a correction's manifest (their formats differ; both have 'underskrifter')
        manifest = json.loads((folder / "manifest.json").read_bytes())
    except (OSError, ValueError, RecursionError):  # the listing shows what it can; 'archive verify' names it
        return []
    return lines(manifest) if isinstance(manifest, dict) else []


def signed_by(manifest: mf.Manifest) -> str:
    """The signers as one cell of the decision register: certificate names (and claims), '; ' between them."""
    return "; ".join(lines(manifest))


def public_lines(manifest: mf.Manifest) -> list[str]:
    """The signers for the web edition: who the certificate names, what was typed beside it ("oplyst"), and when
    it was signed — without the archive's own words (trust, PAdES level)."""
    out = []
    for entry in manifest.get("underskrifter", []):
        if not isinstance(entry, dict) or entry.get("tillid") == mf.SCANNED:
            continue
        who = certificate_name(entry) or "(ukendt certifikat)"
        claims = [c for c in (claimed_name(entry), entry.get("rolle")) if isinstance(c, str) and c]
        when = entry.get("tidsstempel") or entry.get("tidspunkt")
        day = f", {when[8:10]}.{when[5:7]}.{when[:4]}" if isinstance(when, str) and len(when) >= 10 else ""
        out.append(who + (f" ({CLAIMED}: {', '.join(claims)})" if claims else "") + day)
    return out

