"""YAML 1.2 nodes (composed by ruamel.yaml's C parser where installed) → plain data with positions.

Composing is ruamel's; constructing is ours, because we want exactly this: YAML 1.2 core types, dates kept
as text (so the model can say "2026-02-30 er ikke en gyldig dato"), duplicate keys refused, the line and
column of every key and value, and a Danish message instead of an exception for every odd tag.
Composing with the C parser and building here is several times faster than ruamel's round-trip loader.
"""

from __future__ import annotations

import math
import re
from typing import Any, Self

from ruamel.yaml import YAML
from ruamel.yaml.events import MappingEndEvent, MappingStartEvent, SequenceEndEvent, SequenceStartEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..model.source import PathKey, SourceMap

T = "tag:yaml.org,2002:"
MAX_NODES = 500_000


class FixedFloat(float):
    """A number written with trailing zeros in its decimals (`98.0`, `3249.50`), which a float does not keep: the
    decimals as written ride along, so that a number prints as it was written (the takstbilag, issue 23)."""

    places: int

    def __new__(cls, value: float, places: int) -> Self:
        number = super().__new__(cls, value)
        number.places = places
        return number

    def __getnewargs__(self) -> tuple[float, int]:  # type: ignore[override]  # copies and pickles keep the places
        return float(self), self.places


_TRAILING_ZERO = re.compile(r"^[-+]?\d*\.\d*0$")


class NodeError(Exception):
    """A node that cannot become data; carries a Danish message and the node's position."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


def compose(text: str) -> Node | None:
    """The document's node tree; the C parser when ruamel.yaml.clib is installed, else the pure one."""
    try:
        yaml = YAML(typ="safe", pure=False)
        if _may_nest_deeper_than_allowed(text):
            _check_depth(yaml, text)
        node: Node | None = yaml.compose(text)
    except ImportError:  # pragma: no cover - platforms without the C extension
        node = YAML(typ="safe", pure=True).compose(text)
    return node


# Lists and mappings nested deeper than this are refused before composing: the C composer recurses on the C
# stack and crashes the process (SIGSEGV) somewhere past 20.000 levels; our own build recurses too.
MAX_DEPTH = 200
_QUICK = MAX_DEPTH // 5
_DEEP_BLOCK = re.compile(rf"^[ ?:-]{{{_QUICK},}}", re.MULTILINE)


def _may_nest_deeper_than_allowed(text: str) -> bool:
    """A cheap upper bound: a flow level needs a '[' or '{'; a block level needs indentation or a '- '/'? '/': '
    indicator before it on its line (at most one more after a tag or anchor). Below the bound, no parse is needed."""
    return text.count("[") + text.count("{") > _QUICK or _DEEP_BLOCK.search(text) is not None


def _check_depth(yaml: YAML, text: str) -> None:
    """Walk the parser's events (the C parser keeps its own stack on the heap) and stop at MAX_DEPTH."""
    depth = 0
    for event in yaml.parse(text):
        if isinstance(event, (SequenceStartEvent, MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise NodeError(f"lister og afbildninger er indlejret mere end {MAX_DEPTH} niveauer dybt; "
                                "skriv strukturen fladere", event.start_mark)
        elif isinstance(event, (SequenceEndEvent, MappingEndEvent)):
            depth -= 1


def build(node: Node, key: PathKey, smap: SourceMap, active: set[int]) -> Any:
    """Plain Python for `node`, recording positions (1-based) in `smap`."""
    if id(node) in active:
        raise NodeError("et alias (*) henviser til sig selv", node.start_mark)
    smap.built += 1
    if smap.built > MAX_NODES:  # aliases of aliases can expand a small file into billions of values
        raise NodeError(f"filen udfolder sig til over {MAX_NODES:,} værdier (aliaser i aliaser?); skriv den enklere"
                        .replace(",", "."), node.start_mark)
    if isinstance(node, ScalarNode):
        if node.style == "|":
            smap.literal.add(key)
        return _scalar(node)
    active = active | {id(node)}
    if isinstance(node, SequenceNode):
        items = []
        for i, child in enumerate(node.value):
            sub = key + (i,)
            smap.values[sub] = (child.start_mark.line + 1, child.start_mark.column + 1)
            items.append(build(child, sub, smap, active))
        return items
    if isinstance(node, MappingNode):
        return _mapping(node, key, smap, active)
    raise NodeError(f"ukendt YAML-knude {type(node).__name__}", node.start_mark)


def _mapping(node: MappingNode, key: PathKey, smap: SourceMap, active: set[int]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    merged: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if key_node.tag == T + "merge":
            sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
            for source in sources:
                if not isinstance(source, MappingNode):
                    raise NodeError("'<<' skal henvise til en afbildning (nøgle: værdi)", source.start_mark)
                # merged-in values keep no positions: messages point at '<<'
                scratch = SourceMap(smap.path, built=smap.built)
                for k, v in build(source, key + ("<<",), scratch, active).items():
                    merged.setdefault(k, v)
                smap.built = scratch.built
            continue
        if not isinstance(key_node, ScalarNode):
            raise NodeError("en nøgle skal være tekst, ikke en liste eller afbildning", key_node.start_mark)
        name = str(_scalar(key_node)) if key_node.tag != T + "null" else ""
        if name in out:
            raise NodeError(f"nøglen '{name}' står to gange; slet den ene", key_node.start_mark)
        sub = key + (name,)
        smap.keys[sub] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        smap.values[sub] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
        out[name] = build(value_node, sub, smap, active)
    for k, v in merged.items():
        out.setdefault(k, v)
    return out


def _short(tag: str) -> str:
    return "!!" + tag[len(T):] if tag.startswith(T) else tag


def _scalar(node: ScalarNode) -> Any:
    tag, value = node.tag or "", node.value
    try:
        if tag == T + "str" or tag == T + "timestamp":
            return value
        if tag == T + "null":
            return None
        if tag == T + "bool":
            lowered = value.lower()
            if lowered not in ("true", "false"):
                raise ValueError(value)
            return lowered == "true"
        if tag == T + "int":
            text = value.replace("_", "")
            sign = -1 if text.startswith("-") else 1
            digits = text.lstrip("+-")
            if digits.lower().startswith("0o"):
                return sign * int(digits, 8)
            if digits.lower().startswith("0x"):
                return sign * int(digits, 16)
            return sign * int(digits, 10)
        if tag == T + "float":
            lowered = value.lower()
            if lowered in (".inf", "+.inf"):
                return math.inf
            if lowered == "-.inf":
                return -math.inf
            if lowered == ".nan":
                return math.nan
            text = value.replace("_", "")
            if _TRAILING_ZERO.match(text):
                return FixedFloat(float(text), len(text.partition(".")[2]))
            return float(text)
    except ValueError:
        raise NodeError(f"værdien passer ikke til typen {_short(tag)}; slet '{_short(tag)}'", node.start_mark) from None
    if tag.startswith((T, "!")):
        raise NodeError(f"værdien passer ikke til typen {_short(tag)}; slet '{_short(tag)}'", node.start_mark)
    return value
