"""Spreadsheet-safe text: the guard every CSV writer of the project uses against formula injection."""

from __future__ import annotations

# A spreadsheet reads a cell that starts with one of these as a formula (=HYPERLINK(…), =cmd|…, +1, @SUM(…)).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(text: str) -> str:
    """Text for a CSV cell that Excel shows as typed instead of evaluating: a leading apostrophe (OWASP)."""
    return "'" + text if text.startswith(FORMULA_START) else text
