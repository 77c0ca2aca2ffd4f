"""Writing values as YAML text: one line where that is safe, else quoted; multi-line text as a literal block.

Every form is checked by reading it back with referat's own loader (`load.nodes`): a scalar is written plain only
when it loads back as exactly the same value (so `ja`, `12.00`, `a: b` or `#` are quoted), and a block is used
only when it loads back unchanged. `yamledit` places these lines into an existing file's text; `document` writes a
new file.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from ruamel.yaml.error import YAMLError

from ..model.source import SourceMap
from .nodes import NodeError, build
from .nodes import compose as compose_fast


@dataclass(frozen=True)
class Style:
    """How a new value is written: lists in block form (`- a` per line) or flow form (`[3, 4]`); multi-line text
    as a literal block (`|`) or in double quotes; `quote` keeps a replaced scalar's quotes (`'` or `"`) when the new
    value can be written in them."""

    flow_lists: bool = False
    block_text: bool = False
    quote: str | None = None


_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def _plain_chars_ok(s: str) -> bool:
    return all(_printable(c) and c not in "\t\ufeff" for c in s)


def _printable(c: str) -> bool:
    """A character ruamel reads raw and no editor shows as something else: no control, format or line-break
    character (U+0085, U+2028 and U+2029 break lines for ruamel's reader), no surrogate or private use."""
    if c == "\t":
        return True
    if c in "\x85\u2028\u2029\ufeff":
        return False
    if c in "\u200c\u200d":  # zero-width (non-)joiner: part of emoji sequences and some scripts
        return True
    return unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def double_quoted(s: str) -> str:
    """`s` as a YAML double-quoted scalar: every character outside the printable set escaped."""
    out = ['"']
    for c in s:
        if c == '"':
            out.append('\\"')
        elif c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif _printable(c):
            out.append(c)
        elif ord(c) <= 0xFF:
            out.append(f"\\x{ord(c):02x}")
        elif ord(c) <= 0xFFFF:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(f"\\U{ord(c):08x}")
    out.append('"')
    return "".join(out)


def single_quoted(s: str) -> str | None:
    """`s` in single quotes (a quote doubled), or None when single quotes cannot hold it (a line break, a
    character that must be escaped, spaces at either end that a folded line would lose)."""
    if "\n" in s or not all(_printable(c) and c != "\t" for c in s):
        return None
    text = "'" + s.replace("'", "''") + "'"
    return text if _loads_as(f"k: {text}\n", s) else None


def _loads_as(doc: str, expected: Any) -> bool:
    try:
        node = compose_fast(doc)
        data = None if node is None else build(node, (), SourceMap(Path("x")), set())
    except (YAMLError, NodeError, RecursionError):
        return False
    return isinstance(data, dict) and list(data) == ["k"] and same(data["k"], expected)


def same(a: Any, b: Any) -> bool:
    """The same value of the same type (True is not 1, "1" is not 1)."""
    return type(a) is type(b) and a == b


def plain(value: Any) -> Any:
    """A model's value as the loader gives it back: an enum (`Access.OPEN`) as its word."""
    return value.value if isinstance(value, Enum) else value


def plain_data(value: Any) -> Any:
    """`value` with every enum inside it replaced by its word (what the loader reads back)."""
    if isinstance(value, dict):
        return {plain(k): plain_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_data(v) for v in value]
    return plain(value)


def scalar(s: str | int | bool, flow: bool = False, quote: str | None = None) -> str:
    """One line that loads back as `s`: plain where that is safe, else double-quoted (or in `quote`, the quotes
    the value it replaces had, where they can hold it)."""
    s = plain(s)
    if isinstance(s, bool):
        return "true" if s else "false"
    if not isinstance(s, (str, int)):
        raise TypeError(f"not a scalar: {s!r}")
    if isinstance(s, int):
        return str(s)
    if quote == "'":
        kept = single_quoted(s)
        if kept is not None:
            return kept
    if quote == '"':
        return double_quoted(s)
    if (s and s == s.strip() and "\n" not in s and _plain_chars_ok(s) and s.lower() not in _YAML11_WORDS
            and (_loads_as(f"k: [{s}]\n", [s]) if flow else _loads_as(f"k: {s}\n", s))):
        return s
    return double_quoted(s)


def block_text(s: str, indent: int) -> tuple[str, list[str]] | None:
    """`s` (with a line break) as a literal block scalar indented by `indent`: the header and the lines; None when
    it cannot be written so (characters a block cannot hold, an odd blank-line pattern)."""
    if "\r" in s or not all(_printable(c) for c in s if c != "\n"):
        return None
    if s.endswith("\n\n"):  # keep-chomping (`|+`) would also keep the blank lines that follow in the file
        return None
    if s.endswith("\n"):
        chomp = ""
    else:
        chomp = "-"
    lines = s[:-1].split("\n") if s.endswith("\n") else s.split("\n")
    first = next((line for line in lines if line.strip(" ")), "")
    needs_indicator = first.startswith(" ") or any(line and not line.strip(" ") for line in lines)
    header = "|" + ("2" if needs_indicator else "") + chomp
    pad = " " * indent
    body = [pad + "  " + line if line else "" for line in lines]
    doc = "k: " + header + "\n" + "".join(line[indent:] + "\n" for line in body)
    if not _loads_as(doc, s):
        return None
    return header, body


def emit(value: Any, indent: int, style: Style, seq_indent: int | None = None,
         deep: bool = False) -> tuple[str, list[str]]:
    """The text of `value` as the value of a key at column `indent`: what follows `key:` on its line (may be
    empty) and the lines below it (without line breaks). `deep`: the style holds for the values inside lists and
    mappings too (a new file), not only for `value` itself (an edit)."""
    value = plain(value)
    if isinstance(value, (str, int)):
        if isinstance(value, str) and "\n" in value and style.block_text:
            block = block_text(value, indent)
            if block is not None:
                return block
        return scalar(value, quote=style.quote), []
    if isinstance(value, list):
        if not value:
            return "[]", []
        if style.flow_lists and all(isinstance(plain(v), (str, int)) for v in value):
            return "[" + ", ".join(scalar(v, flow=True) for v in value) + "]", []
        si = indent + 2 if seq_indent is None else seq_indent
        lines: list[str] = []
        for entry in value:
            lines += seq_entry(entry, si, style, deep)
        return "", lines
    if isinstance(value, dict):
        if not value:
            return "{}", []
        return "", mapping_lines(value, indent + 2, style, deep)
    raise TypeError(f"cannot write {type(value).__name__}")


def seq_entry(entry: Any, dash_col: int, style: Style, deep: bool = False) -> list[str]:
    """The lines of one list entry whose '-' stands at `dash_col`."""
    pad = " " * dash_col
    if isinstance(entry, dict) and entry:
        lines = mapping_lines(entry, dash_col + 2, style, deep)
        return [pad + "- " + lines[0][dash_col + 2:]] + lines[1:]
    inline, body = emit(entry, dash_col, style, deep=deep)
    return [pad + "-" + (" " + inline if inline else "")] + body


def mapping_lines(mapping: dict[str, Any], col: int, style: Style, deep: bool = False) -> list[str]:
    inner = Style(flow_lists=style.flow_lists, block_text=style.block_text and deep)
    lines: list[str] = []
    for key, value in mapping.items():
        inline, body = emit(value, col, inner, deep=deep)
        lines.append(" " * col + scalar(key) + ":" + (" " + inline if inline else ""))
        lines += body
    return lines


def document(data: dict[str, Any], comments: dict[str, str] | None = None, head: str = "") -> str:
    """A new file holding the mapping `data`: block lists and mappings, multi-line text as literal blocks,
    `comments` (key → text) as a comment line above that top-level key, `head` (complete lines) first."""
    lines: list[str] = []
    style = Style(block_text=True)
    for key, value in data.items():
        if comments and key in comments:
            lines.append(f"# {comments[key]}")
        inline, body = emit(value, 0, style, deep=True)
        lines.append(scalar(key) + ":" + (" " + inline if inline else ""))
        lines += body
    return head + "".join(line + "\n" for line in lines)
