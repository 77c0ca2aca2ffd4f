"""Markdown in text fields → a small tree of blocks and inlines that every writer can walk.

Blocks:  {"type": "par", "inlines": [...]}, {"type": "heading", "inlines": [...]},
         {"type": "list", "ordered": bool, "start": int, "items": [[block, ...], ...]},
         {"type": "table", "header": [[inline...], ...], "rows": [[[inline...], ...], ...],
          "align": ["left" | "right" | "center" | "", ...]}
Inlines: {"type": "text", "v": str}, {"type": "strong"|"emph", "c": [...]}, {"type": "link", "url": str, "c": [...]},
         {"type": "code", "v": str}, {"type": "br"}

Raw HTML and entities are switched off, so '<b>' and '&amp;' stay text; control characters become their
visible pictures (U+2400…), so nothing a user types can break an output format.
"""

from __future__ import annotations

import marshal
import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from itertools import pairwise
from typing import Any

import markdown
from markdown.blockprocessors import BlockProcessor, HashHeaderProcessor
from markdown.extensions.sane_lists import SaneOListProcessor, SaneUListProcessor
from markdown.treeprocessors import Treeprocessor

from .chars import picture, printable
from .nodes import Block, Inline, TableBlock, TextNode

__all__ = ["Block", "Inline", "TextNode", "inline_text", "parse", "picture", "plain", "plain_text", "printable",
           "row_texts", "safe_url"]


class _Capture(Treeprocessor):  # type: ignore[misc]  # Markdown ships no types
    def run(self, root: ET.Element) -> ET.Element:
        self.md.captured = root
        return root


@lru_cache(maxsize=1)
def _parser() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["tables", "sane_lists"], tab_length=4)
    md.preprocessors.deregister("html_block")
    for name in ("html", "entity", "automail", "image_link", "image_reference", "short_image_ref"):
        md.inlinePatterns.deregister(name)
    md.treeprocessors.register(_Capture(md), "capture", -100)
    md.parser.blockprocessors.register(_HashHeading(md.parser), "hashheader", 70)
    md.parser.blockprocessors.register(_OrderedList(md.parser), "olist", 40)
    md.parser.blockprocessors.register(_BulletList(md.parser), "ulist", 30)
    md.parser.blockprocessors.register(_ListAfterParagraph(md.parser), "list_after_paragraph", 12)
    return md


class _HashHeading(HashHeaderProcessor):  # type: ignore[misc]  # Markdown ships no types
    """'# Overskrift' is a heading only with a space after the '#'s (as in CommonMark), so a line that starts
    with '#hashtag' or '#set' prints as typed."""

    RE = re.compile(r"(?:^|\n)(?P<level>#{1,6})(?=[ \t]|\n|$)(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)")


def _indent_re(tab: int) -> re.Pattern[str]:
    """An indented (nested) item of either kind, '1)' included."""
    return re.compile(rf"^[ ]{{{tab},{tab * 2 - 1}}}((\d+[.)])|[*+-])[ ]+.*")


class _OrderedList(SaneOListProcessor):  # type: ignore[misc]  # Markdown ships no types
    """'1.' and '1)' both number a list (sane lists: a '-' line does not continue a numbered list)."""

    def __init__(self, parser: Any) -> None:
        super().__init__(parser)
        most = self.tab_length - 1
        self.RE = re.compile(rf"^[ ]{{0,{most}}}\d+[.)][ ]+(.*)")
        self.CHILD_RE = re.compile(rf"^[ ]{{0,{most}}}((\d+[.)]))[ ]+(.*)")
        self.INDENT_RE = _indent_re(self.tab_length)


    def run(self, parent: ET.Element, blocks: list[str]) -> None:
        _split_list_kinds(blocks)
        super().run(parent, blocks)


class _BulletList(SaneUListProcessor):  # type: ignore[misc]  # Markdown ships no types
    def __init__(self, parser: Any) -> None:
        super().__init__(parser)
        self.INDENT_RE = _indent_re(self.tab_length)

    def run(self, parent: ET.Element, blocks: list[str]) -> None:
        _split_list_kinds(blocks)
        super().run(parent, blocks)


_MARKER_LINE = re.compile(r"^(?P<indent>[ ]{0,3})(?:(?P<bullet>[*+-])|(?P<number>\d+)[.)])[ ]+", re.MULTILINE)


def _split_list_kinds(blocks: list[str]) -> None:
    """A '1.' line under '- ' items (or a '- ' line under '1.' items), no deeper than the list's first marker,
    starts a list of its own after this one (sane lists), instead of being glued onto the last item's text. As
    under a paragraph line, a numbered list starts there only at 1: '- a' over '2026. var' is one item.

    The block is cut at every change of kind at once, so a block that changes kind on every line is still
    parsed in linear time (cutting one list off at a time re-scanned the rest each time)."""
    block = blocks[0]
    cuts: list[int] = []
    first: int | None = None
    bullet = False
    for m in _MARKER_LINE.finditer(block):
        kind = m.group("bullet") is not None
        if first is None:
            first, bullet = len(m.group("indent")), kind
        elif kind != bullet and len(m.group("indent")) <= first and (kind or int(m.group("number")) == 1):
            cuts.append(m.start())
            bullet = kind
    if cuts:
        bounds = [0, *cuts, len(block) + 1]
        blocks[:1] = [block[a:b - 1] for a, b in pairwise(bounds)]


# A line that starts a list under a paragraph line, as in CommonMark: a bullet ('- ', '* ', '+ '), or a number
# list that starts at 1 ('1. ', '1) '), so that a sentence wrapped before "2026. …" or "15. marts" stays a sentence.
_LIST_START = re.compile(r"\n(?=[ ]{0,3}(?:[*+-]|1[.)])[ ]+\S)")


class _ListAfterParagraph(BlockProcessor):  # type: ignore[misc]  # Markdown ships no types
    """A list typed directly under a paragraph line (no blank line between) is a list, not more of the paragraph.

    Python-Markdown starts a list only at the start of a block; this splits a paragraph block where a list
    starts, so the paragraph and the list are parsed as two blocks. Only blocks that would otherwise become a
    paragraph reach it (priority just above the paragraph processor)."""

    def test(self, parent: ET.Element, block: str) -> bool:
        return _LIST_START.search(block) is not None

    def run(self, parent: ET.Element, blocks: list[str]) -> bool:
        block = blocks.pop(0)
        m = _LIST_START.search(block)
        assert m is not None
        blocks[:0] = [block[: m.start()], block[m.end():]]
        return True


# Markdown nested deeper than this (lists in lists, emphasis in emphasis) prints as typed instead: the format
# promises two list levels, and every writer walks the tree recursively.
MAX_NESTING = 20


def parse(text: str | None) -> list[Block]:
    """The blocks of a Markdown field (empty list for None or blank).

    A command makes several views of the same items (the agenda and the minutes, internal and public): each text
    is parsed once, and every caller gets its own copy of the blocks (they are plain dicts and lists)."""
    if text is None or not text.strip():
        return []
    if len(text) > CACHED_CHARS:  # a very long field is parsed where it is needed, not kept
        return _parse(text)
    blocks: list[Block] = marshal.loads(_parsed(text))
    return blocks


CACHED_CHARS = 100_000


@lru_cache(maxsize=2048)
def _parsed(text: str) -> bytes:
    return marshal.dumps(_parse(text))


def _parse(text: str) -> list[Block]:
    try:
        md = _parser()
        md.reset()
        md.convert(printable(text))
        root: ET.Element = md.captured
        blocks = _blocks(root)
    except RecursionError:  # thousands of nesting levels: Python-Markdown (or our walk) ran out of stack
        _parser.cache_clear()  # a parser stopped mid-document keeps its state; start afresh next time
        return _literal(text)
    return _literal(text) if _depth(blocks) > MAX_NESTING else blocks


def _literal(text: str) -> list[Block]:
    """The text as typed: paragraphs at blank lines, line breaks kept, no Markdown."""
    out: list[Block] = []
    for chunk in re.split(r"\n[ \t]*\n", printable(text).strip("\n")):
        inlines: list[Inline] = []
        for n, line in enumerate(chunk.split("\n")):
            if n:
                inlines.append({"type": "br"})
            if line:
                inlines.append({"type": "text", "v": line})
        if inlines:
            out.append({"type": "par", "inlines": inlines})
    return out


def _depth(blocks: list[Block]) -> int:
    """How deeply blocks and inlines nest (walked with a stack, not recursion)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(blocks, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(node, list):
            stack.extend((child, level) for child in node)
        elif isinstance(node, dict):
            for key in ("items", "inlines", "c", "header", "rows"):
                if key in node:
                    stack.append((node[key], level + 1))
    return deepest


def plain(text: str) -> list[Inline]:
    """A plain (non-Markdown) field as inlines: printed exactly as typed."""
    return [{"type": "text", "v": printable(text)}]


def _blocks(parent: ET.Element) -> list[Block]:
    out: list[Block] = []
    if parent.text and parent.text.strip() and parent.tag in ("li", "div"):
        out.append({"type": "par", "inlines": _text_inlines(parent.text)})
    for el in parent:
        tag = el.tag
        if tag == "p":
            out.append({"type": "par", "inlines": _inlines(el)})
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            out.append({"type": "heading", "inlines": _inlines(el)})
        elif tag in ("ul", "ol"):
            start = int(el.get("start", "1")) if tag == "ol" else 1
            items = [_li(li) for li in el if li.tag == "li"]
            out.append({"type": "list", "ordered": tag == "ol", "start": start, "items": items})
        elif tag == "table":
            out.append(_table(el))
        elif tag == "blockquote":
            out.extend(_blocks(el))
        elif tag == "pre":
            code = _code_text(el)
            out.append({"type": "par", "inlines": [{"type": "code", "v": code.rstrip("\n")}]})
        elif tag == "hr":
            continue
        else:
            out.append({"type": "par", "inlines": _inlines(el)})
        if el.tail and el.tail.strip():
            out.append({"type": "par", "inlines": _text_inlines(el.tail)})
    return out


def _li(li: ET.Element) -> list[Block]:
    """A list item: loose items hold paragraphs; tight ones hold text followed by sub-lists."""
    if any(child.tag == "p" for child in li):
        return _blocks(li)
    head = ET.Element("p")
    head.text = li.text
    rest: list[ET.Element] = []
    for child in li:
        if child.tag in ("ul", "ol", "table") or rest:
            rest.append(child)
        else:
            head.append(child)
    blocks: list[Block] = [{"type": "par", "inlines": _inlines(head)}] if (head.text or len(head)) else []
    holder = ET.Element("div")
    holder.extend(rest)
    return blocks + _blocks(holder)


_ALIGN = re.compile(r"text-align:\s*(left|right|center)")


def _table(el: ET.Element) -> Block:
    header: list[list[Inline]] = []
    rows: list[list[list[Inline]]] = []
    align: list[str] = []
    for section in el:
        for tr in section.iter("tr"):
            cells = [td for td in tr if td.tag in ("td", "th")]
            if not align:  # the delimiter row's colons (`|---:|`), which Markdown puts on every cell of a column
                align = [m[1] if (m := _ALIGN.search(td.get("style", ""))) else "" for td in cells]
            if section.tag == "thead":
                header = [_inlines(td) for td in cells]
            else:
                rows.append([_inlines(td) for td in cells])
    return {"type": "table", "header": header, "rows": rows, "align": align}


def _text_inlines(text: str) -> list[Inline]:
    """Text with soft line breaks: each break is one space; a continuation line's indent (as under a list
    item) and the spaces before a break are layout, not text."""
    parts = text.split("\n")
    out: list[Inline] = []
    for i, part in enumerate(parts):
        if i:
            part = part.lstrip(" \t")
        if i < len(parts) - 1:
            part = part.rstrip(" \t")
        if part:
            out.append({"type": "text", "v": part})
        if i < len(parts) - 1:
            out.append({"type": "text", "v": " "})
    return _merge(out)


def _inlines(el: ET.Element) -> list[Inline]:
    out: list[Inline] = []
    if el.text:
        out.extend(_text_inlines(el.text))
    for child in el:
        tag = child.tag
        if tag in ("strong", "b"):
            out.append({"type": "strong", "c": _inlines(child)})
        elif tag in ("em", "i"):
            out.append({"type": "emph", "c": _inlines(child)})
        elif tag == "a":
            url, content = child.get("href", ""), _inlines(child)
            if safe_url(url):
                out.append({"type": "link", "url": url, "c": content})
            elif inline_text(content) == url:  # <file:///…> typed as an autolink
                out.append({"type": "text", "v": f"<{url}>"})
            else:  # [tekst](javascript:…): the text as typed, never a live link
                out.extend([{"type": "text", "v": "["}, *content, {"type": "text", "v": f"]({url})"}])
        elif tag == "code":
            out.append({"type": "code", "v": _code_text(child)})
        elif tag == "br":
            out.append({"type": "br"})
        else:
            out.extend(_inlines(child))
        if child.tail:
            out.extend(_text_inlines(child.tail))
    return _merge(_trim(out))


# Only these become live links: web addresses with a host, and e-mail addresses. javascript:, vbscript:, data:,
# file:, UNC paths (\\host\share, //host/share), relative paths and anything with a space, a control character
# or a backslash in it print as text.
_SAFE_URL = re.compile(r"(?i:https?)://[^\s/\\?#@]+(?:[/?#][^\s\\]*)?|(?i:mailto):[^\s\\/:]+@[^\s\\/]+")


def safe_url(url: str) -> bool:
    """May `url` be a live link in a published document? Only http(s) with a host, and mailto."""
    return _SAFE_URL.fullmatch(url) is not None


def _code_text(el: ET.Element) -> str:
    """Code as typed: Python-Markdown stores code spans and blocks HTML-escaped (&lt; &gt; &amp;); undo that."""
    return "".join(el.itertext()).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _merge(inlines: list[Inline]) -> list[Inline]:
    """Adjacent text runs joined into one (collected and joined once: linear in the text's length)."""
    out: list[Inline] = []
    run: list[str] = []
    for node in inlines:
        if node["type"] == "text":
            run.append(node["v"])
            continue
        if run:
            out.append({"type": "text", "v": "".join(run)})
            run = []
        out.append(node)
    if run:
        out.append({"type": "text", "v": "".join(run)})
    return out


def _trim(inlines: list[Inline]) -> list[Inline]:
    if inlines and inlines[0]["type"] == "text":
        inlines[0] = {"type": "text", "v": inlines[0]["v"].lstrip(" ")}
    if inlines and inlines[-1]["type"] == "text":
        inlines[-1] = {"type": "text", "v": inlines[-1]["v"].rstrip(" ")}
    return [n for n in inlines if not (n["type"] == "text" and n["v"] == "")]


def inline_text(inlines: list[Inline]) -> str:
    """The plain text of inlines (for bookmarks, metadata and every writer that flattens)."""
    parts: list[str] = []
    for node in inlines:
        if node["type"] == "text" or node["type"] == "code":
            parts.append(node["v"])
        elif node["type"] == "br":
            parts.append("\n")
        else:
            parts.append(inline_text(node["c"]))
    return "".join(parts)


def row_texts(table: TableBlock) -> list[str]:
    """A table as plain text: one line per row (the header first), cells apart by ' | '."""
    rows = [table["header"], *table["rows"]] if table["header"] else table["rows"]
    return [" | ".join(inline_text(cell) for cell in row) for row in rows]


def plain_text(blocks: list[Block], *, bullet: str = "-", numbers: bool = True, sep: str = "\n\n") -> str:
    """The one flattening of rich text to plain text (the archive's decision text, the Word front page, the
    takst annex's reading guide): paragraphs and headings as their text, each list item as `bullet` (or its
    number, with `numbers`) and the text of its blocks joined by a space, tables as rows of ' | '; the parts
    apart by `sep`, blank parts left out. (The text edition lays blocks out itself, wrapped and indented, with
    the same `inline_text` and `row_texts`.)"""
    parts: list[str] = []
    for block in blocks:
        if block["type"] == "par" or block["type"] == "heading":
            parts.append(inline_text(block["inlines"]))
        elif block["type"] == "list":
            for n, item in enumerate(block["items"], start=block["start"]):
                mark = f"{n}." if block["ordered"] and numbers else bullet
                parts.append(f"{mark} " + " ".join(plain_text([b], bullet=bullet, numbers=numbers, sep=sep)
                                                   for b in item))
        else:
            parts.extend(row_texts(block))
    return sep.join(p for p in parts if p.strip())


# Redaction inside open items: `[[skjul: tekst]]` or `[[skjul: tekst | grund]]` (docs/publication.md). The
# internal editions print the text; every public edition prints REDACTED instead, in every format.
REDACTED = "[…]"
from .spans import SPAN, SPAN_START, hidden_spans, inside


def resolve_spans(text: str, public: bool) -> str:
    """The text with every redaction span replaced: by its text (internal) or by '[…]' (public)."""
    if "[[" not in text:
        return text
    return SPAN.sub(lambda m: REDACTED if public else m.group("text").strip(), text)


def broken_spans(text: str) -> list[int]:
    """Offsets of '[[skjul:' that do not start a complete span (unterminated, or with a second '|')."""
    if "[[" not in text:
        return []
    whole = {m.start() for m in SPAN.finditer(text)}
    return [m.start() for m in SPAN_START.finditer(text) if m.start() not in whole]


# Spellings that are almost a span ("[[skjul Navn]]", "[skjul: Navn]", "[[skjul; Navn]]", "{{skjul: Navn}}",
# "skjul: Navn]]"): they print as written, secret and all, so validation names each one.
_NEAR_OPEN = re.compile(r"[\[{]+\s*[\[{]?\s*skjul|[(<]+\s*skjul\s*[:;,|]", re.IGNORECASE)
_NEAR_CLOSE = re.compile(r"\bskjul\w*\s*[:;|][^\n\[\]]*\]\]", re.IGNORECASE)


def near_spans(text: str) -> list[tuple[int, str]]:
    """(offset, as written) of every marker that is almost `[[skjul: … | …]]` but not one: a wrong or single
    bracket, no colon, a semicolon, no opening brackets. A complete span, the start of an unterminated one
    (`broken_spans`) and anything inside a complete span are not counted."""
    if "skjul" not in text.casefold():
        return []
    spans = hidden_spans(text)
    starts = {m.start() for m in SPAN_START.finditer(text)}
    found: dict[int, str] = {}
    for m in _NEAR_OPEN.finditer(text):
        # where the brackets begin, after spaces between them ("[ [skjul")
        if m.start() in starts or inside(m.start(), spans):
            continue
        found[m.start()] = _written(text, m.start())
    for m in _NEAR_CLOSE.finditer(text):
        before = text[:m.start()].rstrip()
        if inside(m.start(), spans) or (before and before[-1] in "[{(<"):
            continue
        found.setdefault(m.start(), _written(text, m.start()))
    return sorted(found.items())


_MARKER_END = re.compile(r"[^\]})>\n]*[\]})>]*")


def _written(text: str, start: int) -> str:
    """The marker as written: to its closing brackets or the end of the line, at most 40 characters."""
    m = _MARKER_END.match(text, start + 1)
    shown = text[start:m.end() if m else len(text)]
    return shown if len(shown) <= 40 else shown[:39] + "…"


def without_spans(text: str) -> str:
    """The text with the redacted spans left out: what a public edition may show of it."""
    return resolve_spans(text, public=True)
