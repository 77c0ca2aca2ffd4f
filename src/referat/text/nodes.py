"""The rich text of an item as a tree of typed nodes (JSON-ready TypedDicts), built by `richtext.parse`.

One discriminator, ``"type"``: blocks are ``par``, ``heading``, ``list`` and ``table``; inlines are ``text``,
``code``, ``br``, ``strong``, ``emph`` and ``link``. The document view (`referat.view.types`) carries these nodes
to every writer.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

# ---- rich text: inlines ----


class TextNode(TypedDict):
    type: Literal["text"]
    v: str


class CodeNode(TypedDict):
    type: Literal["code"]
    v: str


class BreakNode(TypedDict):
    type: Literal["br"]


class StrongNode(TypedDict):
    type: Literal["strong"]
    c: list[Inline]


class EmphNode(TypedDict):
    type: Literal["emph"]
    c: list[Inline]


class LinkNode(TypedDict):
    type: Literal["link"]
    url: str  # only http(s) with a host, or mailto (richtext.safe_url)
    c: list[Inline]


Inline = TextNode | CodeNode | BreakNode | StrongNode | EmphNode | LinkNode

# ---- rich text: blocks ----


class ParBlock(TypedDict):
    type: Literal["par"]
    inlines: list[Inline]


class HeadingBlock(TypedDict):
    type: Literal["heading"]
    inlines: list[Inline]


class ListBlock(TypedDict):
    type: Literal["list"]
    ordered: bool
    start: int
    items: list[list[Block]]


class TableBlock(TypedDict):
    type: Literal["table"]
    header: list[list[Inline]]  # cells of the header row (empty: no header)
    rows: list[list[list[Inline]]]  # rows of cells of inlines
    # per column, as Markdown's delimiter row says: "left", "right", "center" or "" (not given); a table made
    # elsewhere (the Word importer's) may leave it out: every column then left
    align: NotRequired[list[str]]


Block = ParBlock | HeadingBlock | ListBlock | TableBlock
