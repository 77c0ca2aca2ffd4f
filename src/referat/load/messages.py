"""Pydantic validation errors as located Danish messages."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from ..diagnostics import Report
from ..fold import loose_fold
from ..model.source import SourceMap

_TYPES = {
    "string_type": "skal være tekst{hint}",
    "int_type": "skal være et heltal",
    "int_parsing": "skal være et heltal",
    "int_from_float": "skal være et heltal",
    "float_type": "skal være et tal",
    "float_parsing": "skal være et tal",
    "bool_type": "skal være true eller false (ja/nej)",
    "bool_parsing": "skal være true eller false (ja/nej)",
    "list_type": "skal være en liste (linjer der starter med '- ')",
    "dict_type": "skal være en afbildning med nøgler (nøgle: værdi)",
    "model_type": "skal være en afbildning med nøgler (nøgle: værdi)",
    "model_attributes_type": "skal være en afbildning med nøgler (nøgle: værdi)",
    "date_type": "'{input}' er ikke en dato; skriv ÅÅÅÅ-MM-DD, fx 2026-02-23",
    "date_parsing": "'{input}' er ikke en gyldig dato; skriv ÅÅÅÅ-MM-DD, fx 2026-02-23",
    "date_from_datetime_parsing": "'{input}' er ikke en gyldig dato; skriv ÅÅÅÅ-MM-DD, fx 2026-02-23",
    "date_from_datetime_inexact": "'{input}' er ikke en dato; skriv ÅÅÅÅ-MM-DD",
    "string_too_short": "må ikke være tom",
    "too_short": "skal have mindst {min_length} element(er)",
    "string_pattern_mismatch": "'{input}' har ikke den rigtige form ({pattern})",
}


def report_validation_error(exc: ValidationError, smap: SourceMap, model: type[BaseModel], report: Report) -> None:
    """Turn every error of a failed model validation into a located Danish message."""
    report_errors(exc.errors(include_url=False), smap, model, report)


def report_errors(errors: Iterable[Any], smap: SourceMap, model: type[BaseModel], report: Report) -> None:
    """Located Danish messages for pydantic's error dicts."""
    for err in errors:
        loc = tuple(err["loc"])
        kind = err["type"]
        ctx = err.get("ctx") or {}
        if kind == "extra_forbidden":
            key = str(loc[-1])
            known = _known_keys(model, loc[:-1])
            report.error(smap.at(loc, on_key=True), f"ukendt nøgle '{_short(key)}'{did_you_mean(key, known)}")
        elif kind == "missing":
            parent = smap.at(loc[:-1], on_key=bool(loc[:-1]))
            report.error(parent, f"mangler den påkrævede nøgle '{loc[-1]}'")
        elif kind in ("enum", "literal_error"):
            expected = ctx.get("expected", "")
            report.error(smap.at(loc), f"'{_short(err.get('input'))}' er ikke en gyldig værdi; brug {_danish_or(expected)}")
        elif kind in _TYPES:
            hint = ""
            if kind == "string_type" and isinstance(err.get("input"), (int, float, bool)):
                hint = "; sæt værdien i anførselstegn"
            text = _TYPES[kind].format(input=_short(err.get("input")), hint=hint, **_str_ctx(ctx))
            report.error(smap.at(loc), text)
        elif kind == "value_error" or kind.startswith(("klokkeslaet", "tidsrum", "udvalgs_id", "dato", "sandhedsvaerdi", "filnavn")):
            report.error(smap.at(loc), "".join(_visible(c) for c in _strip_value_error(err["msg"])))
        else:
            report.error(smap.at(loc), "ugyldig værdi: " + "".join(_visible(c) for c in err["msg"]))


def short(value: Any) -> str:
    """A value as it may appear in a one-line message: control characters escaped, long text cut."""
    text = "".join(_visible(c) for c in str(value))
    return text if len(text) <= 60 else text[:57] + "…"


_short = short

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(c: str) -> str:
    """A line break or control character as an escape, so a message about a multi-line value stays one line."""
    if c in _ESCAPES:
        return _ESCAPES[c]
    return f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c


def _str_ctx(ctx: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in ctx.items() if k not in ("input", "hint")}


def _strip_value_error(msg: str) -> str:
    return msg.removeprefix("Value error, ")


def _danish_or(expected: str) -> str:
    parts = [p.strip() for p in expected.replace(" or ", ",").split(",") if p.strip()]
    if len(parts) < 2:
        return expected
    return ", ".join(parts[:-1]) + " eller " + parts[-1]


def suggest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate the user most likely meant, if any is close."""
    cands = list(candidates)
    folded = {loose_fold(c): c for c in cands}
    match = difflib.get_close_matches(loose_fold(word), list(folded), n=1, cutoff=0.7)
    return folded[match[0]] if match else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """"; mente du 'x'?" for the candidate the user most likely meant, or "" (every such hint is worded here)."""
    guess = suggest(word, candidates)
    return f"; mente du '{guess}'?" if guess else ""


def _known_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The aliases allowed at `loc` inside `model` (walks nested models and lists)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if fields is None:
            return []
        field = next((f for name, f in fields.items() if (f.alias or name) == part), None)
        if field is None:
            if current is not model:  # a mapping's key ("beslutning") or a union's member: look inside it
                continue
            return []
        current = _inner_model(field.annotation)
    fields = getattr(current, "model_fields", {})
    return [f.alias or name for name, f in fields.items()]


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
