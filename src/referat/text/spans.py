"""The redaction span `[[skjul: tekst | grund]]`: its pattern, where the leak check and the CPR search find it
without loading Markdown (`richtext` uses it too)."""

from __future__ import annotations

import re

SPAN = re.compile(r"\[\[\s*skjul\s*:(?P<text>[^|\]]*(?:\][^|\]]+)*)(?:\|(?P<reason>[^|\]]*))?\]\]", re.IGNORECASE)
SPAN_START = re.compile(r"\[\[\s*skjul\s*:", re.IGNORECASE)
