"""The redaction span `[[skjul: tekst | grund]]`: its pattern, where the leak check and the CPR search find it
without loading Markdown (`richtext` uses it too)."""

from __future__ import annotations

import re

SPAN = re.compile(r"\[\[\s*skjul\s*:(?P<text>[^|\]]*(?:\][^|\]]+)*)(?:\|(?P<reason>[^|\]]*))?\]\]", re.IGNORECASE)
SPAN_START = re.compile(r"\[\[\s*skjul\s*:", re.IGNORECASE)


def hidden_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every complete redaction span in `text`."""
    return [m.span() for m in SPAN.finditer(text)] if "[[" in text else []


def inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    """Whether `offset` lies within one of `spans`."""
    return any(a <= offset < b for a, b in spans)
