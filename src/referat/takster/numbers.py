"""Reading numbers as secretariats type them: 1.234.567 · 1,234,567 · 12,5 · 98 % · and saying when they can't."""

from __future__ import annotations

import functools
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


class NumberFormat:
    """What an Excel number format (ECMA-376 §18.8.31) does to the number it shows, read as Excel reads it: the
    section that shows the value (positive;negative;zero;text), and in it only the unquoted, unescaped characters
    — text in quotes ("…"), a character after a backslash (\\%), after '_' (a space as wide as it) or '*' (a fill)
    and anything in brackets ([Red], [$kr-406], [>100]) is shown as it stands and does nothing to the number.
    openpyxl reads no more of a format than whether it shows a date (`is_date_format`), so the rest is read here.
    """

    __slots__ = ("bare",)

    def __init__(self, code: str | None, value: float) -> None:
        sections = _sections(code or "General")
        if value < 0 and len(sections) >= 2:
            bare = sections[1]
        elif value == 0 and len(sections) >= 3:
            bare = sections[2]
        else:
            bare = sections[0]
        self.bare = bare

    @property
    def percent(self) -> bool:
        """An unquoted, unescaped '%': Excel shows the value × 100 (0.98 as 98 %)."""
        return "%" in self.bare

    def decimals(self, value: float) -> int | None:
        """How many decimals Excel shows of `value` (already × 100 in a percent format): the digit placeholders
        after the decimal point ('0' always shows, '#' and '?' only a significant digit); None where the format
        shows no fixed decimals (General, scientific, a fraction, a date or text)."""
        from openpyxl.styles.numbers import is_date_format

        bare = self.bare.lower()
        if not bare or "general" in bare or "e+" in bare or "e-" in bare or "/" in bare or "@" in bare \
                or is_date_format(self.bare) or not any(c in bare for c in "0#?"):
            return None
        point = bare.find(".")
        if point < 0:
            return 0
        places = "".join(c for c in bare[point + 1:] if c in "0#?")
        fixed = len(places.rstrip("#?"))  # '0.0#' shows one decimal always and a second where it is not 0
        shown = shown_value(value, len(places))
        text = format(shown, "f").rstrip("0") if "." in format(shown, "f") else ""
        significant = len(text.partition(".")[2])
        return max(fixed, min(significant, len(places)))


@functools.lru_cache(maxsize=256)  # a workbook has a handful of formats and thousands of cells
def _sections(code: str) -> tuple[str, ...]:
    """The format's sections, each with only the characters that act on the number (see NumberFormat)."""
    sections: list[str] = []
    out: list[str] = []
    i, n = 0, len(code)
    while i < n:
        c = code[i]
        if c == '"':
            end = code.find('"', i + 1)
            i = n if end < 0 else end + 1
            continue
        if c in "\\_*":
            i += 2
            continue
        if c == "[":
            end = code.find("]", i + 1)
            i = n if end < 0 else end + 1
            continue
        if c == ";":
            sections.append("".join(out))
            out = []
        else:
            out.append(c)
        i += 1
    sections.append("".join(out))
    return tuple(sections)


def shown_value(value: float, places: int) -> float:
    """`value` rounded as Excel rounds what it shows: to 15 significant digits, then half away from zero."""
    if float(value).is_integer():  # most cells: a whole number shows as it is
        return float(value)
    from decimal import ROUND_HALF_UP, Decimal

    exact = Decimal(f"{value:.15g}")
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
