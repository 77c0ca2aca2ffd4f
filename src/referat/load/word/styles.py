"""What a paragraph's or run's style makes of it (heading level, bold, italic, hidden, a list), and the numbering
definitions: whether a list level is numbered or bulleted and where it starts.

Styles inherit through `w:basedOn`; a style id is looked up in the style part, and a heading is known by its
outline level or by Word's built-in names ("heading 1", which Word in Danish shows as "Overskrift 1" with the
style id "Overskrift1"), also when the id itself is localised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .package import W

_HEADING_NAME = re.compile(r"^(?:heading|overskrift|rubrik)\s*(\d)$", re.IGNORECASE)
_TITLE_NAMES = {"title", "titel"}
_MONO = re.compile(r"courier|consolas|mono|menlo|lucida console", re.IGNORECASE)


def on(el: Any | None) -> bool | None:
    """A toggle property (w:b, w:i, w:vanish): True, False, or None when absent."""
    if el is None:
        return None
    return el.get(f"{W}val", "true").lower() not in ("0", "false", "off", "none")


@dataclass
class RunLook:
    bold: bool | None = None
    italic: bool | None = None
    hidden: bool | None = None
    mono: bool | None = None

    def over(self, base: RunLook) -> RunLook:
        """This look with what it leaves open taken from `base`."""
        return RunLook(*(mine if mine is not None else theirs for mine, theirs in
                         ((self.bold, base.bold), (self.italic, base.italic), (self.hidden, base.hidden),
                          (self.mono, base.mono))))


def run_look(rpr: Any | None) -> RunLook:
    if rpr is None:
        return RunLook()
    fonts = rpr.find(f"{W}rFonts")
    mono = None
    if fonts is not None:
        name = fonts.get(f"{W}ascii") or fonts.get(f"{W}hAnsi") or ""
        mono = bool(_MONO.search(name)) if name else None
    return RunLook(bold=on(rpr.find(f"{W}b")), italic=on(rpr.find(f"{W}i")),
                   hidden=_hidden(rpr), mono=mono)


def _hidden(rpr: Any) -> bool | None:
    flags = [on(rpr.find(f"{W}{tag}")) for tag in ("vanish", "specVanish", "webHidden")]
    if any(flag for flag in flags):
        return True
    return False if any(flag is False for flag in flags) else None


@dataclass
class ParaStyle:
    """What a paragraph style gives: its name, heading level (0 = none, 1-9), a title, a list and the run look."""

    name: str
    heading: int = 0
    title: bool = False
    num: tuple[str, int] | None = None  # (numId, ilvl) from the style's numPr
    look: RunLook | None = None


class Styles:
    """The style part, resolved on demand with inheritance."""

    def __init__(self, root: Any | None) -> None:
        self._by_id: dict[str, Any] = {}
        self._para: dict[str, ParaStyle] = {}
        self._char: dict[str, RunLook] = {}
        self.default = RunLook()
        self.default_para: str | None = None
        if root is None:
            return
        for style in root.iter(f"{W}style"):
            sid = style.get(f"{W}styleId")
            if sid:
                self._by_id[sid] = style
                if style.get(f"{W}type") == "paragraph" and style.get(f"{W}default") in ("1", "true", "on"):
                    self.default_para = sid
        defaults = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
        self.default = run_look(defaults)

    def paragraph(self, sid: str | None) -> ParaStyle:
        sid = sid or self.default_para or ""
        if sid not in self._para:
            self._para[sid] = self._resolve_para(sid, set())
        return self._para[sid]

    def _resolve_para(self, sid: str, seen: set[str]) -> ParaStyle:
        style = self._by_id.get(sid)
        if style is None or sid in seen:
            return ParaStyle(name=sid, look=RunLook())
        seen.add(sid)
        based = style.find(f"{W}basedOn")
        base = self._resolve_para(based.get(f"{W}val", ""), seen) if based is not None else ParaStyle(name="")
        name_el = style.find(f"{W}name")
        name = name_el.get(f"{W}val", sid) if name_el is not None else sid
        heading = base.heading
        title = name.strip().lower() in _TITLE_NAMES or sid.lower() in _TITLE_NAMES
        m = _HEADING_NAME.match(name.strip()) or _HEADING_NAME.match(sid)
        if m:
            heading = int(m.group(1))
        ppr = style.find(f"{W}pPr")
        num = base.num
        if ppr is not None:
            outline = ppr.find(f"{W}outlineLvl")
            if outline is not None and outline.get(f"{W}val", "").isdigit():
                level = int(outline.get(f"{W}val", "9"))
                heading = level + 1 if level < 9 else 0
            numpr = ppr.find(f"{W}numPr")
            if numpr is not None:
                num_id = numpr.find(f"{W}numId")
                ilvl = numpr.find(f"{W}ilvl")
                if num_id is not None:
                    ilvl_text = str(ilvl.get(f"{W}val", "0")) if ilvl is not None else "0"
                    num = (num_id.get(f"{W}val", "0"), int(ilvl_text) if ilvl_text.isdigit() else 0)
        look = run_look(style.find(f"{W}rPr")).over(base.look or RunLook())
        return ParaStyle(name=name, heading=heading, title=title or base.title, num=num, look=look)

    def character(self, sid: str | None) -> RunLook:
        if not sid:
            return RunLook()
        if sid not in self._char:
            self._char[sid] = self._resolve_char(sid, set())
        return self._char[sid]

    def _resolve_char(self, sid: str, seen: set[str]) -> RunLook:
        style = self._by_id.get(sid)
        if style is None or sid in seen:
            return RunLook()
        seen.add(sid)
        based = style.find(f"{W}basedOn")
        base = self._resolve_char(based.get(f"{W}val", ""), seen) if based is not None else RunLook()
        return run_look(style.find(f"{W}rPr")).over(base)


@dataclass(frozen=True)
class Level:
    ordered: bool
    start: int
    fmt: str
    indent: int = 0  # the level's left indent in twips (0 when the definition gives none)


class Numbering:
    """The numbering part: numId → abstract definition (levels with their format and start), with overrides."""

    def __init__(self, root: Any | None) -> None:
        self._abstract: dict[str, dict[int, Level]] = {}
        self._nums: dict[str, dict[int, Level]] = {}
        if root is None:
            return
        for abstract in root.iter(f"{W}abstractNum"):
            self._abstract[abstract.get(f"{W}abstractNumId", "")] = self._levels(abstract)
        for num in root.iter(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            levels = dict(self._abstract.get(ref.get(f"{W}val", "") if ref is not None else "", {}))
            for override in num.iter(f"{W}lvlOverride"):
                ilvl = int(override.get(f"{W}ilvl", "0")) if override.get(f"{W}ilvl", "0").isdigit() else 0
                lvl = override.find(f"{W}lvl")
                if lvl is not None:
                    levels[ilvl] = self._level(lvl)
                start = override.find(f"{W}startOverride")
                if start is not None and start.get(f"{W}val", "").isdigit():
                    old = levels.get(ilvl, Level(True, 1, "decimal"))
                    levels[ilvl] = Level(old.ordered, int(start.get(f"{W}val", "1")), old.fmt, old.indent)
            self._nums[num.get(f"{W}numId", "")] = levels

    @staticmethod
    def _level(lvl: Any) -> Level:
        fmt_el = lvl.find(f"{W}numFmt")
        fmt = fmt_el.get(f"{W}val", "decimal") if fmt_el is not None else "decimal"
        start_el = lvl.find(f"{W}start")
        start_text = start_el.get(f"{W}val", "1") if start_el is not None else "1"
        start = int(start_text) if start_text.isdigit() else 1
        ind = lvl.find(f"{W}pPr/{W}ind")
        left = (ind.get(f"{W}left") or ind.get(f"{W}start") or "0") if ind is not None else "0"
        return Level(ordered=fmt not in ("bullet", "none"), start=start, fmt=fmt,
                     indent=int(left) if left.lstrip("-").isdigit() else 0)

    def _levels(self, abstract: Any) -> dict[int, Level]:
        out = {}
        for lvl in abstract.iter(f"{W}lvl"):
            ilvl = lvl.get(f"{W}ilvl", "0")
            out[int(ilvl) if ilvl.isdigit() else 0] = self._level(lvl)
        return out

    def level(self, num_id: str, ilvl: int) -> Level | None:
        """The level's definition; None when the number is not a list (numId 0, unknown, or format "none")."""
        if num_id in ("", "0"):
            return None
        levels = self._nums.get(num_id)
        if levels is None:
            return None
        level = levels.get(ilvl) or levels.get(0) or Level(True, 1, "decimal")
        return None if level.fmt == "none" else level
