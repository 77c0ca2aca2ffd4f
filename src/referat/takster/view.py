"""The annex as a table view: columns, one section per driftsherre, marked cells and their footnotes.

Decided once here; the PDF (Typst), Word, CSV and Excel writers only lay it out (`types.AnnexView`). Every number
prints as the driftsherre wrote it — in Danish notation, with the decimals it was submitted with (a submitted
`100` is `100 %`, an English `456,789` read as thousands `456.789`) — and nothing prints that the submission did
not state: no computed change in the table (the overview marks one it lists "(beregnet)"), no "ikke oplyst" line
(what a rule needs to say about a missing value it says once, in the reading guide).
"""

from __future__ import annotations

from typing import Literal

from ..text.danish import number
from ..text.nodes import Block
from ..text.richtext import parse, plain_text, printable
from ..view import labels as L
from .model import Note, Offer, Owner, Role, Row, Status, Takstbilag
from .row import ATTR, float_decimals
from .rules import AMBIGUOUS, MISSING_TARIFF, OVERHEAD, Finding, offer_name
from .summary import COMPUTED_NOTE, summarise
from .summary import HEADER as SUMMARY_HEADER
from .summary import table as summary_table
from .types import (
    AnnexCell,
    AnnexColumn,
    AnnexNote,
    AnnexRow,
    AnnexSection,
    AnnexView,
    Footnote,
    LegendEntry,
    RowKind,
)

READING_GUIDE = """\
Takstbilaget viser de takster, driftsherrerne har indmeldt for året, én sektion pr. driftsherre. Tallene står,
som driftsherren skrev dem, med dansk tusindtals- og decimaltegn.

- **Tilbud** og **Ydelse**: tilbuddet og ydelsen eller takstniveauet (fx *Boniveau 4*).
- **Lovgrundlag**: paragraffen ydelsen leveres efter, fx SEL § 107.
- **Antal pladser**: en ændring i forhold til sidste år skal forklares.
- **Takstenhed**: Døgn (24 timer), Dag, Time, Styk eller Måned.
- **Budg. bel. pct.**: den budgetterede belægningsprocent, som taksten er beregnet ud fra. For dag- og
  døgntilbud forventes 95–100 %; lavere skal begrundes og godkendes af Den Administrative Styregruppe.
- **Budget**: tilbuddets samlede omkostninger i kr.
- **Overhead**: den anvendte overheadprocent for taksten.
- **Takst**: taksten i kr. pr. enhed; en streg (-), hvor driftsherren ikke har angivet en.
- **Ændring**: ændringen i procent i forhold til sidste års takst. En ændring på mere end 2 procentpoint
  over årets P/L-indeks skal forklares.
- **Forklaring**: driftsherrens forklaring på ændringer i pladser eller takst.

**Gule felter** er afvigelser fra reglerne, som driftsherren har forklaret; de skal godkendes. **Orange felter
med !** er afvigelser uden forklaring. Hvad hvert felt er markeret for, står i tabellen over markerede felter
under hver driftsherres tabel.

Rækkerne står, som driftsherren har indsendt dem: **fede rækker** er overskrifter, blokhoveder og sumrækker;
indrykkede rækker hører under blokhovedet eller sumrækken over dem og arver dets pladser, belægning og overhead.
"""
YELLOW, ORANGE, BLUE = "FFF200", "FFA040", "BFDDF5"
LEGEND: list[LegendEntry] = [{"colour": YELLOW, "mark": "", "text": "Forklaret afvigelse, skal godkendes"},
                             {"colour": ORANGE, "mark": "!", "text": "Uforklaret afvigelse: forklaringen mangler"}]
AMBIGUOUS_LEGEND: LegendEntry = {"colour": BLUE, "mark": "?",
                                 "text": "Tal, der kan læses på to måder, og som intet i driftsherrens tal afgør"}
AMBIGUOUS_GUIDE = ("**Blå felter med ?** er tal, der kan læses på to måder (som 1,234), og som intet andet i "
                   "driftsherrens tal afgør; de står med dansk læsning, til driftsherren har bekræftet dem.")

BASE_COLUMNS: list[tuple[str, str, str]] = [
    ("tilbud", "Tilbud", "left"), ("ydelse", "Ydelse", "left"), ("lovgrundlag", "Lovgrundlag", "left"),
    ("antal_pladser", "Antal pladser", "right"), ("takstenhed", "Takst­enhed", "left"),
    ("belægning_pct", "Budg. bel. pct.", "right"), ("budget", "Budget", "right"),
    ("overhead_pct", "Overhead pct.", "right"), ("takst", "Takst", "right"),
    ("ændring_pct", "Ændring i pct. ift. forrige år", "right"),
]
EARLIER_COLUMNS = [("tidl_takst", "Tidl. indmeldt takst", "right"), ("tidl_ændring", "Tidl. ændring i pct.", "right"),
                   ("procentpoint", "Ændring i procent­point", "right")]
LAST_COLUMN = ("forklaring", "Forklaring", "left")
PERCENT_KEYS = ("belægning_pct", "overhead_pct", "ændring_pct")
OVERHEAD_LABEL = "Generel overheadprocent"
# Columns whose findings have no column of their own in the table: marked where a reader looks for them.
_SHOWN_IN = {"pladser_sidste_år": "antal_pladser", "takst_sidste_år": "ændring_pct", "basistakst": "takst",
             "regulering_kr": "takst", "betalingsdage": "takst", "status": "ydelse", "strukturændring": "ændring_pct",
             "rolle": "ydelse", "importfejl": "ydelse", "": "ydelse"}


_DANISH = str.maketrans({",": ".", ".": ","})


def danish_number(value: float, places: int) -> str:
    """1.234.567,5: Danish notation with exactly `places` decimals. As `text.danish.number`, at C speed for the
    annex's thousands of cells; the two agree wherever no rounding happens, as here (a number is printed with
    the decimals it was written with)."""
    return f"{value:,.{places}f}".translate(_DANISH)


def _number_cell(row: Row, key: str) -> AnnexCell:
    value = getattr(row, ATTR[key])
    if value is None:
        return _cell("-" if key in row.dashes else "")
    return _float_cell(value, row.decimals(key), key in PERCENT_KEYS)


def _cell(text: str) -> AnnexCell:
    return {"text": printable(text), "flag": [], "colour": None, "label": ""}


def _float_cell(value: float | None, places: int, percent: bool = False) -> AnnexCell:
    if value is None:
        return _cell("")
    cell = _cell(danish_number(value, places) + (" %" if percent else ""))
    cell["number"], cell["decimals"] = float(value), places
    if percent:
        cell["percent"] = True
    return cell


def _cells(offer: Offer, row: Row, revised: bool, missing: bool) -> dict[str, AnnexCell]:
    """The row as submitted: a sub-row's inherited values stay in its header; a '-' prints as '-', and so does a
    takst that is missing."""
    basis = row.legal_basis or ("" if row.kind in (Role.SUB, Role.HEADING) or row.is_text() else offer.legal_basis or "")
    cells = {
        "tilbud": _cell(offer_name(offer, row)), "ydelse": _cell(row.service or ""), "lovgrundlag": _cell(basis),
        "takstenhed": _cell(row.unit.value if row.unit else ""), "forklaring": _cell(row.explanation or ""),
        **{key: _number_cell(row, key) for key in ("antal_pladser", "belægning_pct", "budget", "overhead_pct", "takst",
                                                    "ændring_pct")},
    }
    if row.structure_change:
        cells["ændring_pct"] = _cell("strukturændring")
    if missing and not cells["takst"]["text"]:
        cells["takst"] = _cell("-")
    if row.status is Status.CLOSING:
        if not cells["takst"]["text"]:
            cells["takst"] = _cell("udgår")
        cells["forklaring"] = _cell(("Udgår. " + (row.explanation or "")).strip())
    elif row.status is Status.DEFERRED and not cells["takst"]["text"]:
        cells["takst"] = _cell("udskudt")
    if revised:
        earlier = row.earlier
        cells["tidl_takst"] = _float_cell(earlier.tariff if earlier else None, _places(earlier.tariff if earlier else None))
        cells["tidl_ændring"] = _float_cell(earlier.change_pct if earlier else None,
                                            _places(earlier.change_pct if earlier else None), percent=True)
        pp = (row.change_pct - earlier.change_pct) if (earlier and earlier.change_pct is not None
                                                         and row.change_pct is not None) else None
        cells["procentpoint"] = _float_cell(None if pp is None else round(pp, 2), 2)
    return cells


def _places(value: float | None) -> int:
    return 0 if value is None else float_decimals(value)


def _mark(f: Finding) -> str:
    return "?" if f.mark == AMBIGUOUS else ("" if f.explained else "!")


def _colour(found: list[Finding]) -> str:
    deviations = [f for f in found if f.mark != AMBIGUOUS]
    if not deviations:
        return BLUE
    return YELLOW if all(f.explained for f in deviations) else ORANGE


def _section(tb: Takstbilag, owner: Owner, columns: list[tuple[str, str, str]], revised: bool,
             flagged: dict[tuple[int, str], list[Finding]]) -> AnnexSection:
    rows: list[AnnexRow] = []
    footnotes: list[Footnote] = []
    for offer in owner.offers:
        for row in offer.rows:
            missing = any(f.rule == MISSING_TARIFF for f in flagged.get((id(row), "takst"), []))
            cells = _cells(offer, row, revised, missing)
            ref = printable(f"{offer_name(offer, row)} › {row.name}")
            out: list[AnnexCell] = []
            for key, _, _ in columns:
                cell = cells[key]
                found = flagged.get((id(row), key), [])
                for f in found:
                    n = len(footnotes) + 1
                    mark = f"{_mark(f)}{n}"
                    footnotes.append({"n": n, "mark": mark, "colour": _colour([f]), "explained": f.explained,
                                      "ambiguous": f.mark == AMBIGUOUS, "row": ref, "rule": f.rule,
                                      "text": printable(f.message)})
                    cell["flag"].append(n)
                if found:
                    cell["colour"] = _colour(found)
                    cell["label"] = ",".join(footnotes[n - 1]["mark"] for n in cell["flag"])
                out.append(cell)
            kind: RowKind = row.kind.value  # type: ignore[assignment]
            rows.append({"kind": kind, "ref": ref, "cells": out})
    overhead: AnnexRow | None = None
    if owner.overhead_pct is not None:
        general = {key: _cell("") for key, _, _ in columns} | {
            "ydelse": _cell(OVERHEAD_LABEL), "overhead_pct": _float_cell(owner.overhead_pct, owner.overhead_places, True)}
        overhead = {"kind": "generel", "ref": printable(f"{owner.name} › {OVERHEAD_LABEL}"),
                    "cells": [general[key] for key, _, _ in columns]}
    before = [n for n in owner.notes if n.placement.value == "før"]
    after = [n for n in owner.notes if n.placement.value != "før"]
    return {
        "owner": printable(owner.name),
        "info": printable(f"{OVERHEAD_LABEL}: {number(owner.overhead_pct, owner.overhead_places)} %")
        if owner.overhead_pct is not None else None,
        "overhead": overhead,
        "rows": rows, "footnotes": footnotes, "notes_before": _notes(before), "notes_after": _notes(after),
    }


def _guide_facts(tb: Takstbilag, findings: list[Finding], ambiguous: bool, computed: bool = False) -> list[Block]:
    """What the reading guide says once about this annex: the year's P/L index, the driftsherrer a rule missed
    a general overhead for, and the blue marker where one is used."""
    facts: list[str] = []
    used = {o.type for o in tb.owners}
    words = {"kommune": "kommuner", "region": "regionen"}
    given = [f"{words[t.value]} {number(v, _places(v))} %" for t, v in tb.pl_index.items() if t in used and v is not None]
    missing = [words[t.value] for t in used if tb.pl_index.get(t) is None]
    if given:
        facts.append(f"Årets P/L-indeks: {', '.join(given)}.")
    if missing:
        facts.append(f"P/L-indekset er ikke angivet for {' og '.join(sorted(missing))}; ændringer over P/L + 2 "
                     "procentpoint er derfor ikke kontrolleret for dem.")
    overhead = sorted({f.owner for f in findings if f.rule == OVERHEAD})
    if overhead:
        facts.append(f"Generel overheadprocent er ikke oplyst for {', '.join(overhead)}; de takster, der heller ikke "
                     "selv angiver en, er markeret.")
    if computed:  # the overview lists a change the submission did not state
        facts.append(COMPUTED_NOTE)
    blocks: list[Block] = [{"type": "par", "inlines": [{"type": "text", "v": printable(f)}]} for f in facts]
    if ambiguous:
        blocks += parse(AMBIGUOUS_GUIDE)
    return blocks


def table_view(tb: Takstbilag, findings: list[Finding], approval: str | None = None) -> AnnexView:
    """JSON-ready view of the annex; `approval` is the approval line, given only when a decision approved it."""
    revised = any(r.earlier is not None for _, _, r in tb.rows())
    columns = BASE_COLUMNS + (EARLIER_COLUMNS if revised else []) + [LAST_COLUMN]
    keys = {key for key, _, _ in columns}
    flagged: dict[tuple[int, str], list[Finding]] = {}
    for f in findings:
        if f.highlight:
            column = f.column if f.column in keys else _SHOWN_IN.get(f.column, "ydelse")
            flagged.setdefault((f.row_id, column), []).append(f)
    sections = [_section(tb, owner, columns, revised, flagged) for owner in tb.owners]
    ambiguous = any(fn["ambiguous"] for s in sections for fn in s["footnotes"])
    summaries = summarise(tb, findings)
    summary = summary_table(summaries)
    aligns: list[Literal["left", "right"]] = ["right" if align == "right" else "left" for _, _, align in columns]
    column_views: list[AnnexColumn] = [{"key": k, "label": label, "align": "right" if align == "right" else "left"}
                                       for k, label, align in columns]
    return {
        "title": printable(tb.display_title), "year": tb.year, "approval": printable(approval) if approval else None,
        "lang": "da-DK", "page_label": L.PAGE,
        "guide_title": "Læsevejledning",
        "guide": parse(tb.reading_guide or READING_GUIDE) + _guide_facts(tb, findings, ambiguous,
                                                                          any(s.computed for s in summaries)),
        "summary_title": "Oversigt pr. driftsherre", "summary_header": SUMMARY_HEADER,
        "summary": [[printable(c) for c in row] for row in summary],
        "colours": LEGEND + ([AMBIGUOUS_LEGEND] if ambiguous else []),
        "columns": column_views, "aligns": aligns,
        "sections": sections, "footnotes_title": "Markerede felter",
        "footnote_header": ["Nr.", "Række", "Regel", "Markering"],
        "notes_title": "Noter", "notes": _notes(tb.notes), "annex_notes_title": "Notater til takstbilaget",
    }


def _notes(notes: list[Note]) -> list[AnnexNote]:
    out: list[AnnexNote] = []
    for n in notes:
        blocks = parse(n.text)
        out.append({"title": printable(n.title) if n.title else None, "blocks": blocks, "text": plain_text(blocks)})
    return out
