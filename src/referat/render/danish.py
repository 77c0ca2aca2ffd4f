"""Danish dates, times and numbers (babel), as the documents print them."""

from __future__ import annotations

import datetime as dt

LOCALE = "da_DK"
# babel is imported where it is used: commands that only print short dates (search, list) skip its start-up.


def long_date(date: dt.date) -> str:
    """17. november 2025"""
    from babel.dates import format_date

    return format_date(date, "d. MMMM y", locale=LOCALE)


def short_date(date: dt.date) -> str:
    """23.02.2026 (the running header)"""
    return f"{date:%d.%m.%Y}"


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


def join_and(parts: list[str], word: str = "og") -> str:
    """3, 4 og 6"""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {word} " + parts[-1]


def join_or(parts: list[str]) -> str:
    """Døgn, Dag eller Time"""
    return join_and(parts, "eller")
