"""Folding Danish text for comparison: one place for how 'Æble', 'aeble' and 'æble' are made to meet."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower case with æ, ø, å spelled out; what the archive indexes and what is searched for.

    (Case-folded first, then three replacements: the same result as translating Æ/æ, Ø/ø, Å/å first, and
    many times faster than `str.translate` on long texts.)"""
    folded = unicodedata.normalize("NFC", text).casefold()
    return folded.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")


def loose_fold(text: str) -> str:
    """`fold`, and other accents dropped: how a user's near-miss ("resume" for "resumé") is compared."""
    return _NON_ASCII.sub(_without_marks, unicodedata.normalize("NFKD", fold(text)))


# Combining marks are looked up only in the runs of non-ASCII characters: a text that is mostly ASCII once æ, ø
# and å are spelled out is no longer walked character by character in Python (issue 17, item 6).
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _without_marks(run: re.Match[str]) -> str:
    return "".join(c for c in run[0] if not unicodedata.combining(c))
