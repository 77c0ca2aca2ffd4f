"""The takstbilag: driftsherrer → tilbud → rows (Takstrække), with the year's P/L index and thresholds."""

from __future__ import annotations

import math
import re
from enum import Enum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    ModelWrapValidatorHandler,
    PrivateAttr,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..model.base import DanishBool, Model
from .numbers import CellError, parse_number

# Larger than any budget a Danish offer has (a trillion kr.): beyond it a value is a slip, and the Danish
# number formatting (babel's Decimal) would fail on it.
LIMIT = 1e12
DASHES = ("-", "–", "—")
# '2,406': a Danish decimal comma (2,406) or an English thousands comma (2.406)? Read Danish, remember both.
AMBIGUOUS = re.compile(r"^\s*-?\d{1,3},\d{3}\s*(kr\.?|%)?\s*$", re.IGNORECASE)


def _finite(value: Any) -> Any:
    """A number as typed: a YAML number, or text such as '1.234.567', '2.61 %' or '98 %'; never NaN/∞."""
    if isinstance(value, bool):
        raise PydanticCustomError("tal", "en sandhedsværdi er ikke et tal")
    if isinstance(value, str):
        try:
            value = parse_number(value)
        except CellError as exc:
            raise PydanticCustomError("tal", "{reason}", {"reason": str(exc)}) from None
    if isinstance(value, (int, float)):
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise PydanticCustomError("tal", "'{value}' er ikke et endeligt tal; skriv et tal, eller lad feltet stå tomt",
                                      {"value": str(value)})
        if abs(number) > LIMIT:
            raise PydanticCustomError("tal", "{value} er urimeligt stort (over 1.000.000.000.000); ret tallet",
                                      {"value": f"{number:g}"})
    return value


_NUMBER_SCHEMA = {"anyOf": [{"type": "number"}, {"type": "string"}, {"type": "null"}],
                  "description": "Et tal; \"-\" hvis driftsherren skrev en streg."}
Num = Annotated[float | None, BeforeValidator(_finite), WithJsonSchema(_NUMBER_SCHEMA)]
"""A number in the table: finite, bounded, Danish or English thousands; '-' (kept as written) or empty."""
Finite = Annotated[float, BeforeValidator(_finite)]


def _not_negative(value: float | None) -> float | None:
    if value is not None and value < 0:
        raise PydanticCustomError("tal", "{value} kan ikke være negativ", {"value": f"{value:g}".replace(".", ",")})
    return value


_COUNT_SCHEMA = {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string"}, {"type": "null"}],
                 "description": "Et tal, ikke negativt; \"-\" hvis driftsherren skrev en streg."}
NonNeg = Annotated[float | None, BeforeValidator(_finite), AfterValidator(_not_negative), WithJsonSchema(_COUNT_SCHEMA)]
"""A number that cannot be negative (pladser, belægning, overhead, takst), said in Danish."""


class Unit(str, Enum):
    DOEGN = "Døgn"
    DAG = "Dag"
    TIME = "Time"
    STYK = "Styk"
    MAANED = "Måned"


class OwnerType(str, Enum):
    KOMMUNE = "kommune"
    REGION = "region"


class Status(str, Enum):
    CLOSING = "udgår"
    DEFERRED = "udskudt"


class Role(str, Enum):
    """How a row stands in the table as submitted."""

    HEADING = "overskrift"  # a name only ("Hovedydelse")
    BLOCK = "blokhoved"  # carries pladser, budget, belægning, overhead for the sub-rows under it
    SUB = "underrække"  # a takst under a block header (or a takstgruppe under a sum row)
    SUM = "sum"  # the total of its takstgrupper: pladser and budget are their sums
    TARIFF = "takst"  # an ordinary row


class Direction(str, Enum):
    UP = "op"
    DOWN = "ned"
    BOTH = "begge"


class Earlier(Model):
    """What was submitted before a revision (the 'Gammel' columns of a revised annex, 003 L2420)."""

    budget: Num = Field(None, alias="budget", description="Tidligere indmeldt budget, kr.")
    tariff: Num = Field(None, alias="takst", description="Tidligere indmeldt takst, kr.")
    change_pct: Num = Field(None, alias="ændring_pct", description="Tidligere indmeldt ændring i pct.")
    explanation: str | None = Field(None, alias="forklaring", description="Tidligere forklaring.")


_UNIT_WORDS = {"døgn": "Døgn", "doegn": "Døgn", "døgn (24 timer)": "Døgn", "pr. døgn": "Døgn", "dag": "Dag",
               "pr. dag": "Dag", "dage": "Dag", "time": "Time", "timer": "Time", "pr. time": "Time", "styk": "Styk",
               "stk.": "Styk", "stk": "Styk", "pr. stk.": "Styk", "måned": "Måned", "md.": "Måned", "md": "Måned",
               "pr. måned": "Måned"}


def _unit_as_written(value: Any) -> Any:
    """'døgn', 'Døgn (24 timer)', 'pr. time', 'md.': the unit as secretariats write it; '' or '-' is none."""
    if isinstance(value, str):
        folded = " ".join(value.split()).lower()
        if folded in ("", *DASHES):
            return None
        return _UNIT_WORDS.get(folded, value)
    return value


NUMBER_KEYS = ("antal_pladser", "pladser_sidste_år", "belægning_pct", "budget", "overhead_pct", "takst",
               "takst_sidste_år", "ændring_pct", "basistakst", "regulering_kr")


class Row(Model):
    """One row of a driftsherre's table: a tariff (Takstrække), or a block header, sub-row, sum or heading."""

    role: Role | None = Field(None, alias="rolle", description="overskrift, blokhoved, underrække, sum eller takst; "
                                                                "som standard udledt af rækkens indhold.")
    service: str | None = Field(None, alias="ydelse", description="Ydelse eller takstniveau, fx \"Boniveau 4\".")
    legal_basis: str | None = Field(None, alias="lovgrundlag", description="Fx \"SEL § 107\"; som standard tilbuddets.")
    places: NonNeg = Field(None, alias="antal_pladser", description="Antal pladser.")
    places_last_year: NonNeg = Field(None, alias="pladser_sidste_år", description="Sidste års antal pladser.")
    unit: Annotated[Unit | None, BeforeValidator(_unit_as_written)] = Field(
        None, alias="takstenhed", description="Døgn, Dag, Time, Styk eller Måned.")
    occupancy_pct: NonNeg = Field(None, alias="belægning_pct", description="Budgetteret belægningsprocent.")
    budget: Num = Field(None, alias="budget", description="Budget (samlet omkostning), kr.")
    overhead_pct: NonNeg = Field(None, alias="overhead_pct", description="Anvendt overheadprocent for taksten.")
    tariff: NonNeg = Field(None, alias="takst", description="Taksten, kr. pr. enhed.")
    tariff_last_year: NonNeg = Field(None, alias="takst_sidste_år", description="Sidste års takst, kr.")
    change_pct: Num = Field(None, alias="ændring_pct", description="Ændring i pct. i forhold til forrige år.")
    explanation: str | None = Field(None, alias="forklaring", description="Forklaring på ændringer i pladser eller takst.")
    payment_days: int = Field(365, alias="betalingsdage", description="365 (standard) eller 250 (5 dage × 50 uger).")
    status: Status | None = Field(None, alias="status", description="udgår eller udskudt.")
    structure_change: DanishBool = Field(False, alias="strukturændring", description="Ny takstmodel/enhed: ændringen er ikke en prisstigning.")
    base_tariff: Num = Field(None, alias="basistakst", description="Basistakst i en todelt model: takst = basistakst + niveaubudget/(pladser × belægning × dage).")
    regulation: Num = Field(None, alias="regulering_kr", description="Indregnet over-/underskud pr. enhed, kr. (fx 369).")
    earlier: Earlier | None = Field(None, alias="tidligere", description="Tidligere indmeldte værdier (revideret takstbilag).")

    _source: Any = PrivateAttr(None)
    _path: tuple[Any, ...] = PrivateAttr(())
    _dashes: frozenset[str] = PrivateAttr(frozenset())  # number keys where a "-" was written
    _ambiguous: dict[str, tuple[float, float]] = PrivateAttr(default_factory=dict)  # key → (Danish, English)
    _role: Role = PrivateAttr(Role.TARIFF)  # as given, or as read from the rows around it
    _parent: Row | None = PrivateAttr(None)  # the block header or sum row above a sub-row
    _members: list[Row] = PrivateAttr(default_factory=list)  # a sum row's takstgrupper, a header's sub-rows

    @model_validator(mode="wrap")
    @classmethod
    def _as_written(cls, data: Any, handler: ModelWrapValidatorHandler[Row]) -> Row:
        dashes: set[str] = set()
        ambiguous: dict[str, tuple[float, float]] = {}
        if isinstance(data, dict):
            data = dict(data)
            for key in NUMBER_KEYS:
                value = data.get(key)
                if isinstance(value, str) and value.strip() in DASHES:
                    dashes.add(key)
                    data[key] = None
                elif isinstance(value, str) and AMBIGUOUS.match(value):
                    text = re.sub(r"(?i)\s*(kr\.?|%)\s*$", "", value.strip())
                    ambiguous[key] = (float(text.replace(",", ".")), float(text.replace(",", "")))
        row = handler(data)
        row._dashes = frozenset(dashes)
        row._ambiguous = ambiguous
        return row

    @model_validator(mode="after")
    def _days(self) -> Row:
        if self.payment_days not in (365, 250):
            raise ValueError("betalingsdage skal være 365 eller 250")
        return self

    @property
    def name(self) -> str:
        return self.service or "(uden ydelse)"

    @property
    def kind(self) -> Role:
        return self._role

    def inherited(self, attr: str) -> Any:
        """The row's own value, else its block header's (pladser, belægning, overhead, enhed, lovgrundlag …)."""
        value = getattr(self, attr)
        if value is None and self._parent is not None and self._role is Role.SUB:
            return getattr(self._parent, attr)
        return value

    @property
    def closed(self) -> bool:
        """Closing (udgår), or a closed offer kept as a row: 0 pladser, or 'Lukket 1/11-2024', and no takst."""
        if self.status is Status.CLOSING:
            return True
        return self.tariff is None and (self.places == 0 or bool(self.explanation and _CLOSED.search(self.explanation)))

    def has_numbers(self) -> bool:
        return any(v is not None for v in (self.places, self.budget, self.occupancy_pct, self.tariff,
                                           self.tariff_last_year, self.change_pct, self.places_last_year,
                                           self.overhead_pct, self.base_tariff, self.regulation))


_CLOSED = re.compile(r"\b(lukke[dt]|lukker|nedlagt|nedlægges|ophørt|ophører)\b", re.IGNORECASE)
# Rows that read as the groups of a total even when their sum is wrong (then a finding, not a missing takst).
_GROUP_NAME = re.compile(r"gruppe|niveau|indsats|pakke|modul|^takst\s*\d", re.IGNORECASE)
_SUM_NAME = re.compile(r"^\s*(i alt|total|samlet|sum)\b", re.IGNORECASE)


def _is_heading(row: Row) -> bool:
    return row.unit is None and not row.has_numbers() and row.status is None


def _adds_up(total: Row, members: list[Row]) -> bool:
    places = [m.places for m in members if m.places is not None]
    budgets = [m.budget for m in members if m.budget is not None]
    return bool((places and total.places is not None and abs(sum(places) - total.places) < 0.01)
                or (budgets and total.budget is not None and abs(sum(budgets) - total.budget) <= 1))


def _under(row: Row) -> bool:
    """Can this row stand under a header: a takst (or a status), not a heading, not a header itself."""
    if row.role is Role.SUB:
        return True
    return row.role is None and not _is_heading(row) and (row.tariff is not None or row.status is not None)


def _fits(header: Row, row: Row) -> bool:
    """A row read as under a header shares its unit and law, or leaves them to the header (a 'Tillægsydelse pr.
    time' or another law's 'Beskyttet beskæftigelse' after a Dag row stands on its own)."""
    if row.role is Role.SUB:
        return True
    return (row.unit is None or header.unit is None or row.unit == header.unit) and (
        row.legal_basis is None or header.legal_basis is None
        or row.legal_basis.replace(" ", "").lower() == header.legal_basis.replace(" ", "").lower())


def resolve_roles(rows: list[Row]) -> None:
    """Give each row of an offer its role and its header: as written (`rolle`), else read from the layout.

    A row without takst that carries pladser or budget heads the rows under it: a block header when they carry
    only a takst, a sum row when they carry their own pladser/budget and these add up (or it is named 'I alt').
    A sum row with no rows under it totals the ordinary rows above it.
    """
    for row in rows:
        row._role, row._parent, row._members = row.role or Role.TARIFF, None, []
    i = 0
    while i < len(rows):
        row = rows[i]
        explicit = row.role
        if explicit is None and _is_heading(row):
            row._role = Role.HEADING
            i += 1
            continue
        named_sum = explicit is None and bool(_SUM_NAME.match(row.name)) and row.tariff is None and row.has_numbers()
        carries = row.places is not None or row.budget is not None
        averaged = explicit is None and row.tariff is not None and carries  # a header with its own (average) takst
        candidate = explicit in (Role.BLOCK, Role.SUM) or named_sum or averaged or (
            explicit is None and row.tariff is None and row.status is None and not row.closed and carries)
        if not candidate:
            i += 1
            continue
        j = i + 1
        while j < len(rows) and _under(rows[j]) and (explicit is not None or _fits(row, rows[j])):
            j += 1
        under = rows[i + 1:j]
        own = any(m.places is not None or m.budget is not None for m in under)
        if explicit is Role.BLOCK or (explicit is None and under and not own):
            kind = Role.BLOCK
        elif averaged:  # an ordinary row after all
            i += 1
            continue
        elif explicit is Role.SUM or named_sum or (explicit is None and own and (
                _adds_up(row, under) or all(_GROUP_NAME.search(m.name) for m in under))):
            kind = Role.SUM
        else:  # an ordinary row that lacks its takst: the rules say so
            i += 1
            continue
        if kind is Role.SUM and not under:  # the total below its groups
            k = i - 1
            while k >= 0 and rows[k]._role is Role.TARIFF and rows[k]._parent is None:
                k -= 1
            under = rows[k + 1:i]
            j = i + 1
        row._role, row._members = kind, list(under)
        for m in under:
            m._role, m._parent = Role.SUB, row
        i = max(j, i + 1)


class Offer(Model):
    """A tilbud and its rows."""

    name: str = Field(alias="navn", min_length=1, description="Tilbuddets navn.")
    legal_basis: str | None = Field(None, alias="lovgrundlag", description="Lovgrundlag for alle rækker uden eget.")
    rows: list[Row] = Field(alias="rækker", min_length=1, description="Takster (rækker).")

    @model_validator(mode="after")
    def _structure(self) -> Offer:
        resolve_roles(self.rows)
        return self


class Note(Model):
    """A note the driftsherre sent with its table ("#Note til …"), or a notat-bilag of the annex ("Bilag A")."""

    title: str | None = Field(None, alias="titel", description="Fx \"Bilag A: notat om takstberegning\" eller \"Note til …\".")
    text: str = Field(alias="tekst", min_length=1, description="Notens tekst, som den blev sendt.")


class Owner(Model):
    """A driftsherre: a municipality or the region, with its general overhead and offers."""

    name: str = Field(alias="navn", min_length=1, description="Fx \"Aalborg Kommune\".")
    type: OwnerType = Field(OwnerType.KOMMUNE, alias="type", description="kommune eller region (bestemmer P/L-indekset).")
    overhead_pct: NonNeg = Field(None, alias="overhead_pct", description="Generel overheadprocent.")
    offers: list[Offer] = Field(alias="tilbud", min_length=1, description="Driftsherrens tilbud.")
    notes: list[Note] = Field(default_factory=list, alias="noter",
                              description="Driftsherrens noter, trykt efter dens tabel (fx \"#Note til …\").")


class Thresholds(Model):
    """The limits of the Styringsaftale (001 L5672–5742) and the tolerances of the checks."""

    pl_margin_pp: Finite = Field(2.0, alias="pl_tillæg_procentpoint", description="Hvor mange procentpoint over P/L en ændring må være uden forklaring.")
    direction: Direction = Field(Direction.UP, alias="retning", description="op (standard), ned eller begge.")
    occupancy_min: Finite = Field(95.0, alias="belægning_min", description="Laveste belægningsprocent for dag- og døgntilbud uden begrundelse.")
    tariff_tolerance: Num = Field(None, alias="tolerance_kr", description="Skærpet grænse: tilladt afvigelse mellem takst og budget/(pladser × belægning × dage), kr.")
    tariff_tolerance_pct: NonNeg = Field(None, alias="tolerance_pct", description="Tilladt afvigelse mellem takst og budget/(pladser × belægning × dage), pct.; som standard udvalgsprofilens (2 %).")
    change_tolerance: Finite = Field(0.1, alias="tolerance_procentpoint", description="Tilladt afvigelse mellem angivet og beregnet ændring, procentpoint.")


class Takstbilag(Model):
    """The year's tariff annex."""

    year: int = Field(alias="år", ge=2000, le=2100, description="Takståret.")
    title: str | None = Field(None, alias="titel", description="Titel; som standard \"Takstbilag ÅÅÅÅ\".")
    pl_index: dict[OwnerType, Num] = Field(alias="pl_indeks", description="P/L-indeks i pct. pr. driftsherretype, fx kommune: 3.1, region: 2.46.")
    thresholds: Thresholds = Field(default_factory=Thresholds, alias="tærskler", description="Grænser og tolerancer.")
    reading_guide: str | None = Field(None, alias="læsevejledning", description="Læsevejledning (Markdown); som standard den indbyggede.")
    owners: list[Owner] = Field(alias="driftsherrer", min_length=1, description="Driftsherrerne.")
    notes: list[Note] = Field(default_factory=list, alias="noter",
                              description="Notat-bilag til hele takstbilaget (fx \"Bilag A: notat om …\"), trykt til sidst.")

    _source: Any = PrivateAttr(None)

    @property
    def display_title(self) -> str:
        return self.title or f"Takstbilag {self.year}"

    def rows(self) -> list[tuple[Owner, Offer, Row]]:
        return [(o, t, r) for o in self.owners for t in o.offers for r in t.rows]
