"""Reading numbers as secretariats type them: 1.234.567 · 1,234,567 · 12,5 · 98 % · and saying when they can't."""

from __future__ import annotations

import math
import re

_EXCEL_ERRORS = ("#DIV/0!", "#DIVISION/0!", "#VALUE!", "#VÆRDI!", "#REF!", "#NAME?", "#NAVN?", "#N/A", "#I/T",
                 "#NUM!", "#NULL!", "#SPILD!", "#SPILL!")
# Danish first: a single comma is a decimal comma ('0,125', '1,234'); commas are thousands separators only in
# an unmistakably English number: two or more groups ('1,234,567') or a decimal point after them ('1,234.5').
_EN_THOUSANDS = re.compile(r"^-?\d{1,3}((,\d{3}){2,}(\.\d+)?|(,\d{3})+\.\d+)$")
_DA_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
_DECIMAL_POINT = re.compile(r"^-?\d+\.\d+$")
_INTEGER = re.compile(r"^-?\d+$")
EMPTY = ("", "-", "–", "—")


class CellError(ValueError):
    """A cell that cannot be read as the number it should hold; the message is Danish."""


def is_excel_error(value: object) -> bool:
    return isinstance(value, str) and value.strip().upper() in _EXCEL_ERRORS


def parse_number(value: object) -> float | None:
    """The number in a cell, None for an empty cell or a dash; CellError for anything else."""
    number = _parse(value)
    if number is not None and not math.isfinite(number):  # 400 nines in a text cell, or an overflowed value
        raise CellError(f"'{str(value).strip()[:40]}' er ikke et endeligt tal")
    return number


def _parse(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("en sandhedsværdi er ikke et tal")
    if isinstance(value, (int, float)):
        try:
            return float(value)
        except OverflowError:
            return math.inf
    text = str(value).strip()
    if is_excel_error(text):
        raise CellError(f"Excel-fejl {text.upper()} i stedet for et tal; ret formlen i skemaet")
    cleaned = re.sub(r"(?i)\s*(kr\.?|dkk|%)\s*$", "", text).replace("\u00a0", "").replace(" ", "")
    if cleaned in EMPTY:
        return None
    if cleaned.lower() == "x":
        raise CellError(f"'{text}' er ikke et tal; skriv tallet, eller lad feltet stå tomt")
    if _EN_THOUSANDS.match(cleaned):
        return float(cleaned.replace(",", ""))
    if _DA_THOUSANDS.match(cleaned):
        return float(cleaned.replace(".", "").replace(",", "."))
    if _DECIMAL_COMMA.match(cleaned):
        return float(cleaned.replace(",", "."))
    if _DECIMAL_POINT.match(cleaned) or _INTEGER.match(cleaned):
        return float(cleaned)
    raise CellError(f"'{text}' er ikke et tal")
