"""The takstbilag: driftsherrer → tilbud → rows (Takstrække), with the year's P/L index and thresholds."""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import Field, ModelWrapValidatorHandler, PrivateAttr, model_validator

from ..model.base import Model
from .convention import SectionReading
from .convention import decimals as written_decimals
from .roles import resolve_roles
from .row import (
    DASHES,
    LIMIT,
    NUMBER_KEYS,
    Earlier,
    Finite,
    NonNeg,
    Num,
    Role,
    Row,
    Status,
    Unit,
    float_decimals,
    meaningful,
)

__all__ = [
    "DASHES",
    "LIMIT",
    "NUMBER_KEYS",
    "Direction",
    "Earlier",
    "Finite",
    "NonNeg",
    "Note",
    "Num",
    "Offer",
    "Owner",
    "OwnerType",
    "Role",
    "Row",
    "Status",
    "Takstbilag",
    "Thresholds",
    "Unit",
    "meaningful",
]


class OwnerType(str, Enum):
    KOMMUNE = "kommune"
    REGION = "region"


class Direction(str, Enum):
    UP = "op"
    DOWN = "ned"
    BOTH = "begge"


class Placement(str, Enum):
    BEFORE = "før"
    AFTER = "efter"


class Offer(Model):
    """A tilbud and its rows."""

    name: str = Field(alias="navn", min_length=1, description="Tilbuddets navn.")
    legal_basis: str | None = Field(None, alias="lovgrundlag", description="Lovgrundlag for alle rækker uden eget.")
    rows: list[Row] = Field(alias="rækker", min_length=1, description="Takster (rækker).")

    _recognised: bool = PrivateAttr(True)

    @model_validator(mode="after")
    def _structure(self) -> Offer:
        self.resolve()
        return self

    def resolve(self) -> None:
        """Read the rows' roles (again, after their numbers were read in their section's convention)."""
        self._recognised = resolve_roles(self.rows)

    @property
    def recognised(self) -> bool:
        """False when the rows looked like a total and its takstgrupper but did not add up: they stay plain."""
        return self._recognised


class Note(Model):
    """A note the driftsherre sent with its table ("#Note til …"), or a notat-bilag of the annex ("Bilag A")."""

    title: str | None = Field(None, alias="titel", description="Fx \"Bilag A: notat om takstberegning\" eller \"Note til …\".")
    text: str = Field(alias="tekst", min_length=1, description="Notens tekst (Markdown: afsnit, overskrifter med #, "
                      "punktlister), som den blev sendt.")
    placement: Placement = Field(Placement.AFTER, alias="placering", description="En driftsherres note: før eller efter "
                                 "(standard) dens tabel.")


class Owner(Model):
    """A driftsherre: a municipality or the region, with its general overhead and offers."""

    name: str = Field(alias="navn", min_length=1, description="Fx \"Aalborg Kommune\".")
    type: OwnerType = Field(OwnerType.KOMMUNE, alias="type", description="kommune eller region (bestemmer P/L-indekset).")
    overhead_pct: NonNeg = Field(None, alias="overhead_pct", description="Generel overheadprocent.")
    offers: list[Offer] = Field(alias="tilbud", min_length=1, description="Driftsherrens tilbud.")
    notes: list[Note] = Field(default_factory=list, alias="noter",
                              description="Driftsherrens noter (fx \"#Note til …\"), trykt før eller efter dens tabel.")

    _reading: SectionReading | None = PrivateAttr(None)
    _overhead_places: int = PrivateAttr(0)

    @model_validator(mode="wrap")
    @classmethod
    def _as_written(cls, data: Any, handler: ModelWrapValidatorHandler[Owner]) -> Owner:
        """The decimals the general overhead was written with ('5,50', a YAML 5.50), which its float drops."""
        value = data.get("overhead_pct") if isinstance(data, dict) else None
        owner = handler(data)
        if isinstance(value, str) and value.strip() not in DASHES:
            owner.note_overhead_places(written_decimals(value))
        elif isinstance(value, float):
            owner.note_overhead_places(float_decimals(value))
        elif owner.overhead_pct is not None:
            owner.note_overhead_places(float_decimals(owner.overhead_pct))
        return owner

    def note_overhead_places(self, places: int) -> None:
        self._overhead_places = places

    @property
    def overhead_places(self) -> int:
        """How many decimals the general overhead was written with (`5` 0, `5,50` 2)."""
        return self._overhead_places

    def read_numbers(self, reading: SectionReading) -> None:
        """How the section's numbers were read (see takster.reading)."""
        self._reading = reading

    @property
    def reading(self) -> SectionReading:
        """The convention the section's numbers were read in, and how each ambiguous one was settled."""
        return self._reading if self._reading is not None else SectionReading()


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
