"""One row of a driftsherre's table (Takstrække), its numbers as written, and what it takes from the rows around it."""

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

from ..load.nodes import FixedFloat
from ..model.base import DanishBool, Model
from .convention import Convention, reading
from .convention import decimals as written_decimals
from .numbers import CellError, parse_number

# Larger than any budget a Danish offer has (a trillion kr.): beyond it a value is a slip, and the Danish
# number formatting (babel's Decimal) would fail on it.
LIMIT = 1e12
DASHES = ("-", "–", "—")
# A Forklaring that says nothing: a dash, a full stop, blanks (issue 23).
_NO_EXPLANATION = ("", *DASHES, ".")
MAX_DECIMALS = 6


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
ATTR = {"antal_pladser": "places", "pladser_sidste_år": "places_last_year", "belægning_pct": "occupancy_pct",
        "budget": "budget", "overhead_pct": "overhead_pct", "takst": "tariff", "takst_sidste_år": "tariff_last_year",
        "ændring_pct": "change_pct", "basistakst": "base_tariff", "regulering_kr": "regulation"}


def meaningful(text: str | None) -> bool:
    """Whether a Forklaring says anything: '-', '–', '.' or blanks do not (issue 23)."""
    return text is not None and text.strip() not in _NO_EXPLANATION


def float_decimals(value: float) -> int:
    """The decimals of a number as YAML or Excel gave it: 98 → 0, 3.77 → 2, YAML's `98.0` → 1 (its decimals as
    written, `load.nodes.FixedFloat`), a computed 98.0 → 0 (at most six)."""
    if isinstance(value, FixedFloat):
        return min(value.places, MAX_DECIMALS)
    text = repr(float(value))
    if "e" in text or "E" in text:
        return 0 if float(value).is_integer() else MAX_DECIMALS
    frac = text.partition(".")[2]
    return min(len(frac), MAX_DECIMALS) if frac != "0" else 0


class _State:
    """What a row knows beyond its fields: its cells as written, and its place among the rows around it. One plain
    object (read through `Row.state`), so the rules' many reads of it cost no more than an attribute each."""

    __slots__ = ("dashes", "decimals", "members", "parent", "role", "unresolved", "written")

    def __init__(self) -> None:
        self.dashes: frozenset[str] = frozenset()  # number keys where a "-" was written
        self.written: dict[str, str] = {}  # number key → the text as written
        self.decimals: dict[str, int] = {}  # number key → decimals as written
        self.unresolved: frozenset[str] = frozenset()  # ambiguous numbers no evidence settled
        self.role: Role = Role.TARIFF  # as given, or as read from the rows around it
        self.parent: Row | None = None  # the block header or sum row above a sub-row
        self.members: list[Row] = []  # a sum row's takstgrupper, a header's sub-rows


class Row(Model):
    """One row of a driftsherre's table: a tariff (Takstrække), or a block header, sub-row, sum or heading."""

    role: Role | None = Field(None, alias="rolle", description="overskrift, blokhoved, underrække, sum eller takst; "
                                                                "som standard udledt af rækkens indhold.")
    offer_name: str | None = Field(None, alias="tilbud", description="Tilbuddets navn på netop denne række, når det er et "
                                   "andet end tilbuddets (fx en takstgruppe under en sumrække).")
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
    payment_days: int | None = Field(None, alias="betalingsdage", description="365 (standard) eller 250 (5 dage × 50 uger); en takstgruppe uden betalingsdage har sin bloks.")
    status: Status | None = Field(None, alias="status", description="udgår eller udskudt.")
    structure_change: DanishBool = Field(False, alias="strukturændring", description="Ny takstmodel/enhed: ændringen er ikke en prisstigning.")
    base_tariff: Num = Field(None, alias="basistakst", description="Basistakst i en todelt model: takst = basistakst + niveaubudget/(pladser × belægning × dage).")
    regulation: Num = Field(None, alias="regulering_kr", description="Indregnet over-/underskud pr. enhed, kr. (fx 369).")
    earlier: Earlier | None = Field(None, alias="tidligere", description="Tidligere indmeldte værdier (revideret takstbilag).")
    import_errors: dict[str, str] | None = Field(
        None, alias="importfejl", description="Celler, som importen ikke kunne læse: kolonnens nøgle (fx takst) → "
        "meddelelsen. Værdien står som null; rækken markeres i takstbilaget.")

    _state: _State = PrivateAttr(default_factory=_State)

    @property
    def state(self) -> _State:
        # pydantic keeps private attributes in __pydantic_private__ and reaches them through a Python-level
        # __getattr__; the rules read a row's role and header tens of thousands of times in a full annex.
        return self.__pydantic_private__["_state"]  # type: ignore[index,no-any-return]

    @model_validator(mode="wrap")
    @classmethod
    def _as_written(cls, data: Any, handler: ModelWrapValidatorHandler[Row]) -> Row:
        dashes: set[str] = set()
        written: dict[str, str] = {}
        places: dict[str, int] = {}
        if isinstance(data, dict):
            data = dict(data)
            for key in NUMBER_KEYS:
                value = data.get(key)
                if isinstance(value, str):
                    if value.strip() in DASHES:
                        dashes.add(key)
                        data[key] = None
                    else:
                        written[key] = value
                        places[key] = written_decimals(value)
                elif isinstance(value, float):
                    places[key] = float_decimals(value)
        row = handler(data)
        row.note_as_written(frozenset(dashes), written, places)
        return row

    def note_as_written(self, dashes: frozenset[str], written: dict[str, str], decimals: dict[str, int]) -> None:
        """What the number cells held as written: "-" (kept as a dash), the text of a number typed as text, and
        the decimals each was written with."""
        state = self.state
        state.dashes, state.written, state.decimals = dashes, written, decimals

    @property
    def dashes(self) -> frozenset[str]:
        """The number keys where a "-" was written."""
        return self.state.dashes

    @property
    def written(self) -> dict[str, str]:
        """Number key → the text as written, for the numbers typed as text ("1.234.567", "1,234", "98 %")."""
        return self.state.written

    def decimals(self, key: str) -> int:
        """How many decimals the number under `key` was written with (`1.234` 0, `3,77` 2, `100` 0)."""
        known = self.state.decimals
        if key in known:
            return known[key]
        value = getattr(self, ATTR[key])
        return 0 if value is None else float_decimals(value)

    def read_as(self, key: str, convention: Convention) -> None:
        """Read the ambiguous number under `key` ('1,234') in `convention`, as its section's evidence decided."""
        state = self.state
        text = state.written[key]
        setattr(self, ATTR[key], reading(text, convention))
        state.decimals = {**state.decimals, key: written_decimals(text, convention)}

    def leave_unresolved(self, keys: frozenset[str]) -> None:
        """The ambiguous numbers no evidence settled: they keep the Danish reading and get a marker."""
        self.state.unresolved = keys

    @property
    def unresolved(self) -> frozenset[str]:
        """Number keys whose ambiguous value ('1,234') no evidence in its section settled."""
        return self.state.unresolved

    @property
    def parent(self) -> Row | None:
        """The block header or sum row above a sub-row."""
        return self.state.parent

    @property
    def members(self) -> list[Row]:
        """A sum row's takstgrupper, a block header's sub-rows."""
        return self.state.members

    def set_role(self, role: Role, parent: Row | None = None, members: list[Row] | None = None) -> None:
        """The row's role in its offer, and the rows it heads or the row above it (see roles.resolve_roles)."""
        state = self.state
        state.role, state.parent, state.members = role, parent, members if members is not None else []

    @model_validator(mode="after")
    def _days(self) -> Row:
        if self.payment_days is not None and self.payment_days not in (365, 250):
            raise ValueError("betalingsdage skal være 365 eller 250")
        return self

    @property
    def name(self) -> str:
        return self.service or "(uden ydelse)"

    @property
    def kind(self) -> Role:
        return self.state.role

    @property
    def has_explanation(self) -> bool:
        """A Forklaring that says something (not '-', '–', '.' or blanks)."""
        return meaningful(self.explanation)

    def inherited(self, attr: str) -> Any:
        """The row's own value, else its block header's (pladser, belægning, overhead, enhed, lovgrundlag …)."""
        value = getattr(self, attr)
        if value is None:
            state = self.state
            if state.parent is not None and state.role is Role.SUB:
                return getattr(state.parent, attr)
        return value

    def shared(self, attr: str) -> Any:
        """As `inherited`; a block header or sum row without its own value takes the one its rows share."""
        value = self.inherited(attr)
        if value is None and self.state.role in (Role.BLOCK, Role.SUM):
            values = {getattr(m, attr) for m in self.state.members if getattr(m, attr) is not None}
            value = values.pop() if len(values) == 1 else None
        return value

    @property
    def closed(self) -> bool:
        """Closing (status udgår), or kept as a row with no takst and a text that says closed ('Lukket
        1/11-2024'). 0 pladser alone closes nothing (issue 23)."""
        if self.status is Status.CLOSING:
            return True
        return self.tariff is None and self.has_explanation and bool(_CLOSED.search(self.explanation or ""))

    def has_numbers(self) -> bool:
        return any(v is not None for v in (self.places, self.budget, self.occupancy_pct, self.tariff,
                                           self.tariff_last_year, self.change_pct, self.places_last_year,
                                           self.overhead_pct, self.base_tariff, self.regulation))

    def is_text(self) -> bool:
        """A row with words only: no number, no '-', no unit, no status (a heading, or a remark)."""
        return self.unit is None and self.status is None and not self.state.dashes and not self.has_numbers()

    def expected_tariff(self) -> float | None:
        """The takst the row's own budget gives: budget / (pladser × belægning × dage) (+ regulering, or basistakst
        + …); a sub-row without its own budget has none (its share is unknown)."""
        occupancy = self.shared("occupancy_pct")
        if self.budget is None or not occupancy or self.shared("unit") not in (Unit.DAG, Unit.DOEGN):
            return None
        return formula_tariff(self.budget, self.places, occupancy, self.days, self.regulation, self.base_tariff)

    @property
    def days(self) -> int:
        """The payment days the takst is budgeted on: the row's own, else its block's (a takstgruppe under a header
        that says 250), else 365."""
        return self.shared("payment_days") or 365


def formula_tariff(budget: float, places: float | None, occupancy_pct: float, days: int,
                   regulation: float | None = None, base_tariff: float | None = None) -> float | None:
    """The takst a budget gives: budget / (pladser × belægning × betalingsdage) + regulering, or basistakst + the
    level budget's share (a two-part model, budgeted per place: pladser 1 where none are given). The one formula,
    for the annex's check and for the import's reading of a takst written two ways."""
    if not places:
        if base_tariff is None:
            return None
        places = 1.0
    if not occupancy_pct or not days:
        return None
    return budget / (places * occupancy_pct / 100 * days) + (regulation or 0) + (base_tariff or 0)


_CLOSED = re.compile(r"\b(lukke[dt]|lukker|nedlagt|nedlægges|ophørt|ophører|udgår|udgået)\b", re.IGNORECASE)
