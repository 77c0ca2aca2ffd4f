"""The one YAML writer: a value set, a list entry added or removed in a file's text, every other byte kept; and a
new file written.

`yamlfile` reads YAML; this module is the only code that writes it. `referat serve` saves the minute-taker's
edits with it, `referat to-minutes` and `referat send` write what they add to the meeting's files, and
`referat new` writes its files with it (`new_document`). The key names come from the model
(`key_path(Meeting, "attendance", "present")` is `("fremmøde", "til_stede")`, `entry(FollowUp, task=…)` a
mapping with the model's Danish keys), never from string literals of their own.

An edit composes the file with ruamel's composer, whose marks give each node's start and end as character offsets
into the text. It replaces only the text of the value (from the key's colon to the value's real end); a comment
on the key's line, or after a one-line value, is kept on the key's line; comment lines before the value's first
list entry, every other line, quoting and order stay as they were; a quoted scalar replaced by text keeps its
quotes. A key that is missing is inserted after the last value of its mapping, indented like that mapping's keys.
The text is edited without its byte-order mark and with LF line breaks: the BOM is put back and a file with CR LF
throughout is written back with CR LF; a file that mixes them is refused.

A file with a document end marker (`...`) or with more than one document is refused with a message naming the
line: what stands after the marker is not part of the meeting's data, and no edit should be placed beside it.

Every edit is checked before it is returned: the new text is read back with referat's own loader, the edited
value must load as exactly the value given and everything else as before. An edit that does not hold (a file
in an unusual form) is refused with a Danish message and nothing is written.
"""

from __future__ import annotations

import functools
import math
import re
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any, Concatenate, ParamSpec

from pydantic import BaseModel
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import DocumentEndEvent, DocumentStartEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics import Location
from ..errors import InputError
from ..model.source import SourceMap
from .nodes import NodeError, build
from .nodes import compose as compose_fast
from .yamlemit import Style, document, emit, plain_data, same, scalar, seq_entry

__all__ = ["Key", "Style", "append_entry", "entry", "insert_entries", "key", "key_path", "load", "new_document",
           "remove_entry", "set_value"]

Key = str | int
"""A step of a path: a mapping key, or an index into a list."""
P = ParamSpec("P")
PLAIN = Style()
"""The default: lists in block form, text on one line."""


# ---------------------------------------------------------------------------------------------------- keys


def key_path(model: type[BaseModel], *fields: str | int) -> tuple[Key, ...]:
    """The YAML keys of a path given by the model's field names: `key_path(Meeting, "attendance", "others", 0,
    "items")` is `("fremmøde", "øvrige", 0, "punkter")`. An int is an index into a list; the field after it is one
    of the list's model."""
    out: list[Key] = []
    current: type[BaseModel] | None = model
    for step in fields:
        if isinstance(step, int):
            out.append(step)
            continue
        if current is None or step not in current.model_fields:
            raise KeyError(f"{getattr(current, '__name__', current)} has no field {step!r}")
        info = current.model_fields[step]
        out.append(info.alias or step)
        current = _inner_model(info.annotation)
    return tuple(out)


def key(model: type[BaseModel], field: str) -> str:
    """The YAML key of one field of `model` (its alias): `key(Item, "decision")` is "beslutning"."""
    found = key_path(model, field)[0]
    assert isinstance(found, str)
    return found


def entry(model: type[BaseModel], **values: Any) -> dict[str, Any]:
    """A mapping with `model`'s YAML keys for the field names given, in the order given; None is left out."""
    return {key(model, name): value for name, value in values.items() if value is not None}


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds (itself, in a list, or optional)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


# ---------------------------------------------------------------------------------------------------- reading


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
        raise InputError("filen kan ikke læses som YAML og kan derfor ikke gemmes herfra; ret den i en editor",
                           where) from None
    except (YAMLError, RecursionError):
        raise InputError("filen kan ikke læses som YAML og kan derfor ikke gemmes herfra; ret den i en editor",
                           Location(path)) from None
    return node


def load(text: str, path: Path) -> Any:
    """The file's data exactly as referat's loader reads it (dates as text, YAML 1.2 core types)."""
    try:
        node = compose_fast(text)
    except (YAMLError, NodeError, RecursionError):
        raise InputError("filen kan ikke læses som YAML og kan derfor ikke gemmes herfra; ret den i en editor",
                           Location(path)) from None
    return _build(node, path)


def _build(node: Node | None, path: Path) -> Any:
    try:
        return None if node is None else build(node, (), SourceMap(path), set())
    except (NodeError, RecursionError):
        raise InputError("filen kan ikke læses som YAML og kan derfor ikke gemmes herfra; ret den i en editor",
                           Location(path)) from None


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
    if isinstance(value_node, ScalarNode) and value_node.style in ("'", '"') and isinstance(value, str):
        style = Style(style.flow_lists, style.block_text, value_node.style)  # 'dagsorden' becomes 'referat'
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
    alike); a file that mixes them, or that is more than one document, is refused."""
    @functools.wraps(edit)
    def edited(text: str, path: Path, /, *args: P.args, **kwargs: P.kwargs) -> str:
        if text.startswith("\ufeff"):
            return "\ufeff" + edited(text[1:], path, *args, **kwargs)
        if "\r" in text:
            if text.count("\r") != text.count("\r\n") or text.count("\n") != text.count("\r\n"):
                raise InputError("filen blander Windows- og Unix-linjeskift (CR LF og LF) og kan ikke gemmes herfra; "
                                 "gem den med én slags linjeskift", Location(path))
            return edited(text.replace("\r\n", "\n"), path, *args, **kwargs).replace("\n", "\r\n")
        one_document(text, path)
        return edit(text, path, *args, **kwargs)
    return edited


def one_document(text: str, path: Path) -> None:
    """Refuse a text with a document end marker (`...`) or a second document, naming the line: what follows the
    marker is not the meeting's data, and nothing is written beside it. (A text YAML cannot parse is left to the
    edit, which names the problem.)"""
    if "..." not in text and "---" not in text:
        return
    pure = any(c in text for c in "\x85\u2028\u2029")
    starts = 0
    try:
        for event in YAML(typ="safe", pure=pure).parse(text):
            if isinstance(event, DocumentStartEvent):
                starts += 1
                if starts > 1:
                    where = Location(path, int(event.start_mark.line) + 1, int(event.start_mark.column) + 1)
                    raise InputError("filen indeholder mere end ét YAML-dokument (et nyt begynder her); referat "
                                     "skriver kun i en fil med ét dokument: skriv ét punkt pr. fil", where)
            elif isinstance(event, DocumentEndEvent) and event.explicit:
                where = Location(path, int(event.start_mark.line) + 1, int(event.start_mark.column) + 1)
                raise InputError("filen har en dokumentslut-markør ('...'); referat skriver ikke i en fil, hvor "
                                 "der kan stå noget efter dokumentets slutning: slet linjen med '...' (og det, "
                                 "der står efter den), eller ret filen i en editor", where)
    except (YAMLError, RecursionError):
        return


@_plain_text
def set_value(text: str, path: Path, keys: tuple[Key, ...], value: Any, style: Style = PLAIN) -> str:
    """`text` with the value at `keys` (mapping keys and list indexes from the root) set to `value`; mappings on
    the way are created when missing. Checked by loading the result back (see the module's docstring)."""
    value = plain_data(value)
    root = _compose(text, path)
    before = _build(root, path)
    if not isinstance(root, MappingNode) or not isinstance(before, dict):
        raise InputError("filen skal være en YAML-afbildning (nøgle: værdi pr. linje) for at kunne gemmes "
                           "herfra", Location(path))
    try:
        new = _set(text, root, keys, value, style)
    except EditRefused as exc:
        where = Location(path)
        if exc.node is not None:
            where = Location(path, int(exc.node.start_mark.line) + 1, int(exc.node.start_mark.column) + 1)
        raise InputError(f"værdien kan ikke gemmes automatisk: {exc.message}; ret filen i en editor", where) from None
    after = load(new, path)
    expected = _put(before, keys, value)
    if not _same_data(after, expected) and style.block_text:  # a block that the lines after it would change
        return set_value(text, path, keys, value, Style(flow_lists=style.flow_lists))
    if not _same_data(after, expected):
        raise InputError("værdien kan ikke gemmes automatisk i denne fil (den ville ikke kunne læses tilbage "
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
def append_entry(text: str, path: Path, keys: tuple[Key, ...], entry: Any, style: Style = PLAIN) -> str:
    """`text` with `entry` added at the end of the list at `keys` (created when missing or empty); checked like
    `set_value`."""
    entry = plain_data(entry)
    data = load(text, path)
    current = _get(data, keys)
    if current is None:
        return set_value(text, path, keys, [entry], style)
    if not isinstance(current, list):
        raise InputError("værdien er ikke en liste og kan ikke udvides herfra; ret filen i en editor",
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
        raise InputError("værdien kan ikke gemmes automatisk i denne fil (den ville ikke kunne læses tilbage "
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
    return same(a, b)


@_plain_text
def remove_entry(text: str, path: Path, keys: tuple[Key, ...], index: int) -> str:
    """`text` without entry `index` of the list at `keys`: in a block list exactly that entry's lines go (the dash
    line to the end of its value; comment lines before and after it stay with their neighbours); a flow list, or
    the list's only entry, is set anew with `set_value`. Checked by loading the result back, like `set_value`."""
    data = load(text, path)
    current = _get(data, keys)
    if not isinstance(current, list) or not 0 <= index < len(current):
        raise InputError("punktet findes ikke i listen og kan ikke fjernes herfra", Location(path))
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
        raise InputError("listen står ikke med ét punkt pr. linje og kan ikke ændres herfra; ret filen i en "
                           "editor", Location(path, int(entry.start_mark.line) + 1))
    end = _line_end(text, _value_end(entry, text) if not _empty(entry) else dash + 1)
    new = text[:start] + text[min(end + 1, len(text)):]
    if not _same_data(load(new, path), _put(data, keys, rest)):
        raise InputError("værdien kan ikke gemmes automatisk i denne fil (den ville ikke kunne læses tilbage "
                           "uændret); ret filen i en editor", Location(path))
    return new


def comment_text(text: str) -> str:
    """`text` as it can stand in a YAML comment line: every character that is not printable (a line break too) a
    space."""
    return "".join(c if c.isprintable() else " " for c in text)


def new_document(data: dict[str, Any], path: Path, comments: dict[str, str] | None = None, head: str = "",
                 tail: list[str] | None = None) -> str:
    """The text of a new file holding `data` (see `yamlemit.document`), with `tail` as comment lines at its end,
    checked like every edit: it must load back as exactly `data`."""
    text = document(data, comments, head)
    text += "".join("# " + comment_text(line) + "\n" for line in tail or [])
    if not _same_data(load(text, path), plain_data(data)):  # pragma: no cover - the emitter writes only what loads back
        raise AssertionError(f"{path}: the new file would not load back as written")
    return text


@_plain_text
def insert_entries(text: str, path: Path, keys: tuple[Key, ...], index: int, entries: list[Any]) -> str:
    """`text` with `entries` put into the list at `keys` before its entry `index` (at the end when `index` is its
    length): in a block list as lines before that entry's (after the comment lines that stand before it), every
    other byte kept; a flow list is written anew. Checked like `set_value`."""
    entries = plain_data(entries)
    data = load(text, path)
    current = _get(data, keys)
    if not isinstance(current, list) or not 0 <= index <= len(current):
        raise InputError("listen findes ikke, eller stedet ligger uden for den; ret filen i en editor",
                         Location(path))
    if index == len(current):
        for item in entries:
            text = append_entry(text, path, keys, item)
        return text
    expected = current[:index] + entries + current[index:]
    root = _compose(text, path)
    node: Node | None = root
    for k in keys:
        found = _find(node, k) if node is not None else None
        node = found[1] if found is not None else None
    if isinstance(node, SequenceNode) and not node.flow_style and node.value:
        at = int(node.value[index].start_mark.index)
        dash = text.rfind("-", 0, at)
        start = _line_start(text, dash)
        if not text[start:dash].strip():
            lines = [line for item in entries for line in seq_entry(item, dash - start, PLAIN)]
            new = text[:start] + "".join(line + "\n" for line in lines) + text[start:]
            if _same_data(load(new, path), _put(data, keys, expected)):
                return new
    return set_value(text, path, keys, expected,
                     Style(flow_lists=bool(isinstance(node, SequenceNode) and node.flow_style)))
