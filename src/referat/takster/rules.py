"""The Styringsaftale's tariff rules (001 L5660–5830), each a small function giving findings.

A finding names driftsherre, tilbud and ydelse and points at the row's line (or cell). Findings with
`highlight` shade that cell in the rendered annex and explain why in its legend: yellow when the driftsherre
explained it (forklaret, skal godkendes), orange when it did not (uforklaret). Rows are checked as submitted:
block headers and their sub-rows, sum rows and their takstgrupper, headings and closed offers (model.Role).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Location, Report, Severity
from ..text.danish import kroner as kr
from ..text.danish import number
from ..text.danish import percent as pct
from .model import Direction, Offer, Owner, Role, Row, Takstbilag, Unit

DEFAULT_TOLERANCE_PCT = 2.0
# The categories the secretariat's summary counts (explained / unexplained).
PL, OCCUPANCY, FORMULA, PLACES = "pl", "belægning", "formel", "pladser"
CATEGORIES = {PL: "Ændring over P/L + 2 pp", OCCUPANCY: "Belægning under 95 %", FORMULA: "Afvigelse fra formlen",
              PLACES: "Ændrede pladser"}


@dataclass(frozen=True)
class Finding:
    owner: str
    offer: str
    service: str
    column: str
    severity: Severity | None  # None: highlighted only, no message (an explained deviation)
    message: str
    highlight: bool
    location: Location
    row_id: int = 0
    category: str | None = None

    @property
    def explained(self) -> bool:
        return self.severity is None

    def text(self) -> str:
        return f"{self.owner} › {self.offer} › {self.service}: {self.message}"


def is_tariff(row: Row) -> bool:
    """A row that states a takst of its own: an ordinary row, a sub-row, or a block header with its average."""
    return (row.kind in (Role.TARIFF, Role.SUB) or (row.kind is Role.BLOCK and row.tariff is not None)) \
        and not row.closed


def _tariff_rows(tb: Takstbilag) -> Iterator[tuple[Owner, Offer, Row]]:
    """Rows that carry a takst of their own (ordinary rows, sub-rows), closed offers left out."""
    for owner, offer, row in tb.rows():
        if is_tariff(row):
            yield owner, offer, row


def _rows(tb: Takstbilag) -> Iterator[tuple[Owner, Offer, Row]]:
    yield from _tariff_rows(tb)


def _where(tb: Takstbilag, row: Row, column: str | None = None) -> Location:
    if row.source_map is None:
        return Location(Path(tb.display_title))
    key = row.source_key + ((column,) if column else ())
    return row.source_map.at(key)


def _find(tb: Takstbilag, owner: Owner, offer: Offer, row: Row, column: str, severity: Severity | None,
          message: str, highlight: bool = True, yaml_key: str | None = None, category: str | None = None) -> Finding:
    return Finding(owner.name, offer.name, row.name, column, severity, message, highlight,
                   _where(tb, row, yaml_key), id(row), category)


def explanation(row: Row) -> str | None:
    """The row's forklaring, else its block header's (a header's forklaring speaks for its sub-rows)."""
    if row.explanation:
        return row.explanation
    return row.parent.explanation if row.parent is not None and row.kind is Role.SUB else None


def effective_change(row: Row) -> float | None:
    """The change against last year: as stated, else computed from last year's tariff."""
    if row.change_pct is not None:
        return row.change_pct
    if row.tariff is not None and row.tariff_last_year:
        return (row.tariff / row.tariff_last_year - 1) * 100
    return None


def pl_change(tb: Takstbilag) -> Iterator[Finding]:
    """A change more than 2 pp above P/L is highlighted and must be explained (DOMAIN §4, 001 L5672–5676);
    a structure change is exempt but must say why."""
    margin = tb.thresholds.pl_margin_pp
    direction = tb.thresholds.direction
    for owner, offer, row in _rows(tb):
        change = effective_change(row)
        if change is None:
            continue
        if row.structure_change:
            if not explanation(row):
                yield _find(tb, owner, offer, row, "forklaring", "advarsel",
                            "rækken er markeret som strukturændring, men forklaringen mangler", False, "strukturændring")
            continue
        pl = tb.pl_index.get(owner.type)
        if pl is None:
            continue
        up = change > pl + margin and direction in (Direction.UP, Direction.BOTH)
        down = change < pl - margin and direction in (Direction.DOWN, Direction.BOTH)
        if not (up or down):
            continue
        what = "over" if up else "under"
        limit = pl + margin if up else pl - margin
        message = f"ændringen {pct(change)} er mere end {number(margin, 0 if margin.is_integer() else 2)} procentpoint {what} P/L ({pct(pl)}); grænse {pct(limit)}"
        if explanation(row):
            yield _find(tb, owner, offer, row, "ændring_pct", None, message + " (forklaret)", True, "ændring_pct", PL)
        else:
            yield _find(tb, owner, offer, row, "ændring_pct", "advarsel", message + " og forklaringen mangler", True,
                        "ændring_pct", PL)


def stated_change(tb: Takstbilag) -> Iterator[Finding]:
    """The stated change agrees with last year's tariff where both are given, allowing for tariffs printed
    rounded to whole kroner (a change computed before rounding: ±0,5 kr. on each, 0,3 pp on a 316 kr. takst)."""
    for owner, offer, row in _rows(tb):
        if row.change_pct is None or not row.tariff_last_year or not row.tariff:
            continue
        computed = (row.tariff / row.tariff_last_year - 1) * 100
        tol = tb.thresholds.change_tolerance + 50 / row.tariff_last_year + 50 / row.tariff
        if abs(computed - row.change_pct) > tol:
            yield _find(tb, owner, offer, row, "ændring_pct", "advarsel",
                        f"angivet ændring {pct(row.change_pct)}, men {kr(row.tariff_last_year)} → {kr(row.tariff)} "
                        f"giver {pct(computed)}", True, "ændring_pct")


def occupancy(tb: Takstbilag) -> Iterator[Finding]:
    """Budgeted occupancy for day and 24-hour offers is 95–100 % (001 L5730–5742); above 100 % is an error."""
    low = tb.thresholds.occupancy_min
    for owner, offer, row in tb.rows():
        occ = row.occupancy_pct
        if occ is None or row.closed or row.kind is Role.HEADING:
            continue
        if occ > 100:
            yield _find(tb, owner, offer, row, "belægning_pct", "fejl",
                        f"belægningsprocenten {pct(occ)} er over 100 %", True, "belægning_pct")
        elif 0 < occ < 1:
            yield _find(tb, owner, offer, row, "belægning_pct", "advarsel",
                        f"belægningsprocenten {pct(occ)} ligner en brøk: læst som {pct(occ)}, men mente du "
                        f"{pct(occ * 100)}? Skriv procenten, fx 98", True, "belægning_pct")
        elif occ < low and _unit(row) in (Unit.DAG, Unit.DOEGN):
            message = f"belægningsprocenten {pct(occ)} er under {pct(low)}"
            if _explained_block(row):
                yield _find(tb, owner, offer, row, "belægning_pct", None,
                            message + " (begrundet; skal godkendes af DAS)", True, "belægning_pct", OCCUPANCY)
            else:
                yield _find(tb, owner, offer, row, "belægning_pct", "advarsel",
                            message + " uden begrundelse; den skal begrundes og godkendes af DAS", True, "belægning_pct",
                            OCCUPANCY)


def _unit(row: Row) -> Unit | None:
    """A row's unit; a header without one takes its sub-rows' (they share it)."""
    unit = row.inherited("unit")
    if unit is None and row.kind in (Role.BLOCK, Role.SUM):
        units = {m.unit for m in row.members if m.unit is not None}
        unit = units.pop() if len(units) == 1 else None
    return unit  # type: ignore[no-any-return]


def _explained_block(row: Row) -> bool:
    """The row's own forklaring (a sub-row's explains a rise of its takst, not its header's occupancy)."""
    return bool(explanation(row))


def overhead(tb: Takstbilag) -> Iterator[Finding]:
    """Every tariff states its overhead %: on the row, on its block header, or as the driftsherre's general %.

    When neither the driftsherre nor any of its rows states one, that is one finding for the driftsherre.
    """
    for i, owner in enumerate(tb.owners):
        if owner.overhead_pct is not None:
            continue
        rows = [(offer, row) for offer in owner.offers for row in offer.rows
                if is_tariff(row)]
        if rows and all(row.inherited("overhead_pct") is None for _, row in rows):
            where = tb.source_map.at(("driftsherrer", i, "navn")) if tb.source_map is not None else Location(Path(owner.name))
            yield Finding(owner.name, "(alle tilbud)", "(alle ydelser)", "overhead_pct", "advarsel",
                          "overheadprocenten mangler: hverken en generel procent for driftsherren eller på nogen takst",
                          False, where)
            continue
        for offer, row in rows:
            if row.inherited("overhead_pct") is None:
                yield _find(tb, owner, offer, row, "overhead_pct", "advarsel",
                            "overheadprocenten mangler (hverken på rækken, på dens blokhoved eller som generel procent "
                            "for driftsherren)", True, "overhead_pct")


_REGULATION = re.compile(r"under-?\s*skud|over-?\s*skud|regulering|efterregul", re.IGNORECASE)
_OPENING_DAYS = re.compile(r"åbningsdage|åbent|lukkedage|ferielukket|hverdage", re.IGNORECASE)


def tolerance_pct(tb: Takstbilag, profile_pct: float | None = None) -> float:
    if tb.thresholds.tariff_tolerance_pct is not None:
        return tb.thresholds.tariff_tolerance_pct
    return DEFAULT_TOLERANCE_PCT if profile_pct is None else profile_pct


def arithmetic(tb: Takstbilag, profile_pct: float | None = None) -> Iterator[Finding]:
    """takst ≈ budget / (pladser × belægning × betalingsdage) (+ regulering, or basistakst + …).

    A deviation above the tolerance (the committee profile's %, default 2 %; a file may set a stricter kr.
    limit) is a warning with both amounts and the %, unless explained: a Dag row budgeted on fewer opening
    days, or a forklaring that states a regulation for a past deficit or surplus.
    """
    limit_pct = tolerance_pct(tb, profile_pct)
    limit_kr = tb.thresholds.tariff_tolerance
    for owner, offer, row in _rows(tb):
        expected = expected_tariff(row)
        if expected is None or row.tariff is None or "takst" in row.ambiguous:
            continue
        off = row.tariff - expected
        off_pct = abs(off) / expected * 100 if expected else 0.0
        if off_pct <= limit_pct and (limit_kr is None or abs(off) <= limit_kr):
            continue
        formula = (f"budget/(pladser × belægning × {row.payment_days} dage)"
                   f"{' + regulering' if row.regulation else ''}{' + basistakst' if row.base_tariff else ''}")
        message = (f"taksten {kr(row.tariff)} passer ikke med {formula} = {kr(round(expected, 2))} "
                   f"(afvigelse {pct(off_pct)}; tolerance {pct(limit_pct)}"
                   f"{'' if limit_kr is None else ' og ' + kr(limit_kr)})")
        reason = _formula_reason(row, expected)
        if reason:
            yield _find(tb, owner, offer, row, "takst", None, f"{message}; forklaret: {reason}", True, "takst", FORMULA)
        else:
            yield _find(tb, owner, offer, row, "takst", "advarsel", message, True, "takst", FORMULA)


def _formula_reason(row: Row, expected: float) -> str | None:
    text = explanation(row) or ""
    assert row.tariff is not None
    if row.tariff > expected and _REGULATION.search(text):
        return "indregnet regulering af et tidligere års under- eller overskud"
    if row.tariff < expected and _REGULATION.search(text):
        return "indregnet regulering af et tidligere års overskud"
    if _unit(row) is Unit.DAG and row.payment_days == 365 and row.tariff > expected:
        days = expected * 365 / row.tariff
        if 180 <= days <= 300:
            return f"dagtakst budgetteret på ca. {number(round(days))} åbningsdage"
        if _OPENING_DAYS.search(text):
            return "dagtakst budgetteret på færre åbningsdage"
    return None


def ambiguous_numbers(tb: Takstbilag) -> Iterator[Finding]:
    """'2,406' is 2,406 read the Danish way and 2.406 with an English thousands comma: say which is implausible."""
    for owner, offer, row in tb.rows():
        for key, (danish, english) in row.ambiguous.items():
            if key in ("belægning_pct", "overhead_pct", "ændring_pct"):
                continue
            hint = ""
            if key == "takst":
                expected = expected_tariff(row)
                if expected is not None:
                    closer = "den engelske" if abs(english - expected) < abs(danish - expected) else "den danske"
                    hint = f"; budgettet giver {kr(round(expected, 2))}, som passer med {closer} læsning"
            column = {"takst_sidste_år": "takst", "pladser_sidste_år": "antal_pladser"}.get(key, key)
            yield _find(tb, owner, offer, row, column, "advarsel",
                        f"'{number(danish, 3)}' i {key} kan læses som {number(danish, 3)} (dansk decimalkomma) eller "
                        f"{number(english)} (komma som tusindtalsseparator); læst som {number(danish, 3)}{hint}. "
                        f"Skriv {number(english)} eller {number(danish, 3)} entydigt", True, key)


def expected_tariff(row: Row) -> float | None:
    """The takst the row's own budget gives; a sub-row without its own budget has none (its share is unknown)."""
    occupancy = row.inherited("occupancy_pct")
    if row.budget is None or not occupancy or _unit(row) not in (Unit.DAG, Unit.DOEGN):
        return None
    places = row.places if row.places else (1.0 if row.base_tariff is not None else None)
    if not places:
        return None
    value = row.budget / (places * occupancy / 100 * row.payment_days)
    return value + (row.regulation or 0) + (row.base_tariff or 0)


def places_changed(tb: Takstbilag) -> Iterator[Finding]:
    """A change in the number of places must be explained (DOMAIN §4); an explained one must be approved."""
    for owner, offer, row in tb.rows():
        if row.places is None or row.places_last_year is None or row.places == row.places_last_year:
            continue
        message = f"antal pladser er ændret fra {number(row.places_last_year)} til {number(row.places)}"
        if _explained_block(row):
            yield _find(tb, owner, offer, row, "antal_pladser", None, message + " (forklaret)", True, "antal_pladser",
                        PLACES)
        else:
            yield _find(tb, owner, offer, row, "antal_pladser", "advarsel", message + " uden forklaring", True,
                        "antal_pladser", PLACES)


def sums(tb: Takstbilag) -> Iterator[Finding]:
    """A sum row's pladser and budget are the sums of its takstgrupper (a wrong sum is a finding)."""
    for owner, offer, row in tb.rows():
        if row.kind is not Role.SUM:
            continue
        if not row.members:
            yield _find(tb, owner, offer, row, "ydelse", "advarsel",
                        "sumrækken har ingen takstgrupper over eller under sig", False, "rolle")
            continue
        for attr, key, label, slack in (("places", "antal_pladser", "pladser", 0.01), ("budget", "budget", "budget", 1.0)):
            total = getattr(row, attr)
            parts = [getattr(m, attr) for m in row.members if getattr(m, attr) is not None]
            if total is None or not parts:
                continue
            if abs(sum(parts) - total) > slack:
                show = (lambda v: number(v)) if attr == "places" else kr
                yield _find(tb, owner, offer, row, key, "advarsel",
                            f"summen passer ikke: takstgrupperne giver {show(sum(parts))} {label if attr == 'places' else ''}"
                            .rstrip() + f", sumrækken siger {show(total)}", True, key)


def structure(tb: Takstbilag) -> Iterator[Finding]:
    """Cells a row needs for what it is: ydelse, takstenhed; a sub-row needs a header above it."""
    for owner, offer, row in tb.rows():
        if row.kind is Role.HEADING:
            continue
        if row.service is None and row.kind in (Role.TARIFF, Role.SUB):
            yield _find(tb, owner, offer, row, "ydelse", "advarsel", "ydelsen mangler på rækken", True)
        if row.kind in (Role.TARIFF, Role.SUB) and not row.closed and row.tariff is not None and _unit(row) is None:
            yield _find(tb, owner, offer, row, "takstenhed", "advarsel", "takstenheden mangler (Døgn, Dag, Time, Styk "
                        "eller Måned)", True)
        if row.role is Role.SUB and row.parent is None:
            yield _find(tb, owner, offer, row, "ydelse", "advarsel",
                        "rækken er en underrække, men der står intet blokhoved eller sumrække over den", False, "rolle")


_SECTION = r"§{1,2}\s*\d+\s*[a-z]?(\s*[-–]\s*\d+\s*[a-z]?)?(,\s*stk\.\s*\d+)?(,\s*nr\.\s*\d+)?"
# A law's name or abbreviation ('SEL', 'ABL', 'Barnets lov', 'Servicelovens', 'LAB-loven') and a section.
_LAW = re.compile(r"^[A-ZÆØÅ][\wÆØÅæøå.\-]*(\s+[\wÆØÅæøå.\-]+){0,3}?\s*" + _SECTION + "$", re.IGNORECASE)


_SECTION_ONLY = re.compile(r"^(§{1,2}\s*)?\d+\s*[a-z]?(\s*[-–]\s*\d+\s*[a-z]?)?(,\s*stk\.\s*\d+)?(,\s*nr\.\s*\d+)?$",
                           re.IGNORECASE)


def legal_basis(tb: Takstbilag) -> Iterator[Finding]:
    """Lovgrundlag reads like 'SEL § 107', 'SEL §104', 'SEL § 107/108', 'Barnets lov § 43', 'ABL § 105 / SEL § 85'."""
    for owner, offer, row in _rows(tb):
        basis = row.inherited("legal_basis") or offer.legal_basis
        if basis is None:
            yield _find(tb, owner, offer, row, "lovgrundlag", "advarsel", "lovgrundlag mangler", True, "lovgrundlag")
            continue
        parts = [p for p in re.split(r"\s*(?:/|\bog\b|;|\+|,\s*(?=[A-ZÆØÅ]))\s*", basis.strip()) if p]
        bad = [p for n, p in enumerate(parts) if not (_LAW.match(p) or (n and _SECTION_ONLY.match(p)))]
        if bad:
            yield _find(tb, owner, offer, row, "lovgrundlag", "advarsel",
                        f"lovgrundlaget '{basis}' har ikke formen 'SEL § 107' eller 'BL § 43, stk. 1, nr. 6'", True,
                        "lovgrundlag")


# A forklaring saying the takst is set case by case (a negotiated or individual tariff, 001 L5911–5921).
_INDIVIDUAL = re.compile(r"individuel|forhandl|efter aftale|fastsættes (konkret|individuelt|ved)|aftales", re.IGNORECASE)


def missing_tariff(tb: Takstbilag) -> Iterator[Finding]:
    """Every row has a tariff, unless the offer closes (udgår) or the tariff is deferred (udskudt)."""
    for owner, offer, row in tb.rows():
        if row.kind in (Role.TARIFF, Role.SUB) and row.tariff is None and row.status is None and not row.closed \
                and "takst" not in row.dashes and not _INDIVIDUAL.search(row.explanation or ""):
            yield _find(tb, owner, offer, row, "takst", "fejl", "taksten mangler (angiv den, eller status: udskudt/udgår)",
                        True, "takst")


def _row_key(owner: Owner, offer: Offer, row: Row) -> tuple[object, ...]:
    basis = (row.inherited("legal_basis") or offer.legal_basis or "").strip().lower()
    return (owner.name, offer.name, (row.service or "").strip().lower(), _unit(row), basis, row.tariff, row.places,
            row.budget, row.occupancy_pct, row.payment_days, id(row.parent))


def duplicates(tb: Takstbilag) -> Iterator[Finding]:
    """The same row twice: same service, unit, legal basis and numbers. Two rows of one service with different
    numbers (a second Dag rate) are variants; so are one offer's two houses under two laws (003 L2764–2790)."""
    rows = [(o, t, r) for o, t, r in tb.rows() if is_tariff(r) and r.tariff is not None]
    keys = Counter(_row_key(o, t, r) for o, t, r in rows)
    seen: set[tuple[object, ...]] = set()
    for owner, offer, row in rows:
        key = _row_key(owner, offer, row)
        if keys[key] > 1:
            if key in seen:
                unit = _unit(row)
                yield _find(tb, owner, offer, row, "ydelse", "fejl",
                            f"rækken står to gange ({unit.value if unit else 'uden takstenhed'}) med de samme tal", False,
                            "ydelse")
            seen.add(key)


_NOTE_REF = re.compile(r"\b(?:se\s+)?(?:medsendt\w*\s+)?(notat|note|bemærkning(?:er)?)\b(?:\s+(nedenfor|herunder))?"
                       r"|\bbilag\s+([A-ZÆØÅ0-9]+)\b", re.IGNORECASE)


def note_references(tb: Takstbilag) -> Iterator[Finding]:
    """A forklaring that points at a note ('se medsendt notat', '#Se bemærkninger nedenfor', 'se bilag A') needs it."""
    annex_titles = [(n.title or "").strip().lower() for n in tb.notes]
    for owner, offer, row in tb.rows():
        text = row.explanation or ""
        if "se " not in text.lower() and "#" not in text:
            continue
        matches = list(_NOTE_REF.finditer(text))
        named = [m for m in matches if m[3]]
        for match in named:  # 'se bilag A': that note must exist
            ref = f"Bilag {match[3]}"
            titles = annex_titles + [(n.title or "").strip().lower() for n in owner.notes]
            if not any(re.match(re.escape(ref.lower()) + r"\b", t) for t in titles):
                yield _find(tb, owner, offer, row, "forklaring", "advarsel",
                            f"forklaringen henviser til {ref}, men takstbilaget har ingen note, hvis titel begynder "
                            f"med '{ref}' (noter:)", False, "forklaring")
        if matches and not named and not owner.notes and not tb.notes:
            yield _find(tb, owner, offer, row, "forklaring", "advarsel",
                        f"forklaringen henviser til '{matches[0][0].strip()}', men hverken driftsherren eller "
                        "takstbilaget har en note (noter:)", False, "forklaring")


RULES: list[Callable[[Takstbilag], Iterator[Finding]]] = [
    pl_change, stated_change, occupancy, overhead, places_changed, sums, structure, legal_basis, missing_tariff,
    duplicates, ambiguous_numbers, note_references,
]


def check_takstbilag(tb: Takstbilag, profile_pct: float | None = None) -> list[Finding]:
    """Every rule's findings; `profile_pct` is the committee profile's formula tolerance (default 2 %)."""
    findings = [f for rule in RULES for f in rule(tb)]
    findings += list(arithmetic(tb, profile_pct))
    return findings


def findings_report(tb: Takstbilag, findings: list[Finding], report: Report | None = None) -> Report:
    report = report if report is not None else Report()
    where = tb.source_map.at(("pl_indeks",)) if tb.source_map is not None else Location(Path(tb.display_title))
    used = {owner.type for owner in tb.owners}
    for kind in tb.pl_index:
        if tb.pl_index[kind] is None and kind in used:
            report.warning(where, f"P/L-indekset for {kind.value} er ikke angivet; ændringer over P/L + "
                                  f"{number(tb.thresholds.pl_margin_pp)} procentpoint kontrolleres ikke")
    for owner in tb.owners:
        if owner.type not in tb.pl_index:
            report.warning(where, f"der er intet P/L-indeks for driftsherretypen '{owner.type.value}' ({owner.name})")
    for f in findings:
        if f.severity == "fejl":
            report.error(f.location, f.text())
        elif f.severity == "advarsel":
            report.warning(f.location, f.text())
    return report
