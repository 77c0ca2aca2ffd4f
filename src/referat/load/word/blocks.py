"""Paragraph records → rich-text blocks: Word lists (numbering definitions) and lists typed by hand ("- ", "1. ")
become nested list blocks, a paragraph that continues a list item stays in it, pictures become a reference to the
bilag they are saved as, and footnotes are kept for the end of their section."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...text.nodes import Block, Inline, ListBlock
from .walk import Para, Picture, Record, Table

_BULLET = re.compile(r"^[-–•·▪*◦o]\s+(?=\S)")
_NUMBER = re.compile(r"^(\d{1,3})[.)]\s+(?=\S)")
_CONTINUE_STYLES = re.compile(r"list paragraph|listeafsnit|list continue|liste fortsat", re.IGNORECASE)


@dataclass
class Built:
    blocks: list[Block] = field(default_factory=list)
    notes: list[tuple[int, list[Inline]]] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    merged_tables: int = 0
    nested_tables: int = 0


@dataclass
class _Open:
    """An open list at some depth: its block, the numbering it came from and the indent of its items."""

    block: ListBlock
    key: tuple[str, bool]  # (numId or "hand", ordered)
    level: int
    indent: int


class _Lists:
    def __init__(self, out: list[Block]) -> None:
        self.out = out
        self.stack: list[_Open] = []
        self.counters: dict[tuple[str, int], int] = {}

    def close(self) -> None:
        self.stack = []

    def add(self, inlines: list[Inline], key: tuple[str, bool], level: int, start: int, indent: int,
            number: int | None = None) -> None:
        while self.stack and self.stack[-1].level > level:
            self.stack.pop()
        if self.stack and self.stack[-1].level == level and self.stack[-1].key != key:
            self.stack.pop()  # another list at the same depth: a sibling list
        count_key = (key[0], level)
        for other in [k for k in self.counters if k[0] == key[0] and k[1] > level]:
            del self.counters[other]  # a deeper level starts again under a new item
        value = number if number is not None else self.counters.get(count_key, start - 1) + 1
        self.counters[count_key] = value
        if not self.stack or self.stack[-1].level < level:
            block: ListBlock = {"type": "list", "ordered": key[1], "start": value if key[1] else 1, "items": []}
            if self.stack and self.stack[-1].block["items"]:
                self.stack[-1].block["items"][-1].append(block)
            else:
                self.out.append(block)
            self.stack.append(_Open(block, key, level, indent))
        self.stack[-1].block["items"].append([{"type": "par", "inlines": inlines}])

    def continues(self, para: Para) -> bool:
        """A paragraph without numbering right after list items, indented (or styled as a list paragraph):
        another paragraph of the item at the deepest open level whose indent it reaches."""
        if not self.stack or not (para.indent > 0 or _CONTINUE_STYLES.search(para.style)):
            return False
        target = self.stack[0]
        for open_ in self.stack:
            if open_.indent <= para.indent or not para.indent:
                target = open_
        items = target.block["items"]
        if not items:
            return False
        items[-1].append({"type": "par", "inlines": para.inlines})
        while self.stack and self.stack[-1] is not target:
            self.stack.pop()
        return True


def build(records: list[Record], picture_ref: dict[int, str]) -> Built:
    """Blocks of a run of records without section headings (those are split off before). `picture_ref` gives the
    text that stands where a picture was (by the picture's id())."""
    built = Built()
    lists = _Lists(built.blocks)
    hand = _hand_lists(records)
    for i, rec in enumerate(records):
        if isinstance(rec, Picture):
            built.pictures.append(rec)
            lists.close()
            built.blocks.append({"type": "par", "inlines": [{"type": "emph", "c": [
                {"type": "text", "v": picture_ref.get(id(rec), "")}]}]})
            continue
        if isinstance(rec, Table):
            lists.close()
            built.merged_tables += rec.merged
            built.nested_tables += rec.nested
            built.blocks.append(rec.block)
            continue
        built.notes.extend(rec.notes)
        if rec.heading:
            lists.close()
            if rec.inlines:
                built.blocks.append({"type": "heading", "inlines": unbold(rec.inlines)})
            continue
        if rec.num is not None and rec.level is not None and rec.inlines:
            lists.add(rec.inlines, (rec.num[0], rec.level.ordered), rec.num[1], rec.level.start, rec.indent)
            continue
        if rec.num is not None and not rec.inlines:
            continue  # an empty list item (Enter pressed twice) prints nothing
        if i in hand:
            ordered, number, inlines = hand[i]
            lists.add(inlines, ("hand", ordered), 0, number or 1, 0, number)
            continue
        if not rec.inlines:
            continue  # an empty paragraph is spacing, not text
        if lists.continues(rec):
            continue
        lists.close()
        built.blocks.append({"type": "par", "inlines": rec.inlines})
    return built


def _hand_lists(records: list[Record]) -> dict[int, tuple[bool, int | None, list[Inline]]]:
    """Paragraphs that are list items typed by hand: "- tekst" (also –, •) on their own, and "1. tekst" /
    "1) tekst" when at least two follow each other counting up (so one sentence starting "15. marts" stays text)."""
    out: dict[int, tuple[bool, int | None, list[Inline]]] = {}
    numbered: list[tuple[int, int, list[Inline]]] = []

    def flush() -> None:
        if len(numbered) >= 2:
            for index, number, inlines in numbered:
                out[index] = (True, number, inlines)
        numbered.clear()

    for i, rec in enumerate(records):
        if not isinstance(rec, Para) or rec.num is not None or rec.heading or not rec.inlines:
            if isinstance(rec, Para) and not rec.inlines and not rec.heading:
                continue  # an empty paragraph between numbered lines does not end the list
            flush()
            continue
        first = rec.inlines[0]
        text = first["v"] if first["type"] == "text" else ""
        m = _NUMBER.match(text)
        if m and (not numbered or int(m.group(1)) == numbered[-1][1] + 1):
            numbered.append((i, int(m.group(1)), _cut(rec.inlines, m.end())))
            continue
        flush()
        if m:
            numbered.append((i, int(m.group(1)), _cut(rec.inlines, m.end())))
            continue
        b = _BULLET.match(text)
        if b:
            out[i] = (False, None, _cut(rec.inlines, b.end()))
    flush()
    return out


def _cut(inlines: list[Inline], n: int) -> list[Inline]:
    first = inlines[0]
    assert first["type"] == "text"
    rest = first["v"][n:]
    head: list[Inline] = [{"type": "text", "v": rest}] if rest else []
    return head + inlines[1:]


def unbold(inlines: list[Inline]) -> list[Inline]:
    """A heading's text without the bold its style gives it."""
    out: list[Inline] = []
    for node in inlines:
        if node["type"] == "strong":
            out.extend(unbold(node["c"]))
        else:
            out.append(node)
    merged: list[Inline] = []
    for node in out:
        if node["type"] == "text" and merged and merged[-1]["type"] == "text":
            merged[-1] = {"type": "text", "v": merged[-1]["v"] + node["v"]}
        else:
            merged.append(node)
    return merged
