"""The Styringsaftale's tariff rules (001 L5660–5830), each a small function giving findings.

A finding names driftsherre, tilbud and ydelse and points at the row's line (or cell). Findings with
`highlight` shade that cell yellow in the rendered annex and explain why in its legend.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Location, Report, Severity
from ..render.danish import number
from .model import Direction, Offer, Owner, Row, Status, Takstbilag, Unit


@dataclass(frozen=True)
class Finding:
    owner: str
    offer: str
    service: str
    column: str
    severity: Severity | None  # None: highlighted only, no message
    message: str
    highlight: bool
    location: Location
    row_id: int = 0

    def text(self) -> str:
        return f"{self.owner} › {self.offer} › {self.service}: {self.message}"


def pct(value: float) -> str:
    return f"{number(value, 2)} %"


def kr(value: float) -> str:
    return f"{number(value, 0 if float(value).is_integer() else 2)} kr."


def _rows(tb: Takstbilag) -> Iterator[tuple[Owner, Offer, Row]]:
    for owner, offer, row in tb.rows():
        if row.status is not Status.CLOSING:
            yield owner, offer, row


def _where(tb: Takstbilag, row: Row, column: str | None = None) -> Location:
    if row._source is None:
        return Location(Path(tb.display_title))
    key = row._path + ((column,) if column else ())
    return row._source.at(key)


def _find(tb: Takstbilag, owner: Owner, offer: Offer, row: Row, column: str, severity: Severity | None,
          message: str, highlight: bool = True, yaml_key: str | None = None) -> Finding:
    return Finding(owner.name, offer.name, row.service, column, severity, message, highlight,
                   _where(tb, row, yaml_key), id(row))


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
            if not row.explanation:
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
        if row.explanation:
            yield _find(tb, owner, offer, row, "ændring_pct", None, message + " (forklaret)", True, "ændring_pct")
        else:
            yield _find(tb, owner, offer, row, "ændring_pct", "advarsel", message + " og forklaringen mangler", True,
                        "ændring_pct")


def stated_change(tb: Takstbilag) -> Iterator[Finding]:
    """The stated change agrees with last year's tariff where both are given."""
    tol = tb.thresholds.change_tolerance
    for owner, offer, row in _rows(tb):
        if row.change_pct is None or not row.tariff_last_year or row.tariff is None:
            continue
        computed = (row.tariff / row.tariff_last_year - 1) * 100
        if abs(computed - row.change_pct) > tol:
            yield _find(tb, owner, offer, row, "ændring_pct", "advarsel",
                        f"angivet ændring {pct(row.change_pct)}, men {kr(row.tariff_last_year)} → {kr(row.tariff)} "
                        f"giver {pct(computed)}", True, "ændring_pct")


def occupancy(tb: Takstbilag) -> Iterator[Finding]:
    """Budgeted occupancy for day and 24-hour offers is 95–100 % (001 L5730–5742); above 100 % is an error."""
    low = tb.thresholds.occupancy_min
    for owner, offer, row in _rows(tb):
        occ = row.occupancy_pct
        if occ is None:
            continue
        if occ > 100:
            yield _find(tb, owner, offer, row, "belægning_pct", "fejl",
                        f"belægningsprocenten {pct(occ)} er over 100 %", True, "belægning_pct")
        elif occ < low and row.unit in (Unit.DAG, Unit.DOEGN):
            message = f"belægningsprocenten {pct(occ)} er under {pct(low)}"
            if row.explanation:
                yield _find(tb, owner, offer, row, "belægning_pct", None,
                            message + " (begrundet; skal godkendes af DAS)", True, "belægning_pct")
            else:
                yield _find(tb, owner, offer, row, "belægning_pct", "advarsel",
                            message + " uden begrundelse; den skal begrundes og godkendes af DAS", True, "belægning_pct")


def overhead(tb: Takstbilag) -> Iterator[Finding]:
    """Every tariff states its overhead %, or the driftsherre states a general one.

    When neither the driftsherre nor any of its rows states one, that is one finding for the driftsherre.
    """
    for i, owner in enumerate(tb.owners):
        if owner.overhead_pct is not None:
            continue
        rows = [(offer, row) for offer in owner.offers for row in offer.rows if row.status is not Status.CLOSING]
        if rows and all(row.overhead_pct is None for _, row in rows):
            where = tb._source.at(("driftsherrer", i, "navn")) if tb._source is not None else Location(Path(owner.name))
            yield Finding(owner.name, "(alle tilbud)", "(alle ydelser)", "overhead_pct", "advarsel",
                          "overheadprocenten mangler: hverken en generel procent for driftsherren eller på nogen takst",
                          False, where)
            continue
        for offer, row in rows:
            if row.overhead_pct is None:
                yield _find(tb, owner, offer, row, "overhead_pct", "advarsel",
                            "overheadprocenten mangler (hverken på rækken eller som generel procent for driftsherren)",
                            True, "overhead_pct")


def arithmetic(tb: Takstbilag) -> Iterator[Finding]:
    """takst ≈ budget / (pladser × belægning × betalingsdage) (+ regulering, or basistakst + …), within ±1 kr."""
    tol = tb.thresholds.tariff_tolerance
    for owner, offer, row in _rows(tb):
        expected = expected_tariff(row)
        if expected is None or row.tariff is None:
            continue
        if abs(row.tariff - expected) > tol:
            yield _find(tb, owner, offer, row, "takst", "advarsel",
                        f"taksten {kr(row.tariff)} passer ikke med budget/(pladser × belægning × {row.payment_days} dage)"
                        f"{' + regulering' if row.regulation else ''}{' + basistakst' if row.base_tariff else ''}"
                        f" = {kr(round(expected, 2))}", True, "takst")


def expected_tariff(row: Row) -> float | None:
    if row.budget is None or not row.occupancy_pct or row.unit not in (Unit.DAG, Unit.DOEGN):
        return None
    places = row.places if row.places else (1.0 if row.base_tariff is not None else None)
    if not places:
        return None
    value = row.budget / (places * row.occupancy_pct / 100 * row.payment_days)
    return value + (row.regulation or 0) + (row.base_tariff or 0)


def places_changed(tb: Takstbilag) -> Iterator[Finding]:
    """A change in the number of places must be explained (DOMAIN §4)."""
    for owner, offer, row in _rows(tb):
        if row.places is None or row.places_last_year is None or row.places == row.places_last_year:
            continue
        if not row.explanation:
            yield _find(tb, owner, offer, row, "antal_pladser", "advarsel",
                        f"antal pladser er ændret fra {number(row.places_last_year)} til {number(row.places)} "
                        "uden forklaring", True, "antal_pladser")


_LAW = re.compile(
    r"^(SEL|ABL|BL|FSL|LSF|SUL|SL|LAB|LBK|Barnets lov|Serviceloven|Sundhedsloven|Almenboligloven)\s*§\s*\d+\s*[a-z]?"
    r"(,\s*stk\.\s*\d+)?(,\s*nr\.\s*\d+)?$", re.IGNORECASE)


def legal_basis(tb: Takstbilag) -> Iterator[Finding]:
    """Lovgrundlag reads like 'SEL § 107', 'ABL § 105', 'BL § 43, stk. 1, nr. 6' or 'FSL § 20'."""
    for owner, offer, row in _rows(tb):
        basis = row.legal_basis or offer.legal_basis
        if basis is None:
            yield _find(tb, owner, offer, row, "lovgrundlag", "advarsel", "lovgrundlag mangler", True, "lovgrundlag")
            continue
        parts = re.split(r"\s*(?:/|\bog\b|;|\+)\s*", basis.strip())
        bad = [p for p in parts if not _LAW.match(p)]
        if bad:
            yield _find(tb, owner, offer, row, "lovgrundlag", "advarsel",
                        f"lovgrundlaget '{basis}' har ikke formen 'SEL § 107' eller 'BL § 43, stk. 1, nr. 6'", True,
                        "lovgrundlag")


def missing_tariff(tb: Takstbilag) -> Iterator[Finding]:
    """Every row has a tariff, unless the offer closes (udgår) or the tariff is deferred (udskudt)."""
    for owner, offer, row in tb.rows():
        if row.tariff is None and row.status is None:
            yield _find(tb, owner, offer, row, "takst", "fejl", "taksten mangler (angiv den, eller status: udskudt/udgår)",
                        True, "takst")


def _row_key(owner: Owner, offer: Offer, row: Row) -> tuple[str, str, str, Unit, str]:
    basis = (row.legal_basis or offer.legal_basis or "").strip().lower()
    return owner.name, offer.name, row.service.strip().lower(), row.unit, basis


def duplicates(tb: Takstbilag) -> Iterator[Finding]:
    """The same service of the same offer, unit and legal basis twice (one offer may hold two houses with
    the same levels under different laws, as Botilbud Sonjavej in 003 L2764–2790)."""
    keys = Counter(_row_key(o, t, r) for o, t, r in tb.rows())
    seen: set[tuple[str, str, str, Unit, str]] = set()
    for owner, offer, row in tb.rows():
        key = _row_key(owner, offer, row)
        if keys[key] > 1:
            if key in seen:
                yield _find(tb, owner, offer, row, "ydelse", "fejl", f"rækken står to gange ({row.unit.value})", False,
                            "ydelse")
            seen.add(key)


RULES: list[Callable[[Takstbilag], Iterator[Finding]]] = [
    pl_change, stated_change, occupancy, overhead, arithmetic, places_changed, legal_basis, missing_tariff, duplicates,
]


def check_takstbilag(tb: Takstbilag) -> list[Finding]:
    return [f for rule in RULES for f in rule(tb)]


def findings_report(tb: Takstbilag, findings: list[Finding], report: Report | None = None) -> Report:
    report = report if report is not None else Report()
    where = tb._source.at(("pl_indeks",)) if tb._source is not None else Location(Path(tb.display_title))
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
