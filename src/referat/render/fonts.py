"""The bundled fonts: the PDF is set with these only, so it is identical on every machine.

Liberation Sans (Arial's metrics, matching the Word template) sets the text; DejaVu Sans is the fallback
for symbols, other scripts and emoji; a subset of Symbola shows control characters as pictures (␇).
A character none of them covers is shown as U+FFFD in the PDF (the
validator warns about it) rather than failing the PDF/A export.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FAMILIES = ("Liberation Sans", "DejaVu Sans", "Symbola")
REPLACEMENT = "\ufffd"


@lru_cache(maxsize=1)
def coverage() -> frozenset[int]:
    """Every code point some bundled font has a glyph for."""
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for path in sorted(FONT_DIR.glob("*.ttf")):
        points.update(TTFont(str(path), lazy=True).getBestCmap())
    return frozenset(points)


def uncovered(text: str) -> list[str]:
    """Characters of `text` that no bundled font can show (whitespace and controls are not counted)."""
    if text.isascii():
        return []
    have = coverage()
    return sorted({c for c in text if ord(c) > 0x7F and not c.isspace() and ord(c) not in have})


def coverable(data: Any) -> Any:
    """`data` (JSON-like) with every string's unshowable characters replaced by U+FFFD."""
    if isinstance(data, str):
        missing = uncovered(data)
        for c in missing:
            data = data.replace(c, REPLACEMENT)
        return data
    if isinstance(data, list):
        return [coverable(v) for v in data]
    if isinstance(data, dict):
        return {k: coverable(v) for k, v in data.items()}
    return data
