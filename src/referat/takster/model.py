"""The takstbilag: driftsherrer → tilbud → rows (Takstrække), with the year's P/L index and thresholds."""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import Field, PrivateAttr, model_validator

from ..model.base import DanishBool, Model


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


class Direction(str, Enum):
    UP = "op"
    DOWN = "ned"
    BOTH = "begge"


class Earlier(Model):
    """What was submitted before a revision (the 'Gammel' columns of a revised annex, 003 L2420)."""

    budget: float | None = Field(None, alias="budget", description="Tidligere indmeldt budget, kr.")
    tariff: float | None = Field(None, alias="takst", description="Tidligere indmeldt takst, kr.")
    change_pct: float | None = Field(None, alias="ændring_pct", description="Tidligere indmeldt ændring i pct.")
    explanation: str | None = Field(None, alias="forklaring", description="Tidligere forklaring.")


class Row(Model):
    """One tariff (Takstrække): a service of an offer with its places, occupancy, budget and tariff."""

    service: str = Field(alias="ydelse", min_length=1, description="Ydelse eller takstniveau, fx \"Boniveau 4\".")
    legal_basis: str | None = Field(None, alias="lovgrundlag", description="Fx \"SEL § 107\"; som standard tilbuddets.")
    places: float | None = Field(None, alias="antal_pladser", ge=0, description="Antal pladser.")
    places_last_year: float | None = Field(None, alias="pladser_sidste_år", ge=0, description="Sidste års antal pladser.")
    unit: Unit = Field(alias="takstenhed", description="Døgn, Dag, Time, Styk eller Måned.")
    occupancy_pct: float | None = Field(None, alias="belægning_pct", ge=0, description="Budgetteret belægningsprocent.")
    budget: float | None = Field(None, alias="budget", description="Budget (samlet omkostning), kr.")
    overhead_pct: float | None = Field(None, alias="overhead_pct", ge=0, description="Anvendt overheadprocent for taksten.")
    tariff: float | None = Field(None, alias="takst", ge=0, description="Taksten, kr. pr. enhed.")
    tariff_last_year: float | None = Field(None, alias="takst_sidste_år", ge=0, description="Sidste års takst, kr.")
    change_pct: float | None = Field(None, alias="ændring_pct", description="Ændring i pct. i forhold til forrige år.")
    explanation: str | None = Field(None, alias="forklaring", description="Forklaring på ændringer i pladser eller takst.")
    payment_days: int = Field(365, alias="betalingsdage", description="365 (standard) eller 250 (5 dage × 50 uger).")
    status: Status | None = Field(None, alias="status", description="udgår eller udskudt.")
    structure_change: DanishBool = Field(False, alias="strukturændring", description="Ny takstmodel/enhed: ændringen er ikke en prisstigning.")
    base_tariff: float | None = Field(None, alias="basistakst", description="Basistakst i en todelt model: takst = basistakst + niveaubudget/(pladser × belægning × dage).")
    regulation: float | None = Field(None, alias="regulering_kr", description="Indregnet over-/underskud pr. enhed, kr. (fx 369).")
    earlier: Earlier | None = Field(None, alias="tidligere", description="Tidligere indmeldte værdier (revideret takstbilag).")

    _source: Any = PrivateAttr(None)
    _path: tuple[Any, ...] = PrivateAttr(())

    @model_validator(mode="after")
    def _days(self) -> Row:
        if self.payment_days not in (365, 250):
            raise ValueError("betalingsdage skal være 365 eller 250")
        return self


class Offer(Model):
    """A tilbud and its rows."""

    name: str = Field(alias="navn", min_length=1, description="Tilbuddets navn.")
    legal_basis: str | None = Field(None, alias="lovgrundlag", description="Lovgrundlag for alle rækker uden eget.")
    rows: list[Row] = Field(alias="rækker", min_length=1, description="Takster (rækker).")


class Owner(Model):
    """A driftsherre: a municipality or the region, with its general overhead and offers."""

    name: str = Field(alias="navn", min_length=1, description="Fx \"Aalborg Kommune\".")
    type: OwnerType = Field(OwnerType.KOMMUNE, alias="type", description="kommune eller region (bestemmer P/L-indekset).")
    overhead_pct: float | None = Field(None, alias="overhead_pct", ge=0, description="Generel overheadprocent.")
    offers: list[Offer] = Field(alias="tilbud", min_length=1, description="Driftsherrens tilbud.")


class Thresholds(Model):
    """The limits of the Styringsaftale (001 L5672–5742) and the tolerances of the checks."""

    pl_margin_pp: float = Field(2.0, alias="pl_tillæg_procentpoint", description="Hvor mange procentpoint over P/L en ændring må være uden forklaring.")
    direction: Direction = Field(Direction.UP, alias="retning", description="op (standard), ned eller begge.")
    occupancy_min: float = Field(95.0, alias="belægning_min", description="Laveste belægningsprocent for dag- og døgntilbud uden begrundelse.")
    tariff_tolerance: float = Field(1.0, alias="tolerance_kr", description="Tilladt afvigelse mellem takst og budget/(pladser × belægning × dage), kr.")
    change_tolerance: float = Field(0.1, alias="tolerance_procentpoint", description="Tilladt afvigelse mellem angivet og beregnet ændring, procentpoint.")


class Takstbilag(Model):
    """The year's tariff annex."""

    year: int = Field(alias="år", ge=2000, le=2100, description="Takståret.")
    title: str | None = Field(None, alias="titel", description="Titel; som standard \"Takstbilag ÅÅÅÅ\".")
    pl_index: dict[OwnerType, float | None] = Field(alias="pl_indeks", description="P/L-indeks i pct. pr. driftsherretype, fx kommune: 3.1, region: 2.46.")
    thresholds: Thresholds = Field(default_factory=Thresholds, alias="tærskler", description="Grænser og tolerancer.")
    reading_guide: str | None = Field(None, alias="læsevejledning", description="Læsevejledning (Markdown); som standard den indbyggede.")
    owners: list[Owner] = Field(alias="driftsherrer", min_length=1, description="Driftsherrerne.")

    _source: Any = PrivateAttr(None)

    @property
    def display_title(self) -> str:
        return self.title or f"Takstbilag {self.year}"

    def rows(self) -> list[tuple[Owner, Offer, Row]]:
        return [(o, t, r) for o in self.owners for t in o.offers for r in t.rows]
