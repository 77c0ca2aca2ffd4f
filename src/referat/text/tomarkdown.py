"""Rich-text blocks → the project's Markdown subset: the inverse of `richtext.parse`.

`parse(to_markdown(blocks))` gives `blocks` back for every tree `parse` makes (a test checks it on every text of
the example meetings and on generated trees): text is escaped wherever Markdown would read it as markup (`*`,
`_` at a word's edge, `[`, `]`, `` ` ``, `\\`, and at a line's start `#`, `>`, `-`/`+`/`*` and "1." followed by
a space), emphasis keeps its spaces outside the markers, a line break is two spaces at the end of the line, a
list item's further blocks are indented four spaces, and table cells escape `|`.
"""

from __future__ import annotations

import re

from .nodes import Block, Inline, TableBlock

__all__ = ["escape", "to_markdown"]

_ALWAYS = re.compile(r"([\\`*\[\]])")
_EDGE_UNDERSCORE = re.compile(r"(?<![0-9A-Za-zÀ-ÿ])_|_(?![0-9A-Za-zÀ-ÿ])")
_LINE_START = re.compile(r"^(?P<indent>[ \t]*)(?:(?P<mark>>|[#+\-](?=[ \t]|$|#))|(?P<num>\d+)(?P<punct>[.)])(?=[ \t]|$))")
_RULE = re.compile(r"^-[ \t]*-[ \t]*-[- \t]*$")  # a thematic break ("---", "- - -", "-- -")
_SETEXT = re.compile(r"^[ \t]*(=+|-+)[ \t]*$")


def escape(text: str, line_start: bool = True, pipes: bool = False) -> str:
    """`text` as Markdown that prints exactly `text` (one line: no line breaks in `text`)."""
    out = _ALWAYS.sub(r"\\\1", text)
    out = _EDGE_UNDERSCORE.sub(r"\\_", out)
    if pipes:
        out = out.replace("|", "\\|")
    if line_start:
        out = _escape_start(out)
    return out


def _escape_start(line: str) -> str:
    stripped = line.lstrip(" \t")
    if (_SETEXT.match(stripped) and stripped[:1] == "-") or _RULE.match(stripped):
        return "\\" + stripped
    m = _LINE_START.match(stripped)
    if not m:
        return stripped
    if m.group("mark"):
        return "\\" + stripped
    return m.group("num") + "\\" + stripped[len(m.group("num")):]


def to_markdown(blocks: list[Block]) -> str:
    """The blocks as Markdown text, blocks apart by a blank line, ending in a line break."""
    text = "\n\n".join(_block(b) for b in blocks)
    return text + "\n" if text else ""


def _block(block: Block) -> str:
    if block["type"] == "par":
        only = block["inlines"][0] if len(block["inlines"]) == 1 else None
        if only is not None and only["type"] == "code" and ("\n" in only["v"] or only["v"] != only["v"].strip()):
            return "\n".join("    " + line if line.strip() else "" for line in only["v"].split("\n"))
        # A paragraph of several lines whose lines hold pipes would read back as a table ("|" over "|"): its pipes
        # are escaped then; a paragraph of one line cannot be a table and keeps them as typed.
        several = any(node["type"] == "br" for node in block["inlines"])
        return _inlines(block["inlines"], pipes=several)
    if block["type"] == "heading":
        text = _inlines(block["inlines"], line_start=False).replace("  \n", " ")
        if text.endswith("#"):
            text = text[:-1] + "\\#"
        return "### " + text
    if block["type"] == "list":
        lines: list[str] = []
        loose = any(sum(1 for b in item if b["type"] != "list") > 1 for item in block["items"])
        for n, item in enumerate(block["items"], start=block["start"]):
            marker = f"{n}. " if block["ordered"] else "- "
            body = [_block(b) for b in item] or [""]
            first = body[0] if item and item[0]["type"] == "par" else ""
            rest = body[1:] if first or not item else body
            entry = marker + first.replace("\n", "\n    ")
            for part, b in zip(rest, item[1:] if first else item, strict=False):
                sep = "\n" if b["type"] == "list" and not loose else "\n\n"
                entry += sep + "\n".join("    " + line if line else "" for line in part.split("\n"))
            lines.append(entry)
        return ("\n\n" if loose else "\n").join(lines)
    return _table(block)


def _table(block: TableBlock) -> str:
    header = block["header"] or (block["rows"][0] if block["rows"] else [])
    rows = block["rows"] if block["header"] else block["rows"][1:]
    width = max([len(header), *(len(r) for r in rows), 1])

    def row(cells: list[list[Inline]]) -> str:
        texts = [_inlines(c, line_start=False, pipes=True).replace("  \n", " ") for c in cells]
        texts += [""] * (width - len(texts))
        return "| " + " | ".join(t or " " for t in texts) + " |"

    return "\n".join([row(header), "| " + " | ".join("---" for _ in range(width)) + " |", *(row(r) for r in rows)])


def _inlines(nodes: list[Inline], line_start: bool = True, pipes: bool = False) -> str:
    out: list[str] = []
    at_start = line_start
    for node in nodes:
        piece = _inline(node, at_start, pipes)
        out.append(piece)
        at_start = node["type"] == "br" and line_start
    return "".join(out)


def _inline(node: Inline, at_start: bool, pipes: bool) -> str:
    if node["type"] == "text":
        return escape(node["v"], at_start, pipes)
    if node["type"] == "br":
        return "  \n"
    if node["type"] == "code":
        value = node["v"]
        if not value.strip():
            return "` `"  # Python-Markdown reads a blank code span as empty code
        ticks = "`" * (max((len(m) for m in re.findall(r"`+", value)), default=0) + 1)
        pad = " " if value.startswith("`") or value.endswith("`") else ""
        return f"{ticks}{pad}{value}{pad}{ticks}"
    if node["type"] == "link":
        return "[" + _inlines(node["c"], False, pipes) + "](" + node["url"] + ")"
    marker = "**" if node["type"] == "strong" else "*"
    inner = _inlines(node["c"], at_start, pipes)
    core = inner.strip(" ")
    if not core:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip(" "))]
    trail = inner[len(inner.rstrip(" ")):]
    return f"{lead}{marker}{core}{marker}{trail}"
