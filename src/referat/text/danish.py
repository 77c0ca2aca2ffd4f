"""Danish dates, times and numbers (babel), as the documents print them; file-name words of Danish titles."""

from __future__ import annotations

import datetime as dt

LOCALE = "da_DK"
# babel is imported where it is used (numbers): its import and the Danish locale data cost ~25 ms, which every
# document paid for the front page's date alone until issue 28.
MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december")


def long_date(date: dt.date) -> str:
    """17. november 2025 (babel's "d. MMMM y" in da_DK, checked against it for every day of several years)"""
    return f"{date.day}. {MONTHS[date.month - 1]} {date.year}"


NBSP = "\u00a0"


def document_date(date: dt.date) -> str:
    """17. november 2025, as a document prints it in running text: its spaces no-break spaces, so the date is
    never wrapped over two lines (PDF, Word and web page alike)."""
    return long_date(date).replace(" ", NBSP)


def short_date(date: dt.date) -> str:
    """23.02.2026 (the running header)"""
    return f"{date:%d.%m.%Y}"


def short_iso_date(iso: str) -> str:
    """An ISO date as a table or list prints it (2026-06-30 → 30.06.2026); anything else as it is."""
    try:
        return short_date(dt.date.fromisoformat(iso))
    except ValueError:
        return iso


def time_span(start: str | None, end: str | None) -> str:
    """kl. 12.00 - 16.00"""
    if start and end:
        return f"kl. {start} - {end}"
    return f"kl. {start}" if start else ""


def number(value: float, decimals: int = 0) -> str:
    """1.234.567 · 4,62"""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def amount(value: float | None, decimals: int | None = None) -> str:
    """1.234 · 1.234,50: a whole number without decimals, any other with two ('' for none)."""
    if value is None:
        return ""
    return number(value, (0 if float(value).is_integer() else 2) if decimals is None else decimals)


def percent(value: float | None) -> str:
    """4,62 % ('' for none)"""
    return "" if value is None else f"{number(value, 2)} %"


def kroner(value: float) -> str:
    """1.234 kr. · 1.234,50 kr."""
    return f"{amount(value)} kr."


def join_and(parts: list[str], word: str = "og") -> str:
    """3, 4 og 6"""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {word} " + parts[-1]


def join_or(parts: list[str]) -> str:
    """Døgn, Dag eller Time"""
    return join_and(parts, "eller")


def slug(text: str) -> str:
    """A file-name word of `text`: "Næste møde" → "naeste-moede" (æ, ø, å written out; at most 40 characters)."""
    import re

    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:40].rstrip("-") or "punkt"
