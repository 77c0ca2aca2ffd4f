"""The bundled fonts: the PDF is set with these only, so it is identical on every machine.

Liberation Sans (Arial's metrics, matching the Word template) sets the text; DejaVu Sans is the fallback
for symbols, other scripts and emoji; a subset of Symbola shows control characters as pictures (␇).
A character none of them covers is shown as U+FFFD in the PDF (the
validator warns about it) rather than failing the PDF/A export.
"""

from __future__ import annotations

import re
import struct
from functools import lru_cache
from pathlib import Path
from typing import Any

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FAMILIES = ("Liberation Sans", "DejaVu Sans", "Symbola")
REPLACEMENT = "\ufffd"

# The cmap subtables fontTools' getBestCmap prefers, in its order: (platform, encoding).
_PREFERENCES = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))


@lru_cache(maxsize=1)
def coverage() -> frozenset[int]:
    """Every code point some bundled font has a glyph for."""
    points: set[int] = set()
    for path in sorted(FONT_DIR.glob("*.ttf")):
        points.update(_cmap_points(path.read_bytes(), path))
    return frozenset(points)


def _cmap_points(font: bytes, path: Path) -> set[int]:
    """The code points of the font's best cmap subtable (as fontTools' `getBestCmap` keys), read with `struct`:
    fontTools took ~0.2 s to decompile the seven bundled cmaps, on every validate and build (issue 17, item 6).
    A subtable format other than 4 and 12 is left to fontTools."""
    (num_tables,) = struct.unpack_from(">H", font, 4)
    tables = {struct.unpack_from(">4s", font, 12 + 16 * i)[0]: struct.unpack_from(">I", font, 12 + 16 * i + 8)[0]
              for i in range(num_tables)}
    cmap = tables[b"cmap"]
    (count,) = struct.unpack_from(">H", font, cmap + 2)
    subtables: dict[tuple[int, int], int] = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", font, cmap + 4 + 8 * i)
        subtables.setdefault((platform, encoding), cmap + offset)
    for key in _PREFERENCES:
        if key in subtables:
            at = subtables[key]
            (fmt,) = struct.unpack_from(">H", font, at)
            if fmt == 4:
                return _format4(font, at)
            if fmt == 12:
                return _format12(font, at)
            break
    from fontTools.ttLib import TTFont

    return set(TTFont(str(path), lazy=True).getBestCmap() or {})


def _format4(font: bytes, at: int) -> set[int]:
    (seg_x2,) = struct.unpack_from(">H", font, at + 6)
    n = seg_x2 // 2
    ends = struct.unpack_from(f">{n}H", font, at + 14)
    starts = struct.unpack_from(f">{n}H", font, at + 16 + seg_x2)
    deltas = struct.unpack_from(f">{n}H", font, at + 16 + 2 * seg_x2)
    range_at = at + 16 + 3 * seg_x2
    offsets = struct.unpack_from(f">{n}H", font, range_at)
    points: set[int] = set()
    for i in range(n - 1):  # the last segment (0xFFFF) maps nothing, as fontTools reads it
        start, end, delta, offset = starts[i], ends[i], deltas[i], offsets[i]
        if end < start:
            continue
        if offset == 0:
            points.update(c for c in range(start, end + 1) if (c + delta) & 0xFFFF)
            continue
        first = range_at + 2 * i + offset  # glyphIdArray entry of `start`
        glyphs = struct.unpack_from(f">{end - start + 1}H", font, first)
        points.update(c for c, g in zip(range(start, end + 1), glyphs, strict=True) if g and (g + delta) & 0xFFFF)
    return points


def _format12(font: bytes, at: int) -> set[int]:
    (groups,) = struct.unpack_from(">I", font, at + 12)
    points: set[int] = set()
    for i in range(groups):
        start, end, glyph = struct.unpack_from(">III", font, at + 16 + 12 * i)
        points.update(range(start + 1 if glyph == 0 else start, end + 1))
    return points


@lru_cache(maxsize=1)
def _uncovered_pattern() -> re.Pattern[str]:
    """One character class: every character outside ASCII that no bundled font covers (issue 17, item 6: a
    regex scan instead of a Python loop over every character)."""
    covered = sorted(p for p in coverage() if p > 0x7F)
    ranges: list[list[int]] = []
    for p in covered:
        if ranges and ranges[-1][1] == p - 1:
            ranges[-1][1] = p
        else:
            ranges.append([p, p])
    parts = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile(f"[^\\x00-\\x7f{parts}]")


# Characters every text of a Danish meeting is written in, all covered by Liberation Sans (a test holds them to the
# fonts): a text of nothing else needs no look at the fonts, whose coverage takes ~10 ms to read (issue 28).
COMMON = re.compile("[^\x00-\x7f\xa0-\xff\u2010-\u2015\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
                    "\u20ac\u2122\u2212]")


def uncovered(text: str) -> list[str]:
    """Characters of `text` that no bundled font can show (whitespace and controls are not counted)."""
    if text.isascii() or COMMON.search(text) is None or not _uncovered_pattern().search(text):  # at C speed
        return []
    have = coverage()
    return sorted(c for c in set(text) if ord(c) > 0x7F and not c.isspace() and ord(c) not in have)


def coverable(data: Any) -> Any:
    """`data` (JSON-like) with every string's unshowable characters replaced by U+FFFD."""
    if isinstance(data, str):
        missing = uncovered(data)
        if missing:
            data = re.compile("[" + "".join(re.escape(c) for c in missing) + "]").sub(REPLACEMENT, data)
        return data
    if isinstance(data, list):
        return [coverable(v) for v in data]
    if isinstance(data, dict):
        return {k: coverable(v) for k, v in data.items()}
    return data
