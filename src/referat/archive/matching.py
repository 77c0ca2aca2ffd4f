"""Danish-friendly matching: the same folding at index and query time, and a light stemmer for queries.

Text is folded before SQLite sees it: lower case, æ→ae, ø→oe, å→aa (so 'Ålborg' and 'Aalborg' meet),
other accents removed by FTS5's `unicode61 remove_diacritics 2`. A query word is folded the same way,
stripped of a Danish inflection ending and searched as a prefix: 'planerne' → plan*, 'ungehjemmet' →
ungehjem*, 'beslutningerne' → beslutning*. Compounds are found by their first part only ('ungehjem'
finds 'ungehjemmet', 'hjem' does not).
"""

from __future__ import annotations

import re

from ..fold import fold

__all__ = ["fold", "fts_query", "query_terms", "snippet", "stem"]  # fold: the project's one Danish folding
_WORD = re.compile(r"\w+", re.UNICODE)
# Longest first; the ending is removed only when at least MIN_STEM letters remain.
_ENDINGS = sorted({
    "erendes", "erende", "hedens", "ethed", "erede", "heden", "heder", "endes", "ernes", "erens", "erets",
    "ered", "ende", "erne", "eres", "eren", "eret", "erer", "enes", "heds", "ens", "ers", "ets",
    "en", "er", "es", "et", "ene", "ede", "hed", "e", "s",
}, key=len, reverse=True)
MIN_STEM = 3


def stem(word: str) -> str:
    """A folded word without its inflection ending, and without a doubled final consonant (hjemm → hjem)."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            word = word[: -len(ending)]
            break
    if len(word) > MIN_STEM + 1 and word[-1] == word[-2] and word[-1] not in "aeiouy":
        word = word[:-1]
    return word


def query_terms(query: str) -> list[str]:
    """The distinct stems a query searches for (each as a prefix); quotes, operators and '*' are ignored."""
    return list(dict.fromkeys(stem(w) for w in _WORD.findall(fold(query).replace("_", " "))))  # each once


def fts_query(terms: list[str]) -> str:
    """An FTS5 MATCH expression: every term as a quoted prefix, all required."""
    return " AND ".join(f'"{t}"*' for t in terms)


def matches(word: str, terms: list[str]) -> bool:
    folded = fold(word)
    return any(folded.startswith(t) for t in terms)


def snippet(text: str, terms: list[str], width: int = 14) -> str:
    """About `width` words of `text` around the first matching word, the matches marked »…«."""
    words = text.split()
    hits = [i for i, w in enumerate(words) if any(matches(p, terms) for p in _WORD.findall(w))]
    if not words:
        return ""
    first = hits[0] if hits else 0
    start = max(0, first - width // 3)
    end = min(len(words), start + width)
    shown = [f"»{w}«" if i in hits else w for i, w in enumerate(words[start:end], start=start)]
    return ("…" if start > 0 else "") + " ".join(shown) + ("…" if end < len(words) else "")
