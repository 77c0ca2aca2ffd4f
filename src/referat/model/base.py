"""Shared model configuration and the small value types the YAML files use."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError


class Model(BaseModel):
    """Base of every model read from YAML: Danish keys as aliases, unknown keys refused."""

    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, str_strip_whitespace=False, frozen=False,
        validate_default=False,
    )


_TIME = re.compile(r"^(\d{1,2})[.:](\d{2})$")


def _clock(value: str) -> str:
    match = _TIME.match(value.strip())
    if not match:
        raise PydanticCustomError("klokkeslaet", "'{value}' er ikke et klokkeslæt; skriv TT.MM, fx \"12.00\"",
                                  {"value": value})
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        raise PydanticCustomError("klokkeslaet", "'{value}' er et umuligt klokkeslæt", {"value": value})
    return f"{hour:02d}.{minute:02d}"


def _number_to_clock(value: Any) -> Any:
    # Unquoted 12.30 reaches us as the float 12.3; two decimals give back what was typed.
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value}.00"
    return value


Clock = Annotated[str, BeforeValidator(_number_to_clock), AfterValidator(_clock)]
"""A time of day, written "12.00" (or "12:00"); stored as "HH.MM"."""

_SLOT = re.compile(r"^\s*(\d{1,2}[.:]\d{2})\s*[-–]\s*(\d{1,2}[.:]\d{2})\s*$")


def _slot(value: str) -> str:
    match = _SLOT.match(value)
    if not match:
        raise PydanticCustomError("tidsrum", "'{value}' er ikke et tidsrum; skriv TT.MM-TT.MM, fx \"09.00-10.00\"",
                                  {"value": value})
    start, end = _clock(match[1]), _clock(match[2])
    if end <= start:
        raise PydanticCustomError("tidsrum", "tidsrummet '{value}' slutter før det begynder", {"value": value})
    return f"{start}-{end}"


TimeSlot = Annotated[str, AfterValidator(_slot)]

_YES = {"ja": True, "nej": False, "sand": True, "falsk": False}


def _danish_bool(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in _YES:
        return _YES[value.strip().lower()]
    return value


DanishBool = Annotated[bool, BeforeValidator(_danish_bool)]
"""true/false, also written ja/nej."""

COMMITTEE_ID = r"^[a-z0-9][a-z0-9-]*$"
_COMMITTEE_ID = re.compile(COMMITTEE_ID)


def _committee_id(value: str) -> str:
    if not _COMMITTEE_ID.match(value):
        raise PydanticCustomError(
            "udvalgs_id", "'{value}' er ikke et udvalgs-id; skriv profilens navn uden sti (små bogstaver, tal og "
            "bindestreg), fx das-social", {"value": value})
    return value


CommitteeId = Annotated[str, AfterValidator(_committee_id), Field(json_schema_extra={"pattern": COMMITTEE_ID})]
"""The id of a committee profile (its file name in templates/udvalg/ without .yaml): never a path."""
