"""A paragraph's runs (text with bold, italic, monospace and a link) → rich-text inlines: adjacent runs of the same
look grouped into one node (links, then bold, then italic, then code), whitespace and line breaks at a paragraph's
edges dropped, links that may not be live in a published document kept as their text."""

from __future__ import annotations

from dataclasses import dataclass

from ...text.nodes import Inline
from ...text.richtext import safe_url
from .styles import RunLook


@dataclass
class Span:
    """A run's text (or a line break) with its look and the link it lies in."""

    text: str
    look: RunLook
    link: str | None = None
    br: bool = False



def build_inlines(spans: list[Span]) -> list[Inline]:
    """Runs with their look as rich-text inlines: links, then bold, then italic, then code, grouped so that
    adjacent runs of the same look form one node; whitespace at a paragraph's start and end is dropped."""
    spans = [s for s in spans if s.br or s.text]
    out: list[Inline] = []
    i = 0
    while i < len(spans):
        s = spans[i]
        if s.br:
            out.append({"type": "br"})
            i += 1
            continue
        if s.link is not None:
            j = i
            while j < len(spans) and not spans[j].br and spans[j].link == s.link:
                j += 1
            content = _styled(spans[i:j])
            if safe_url(s.link):
                out.append({"type": "link", "url": s.link, "c": content})
            else:  # a link that may not be live in a published document: its text only
                out.extend(content)
            i = j
            continue
        j = i
        while j < len(spans) and not spans[j].br and spans[j].link is None:
            j += 1
        out.extend(_styled(spans[i:j]))
        i = j
    return strip(merge_text(out))


def _groups(spans: list[Span], key: str) -> list[tuple[bool, list[Span]]]:
    """Adjacent spans with the same value of a look flag, together."""
    out: list[tuple[bool, list[Span]]] = []
    for s in spans:
        flag = bool(getattr(s.look, key))
        if out and out[-1][0] == flag:
            out[-1][1].append(s)
        else:
            out.append((flag, [s]))
    return out


def _styled(spans: list[Span]) -> list[Inline]:
    out: list[Inline] = []
    for bold, group in _groups(spans, "bold"):
        inner: list[Inline] = []
        for italic, part in _groups(group, "italic"):
            code = _code(part)
            inner.extend([{"type": "emph", "c": code}] if italic and any(p.text.strip() for p in part) else code)
        out.extend([{"type": "strong", "c": inner}] if bold and any(p.text.strip() for p in group) else inner)
    return out


def _code(spans: list[Span]) -> list[Inline]:
    out: list[Inline] = []
    for s in spans:
        if s.look.mono and s.text.strip():
            if out and out[-1]["type"] == "code":
                out[-1] = {"type": "code", "v": out[-1]["v"] + s.text}
            else:
                out.append({"type": "code", "v": s.text})
        else:
            out.append({"type": "text", "v": s.text})
    return merge_text(out)


def merge_text(nodes: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for node in nodes:
        if node["type"] == "text" and out and out[-1]["type"] == "text":
            out[-1] = {"type": "text", "v": out[-1]["v"] + node["v"]}
        else:
            out.append(node)
    return out


def strip(nodes: list[Inline]) -> list[Inline]:
    """No whitespace at the start or end of a paragraph, nor around a line break."""
    out = list(nodes)
    for i, node in enumerate(out):
        if node["type"] != "text":
            continue
        v = node["v"]
        if i == 0 or out[i - 1]["type"] == "br":
            v = v.lstrip()
        if i == len(out) - 1 or out[i + 1]["type"] == "br":
            v = v.rstrip()
        out[i] = {"type": "text", "v": v}
    out = [n for n in out if not (n["type"] == "text" and not n["v"])]
    while out and out[-1]["type"] == "br":
        out.pop()  # a line break at the end of a paragraph breaks nothing
    while out and out[0]["type"] == "br":
        out.pop(0)
    return out
