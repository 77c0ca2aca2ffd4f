"""The Styringsaftale's tariff rules (001 L5660–5830), each a small function giving findings.

A finding names driftsherre, tilbud and ydelse and points at the row's line (or cell). Findings with
`highlight` mark that cell in the rendered annex and explain why in the driftsherre's table of markings: a rule
deviation yellow when the driftsherre explained it (forklaret, skal godkendes), orange when it did not
(uforklaret); a number that reads two ways and that nothing in its section settles gets a marker of its own.
Rows are checked as submitted: block headers and their sub-rows, sum rows and their takstgrupper, headings,
remarks and closed offers (model.Role). Nothing here refuses the annex: every finding is a warning or a marking
(issue 23); what cannot be printed at all is refused when the file is read.
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
from .columns import LABELS
from .convention import SectionReading, readings
from .model import Direction, Offer, Owner, Role, Row, Takstbilag, Unit

DEFAULT_TOLERANCE_PCT = 2.0
# The categories the secretariat's summary counts (explained / unexplained).
PL, OCCUPANCY, FORMULA, PLACES = "pl", "belægning", "formel", "pladser"
CATEGORIES = {PL: "Ændring over P/L + 2 pp", OCCUPANCY: "Belægning under 95 %", FORMULA: "Afvigelse fra formlen",
              PLACES: "Ændrede pladser"}
DEVIATION, AMBIGUOUS = "afvigelse", "tvetydig"  # how a marked cell is marked: deviation colours, or its own
# The short names of the rules the view acts on (the table of markings prints each rule's name).
MISSING_TARIFF, OVERHEAD = "Takst mangler", "Overhead"


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
    rule: str = ""  # the rule's short name in the annex's table of markings ("P/L + 2 pp", "Takst mangler", …)
    mark: str = DEVIATION

    @property
    def explained(self) -> bool:
        return self.severity is None

    def text(self) -> str:
        return f"{self.owner} › {self.offer} › {self.service}: {self.message}"


def is_tariff(row: Row) -> bool:
    """A row that states (or should state) a takst of its own: an ordinary row, a sub-row, or a block header or
    sum row with its own average takst; closed offers and rows of words only left out."""
    return (row.kind in (Role.TARIFF, Role.SUB) or (row.kind in (Role.BLOCK, Role.SUM) and row.tariff is not None)) \
        and not row.closed and not row.is_text()


def _rows(tb: Takstbilag) -> Iterator[tuple[Owner, Offer, Row]]:
    """Rows that carry a takst of their own (ordinary rows, sub-rows, headers with an average)."""
    for owner, offer, row in tb.rows():
        if is_tariff(row):
            yield owner, offer, row


def _where(tb: Takstbilag, row: Row, column: str | None = None) -> Location:
    if row.source_map is None:
        return Location(Path(tb.display_title))
    key = row.source_key + ((column,) if column else ())
    return row.source_map.at(key)


def short(value: float, places: int = 2) -> str:
    """A figure of ours (a limit, a threshold) with no more decimals than it needs, at most `places`: 5,1 %."""
    for d in range(places + 1):
        if abs(round(value, d) - value) < 1e-9:
            return number(value, d)
    return number(value, places)


def written(row: Row, key: str, suffix: str = "") -> str:
    """A value of the row as the driftsherre wrote it (Danish notation, its own decimals): '100 %', '2.249 kr.'."""
    from .row import ATTR

    return f"{number(getattr(row, ATTR[key]), row.decimals(key))}{suffix}"


def offer_name(offer: Offer, row: Row) -> str:
    """The name in the row's Tilbud column: its own (a takstgruppe's), else its offer's."""
    return row.offer_name or offer.name


def _find(tb: Takstbilag, owner: Owner, offer: Offer, row: Row, column: str, severity: Severity | None,
          message: str, highlight: bool = True, yaml_key: str | None = None, category: str | None = None,
          rule: str = "", mark: str = DEVIATION) -> Finding:
    return Finding(owner.name, offer_name(offer, row), row.name, column, severity, message, highlight,
                   _where(tb, row, yaml_key), id(row), category, rule, mark)


def explanation(row: Row) -> str | None:
    """The row's forklaring, else its block header's (a header's forklaring speaks for its sub-rows); '-', '.'
    and blanks are no forklaring."""
    if row.has_explanation:
        return row.explanation
    parent = row.parent
    return parent.explanation if parent is not None and row.kind is Role.SUB and parent.has_explanation else None


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
                            "rækken er markeret som strukturændring, men forklaringen mangler", False, "strukturændring",
                            rule="Strukturændring")
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
        stated = (written(row, "ændring_pct", " %") if row.change_pct is not None
                  else f"{pct(change)} (beregnet ud fra taksten og sidste års takst; ingen ændring er angivet)")
        message = (f"ændringen {stated} er mere end {short(margin)} procentpoint {what} P/L ({short(pl)} %); "
                   f"grænse {short(limit)} %")
        if explanation(row):
            yield _find(tb, owner, offer, row, "ændring_pct", None, message + " (forklaret)", True, "ændring_pct", PL,
                        "P/L + 2 pp")
        else:
            yield _find(tb, owner, offer, row, "ændring_pct", "advarsel", message + " og forklaringen mangler", True,
                        "ændring_pct", PL, "P/L + 2 pp")


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
                        f"angivet ændring {written(row, 'ændring_pct', ' %')}, men {written(row, 'takst_sidste_år', ' kr.')} "
                        f"→ {written(row, 'takst', ' kr.')} giver {pct(computed)}", True, "ændring_pct", rule="Ændring")


def occupancy(tb: Takstbilag) -> Iterator[Finding]:
    """Budgeted occupancy for day and 24-hour offers is 95–100 % (001 L5730–5742); above 100 % is flagged too.
    A takstgruppe with 0 pladser is checked like any other when it states an occupancy (issue 23)."""
    low = tb.thresholds.occupancy_min
    for owner, offer, row in tb.rows():
        occ = row.occupancy_pct
        if occ is None or row.closed or row.kind is Role.HEADING:
            continue
        if occ > 100:
            yield _find(tb, owner, offer, row, "belægning_pct", "advarsel",
                        f"belægningsprocenten {written(row, 'belægning_pct', ' %')} er over 100 %", True, "belægning_pct",
                        rule="Belægning")
        elif 0 < occ < 1:
            yield _find(tb, owner, offer, row, "belægning_pct", "advarsel",
                        f"belægningsprocenten {written(row, 'belægning_pct', ' %')} ligner en brøk: læst som "
                        f"{written(row, 'belægning_pct', ' %')}, men mente du {short(occ * 100)} %? Skriv procenten, fx 98",
                        True, "belægning_pct", rule="Belægning")
        elif occ < low and row.shared("unit") in (Unit.DAG, Unit.DOEGN):
            message = f"belægningsprocenten {written(row, 'belægning_pct', ' %')} er under {short(low)} %"
            if explanation(row):
                yield _find(tb, owner, offer, row, "belægning_pct", None,
                            message + " (begrundet; skal godkendes af DAS)", True, "belægning_pct", OCCUPANCY,
                            "Belægning")
            else:
                yield _find(tb, owner, offer, row, "belægning_pct", "advarsel",
                            message + " uden begrundelse; den skal begrundes og godkendes af DAS", True, "belægning_pct",
                            OCCUPANCY, "Belægning")


def overhead(tb: Takstbilag) -> Iterator[Finding]:
    """Every takst states its overhead %: on the row, on its block header, or as the driftsherre's general %.
    A row with no takst is not asked for one (issue 23).

    When neither the driftsherre nor any of its rows states one, that is one finding for the driftsherre.
    """
    for i, owner in enumerate(tb.owners):
        if owner.overhead_pct is not None:
            continue
        rows = [(offer, row) for offer in owner.offers for row in offer.rows
                if is_tariff(row) and row.tariff is not None]
        if rows and all(row.inherited("overhead_pct") is None for _, row in rows):
            where = tb.source_map.at(("driftsherrer", i, "navn")) if tb.source_map is not None else Location(Path(owner.name))
            yield Finding(owner.name, "(alle tilbud)", "(alle ydelser)", "overhead_pct", "advarsel",
                          "overheadprocenten mangler: hverken en generel procent for driftsherren eller på nogen takst",
                          False, where, rule=OVERHEAD)
            continue
        for offer, row in rows:
            if row.inherited("overhead_pct") is None:  # a header's own average takst: its own, or the general
                yield _find(tb, owner, offer, row, "overhead_pct", "advarsel",
                            "overheadprocenten mangler (hverken på rækken, på dens blokhoved eller som generel procent "
                            "for driftsherren)", True, "overhead_pct", rule=OVERHEAD)


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
    days, or a forklaring that states a regulation for a past deficit or surplus. A block header's or sum row's
    own average takst is checked too, with what its rows share where it states less (issue 23); a takst that
    reads two ways and that nothing settled is not checked.
    """
    limit_pct = tolerance_pct(tb, profile_pct)
    limit_kr = tb.thresholds.tariff_tolerance
    for owner, offer, row in _rows(tb):
        expected = row.expected_tariff()
        if expected is None or row.tariff is None or "takst" in row.unresolved:
            continue
        off = row.tariff - expected
        off_pct = abs(off) / expected * 100 if expected else 0.0
        if off_pct <= limit_pct and (limit_kr is None or abs(off) <= limit_kr):
            continue
        formula = (f"budget/(pladser × belægning × {row.days} dage)"
                   f"{' + regulering' if row.regulation else ''}{' + basistakst' if row.base_tariff else ''}")
        message = (f"taksten {written(row, 'takst', ' kr.')} passer ikke med {formula} = {kr(round(expected, 2))} "
                   f"(afvigelse {pct(off_pct)}; tolerance {short(limit_pct)} %"
                   f"{'' if limit_kr is None else ' og ' + kr(limit_kr)})")
        reason = _formula_reason(row, expected)
        if reason:
            yield _find(tb, owner, offer, row, "takst", None, f"{message}; forklaret: {reason}", True, "takst", FORMULA,
                        "Formel")
        else:
            yield _find(tb, owner, offer, row, "takst", "advarsel", message, True, "takst", FORMULA, "Formel")


def _formula_reason(row: Row, expected: float) -> str | None:
    text = explanation(row) or ""
    assert row.tariff is not None
    if row.tariff > expected and _REGULATION.search(text):
        return "indregnet regulering af et tidligere års under- eller overskud"
    if row.tariff < expected and _REGULATION.search(text):
        return "indregnet regulering af et tidligere års overskud"
    if row.shared("unit") is Unit.DAG and row.days == 365 and row.tariff > expected:
        days = expected * 365 / row.tariff
        if 180 <= days <= 300:
            return f"dagtakst budgetteret på ca. {number(round(days))} åbningsdage"
        if _OPENING_DAYS.search(text):
            return "dagtakst budgetteret på færre åbningsdage"
    return None


_SEPARATOR = {",": "komma", ".": "punktum"}


def conflict_message(section: SectionReading) -> str:
    """The section's one warning where the evidence that decided its ambiguous numbers points both ways."""
    evidence = ", ".join(LABELS.get(k, k) for k in section.conflicts)
    decided = ", ".join(LABELS.get(k, k) for k in section.conflicted)
    read = ", ".join(sorted({d.convention.value for d in section.decisions.values() if d.conflict and d.convention}))
    return (f"tallene i {evidence} er skrevet både på dansk (1.234,5) og engelsk (1,234.5); de tvetydige i {decided} "
            f"(som 1,234) er læst, som flest af dem er skrevet ({read or 'ingen læsning: lige mange hver vej'}). "
            "Kontrollér dem")


def ambiguous_numbers(tb: Takstbilag) -> Iterator[Finding]:
    """A number that reads two ways ('1,234': 1,234 or 1.234) and that nothing in its section settles: a
    warning and a marker of its own on the cell; a section whose evidence points both ways: one warning."""
    for i, owner in enumerate(tb.owners):
        section = owner.reading
        if section.conflicts:
            where = tb.source_map.at(("driftsherrer", i, "navn")) if tb.source_map is not None else Location(Path(owner.name))
            yield Finding(owner.name, "(alle tilbud)", "(alle ydelser)", "", "advarsel", conflict_message(section),
                          False, where, rule="Talformat")
        for offer in owner.offers:
            for row in offer.rows:
                for key in sorted(row.unresolved):
                    text = row.written[key].strip()
                    danish, english = readings(text)
                    sep = "," if "," in text else "."
                    as_decimal, as_thousands = (danish, english) if sep == "," else (english, danish)
                    decimal, thousands = number(as_decimal, 3), number(as_thousands)
                    kept = decimal if sep == "," else thousands
                    column = {"takst_sidste_år": "takst", "pladser_sidste_år": "antal_pladser"}.get(key, key)
                    yield _find(tb, owner, offer, row, column, "advarsel",
                                f"'{text}' i {LABELS.get(key, key)} kan læses som {decimal} ({_SEPARATOR[sep]} som decimaltegn) eller "
                                f"{thousands} ({_SEPARATOR[sep]} som tusindtalsseparator), og intet andet tal fra "
                                f"{owner.name} afgør det; læst på dansk som {kept}. Skriv tusinder uden skilletegn "
                                f"({number(as_thousands, 0).replace('.', '')}) og decimaler med komma",
                                True, key, rule="Tvetydigt tal", mark=AMBIGUOUS)


def places_changed(tb: Takstbilag) -> Iterator[Finding]:
    """A change in the number of places must be explained (DOMAIN §4); an explained one must be approved."""
    for owner, offer, row in tb.rows():
        if row.places is None or row.places_last_year is None or row.places == row.places_last_year:
            continue
        message = (f"antal pladser er ændret fra {written(row, 'pladser_sidste_år')} til "
                   f"{written(row, 'antal_pladser')}")
        if explanation(row):
            yield _find(tb, owner, offer, row, "antal_pladser", None, message + " (forklaret)", True, "antal_pladser",
                        PLACES, "Pladser")
        else:
            yield _find(tb, owner, offer, row, "antal_pladser", "advarsel", message + " uden forklaring", True,
                        "antal_pladser", PLACES, "Pladser")


def sums(tb: Takstbilag) -> Iterator[Finding]:
    """A sum row's pladser and budget are the sums of its takstgrupper (a wrong sum is a finding); rows that looked
    like a total and its groups but did not add up stay plain, with one warning per offer (issue 23)."""
    for owner, offer, row in tb.rows():
        if row.kind is not Role.SUM:
            continue
        if not row.members:
            yield _find(tb, owner, offer, row, "ydelse", "advarsel",
                        "sumrækken har ingen takstgrupper over eller under sig", False, "rolle", rule="Sum")
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
                            .rstrip() + f", sumrækken siger {show(total)}", True, key, rule="Sum")
    for owner in tb.owners:
        for offer in owner.offers:
            if not offer.recognised:
                first = offer.rows[0]
                yield _find(tb, owner, offer, first, "ydelse", "advarsel",
                            "rækkerne ligner en sumrække med takstgrupper, men tallene summerer ikke; strukturen er ikke "
                            "genkendt, og rækkerne står som almindelige rækker. Angiv rolle: sum og underrække, hvis "
                            "summen skal kontrolleres", False, rule="Struktur")


def structure(tb: Takstbilag) -> Iterator[Finding]:
    """Cells a row needs for what it is: ydelse, takstenhed; a sub-row needs a header above it."""
    for owner, offer, row in tb.rows():
        if row.kind is Role.HEADING or row.is_text():
            continue
        if row.service is None and row.kind in (Role.TARIFF, Role.SUB):
            yield _find(tb, owner, offer, row, "ydelse", "advarsel", "ydelsen mangler på rækken", True, rule="Ydelse")
        if row.kind in (Role.TARIFF, Role.SUB) and not row.closed and row.tariff is not None and row.shared("unit") is None \
                and offer.recognised:  # in a structure not recognised, the takstgrupper's unit was their total's
            yield _find(tb, owner, offer, row, "takstenhed", "advarsel", "takstenheden mangler (Døgn, Dag, Time, Styk "
                        "eller Måned)", True, rule="Takstenhed")
        if row.role is Role.SUB and row.parent is None:
            yield _find(tb, owner, offer, row, "ydelse", "advarsel",
                        "rækken er en underrække, men der står intet blokhoved eller sumrække over den", False, "rolle",
                        rule="Struktur")


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
            yield _find(tb, owner, offer, row, "lovgrundlag", "advarsel", "lovgrundlag mangler", True, "lovgrundlag",
                        rule="Lovgrundlag")
            continue
        parts = [p for p in re.split(r"\s*(?:/|\bog\b|;|\+|,\s*(?=[A-ZÆØÅ]))\s*", basis.strip()) if p]
        bad = [p for n, p in enumerate(parts) if not (_LAW.match(p) or (n and _SECTION_ONLY.match(p)))]
        if bad:
            yield _find(tb, owner, offer, row, "lovgrundlag", "advarsel",
                        f"lovgrundlaget '{basis}' har ikke formen 'SEL § 107' eller 'BL § 43, stk. 1, nr. 6'", True,
                        "lovgrundlag", rule="Lovgrundlag")


# A forklaring saying the takst is set case by case (a negotiated or individual tariff, 001 L5911–5921).
_INDIVIDUAL = re.compile(r"individuel|forhandl|efter aftale|fastsættes (konkret|individuelt|ved)|aftales", re.IGNORECASE)


def missing_tariff(tb: Takstbilag) -> Iterator[Finding]:
    """A row with a takstenhed has a takst, unless the offer closes (udgår), the takst is deferred (udskudt) or set
    case by case. Without one — a '-' or nothing — the row prints '-' and is marked (issue 23), never refused."""
    for owner, offer, row in tb.rows():
        if row.kind not in (Role.TARIFF, Role.SUB) or row.tariff is not None or row.status is not None or row.closed:
            continue
        if row.shared("unit") is None or _INDIVIDUAL.search(row.explanation or ""):
            continue
        if not offer.recognised and (row.places is not None or row.budget is not None):
            continue  # a total whose groups did not add up: the offer's one warning says so
        if row.import_errors and "takst" in row.import_errors:
            continue  # the import's marking says why
        yield _find(tb, owner, offer, row, "takst", "advarsel", "taksten mangler (angiv den, eller status: udskudt/udgår)",
                    True, "takst", rule=MISSING_TARIFF)


def import_problems(tb: Takstbilag) -> Iterator[Finding]:
    """A cell the import could not read stands as null with the import's message (`importfejl`): marked on its
    column, so the annex shows it and validate does not call the file valid (issue 23)."""
    for owner, offer, row in tb.rows():
        for key, message in (row.import_errors or {}).items():
            yield _find(tb, owner, offer, row, key, "advarsel", f"cellen kunne ikke læses ved importen: {message}", True,
                        "importfejl", rule="Import")


def _row_key(owner: Owner, offer: Offer, row: Row) -> tuple[object, ...]:
    basis = (row.inherited("legal_basis") or offer.legal_basis or "").strip().lower()
    return (owner.name, offer_name(offer, row), (row.service or "").strip().lower(), row.shared("unit"), basis,
            row.tariff, row.places, row.budget, row.occupancy_pct, row.days, id(row.parent))


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
                unit = row.shared("unit")
                yield _find(tb, owner, offer, row, "ydelse", "advarsel",
                            f"rækken står to gange ({unit.value if unit else 'uden takstenhed'}) med de samme tal", True,
                            "ydelse", rule="Dublet")
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
                            f"med '{ref}' (noter:)", False, "forklaring", rule="Note")
        if matches and not named and not owner.notes and not tb.notes:
            yield _find(tb, owner, offer, row, "forklaring", "advarsel",
                        f"forklaringen henviser til '{matches[0][0].strip()}', men hverken driftsherren eller "
                        "takstbilaget har en note (noter:)", False, "forklaring", rule="Note")


RULES: list[Callable[[Takstbilag], Iterator[Finding]]] = [
    pl_change, stated_change, occupancy, overhead, places_changed, sums, structure, legal_basis, missing_tariff,
    import_problems, duplicates, ambiguous_numbers, note_references,
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
