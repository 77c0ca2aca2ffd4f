"""Replacing or inserting one value in a YAML file's text, every other byte kept.

The file is composed with ruamel's composer, whose marks give each node's start and end as character offsets
into the text. The edit replaces only the text of the value (from the key's colon to the value's real
end); a comment on the key's line, or after a one-line value, is kept on the key's line; comment lines before
the value's first list entry, every other line, quoting and order stay as they were. A key that is missing is
inserted after the last value of its mapping, indented like that mapping's keys.

Every edit is checked before it is returned: the new text is read back with referat's own loader, the edited
value must load as exactly the value given and everything else as before. An edit that does not hold (a file
in an unusual form) is refused with a Danish message and nothing is written.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Concatenate, ParamSpec

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics import Location, ReferatError
from ..load.nodes import NodeError, build
from ..load.nodes import compose as compose_fast
from ..model.source import SourceMap

Key = str | int
"""A step of a path: a mapping key, or an index into a list."""
P = ParamSpec("P")


@dataclass(frozen=True)
class Style:
    """How a new value is written: lists in block form (`- a` per line) or flow form (`[3, 4]`); multi-line text
    as a literal block (`|`) or in double quotes."""

    flow_lists: bool = False
    block_text: bool = False


def _compose(text: str, path: Path) -> Node | None:
    """The node tree with marks (character offsets). The C parser gives the same offsets as the pure one (a test
    compares them over every YAML file of the repository) except for an empty value, which `_empty` handles
    alike, and for U+0085/U+2028/U+2029, which libyaml counts as line breaks: such a text is composed by the
    pure parser."""
    pure = any(c in text for c in "\x85\u2028\u2029")
    try:
        try:
            node: Node | None = YAML(typ="safe", pure=pure).compose(text)
        except ImportError:  # pragma: no cover - platforms without ruamel.yaml.clib
            node = YAML(typ="safe", pure=True).compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(path, mark.line + 1, mark.column + 1) if mark is not None else Location(path)
        raise ReferatError("filen kan ikke læses som YAML og kan derfor ikke gemmes herfra; ret den i en editor",
                           where) from None
    except (YAMLError, RecursionError):
        raise ReferatError("filen kan ikke læses som YAML og kan derfor ikke gemmes herfra; ret den i en editor",
                           Location(path)) from None
    return node


def load(text: str, path: Path) -> Any:
    """The file's data exactly as referat's loader reads it (dates as text, YAML 1.2 core types)."""
    try:
        node = compose_fast(text)
    except (YAMLError, NodeError, RecursionError):
        raise ReferatError("filen kan ikke læses som YAML og kan derfor ikke gemmes herfra; ret den i en editor",
                           Location(path)) from None
    return _build(node, path)


def _build(node: Node | None, path: Path) -> Any:
    try:
        return None if node is None else build(node, (), SourceMap(path), set())
    except (NodeError, RecursionError):
        raise ReferatError("filen kan ikke læses som YAML og kan derfor ikke gemmes herfra; ret den i en editor",
                           Location(path)) from None


# ---------------------------------------------------------------------------------------------------- emitting

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


def _loads_as(doc: str, expected: Any) -> bool:
    try:
        node = compose_fast(doc)
        data = None if node is None else build(node, (), SourceMap(Path("x")), set())
    except (YAMLError, NodeError, RecursionError):
        return False
    return isinstance(data, dict) and list(data) == ["k"] and _same(data["k"], expected)


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def scalar(s: str | int, flow: bool = False) -> str:
    """One line that loads back as `s`: plain where that is safe, else double-quoted."""
    if isinstance(s, bool) or not isinstance(s, (str, int)):
        raise TypeError(f"not a scalar: {s!r}")
    if isinstance(s, int):
        return str(s)
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


def emit(value: Any, indent: int, style: Style, seq_indent: int | None = None) -> tuple[str, list[str]]:
    """The text of `value` as the value of a key at column `indent`: what follows `key:` on its line (may be
    empty) and the lines below it (without line breaks)."""
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        if isinstance(value, str) and "\n" in value and style.block_text:
            block = block_text(value, indent)
            if block is not None:
                return block
        return scalar(value), []
    if isinstance(value, list):
        if not value:
            return "[]", []
        if style.flow_lists and all(isinstance(v, (str, int)) for v in value):
            return "[" + ", ".join(scalar(v, flow=True) for v in value) + "]", []
        si = indent + 2 if seq_indent is None else seq_indent
        lines: list[str] = []
        for entry in value:
            lines += seq_entry(entry, si, style)
        return "", lines
    if isinstance(value, dict):
        if not value:
            return "{}", []
        return "", mapping_lines(value, indent + 2, style)
    raise TypeError(f"cannot write {type(value).__name__}")


def seq_entry(entry: Any, dash_col: int, style: Style) -> list[str]:
    """The lines of one list entry whose '-' stands at `dash_col`."""
    pad = " " * dash_col
    if isinstance(entry, dict) and entry:
        lines = mapping_lines(entry, dash_col + 2, style)
        return [pad + "- " + lines[0][dash_col + 2:]] + lines[1:]
    inline, body = emit(entry, dash_col, style)
    return [pad + "-" + (" " + inline if inline else "")] + body


def mapping_lines(mapping: dict[str, Any], col: int, style: Style) -> list[str]:
    lines: list[str] = []
    for key, value in mapping.items():
        inline, body = emit(value, col, Style(flow_lists=style.flow_lists))
        lines.append(" " * col + scalar(key) + ":" + (" " + inline if inline else ""))
        lines += body
    return lines


# ---------------------------------------------------------------------------------------------------- editing


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _line_end(text: str, pos: int) -> int:
    """The offset of the line break ending the line that holds `pos` (or the end of the text)."""
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _value_end(node: Node, text: str) -> int:
    """Where a value's own text ends: after a block scalar's last non-blank line, after a block list's or
    mapping's last entry (not at the next key, which would swallow the comments before it)."""
    if isinstance(node, ScalarNode):
        end = int(node.end_mark.index)
        if node.style in ("|", ">"):
            start = int(node.start_mark.index)
            header_end = _line_end(text, start)
            content = text[header_end:end]
            last = len(content.rstrip(" \n\r"))
            if last == 0:
                return header_end
            return _line_end(text, header_end + last - 1) if content[last - 1] != "\n" else header_end + last
        return end
    if getattr(node, "flow_style", False):
        return int(node.end_mark.index)
    if not node.value:
        return int(node.end_mark.index)
    if isinstance(node, MappingNode):
        key, last = node.value[-1]
        if _empty(last):  # `key:` with nothing after it: the value ends at the colon
            return text.find(":", int(key.end_mark.index)) + 1
        return _value_end(last, text)
    last = node.value[-1]
    if _empty(last):  # `-` with nothing after it
        return text.rfind("-", 0, int(last.start_mark.index)) + 1
    return _value_end(last, text)


def _empty(node: Node) -> bool:
    """A value written as nothing at all; its marks point at the next token, possibly lines further on."""
    return isinstance(node, ScalarNode) and node.start_mark.index == node.end_mark.index


def _find(node: Node, key: Key) -> tuple[Node | None, Node] | None:
    if isinstance(node, MappingNode) and isinstance(key, str):
        for k, v in node.value:
            if isinstance(k, ScalarNode) and k.value == key:
                return k, v
        return None
    if isinstance(node, SequenceNode) and isinstance(key, int):
        return (None, node.value[key]) if 0 <= key < len(node.value) else None
    return None


class EditRefused(Exception):
    """The file has a form the edit cannot handle; the caller turns it into a located Danish message."""

    def __init__(self, message: str, node: Node | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.node = node


def _replace(text: str, key_node: Node, value_node: Node, value: Any, style: Style) -> str:
    """`text` with the value after `key_node` replaced by `value`."""
    key_end = int(key_node.end_mark.index)
    colon = text.find(":", key_end)
    key_line_end = _line_end(text, key_end)
    if colon < 0 or colon >= key_line_end:
        raise EditRefused("nøglen står ikke i formen 'nøgle: værdi' på én linje", key_node)
    col = int(key_node.start_mark.column)
    if int(value_node.start_mark.index) < key_end:
        raise EditRefused("værdien er et alias (*) for en værdi andetsteds i filen", key_node)
    if getattr(value_node, "flow_style", False) and int(value_node.start_mark.line) != int(key_node.start_mark.line):
        raise EditRefused("værdien står i [ ] eller { } på linjen under nøglen", value_node)
    vstart, vend = int(value_node.start_mark.index), _value_end(value_node, text)
    if _empty(value_node):
        vstart = vend = colon + 1
    comment = ""
    between = ""
    if vstart > key_line_end:  # a block list or mapping below the key
        comment = text[colon + 1:key_line_end]
        between = text[key_line_end + 1:_line_start(text, vstart)]
        if comment.strip() and not comment.strip().startswith("#"):
            raise EditRefused("uventet tekst efter nøglen", key_node)
    elif isinstance(value_node, ScalarNode) and value_node.style in ("|", ">"):
        header = re.match(r"[|>][0-9+-]*", text[vstart:key_line_end])
        assert header is not None
        comment = text[vstart + header.end():key_line_end]
    else:
        comment = text[vend:_line_end(text, vend)]
    if comment.strip() and not comment.lstrip().startswith("#"):
        raise EditRefused("uventet tekst efter værdien", value_node)
    seq_indent = None
    if isinstance(value_node, SequenceNode) and not value_node.flow_style:
        seq_indent = int(value_node.start_mark.column)
    inline, body = emit(value, col, style, seq_indent)
    new = (text[:colon + 1] + (" " + inline if inline else "") + (comment if comment.strip() else "")
           + between_sep(between, body) + "".join("\n" + line for line in body))
    if between and not body:
        new += "\n" + between.rstrip("\n")
    rest = text[_line_end(text, vend):]
    if isinstance(value_node, ScalarNode) and value_node.style in ("|", ">"):
        # blank lines the old block scalar swallowed stay, but without spaces that a new block could read as text
        old_end = int(value_node.end_mark.index)
        tail_end = _line_end(text, vend)
        if tail_end < old_end:
            blank = text[tail_end:old_end]
            if not blank.strip():
                rest = "\n" * blank.count("\n") + text[old_end:]
    return new + rest


def between_sep(between: str, body: list[str]) -> str:
    """Comment lines that stood between the key and its first list entry stay there."""
    if between and body:
        return "\n" + between.rstrip("\n")
    return ""


def _insert(text: str, mapping: MappingNode, key: str, value: Any, style: Style) -> str:
    """`text` with `key: value` added after the last entry of `mapping`."""
    if mapping.flow_style:
        raise EditRefused("afbildningen står i { }; skriv den i blokform (nøgle: værdi pr. linje)", mapping)
    if mapping.value:
        col = int(mapping.value[0][0].start_mark.column)
        at = _line_end(text, max(_value_end(mapping.value[-1][1], text), int(mapping.value[-1][0].end_mark.index)))
    else:  # pragma: no cover - a block mapping always has an entry
        raise EditRefused("tom afbildning", mapping)
    inline, body = emit(value, col, style)
    lines = [" " * col + scalar(key) + ":" + (" " + inline if inline else "")] + body
    return _insert_lines(text, at, lines)


def _insert_lines(text: str, at: int, lines: list[str]) -> str:
    """`lines` inserted after the line that ends at `at` (a line break, or the end of a text without one)."""
    block = "".join("\n" + line for line in lines)
    if at >= len(text):
        return text + block + "\n"
    return text[:at] + block + text[at:]


def _plain_text(edit: Callable[Concatenate[str, Path, P], str]) -> Callable[Concatenate[str, Path, P], str]:
    """An edit of a file's text, made on the text without a byte-order mark and with LF line breaks: the BOM is
    put back, and a file with Windows line breaks (CR LF) throughout is written back with CR LF (YAML reads both
    alike); a file that mixes them is refused."""
    @functools.wraps(edit)
    def edited(text: str, path: Path, /, *args: P.args, **kwargs: P.kwargs) -> str:
        if text.startswith("\ufeff"):
            return "\ufeff" + edited(text[1:], path, *args, **kwargs)
        if "\r" not in text:
            return edit(text, path, *args, **kwargs)
        if text.count("\r") != text.count("\r\n") or text.count("\n") != text.count("\r\n"):
            raise ReferatError("filen blander Windows- og Unix-linjeskift (CR LF og LF) og kan ikke gemmes herfra; "
                               "gem den med én slags linjeskift", Location(path))
        return edited(text.replace("\r\n", "\n"), path, *args, **kwargs).replace("\n", "\r\n")
    return edited


@_plain_text
def set_value(text: str, path: Path, keys: tuple[Key, ...], value: Any, style: Style = Style()) -> str:
    """`text` with the value at `keys` (mapping keys and list indexes from the root) set to `value`; mappings on
    the way are created when missing. Checked by loading the result back (see the module's docstring)."""
    root = _compose(text, path)
    before = _build(root, path)
    if not isinstance(root, MappingNode) or not isinstance(before, dict):
        raise ReferatError("filen skal være en YAML-afbildning (nøgle: værdi pr. linje) for at kunne gemmes "
                           "herfra", Location(path))
    try:
        new = _set(text, root, keys, value, style)
    except EditRefused as exc:
        where = Location(path)
        if exc.node is not None:
            where = Location(path, int(exc.node.start_mark.line) + 1, int(exc.node.start_mark.column) + 1)
        raise ReferatError(f"værdien kan ikke gemmes automatisk: {exc.message}; ret filen i en editor", where) from None
    after = load(new, path)
    expected = _put(before, keys, value)
    if not _same_data(after, expected) and style.block_text:  # a block that the lines after it would change
        return set_value(text, path, keys, value, Style(flow_lists=style.flow_lists))
    if not _same_data(after, expected):
        raise ReferatError("værdien kan ikke gemmes automatisk i denne fil (den ville ikke kunne læses tilbage "
                           "uændret); ret filen i en editor", Location(path))
    return new


def _set(text: str, node: Node, keys: tuple[Key, ...], value: Any, style: Style) -> str:
    key, rest = keys[0], keys[1:]
    found = _find(node, key)
    if found is None:
        if isinstance(node, MappingNode) and isinstance(key, str):
            nested: Any = value
            for k in reversed(rest):
                if not isinstance(k, str):
                    raise EditRefused("listen findes ikke", node)
                nested = {k: nested}
            return _insert(text, node, key, nested, style)
        raise EditRefused("stedet findes ikke i filen", node)
    key_node, value_node = found
    if rest:
        if isinstance(value_node, ScalarNode) and (value_node.tag or "").endswith(":null") and key_node is not None:
            nested = value
            for k in reversed(rest):
                if not isinstance(k, str):
                    raise EditRefused("listen findes ikke", value_node)
                nested = {k: nested}
            return _replace(text, key_node, value_node, nested, style)
        return _set(text, value_node, rest, value, style)
    if key_node is None:
        raise EditRefused("en listes punkt kan ikke erstattes her", value_node)
    return _replace(text, key_node, value_node, value, style)


@_plain_text
def append_entry(text: str, path: Path, keys: tuple[Key, ...], entry: Any, style: Style = Style()) -> str:
    """`text` with `entry` added at the end of the list at `keys` (created when missing or empty); checked like
    `set_value`."""
    data = load(text, path)
    current = _get(data, keys)
    if current is None:
        return set_value(text, path, keys, [entry], style)
    if not isinstance(current, list):
        raise ReferatError("værdien er ikke en liste og kan ikke udvides herfra; ret filen i en editor",
                           Location(path))
    root = _compose(text, path)
    node: Node | None = root
    for k in keys:
        found = _find(node, k) if node is not None else None
        node = found[1] if found is not None else None
    if not isinstance(node, SequenceNode) or node.flow_style or not node.value:
        return set_value(text, path, keys, [*current, entry], style)
    dash_col = int(node.start_mark.column)
    at = _line_end(text, _value_end(node, text))
    new = _insert_lines(text, at, seq_entry(entry, dash_col, style))
    if not _same_data(load(new, path), _put(data, keys, [*current, entry])):
        raise ReferatError("værdien kan ikke gemmes automatisk i denne fil (den ville ikke kunne læses tilbage "
                           "uændret); ret filen i en editor", Location(path))
    return new


def _get(data: Any, keys: tuple[Key, ...]) -> Any:
    for k in keys:
        if isinstance(data, dict) and isinstance(k, str):
            data = data.get(k)
        elif isinstance(data, list) and isinstance(k, int) and 0 <= k < len(data):
            data = data[k]
        else:
            return None
    return data


def _put(data: Any, keys: tuple[Key, ...], value: Any) -> Any:
    """A copy of `data` with `value` at `keys` (mappings created on the way)."""
    if not keys:
        return value
    key, rest = keys[0], keys[1:]
    if isinstance(data, list) and isinstance(key, int):
        copy = list(data)
        copy[key] = _put(copy[key], rest, value)
        return copy
    copy_map = dict(data) if isinstance(data, dict) else {}
    copy_map[key] = _put(copy_map.get(key), rest, value)  # type: ignore[index]
    return copy_map


def _same_data(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_data(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same_data(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True  # .nan elsewhere in the file is unchanged
    return _same(a, b)


@_plain_text
def remove_entry(text: str, path: Path, keys: tuple[Key, ...], index: int) -> str:
    """`text` without entry `index` of the list at `keys`: in a block list exactly that entry's lines go (the dash
    line to the end of its value; comment lines before and after it stay with their neighbours); a flow list, or
    the list's only entry, is set anew with `set_value`. Checked by loading the result back, like `set_value`."""
    data = load(text, path)
    current = _get(data, keys)
    if not isinstance(current, list) or not 0 <= index < len(current):
        raise ReferatError("punktet findes ikke i listen og kan ikke fjernes herfra", Location(path))
    rest = current[:index] + current[index + 1:]
    root = _compose(text, path)
    node: Node | None = root
    for k in keys:
        found = _find(node, k) if node is not None else None
        node = found[1] if found is not None else None
    if not isinstance(node, SequenceNode) or node.flow_style or len(node.value) < 2:
        return set_value(text, path, keys, rest, Style(flow_lists=bool(isinstance(node, SequenceNode)
                                                                         and node.flow_style)))
    entry = node.value[index]
    dash = text.rfind("-", 0, int(entry.start_mark.index))
    start = _line_start(text, dash)
    if text[start:dash].strip():
        raise ReferatError("listen står ikke med ét punkt pr. linje og kan ikke ændres herfra; ret filen i en "
                           "editor", Location(path, int(entry.start_mark.line) + 1))
    end = _line_end(text, _value_end(entry, text) if not _empty(entry) else dash + 1)
    new = text[:start] + text[min(end + 1, len(text)):]
    if not _same_data(load(new, path), _put(data, keys, rest)):
        raise ReferatError("værdien kan ikke gemmes automatisk i denne fil (den ville ikke kunne læses tilbage "
                           "uændret); ret filen i en editor", Location(path))
    return new
