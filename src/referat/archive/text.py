"""The minutes as text: each item's title and decision, and the item-by-item comparison with a PDF's text."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader

from ..model.meeting import Meeting
from ..render import labels as L
from ..render.danish import long_date
from ..render.richtext import inline_text
from ..render.view import document_view


@dataclass
class ItemText:
    """An item as the archive records it."""

    number: str
    label: str
    title: str
    decision: str
    closed: bool
    case_number: str | None
    source: str  # the item's file, for messages


def item_texts(meeting: Meeting) -> list[ItemText]:
    """Every item of the minutes with its decision as plain text (Markdown rendered as the PDF shows it)."""
    view = document_view(meeting, "referat")
    out = []
    for item, shown in zip(meeting.items, view["items"], strict=True):
        decision = next((blocks_text(s["blocks"]) for s in shown["sections"] if s["key"] == "beslutning"), "")
        out.append(ItemText(item.number, shown["label"], shown["title"], decision, item.closed,
                            shown["case_number"], str(item.file) if item.file else ""))
    return out


def blocks_text(blocks: list[dict[str, Any]]) -> str:
    """Plain text of rich-text blocks: paragraphs apart by a blank line, list items as '- …'."""
    parts: list[str] = []
    for block in blocks:
        kind = block["type"]
        if kind in ("par", "heading"):
            parts.append(inline_text(block["inlines"]))
        elif kind == "list":
            for n, item in enumerate(block["items"], start=block.get("start", 1)):
                mark = f"{n}." if block["ordered"] else "-"
                parts.append(f"{mark} " + " ".join(blocks_text([b]) for b in item))
        elif kind == "table":
            rows = ([block["header"]] if block["header"] else []) + block["rows"]
            parts.extend(" | ".join(inline_text(cell) for cell in row) for row in rows)
    return "\n\n".join(p for p in parts if p.strip())


def pdf_text(pdf: bytes, header: str | None = None) -> str:
    """The text of every page, without the running header and the 'Side X af Y' footer."""
    page_line = re.compile("^" + re.escape(L.PAGE).replace(r"\{x\}", r"\d+").replace(r"\{y\}", r"\d+") + "$")
    lines = []
    for page in PdfReader(io.BytesIO(pdf), strict=False).pages:
        for line in (page.extract_text() or "").splitlines():
            stripped = line.strip()
            if stripped == header or page_line.match(stripped):
                continue
            lines.append(line)
    return "\n".join(lines)


class Keyed:
    """Text reduced to its letters and digits, case-folded, with the way back to the original text.

    Line breaks, hyphenation and spacing differ between a PDF's text and the YAML; the letters do not.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        chars, where = [], []
        for i, c in enumerate(text):
            if c.isalnum():
                for folded in c.casefold():
                    chars.append(folded)
                    where.append(i)
        self.key = "".join(chars)
        self.where = where

    def around(self, start: int, end: int, width: int = 40) -> tuple[str, str]:
        """The original text just before key position `start`, and from `start` on (about `width` chars)."""
        if not self.where:
            return "", ""
        at = self.where[start] if start < len(self.where) else len(self.text)
        before = " ".join(self.text[max(0, at - width):at].split())
        after = " ".join(self.text[at:at + width].split())
        return before, after


def text_difference(pdf: bytes, meeting: Meeting) -> str | None:
    """None when the PDF's text holds the meeting's date and every item's title and decision, in order;
    else a Danish sentence naming the first difference."""
    view = document_view(meeting, "referat")
    found = Keyed(pdf_text(pdf, view["header"]))
    date = long_date(meeting.date)
    front = L.MEETING_LINE.split("{dato}")[0] + date  # "Mødet den 23. februar 2026" on the front page
    if Keyed(front).key not in found.key or Keyed(meeting.profile.short_name).key not in found.key:
        title = PdfReader(io.BytesIO(pdf), strict=False).metadata
        shown = f" (PDF'ens titel: '{title.title}')" if title and title.title else ""
        return (f"det underskrevne referat er ikke fra dette møde: mødet er {meeting.profile.short_name} "
                f"den {date}, men PDF'en nævner ikke det møde{shown}")
    pos = 0
    items = item_texts(meeting)
    for i, item in enumerate(items):
        heading = Keyed(f"{item.label} {item.title}").key
        following = Keyed(f"{items[i + 1].label} {items[i + 1].title}").key if i + 1 < len(items) else None
        at = found.key.find(heading, pos)
        if at < 0:
            return f"punkt {item.number} '{item.title}' findes ikke i den underskrevne PDF (ændret titel eller rækkefølge?)"
        difference: str | None = None
        while at >= 0:  # the first occurrences may be the table of contents
            start = at + len(heading)
            end = found.key.find(following, start) if following else len(found.key)
            end = end if end >= 0 else len(found.key)
            difference = _decision_difference(found, start, end, item)
            if difference is None:
                pos = end
                break
            at = found.key.find(heading, start)
        if difference:
            return difference
    extra = Keyed(meeting.profile.label(str(len(items) + 1))).key
    if extra in found.key[pos:]:
        return f"den underskrevne PDF har flere punkter end mødets {len(items)}"
    return None


def _decision_difference(found: Keyed, start: int, end: int, item: ItemText) -> str | None:
    expected = Keyed(item.decision)
    region = found.key[start:end]
    if expected.key in region:
        return None
    lo, hi = 0, len(expected.key)  # longest prefix of the decision present in the region
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if expected.key[:mid] in region:
            lo = mid
        else:
            hi = mid - 1
    if lo == 0:
        return f"punkt {item.number} '{item.title}': beslutningen findes ikke i den underskrevne PDF"
    before, ours = expected.around(lo, lo)
    pdf_at = start + region.find(expected.key[:lo]) + lo
    _, theirs = found.around(pdf_at, pdf_at)
    return (f"punkt {item.number} '{item.title}': beslutningen afviger efter »…{before}«: "
            f"PDF'en har »{theirs}…«, mødet har »{ours}…«")
