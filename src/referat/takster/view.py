"""The annex as a table view: columns, one section per driftsherre, flagged cells and their legend.

Decided once here; the PDF (Typst), Word, CSV and Excel writers only lay it out.
"""

from __future__ import annotations

from typing import Any

from ..text.danish import amount, number, percent
from ..text.richtext import parse, printable
from ..view import labels as L
from .model import Role, Row, Status, Takstbilag
from .rules import Finding, effective_change
from .summary import HEADER as SUMMARY_HEADER
from .summary import summarise
from .summary import table as summary_table

READING_GUIDE = """\
Takstbilaget viser de takster, driftsherrerne har indmeldt for året, én sektion pr. driftsherre.

- **Tilbud** og **Ydelse**: tilbuddet og ydelsen eller takstniveauet (fx *Boniveau 4*).
- **Lovgrundlag**: paragraffen ydelsen leveres efter, fx SEL § 107.
- **Antal pladser**: en ændring i forhold til sidste år skal forklares.
- **Takstenhed**: Døgn (24 timer), Dag, Time, Styk eller Måned.
- **Budg. bel. pct.**: den budgetterede belægningsprocent, som taksten er beregnet ud fra. For dag- og
  døgntilbud forventes 95–100 %; lavere skal begrundes og godkendes af Den Administrative Styregruppe.
- **Budget**: tilbuddets samlede omkostninger i kr.
- **Overhead**: den anvendte overheadprocent for taksten.
- **Takst**: taksten i kr. pr. enhed.
- **Ændring**: ændringen i procent i forhold til sidste års takst. En ændring på mere end 2 procentpoint
  over årets P/L-indeks skal forklares.
- **Forklaring**: driftsherrens forklaring på ændringer i pladser eller takst.

**Gule felter** er afvigelser, som driftsherren har forklaret; de skal godkendes. **Orange felter med !** er
afvigelser uden forklaring. Hvad hvert felt er markeret for, står i noten under hver driftsherre.

Rækkerne står, som driftsherren har indsendt dem: **fede rækker** er overskrifter, blokhoveder og sumrækker;
indrykkede rækker hører under blokhovedet eller sumrækken over dem og arver dets pladser, belægning og overhead.
"""
YELLOW, ORANGE = "FFF200", "FFA040"
LEGEND = [{"colour": YELLOW, "mark": "", "text": "Forklaret afvigelse, skal godkendes"},
          {"colour": ORANGE, "mark": "!", "text": "Uforklaret afvigelse: forklaringen mangler"}]

BASE_COLUMNS = [
    ("tilbud", "Tilbud", "left"), ("ydelse", "Ydelse", "left"), ("lovgrundlag", "Lovgrundlag", "left"),
    ("antal_pladser", "Antal pladser", "right"), ("takstenhed", "Takst­enhed", "left"),
    ("belægning_pct", "Budg. bel. pct.", "right"), ("budget", "Budget", "right"),
    ("overhead_pct", "Overhead pct.", "right"), ("takst", "Takst", "right"),
    ("ændring_pct", "Ændring i pct. ift. forrige år", "right"),
]
EARLIER_COLUMNS = [("tidl_takst", "Tidl. indmeldt takst", "right"), ("tidl_ændring", "Tidl. ændring i pct.", "right"),
                   ("procentpoint", "Ændring i procent­point", "right")]
LAST_COLUMN = ("forklaring", "Forklaring", "left")


def _cells(tb: Takstbilag, offer_name: str, offer_basis: str | None, row: Row, revised: bool) -> dict[str, str]:
    """The row as submitted: a sub-row's inherited values stay in its header; a '-' prints as '-'."""
    change = effective_change(row) if row.tariff is not None else row.change_pct
    basis = row.legal_basis or ("" if row.kind in (Role.SUB, Role.HEADING) else offer_basis or "")
    cells = {
        "tilbud": offer_name, "ydelse": row.service or "", "lovgrundlag": basis,
        "antal_pladser": amount(row.places), "takstenhed": row.unit.value if row.unit else "",
        "belægning_pct": percent(row.occupancy_pct), "budget": amount(row.budget, 0),
        "overhead_pct": percent(row.overhead_pct), "takst": amount(row.tariff),
        "ændring_pct": "strukturændring" if row.structure_change else percent(change),
        "forklaring": row.explanation or "",
    }
    for key in row.dashes:
        if key in cells and not cells[key]:
            cells[key] = "-"
    if row.status is Status.CLOSING:
        cells["takst"] = cells["takst"] or "udgår"
        cells["forklaring"] = ("Udgår. " + cells["forklaring"]).strip()
    elif row.status is Status.DEFERRED:
        cells["takst"] = cells["takst"] or "udskudt"
    if revised:
        earlier = row.earlier
        cells["tidl_takst"] = amount(earlier.tariff) if earlier else ""
        cells["tidl_ændring"] = percent(earlier.change_pct) if earlier else ""
        pp = (row.change_pct - earlier.change_pct) if (earlier and earlier.change_pct is not None
                                                         and row.change_pct is not None) else None
        cells["procentpoint"] = "" if pp is None else number(pp, 2)
    return {k: printable(v) for k, v in cells.items()}


def table_view(tb: Takstbilag, findings: list[Finding], approval: str | None = None) -> dict[str, Any]:
    """JSON-ready view of the annex; `approval` is the approval line, given only when a decision approved it."""
    revised = any(r.earlier is not None for _, _, r in tb.rows())
    columns = BASE_COLUMNS + (EARLIER_COLUMNS if revised else []) + [LAST_COLUMN]
    flagged: dict[tuple[int, str], list[Finding]] = {}
    for f in findings:
        if f.highlight:
            flagged.setdefault((f.row_id, f.column), []).append(f)
    sections = []
    for owner in tb.owners:
        rows: list[dict[str, Any]] = []
        legend: list[dict[str, Any]] = []
        for offer in owner.offers:
            for row in offer.rows:
                cells = _cells(tb, offer.name, offer.legal_basis, row, revised)
                out = []
                for key, _, _ in columns:
                    marks = []
                    explained = True
                    for f in flagged.get((id(row), key), []):
                        legend.append({"n": len(legend) + 1, "explained": f.explained,
                                       "text": printable(f"{offer.name}, {row.name}: {f.message}")})
                        marks.append(len(legend))
                        explained = explained and f.explained
                    colour = (YELLOW if explained else ORANGE) if marks else None
                    label = ("" if explained else "!") + ",".join(map(str, marks)) if marks else ""
                    out.append({"text": cells[key], "flag": marks, "colour": colour, "label": label})
                rows.append({"kind": row.kind.value, "cells": out})
        general = (f"Generel overheadprocent: {percent(owner.overhead_pct)}" if owner.overhead_pct is not None
                   else "Generel overheadprocent: ikke oplyst")
        pl = tb.pl_index.get(owner.type)
        sections.append({
            "owner": printable(owner.name),
            "info": printable(f"{general} · P/L-indeks ({owner.type.value}): {percent(pl) if pl is not None else 'ikke angivet'}"),
            "rows": rows, "legend": legend, "notes": _notes(owner.notes),
        })
    summary = summary_table(summarise(tb, findings))
    return {
        "title": printable(tb.display_title), "year": tb.year, "approval": printable(approval) if approval else None,
        "guide_title": "Læsevejledning", "guide": parse(tb.reading_guide or READING_GUIDE),
        "summary_title": "Oversigt pr. driftsherre", "summary_header": SUMMARY_HEADER,
        "summary": [[printable(c) for c in row] for row in summary],
        "colours": LEGEND,
        "columns": [{"key": k, "label": label, "align": align} for k, label, align in columns],
        "aligns": ["right" if align == "right" else "left" for _, _, align in columns],
        "sections": sections, "legend_title": "Markerede felter", "notes_title": "Noter",
        "notes": _notes(tb.notes), "annex_notes_title": "Notater til takstbilaget", "lang": "da-DK",
        "page_label": L.PAGE,
    }


def _notes(notes: list[Any]) -> list[dict[str, str | None]]:
    return [{"title": printable(n.title) if n.title else None, "text": printable(n.text)} for n in notes]
