"""Per-character work as regular expressions (issue 17, item 6), checked against the loops they replaced.

The old implementations are kept below as oracles: `validate/content.py` looked up `unicodedata.category` of every
character of every text, `text/fonts.py` read the fonts' cmaps with fontTools and walked every character twice (in
validation and again for the PDF). The new code must say the same, at the same place, and give the same bytes."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from referat.diagnostics import Report
from referat.fold import fold, loose_fold
from referat.text import fonts
from referat.text.chars import picture
from referat.validate import content

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---- the oracles: the code as it was before issue 17 -------------------------------------------------------------

def old_coverage() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for path in sorted(fonts.FONT_DIR.glob("*.ttf")):
        points.update(TTFont(str(path), lazy=True).getBestCmap())
    return frozenset(points)


OLD_COVERAGE = old_coverage()


def old_uncovered(text: str) -> list[str]:
    if text.isascii():
        return []
    have = OLD_COVERAGE
    return sorted({c for c in text if ord(c) > 0x7F and not c.isspace() and ord(c) not in have})


def old_coverable(data: Any) -> Any:
    if isinstance(data, str):
        missing = old_uncovered(data)
        for c in missing:
            data = data.replace(c, fonts.REPLACEMENT)
        return data
    if isinstance(data, list):
        return [old_coverable(v) for v in data]
    if isinstance(data, dict):
        return {k: old_coverable(v) for k, v in data.items()}
    return data


def old_scan(source: Any, path: tuple[str | int, ...], text: str, report: Report) -> None:
    control = invisible = bidi = False
    for offset, ch in enumerate(text):
        category = unicodedata.category(ch)
        if category == "Cc" and ch not in "\n\t" and not control:
            control = True
            report.warning(source.in_text(path, offset, text),
                           f"teksten indeholder kontroltegnet U+{ord(ch):04X}; det vises som '{picture(ch)}'")
        elif ch in content.BIDI_CONTROLS and not bidi:
            bidi = True
            report.error(source.in_text(path, offset, text),
                         f"teksten indeholder retningstegnet U+{ord(ch):04X} ({content._name(ch)}), som vender "
                         "den følgende tekst om, så der kan stå noget andet, end læseren ser; slet det")
        elif (category == "Cf" and ch not in content.BIDI_CONTROLS and not invisible
              and not content._joins_emoji(text, offset)):
            invisible = True
            report.warning(source.in_text(path, offset, text),
                           f"teksten indeholder det usynlige tegn U+{ord(ch):04X} ({content._name(ch)}); det kan "
                           "ikke ses, men ændrer søgning, kopiering og linjeskift; slet det")


# ---- strategies ----------------------------------------------------------------------------------------------------

FORMAT = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
INTERESTING = (
    [chr(c) for c in range(0x20)] + ["\x7f", "\x85", "\x9f", "\xa0", "\u2028", "\u3000", "\u1680"]
    + FORMAT + ["a", "æ", "ø", "å", " ", "\n", "\t", "👩", "💻", "\ufe0f", "\u0301", "^", "中", "文", "ᚠ", "\U0001fae0",
                "\U000e0100", "\ud800", "\ue000", "\uffff", "\U0010fffd", "€", "—", "␇"]
)
texts = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.sampled_from(INTERESTING), max_size=60),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=60),
)


class Where:
    """A stand-in for a SourceMap: the location is the text's path and the offset the rule points at."""

    def in_text(self, path: tuple[str | int, ...], offset: int, text: str) -> tuple[tuple[str | int, ...], int]:
        return path, offset


def scanned(scan: Any, text: str) -> list[tuple[str, str, Any]]:
    report = Report()
    scan(Where(), ("punkter", 0, "baggrund"), text, report)
    return [(d.severity, d.message, d.location) for d in report.items]


# ---- validate/content.py ------------------------------------------------------------------------------------------

@SETTINGS
@given(texts)
def test_scan_says_what_the_per_character_loop_said(text: str) -> None:
    assert scanned(content._scan, text) == scanned(old_scan, text)


def test_scan_finds_each_kind_once_at_its_first_place() -> None:
    text = "ok\x07 og \x01, \u202e og \u200b, igen \u202e og \u00ad 👩\u200d💻"
    found = scanned(content._scan, text)
    assert found == scanned(old_scan, text)
    assert [(severity, where[1]) for severity, _, where in found] == [("advarsel", 2), ("fejl", 10), ("advarsel", 15)]
    assert "U+0007" in found[0][1] and "'␇'" in found[0][1]


def test_the_format_class_matches_unicodedata_for_every_code_point() -> None:
    """The ranges written in content.py for this Python's Unicode version are exactly the Cf characters."""
    everything = "".join(chr(c) for c in range(0x110000))
    found = content._hidden_pattern().findall(everything)
    expected = [ch for ch in everything
                if unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n\t"]
    assert found == expected


# ---- text/fonts.py ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(fonts.FONT_DIR.glob("*.ttf")), ids=lambda p: p.name)
def test_cmap_reader_gives_fonttools_code_points(path: Path) -> None:
    from fontTools.ttLib import TTFont

    assert fonts._cmap_points(path.read_bytes(), path) == set(TTFont(str(path), lazy=True).getBestCmap())


def test_coverage_is_the_union_of_the_fonts() -> None:
    assert fonts.coverage() == OLD_COVERAGE
    assert ord("æ") in fonts.coverage() and ord("\u2407") in fonts.coverage()  # Liberation Sans, Symbola


def test_every_code_point_the_fonts_might_have_is_judged_as_before() -> None:
    """The BMP and plane 1 (where every bundled glyph is) and the tags and variation selectors of plane 14."""
    everything = "".join(chr(c) for c in [*range(0x20000), *range(0xE0000, 0xE0200)])
    assert max(fonts.coverage()) < 0x20000
    assert fonts.uncovered(everything) == old_uncovered(everything)
    some = everything[:0x3100] + "".join(chr(c) for c in range(0x1F300, 0x1F700))
    assert fonts.coverable(some) == old_coverable(some)


@SETTINGS
@given(texts)
def test_uncovered_and_coverable_agree_with_the_loops(text: str) -> None:
    assert fonts.uncovered(text) == old_uncovered(text)
    data = {"a": [text, {"b": text + "x"}], "n": 3, "t": text[::-1]}
    assert fonts.coverable(data) == old_coverable(data)




# ---- fold.py --------------------------------------------------------------------------------------------------


def old_loose_fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", fold(text)) if not unicodedata.combining(c))


@SETTINGS
@given(texts)
def test_loose_fold_agrees_with_the_loop(text: str) -> None:
    assert loose_fold(text) == old_loose_fold(text)


def test_loose_fold_drops_every_combining_mark_as_before() -> None:
    everything = "".join(chr(c) for c in range(0x30000))
    assert loose_fold(everything) == old_loose_fold(everything)
    assert loose_fold("Resumé for Ærø – “ŝ̈”") == "resume for aeroe – “s”"
