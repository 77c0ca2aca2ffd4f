"""The takstskema's columns: YAML key, header as printed in the template, and the names an importer accepts."""

from __future__ import annotations

import re

# key, header in the blank template, accepted header variants (compared folded), kind
COLUMNS: list[tuple[str, str, tuple[str, ...], str]] = [
    ("tilbud", "Tilbud", ("tilbud", "tilbuddets navn", "tilbudsnavn"), "text"),
    ("ydelse", "Ydelse", ("ydelse", "takstniveau", "ydelse/niveau", "ydelse / niveau"), "text"),
    ("lovgrundlag", "Lovgrundlag", ("lovgrundlag", "paragraf", "lov"), "text"),
    ("antal_pladser", "Antal pladser", ("antal pladser", "pladser", "antal pladser i år"), "number"),
    ("pladser_sidste_år", "Antal pladser sidste år", ("antal pladser sidste år", "pladser sidste år",
                                                       "antal pladser forrige år"), "number"),
    ("takstenhed", "Takstenhed", ("takstenhed", "enhed"), "text"),
    ("belægning_pct", "Budg. bel. pct.", ("budg. bel. pct.", "budg. bel. pct", "budgetteret belægningsprocent",
                                          "belægningsprocent", "belægning", "budg bel pct"), "percent"),
    ("budget", "Budget", ("budget", "budget kr.", "budget (kr.)", "samlet budget"), "number"),
    ("overhead_pct", "Anvendt overheadprocent", ("anvendt overheadprocent", "overheadprocent", "overhead",
                                                 "overhead pct."), "percent"),
    ("takst", "Takst", ("takst", "takst kr.", "takst (kr.)"), "number"),
    ("takst_sidste_år", "Takst sidste år", ("takst sidste år", "takst forrige år", "sidste års takst"), "number"),
    ("ændring_pct", "Ændring i pct. ift. forrige år", ("ændring i pct. ift. forrige år", "ændring i pct.",
                                                        "ændring i pct", "ændring %", "ændring i procent"), "percent"),
    ("betalingsdage", "Betalingsdage", ("betalingsdage",), "number"),
    ("strukturændring", "Strukturændring (ja/nej)", ("strukturændring", "strukturændring (ja/nej)"), "bool"),
    ("status", "Status (udgår/udskudt)", ("status", "status (udgår/udskudt)"), "text"),
    ("basistakst", "Basistakst", ("basistakst", "grundtakst"), "number"),
    ("regulering_kr", "Regulering kr.", ("regulering kr.", "regulering", "indregnet over-/underskud"), "number"),
    ("forklaring", "Forklaring", ("forklaring", "bemærkning", "bemærkninger", "forklaringer"), "text"),
    ("rolle", "Rækketype", ("rækketype", "rolle", "type af række"), "role"),
]
# What a secretariat may write in the Rækketype column (folded) → the YAML value.
ROLES = {"overskrift": "overskrift", "blokhoved": "blokhoved", "hoved": "blokhoved", "underrække": "underrække",
         "under": "underrække", "sum": "sum", "sumrække": "sum", "i alt": "sum", "total": "sum", "takst": "takst"}

META = {
    "driftsherre": ("driftsherre", "driftsherre:"),
    "type": ("driftsherretype", "driftsherretype (kommune/region)", "driftsherretype (kommune/region):", "type"),
    "år": ("takstår", "takstår:", "år"),
    "overhead": ("generel overheadprocent", "generel overheadprocent:", "overheadprocent for driftsherren"),
}


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower().replace("\u00ad", "")).rstrip(":").strip()


HEADER_LOOKUP = {fold(v): key for key, _, variants, _ in COLUMNS for v in variants}
KIND = {key: kind for key, _, _, kind in COLUMNS}
LABELS = {key: header for key, header, _, _ in COLUMNS}
"""YAML key → the column's header, as the run's messages name a column ("Budget", "Ændring i pct. ift. forrige år")."""
