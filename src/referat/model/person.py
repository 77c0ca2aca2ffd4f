"""People: committee members and other participants."""

from __future__ import annotations

from pydantic import Field

from .base import Model


class Member(Model):
    """A member of the committee, as on the roster."""

    name: str = Field(alias="navn", min_length=1, description="Fulde navn.")
    title: str | None = Field(None, alias="titel", description="Stilling, fx \"Socialdirektør\".")
    organisation: str | None = Field(None, alias="organisation", description="Kommune, region eller organisation.")


class Guest(Member):
    """Someone attending who is not a member: a substitute, a presenter, the secretariat."""

    substitute_for: str | None = Field(None, alias="i_stedet_for", description="Det fraværende medlem, personen deltager i stedet for.")
    items: list[int | str] = Field(default_factory=list, alias="punkter", description="Punkter personen deltager i, fx [3].")
