"""The two sections that are lists in an item: the Indstilling's points (list items, their sub-items as
underpunkter, or paragraphs; the lead-in "Det indstilles, at …" left out, as the profile prints its own) and the
names a Bilag section gives."""

from __future__ import annotations

import re
from typing import Any

from ...fold import loose_fold
from ...text.nodes import Block
from ...text.richtext import inline_text


def points(blocks: list[Block], lead_in: str, names: list[str], warnings: list[str],
           own: list[str] | None = None) -> list[Any]:
    """The Indstilling's points: list items (their sub-items as underpunkter) or paragraphs, the lead-in left out
    ("Det indstilles, at …" is the profile's). A paragraph that is only a lead-in addressed to someone other than
    the committee ("Det indstilles, at forretningsudvalget", 002 L1053) is the item's own lead-in: it is appended
    to `own` (the caller writes it as `indstilling_indledning`, where validation names the addressee)."""
    points: list[Any] = []
    formatted = False
    for block in blocks:
        if block["type"] == "par":
            text = _clean(inline_text(block["inlines"]))
            formatted = formatted or any(n["type"] != "text" for n in block["inlines"])
            if own is not None and not points and not own and _own_lead_in(text, lead_in, names):
                own.append(text)
                continue
            rest = _after_lead_in(text, lead_in, names, warnings)
            if rest:
                points.append(rest)
        elif block["type"] == "list":
            for item in block["items"]:
                texts: list[str] = []
                subs: list[str] = []
                for part in item:
                    if part["type"] == "par":
                        texts.append(_clean(inline_text(part["inlines"])))
                        formatted = formatted or any(n["type"] != "text" for n in part["inlines"])
                    elif part["type"] == "list":
                        for sub in part["items"]:
                            deeper = [b for b in sub if b["type"] == "list"]
                            if deeper:
                                warnings.append("indstillingen har punkter i mere end to niveauer; de "
                                                       "dybere er lagt ind i underpunktet")
                            subs.append(_clean(" ".join(_flat(sub))))
                text = " ".join(t for t in texts if t)
                if text or subs:
                    points.append({"tekst": text, "underpunkter": subs} if subs else text)
        elif block["type"] == "table":
            warnings.append("en tabel i indstillingen er ikke et punkt; dens rækker er lagt ind som punkter")
            points.extend(_clean(" | ".join(inline_text(c) for c in row))
                          for row in [block["header"], *block["rows"]] if row)
        elif block["type"] == "heading":
            warnings.append(f"underoverskriften «{inline_text(block['inlines'])}» i indstillingen er udeladt")
    if formatted:
        warnings.append("indstillingens punkter er ren tekst; fed, kursiv og links i dem er ikke med")
    return points


def _flat(blocks: list[Block]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if block["type"] in ("par", "heading"):
            out.append(inline_text(block["inlines"]))  # type: ignore[typeddict-item]
        elif block["type"] == "list":
            for item in block["items"]:
                out.extend(_flat(item))
    return out


def _clean(text: str) -> str:
    return " ".join(text.split())


_LEAD_IN = re.compile(r"^(.{0,80}?\bindstille[rs]?\b.{0,10}?,?\s*at)\b\s*(.*)$", re.IGNORECASE | re.DOTALL)


def _own_lead_in(text: str, lead_in_text: str, names: list[str]) -> bool:
    """Whether the paragraph is a whole lead-in that is not the committee's: "Det indstilles, at X" with X a body
    of a few words other than the committee (and not the profile's own lead-in)."""
    if lead_in_text and loose_fold(text).startswith(loose_fold(lead_in_text)):
        return False
    m = _LEAD_IN.match(text)
    if not m:
        return False
    rest = m.group(2).strip(" :")
    if any(name and loose_fold(rest).startswith(loose_fold(name)) for name in names):
        return False
    return 0 < len(rest.split()) <= 3


def _after_lead_in(text: str, lead_in_text: str, names: list[str], warnings: list[str]) -> str:
    """A paragraph of the Indstilling without its lead-in: "" when it is only the lead-in."""
    folded = loose_fold(text)
    lead = loose_fold(lead_in_text)
    if lead and folded.startswith(lead):
        return text[len(lead_in_text):].strip(" :,")
    m = _LEAD_IN.match(text)
    if not m:
        return text
    rest = m.group(2).strip(" :")
    addressed = rest
    for name in sorted(names, key=len, reverse=True):
        if name and loose_fold(rest).startswith(loose_fold(name)):
            return rest[len(name):].strip(" :,")
    if lead_in_text:
        warnings.append(f"indstillingens indledning «{text[:100]}» er erstattet af udvalgets "
                               f"«{lead_in_text}»; se efter, at indstillingen er rettet til udvalget")
    return addressed if len(addressed.split()) > 3 else ""


def bilag_names(blocks: list[Block]) -> list[str]:
    names: list[str] = []
    for block in blocks:
        if block["type"] == "par":
            names.extend(_clean(line) for line in inline_text(block["inlines"]).split("\n") if line.strip())
        elif block["type"] == "list":
            for item in block["items"]:
                text = _clean(" ".join(_flat(item)))
                if text:
                    names.append(text)
        elif block["type"] == "table":
            names.extend(_clean(inline_text(row[0])) for row in [block["header"], *block["rows"]] if row and row[0])
    return names
