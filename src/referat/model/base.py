"""Shared model configuration and the small value types the YAML files use."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from enum import Enum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from .source import PathKey, SourceMap


class NotText:
    """Marks a string type that is data, not text a reader reads: a file name, a clock time, a committee id.

    Every other string of a model is text: the public filter (`model.texts`) resolves its redaction spans and the
    privacy checks read it, so a field added later is filtered without anyone listing it."""

    def __repr__(self) -> str:
        return "NotText()"


NOT_TEXT = NotText()


class Model(BaseModel):
    """Base of every model read from YAML: Danish keys as aliases, unknown keys refused.

    A model knows where it was read: the loader hands it the file's SourceMap, the model's own path in the data
    and the required keys that were broken (`read_from`); the model keeps them, and nothing else writes them."""

    model_config = ConfigDict(
        extra="forbid", populate_by_name=True, str_strip_whitespace=False, frozen=False,
        validate_default=False,
    )

    _source: SourceMap | None = PrivateAttr(None)
    _key: PathKey = PrivateAttr(())
    _broken: frozenset[str] = PrivateAttr(frozenset())

    def read_from(self, source: SourceMap, key: PathKey = (), broken: frozenset[str] = frozenset()) -> None:
        """Record where this model stands: its file's positions, its own path in that file's data, and the keys
        that held errors (placeholders stand in for them; the rules that need them are skipped)."""
        self._source, self._key, self._broken = source, key, broken

    @property
    def source_map(self) -> SourceMap | None:
        """The positions of the file the model was read from (None for a model built in code)."""
        return self._source

    @property
    def source_key(self) -> PathKey:
        """The model's own path in its file's data (() for a whole file)."""
        return self._key

    @property
    def broken(self) -> frozenset[str]:
        """What could not be read (keys in error; "profil" for a meeting): the rules that need it are skipped."""
        return self._broken


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
        # 12.3 is 12.30; 12.999 is not a time (it would round to 13.00) and stays as typed, to be refused
        exact = math.isfinite(value) and abs(value) < 100 and abs(value * 100 - round(value * 100)) < 1e-6
        return f"{value:.2f}" if exact else repr(value)
    if isinstance(value, int):
        return f"{value}.00"
    return value


_CLOCK_TEXT = r"([01]?\d|2[0-3])[.:][0-5]\d"
CLOCK_SCHEMA = {"anyOf": [
    {"type": "string", "pattern": rf"^\s*{_CLOCK_TEXT}\s*$"},
    {"type": "number", "minimum": 0, "exclusiveMaximum": 24},  # unquoted 12.30 is a YAML number
]}

Clock = Annotated[str, BeforeValidator(_number_to_clock), AfterValidator(_clock), WithJsonSchema(CLOCK_SCHEMA),
                  NOT_TEXT]
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


TimeSlot = Annotated[str, AfterValidator(_slot), WithJsonSchema(
    {"type": "string", "pattern": rf"^\s*{_CLOCK_TEXT}\s*[-–]\s*{_CLOCK_TEXT}\s*$"}), NOT_TEXT]

BOOL_WORDS = {"ja": True, "nej": False, "sand": True, "falsk": False, "true": True, "false": False}
"""The words a DanishBool is written with (lower case), and what each means."""


def _ci_pattern(words: list[str]) -> str:
    """An ECMA-262 pattern (JSON Schema has no case flag) matching any of `words` in any case, spaces around."""
    def letter(c: str) -> str:
        low, up = c.lower(), c.upper()
        return f"[{re.escape(low)}{re.escape(up)}]" if low != up else re.escape(c)
    return r"^\s*(" + "|".join("".join(letter(c) for c in w) for w in words) + r")\s*$"


def _danish_bool(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in BOOL_WORDS:
        return BOOL_WORDS[value.strip().lower()]
    raise PydanticCustomError("sandhedsvaerdi", "'{value}' skal være true eller false (ja/nej)",
                              {"value": value})


DanishBool = Annotated[bool, BeforeValidator(_danish_bool), Field(json_schema_extra={
    "type": ["boolean", "string"], "pattern": _ci_pattern(list(BOOL_WORDS)),
})]
"""true/false, also written ja/nej (any case); nothing else (not 1, not "yes")."""


class Choice(str, Enum):
    """A fixed set of Danish words, accepted in any case and with spaces around ("Åben" is "åben")."""

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if isinstance(value, str):
            folded = value.strip().casefold()
            for member in cls:
                if member.value.casefold() == folded:
                    return member
        return None

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        schema = dict(handler(core_schema))
        values = [m.value for m in cls]
        out: dict[str, Any] = {k: v for k, v in schema.items() if k not in ("enum", "type")}
        out["anyOf"] = [{"type": "string", "enum": values}, {"type": "string", "pattern": _ci_pattern(values)}]
        return out


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
           "november", "december")


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    text = value.strip() if isinstance(value, str) else None
    match = _ISO_DATE.match(text) if text is not None else None
    if match is None:
        raise PydanticCustomError("dato", "'{value}' er ikke en gyldig dato; skriv ÅÅÅÅ-MM-DD, fx 2026-02-23",
                                  {"value": value})
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    if not 1 <= month <= 12:
        raise PydanticCustomError("dato", "'{value}' er ikke en gyldig dato: måned {month} findes ikke; skriv ÅÅÅÅ-MM-DD",
                                  {"value": value, "month": month})
    try:
        return dt.date(year, month, day)
    except ValueError:
        leap = " (det er ikke et skudår)" if month == 2 and day == 29 else ""
        raise PydanticCustomError("dato", "'{value}' er ikke en gyldig dato: {day}. {name} {year} findes ikke{leap}",
                                  {"value": value, "day": day, "name": _MONTHS[month - 1], "year": year,
                                   "leap": leap}) from None


Date = Annotated[dt.date, BeforeValidator(_date), Field(json_schema_extra={
    "type": "string", "format": "date", "pattern": r"^\s*\d{4}-\d{2}-\d{2}\s*$"})]
"""A calendar date written ÅÅÅÅ-MM-DD; a date that does not exist says so ("30. februar 2027 findes ikke")."""

COMMITTEE_ID = r"^[a-z0-9][a-z0-9-]{0,63}$"
_COMMITTEE_ID = re.compile(COMMITTEE_ID)


def _committee_id(value: str) -> str:
    if not _COMMITTEE_ID.fullmatch(value):
        raise PydanticCustomError(
            "udvalgs_id", "'{value}' er ikke et udvalgs-id; skriv profilens navn uden sti (højst 64 små bogstaver, "
            "tal og bindestreger), fx das-social", {"value": value if len(value) <= 80 else value[:77] + "…"})
    return value


CommitteeId = Annotated[str, AfterValidator(_committee_id), Field(json_schema_extra={"pattern": COMMITTEE_ID}),
                        NOT_TEXT]
"""The id of a committee profile (its file name in templates/udvalg/ without .yaml): never a path."""


ITEM_ID = r"^[A-Za-z0-9ÆØÅæøå][A-Za-z0-9ÆØÅæøå_-]{0,79}$"
_ITEM_ID = re.compile(ITEM_ID)


def _item_id(value: str) -> str:
    if not _ITEM_ID.fullmatch(value):
        raise PydanticCustomError(
            "punkt_id", "'{value}' er ikke et punkt-id; skriv højst 80 bogstaver, tal, '-' og '_' (ingen mellemrum), "
            "fx eventuelt", {"value": value if len(value) <= 80 else value[:77] + "…"})
    return value


ItemId = Annotated[str, AfterValidator(_item_id), Field(json_schema_extra={"pattern": ITEM_ID}), NOT_TEXT]
"""An item's stable identity within its meeting (`id:`), kept when its file is renamed or renumbered."""


MAX_NAME_BYTES = 255  # one name on ext4, APFS, NTFS (in UTF-16 units there; bytes here is the stricter bound)
MAX_PATH_CHARS = 1024


def _file_name(value: str) -> str:
    bad = next((c for c in value if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")), None)
    if bad is not None:
        raise PydanticCustomError(
            "filnavn", "filnavnet indeholder det usynlige tegn U+{code}; skriv navnet uden (omdøb filen, hvis den "
            "selv hedder sådan)", {"code": f"{ord(bad):04X}"})
    longest = max((len(part.encode("utf-8", "surrogatepass")) for part in re.split(r"[/\\]", value)), default=0)
    if longest > MAX_NAME_BYTES or len(value) > MAX_PATH_CHARS:
        raise PydanticCustomError(
            "filnavn", "filnavnet er for langt ({length} byte); et filsystem tillader højst {limit} byte i et navn",
            {"length": longest, "limit": MAX_NAME_BYTES})
    return value


# The schema names the invisible characters met in practice; the loader refuses every Unicode control and format
# character (a list that grows with each Unicode version, so it is not spelled out here).
_INVISIBLE = (r"\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2028\u2029"
              r"\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb")
FileName = Annotated[str, AfterValidator(_file_name), Field(json_schema_extra={
    "pattern": f"^[^{_INVISIBLE}]*$", "maxLength": MAX_PATH_CHARS}), NOT_TEXT]
"""A file or folder name from YAML: no NUL or other control or invisible format character (a NUL cannot reach the
file system, a U+202E makes "exe.pdf" of "fdp.exe")."""
