"""A caseworker's document (or an item of referat's own Word edition) → the fields of an item.

The title comes from the title property, the first heading or the first line, in that order. Each section starts
at a heading that the committee profile's table of heading words knows (case, accents, punctuation and a leading
number ignored); text before the first one goes to `sagsfremstilling` with a warning; any other heading stays a
sub-heading of the section it falls in. Headings are paragraphs with a heading style or outline level, or — in a
document that writes its known headings so — paragraphs that are bold as a whole.

A document made by referat itself (its Word edition) is recognised by its item headings ("Punkt 3." and the title
on the next line): each item becomes a contribution of its own, with its status (Åben/Lukket), case number and
time slot, and the front page before the first item is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...diagnostics import count
from ...fold import loose_fold
from ...model.item import FreeSection
from ...text.nodes import Block, Inline
from ...text.richtext import inline_text
from ...text.tomarkdown import to_markdown
from ..yamledit import entry
from .blocks import build, unbold
from .lists import bilag_names, points
from .walk import Para, Picture, Record, Table

TEXT_FIELDS = ("resumé", "baggrund", "sagsfremstilling", "beslutning")
_LEADING_NUMBER = re.compile(r"^\s*(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]\s+", re.IGNORECASE)
_TIME_SLOT = re.compile(r"^\d{1,2}[.:]\d{2}\s*-\s*\d{1,2}[.:]\d{2}$")
_MAX_HEADING_WORDS = 12


@dataclass
class Options:
    """What the committee profile and the caller decide (passed down: the reader knows no profile)."""

    heading_words: dict[str, list[str]]  # section key → the headings that start it
    lead_in: str = ""  # the Indstilling's lead-in ("Det indstilles, at Den Administrative Styregruppe")
    committee_names: list[str] = field(default_factory=list)
    item_label: str = "Punkt {nummer}."
    generated: list[str] = field(default_factory=list)  # sentences referat writes itself ({felter} as wildcards)
    running_header: str = ""  # the profile's sidehoved ({felter} as wildcards): in referat's edition, left out
    group_label: str = "{nummer}."  # the heading of an item group ("2. Sager til beslutning"), hierarchical numbering


@dataclass
class Contribution:
    """One item read from a Word document."""

    title: str
    title_from: str
    # resumé…beslutning (Markdown), indstilling (list), indstilling_indledning (the item's own lead-in), afsnit
    # (free sections: overskrift, tekst, efter)
    fields: dict[str, Any] = field(default_factory=dict)
    bilag_names: list[str] = field(default_factory=list)
    pictures: list[tuple[Picture, str]] = field(default_factory=list)  # with the bilag title each is saved under
    placements: list[str] = field(default_factory=list)  # "«Resumé» → resumé"
    warnings: list[str] = field(default_factory=list)
    closed: bool | None = None  # referat's own edition: the status line
    group: str | None = None  # referat's own edition: the group heading the item stands under
    level: int = 0  # referat's own edition: the level of the item's heading (2 under a group heading)
    case_number: str | None = None
    time_slot: str | None = None
    edition: bool = False  # read from referat's own Word edition


def heading_key(text: str, words: dict[str, list[str]]) -> str | None:
    """The section a heading starts, by the table of heading words (case, accents, punctuation and a leading
    number "1." ignored), or None."""
    wanted = _norm(_LEADING_NUMBER.sub("", text))
    if not wanted:
        return None
    for key, names in words.items():
        if any(_norm(name) == wanted for name in names):
            return key
    return None


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]|_", " ", loose_fold(text)).split())


def contributions(records: list[Record], title_property: str, path: Path, options: Options) -> list[Contribution]:
    """The items a document holds: one for a contribution, one per item for referat's own Word edition."""
    items = _edition_items(records, options)
    if items:
        found = [_item(part, "", path, options, edition=True) for part in items]
        group: str | None = None
        for item in found:  # a group's heading stands before its first item only: the items after it share it
            if item.group is not None:
                group = item.group
            elif item.level == 2:
                item.group = group
            else:
                group = None
        return found
    return [_item(records, title_property, path, options, edition=False)]


# ------------------------------------------------------------------------------------------ referat's edition

def _label_pattern(label: str) -> re.Pattern[str]:
    parts = label.split("{nummer}")
    return re.compile("^" + r"(\S+)".join(re.escape(p) for p in parts).strip() + "$")


def _edition_items(records: list[Record], options: Options) -> list[list[Record]]:
    """Split referat's own Word edition at its item headings (a heading "Punkt N." + line break + title, level 1,
    or 2 under a group heading); [] when the document has none. The lines referat prints above an item's heading —
    the running header where the item starts, the group's heading, the status line — go with that item."""
    pattern = _label_pattern(options.item_label)
    starts: list[int] = []
    for i, rec in enumerate(records):
        if isinstance(rec, Para) and rec.heading in (1, 2):
            head = _lines(unbold(rec.inlines))
            if len(head) >= 2 and pattern.match(head[0].strip()):
                starts.append(i)
    if not starts:
        return []
    begins = []
    for n, start in enumerate(starts):
        floor = starts[n - 1] + 1 if n else 0
        begin = start
        while begin - 1 >= floor and begin > start - 3 and _above_heading(records[begin - 1], options):
            begin -= 1
        begins.append(begin)
    return [records[begin:(begins[n + 1] if n + 1 < len(begins) else len(records))]
            for n, begin in enumerate(begins)]


def _above_heading(rec: Record, options: Options) -> bool:
    """A line referat prints above an item's heading: the status, the running header, a group's heading."""
    if not isinstance(rec, Para):
        return False
    return _status(rec) is not None or _running_header(rec, options) or _group_title(rec, options) is not None


def _running_header(rec: Para, options: Options) -> bool:
    return bool(options.running_header) and _matches(inline_text(rec.inlines).strip(), options.running_header)


def _group_title(rec: Para, options: Options) -> str | None:
    """The title of a group heading (a level-1 heading on one line, where an item's heading has two: "2. Sager til
    beslutning", its number left out, or the title alone under running numbering), else None."""
    if rec.heading != 1:
        return None
    lines = _lines(unbold(rec.inlines))
    if len(lines) != 1 or not lines[0].strip():
        return None
    before, _, after = options.group_label.partition("{nummer}")
    m = re.match("^" + re.escape(before.strip()) + r"\s*\d+" + re.escape(after.strip()) + r"\s+(\S.*)$",
                 lines[0].strip())
    return m.group(1).strip() if m else lines[0].strip()


def _status(para: Para) -> bool | None:
    """True for a "Lukket" status line, False for "Åben", None for anything else."""
    text = inline_text(para.inlines).strip().lower()
    return {"åben": False, "lukket": True}.get(text)


def _lines(inlines: list[Inline]) -> list[str]:
    return inline_text(inlines).split("\n")


# ------------------------------------------------------------------------------------------ one item


def _item(records: list[Record], title_property: str, path: Path, options: Options, edition: bool) -> Contribution:
    records = list(records)
    result = Contribution(title="", title_from="", edition=edition)
    if edition:
        _edition_head(records, result, options)
    bold_mode = _bold_headings(records, options)
    heads = [_heading_text(rec, bold_mode) for rec in records]
    known = [heading_key(text, options.heading_words) if text is not None else None for text in heads]
    first_known = next((i for i, key in enumerate(known) if key), len(records))
    if not edition:
        _title(records, heads, known, first_known, title_property, path, result)
        heads = [_heading_text(rec, bold_mode) for rec in records]
        known = [heading_key(text, options.heading_words) if text is not None else None for text in heads]
        first_known = next((i for i, key in enumerate(known) if key), len(records))
    # sections: (key, heading as written, records); in referat's own edition a section-level heading that is no
    # section of the profile starts a free section (key FREE, after the section before it)
    sections: list[tuple[str, str, list[Record]]] = []
    lead = [rec for rec in records[:first_known] if not _generated(rec, options)]
    if any(_has_content(rec) for rec in lead):
        sections.append(("sagsfremstilling", "", lead))
        result.warnings.append("teksten før den første kendte overskrift er lagt i sagsfremstilling")
    for i in range(first_known, len(records)):
        key = known[i]
        if key:
            sections.append((key, heads[i] or "", []))
        elif edition and _section_level(records[i], result.level) and heads[i]:
            sections.append((FREE, heads[i] or "", []))
        elif sections:
            sections[-1][2].append(records[i])
    pictures = _pictures(records)
    refs = {id(pic): f"Billede: se bilaget «{title}»" for pic, title in pictures}
    result.pictures = pictures
    merged: dict[str, list[Block]] = {}
    notes_for: dict[str, list[tuple[int, list[Inline]]]] = {}
    seen: set[str] = set()
    merged_tables = nested_tables = 0
    free: list[dict[str, Any]] = []
    after_recommendation = 0  # where in `free` a text printed under the Indstilling's points goes
    previous = "start"
    for key, heading, body in sections:
        if key == FREE:
            built = build([_as_body(rec, bold_mode) for rec in body], refs)
            free.append(entry(FreeSection, heading=heading, text=to_markdown(built.blocks), after=previous))
            result.placements.append(f"«{heading}» → afsnit (efter {previous})")
            continue
        previous = key
        if key == "indstilling":
            after_recommendation = len(free)
        if key in seen and heading:
            result.warnings.append(f"overskriften «{heading}» står flere gange; teksten er lagt sammen i {key}")
        if heading:
            seen.add(key)
        if key in ("indstilling", "bilag"):  # a picture there is saved as a bilag, but is no point or bilag line
            body = [rec for rec in body if not isinstance(rec, Picture)]
        built = build([_as_body(rec, bold_mode) for rec in body], refs)
        merged_tables += built.merged_tables
        nested_tables += built.nested_tables
        merged.setdefault(key, []).extend(built.blocks)
        notes_for.setdefault(key if key in TEXT_FIELDS else "sagsfremstilling", []).extend(built.notes)
        where = heading and f"«{heading}»" or "teksten før første overskrift"
        result.placements.append(f"{where} → {key}")
    for key, notes in notes_for.items():
        for n, inlines in notes:
            merged.setdefault(key, []).append({"type": "par", "inlines": [{"type": "text", "v": f"[{n}] "},
                                                                         *inlines]})
    if merged_tables:
        result.warnings.append(f"{count(merged_tables, 'tabel', 'tabeller')} har flettede celler; de er delt op, og "
                               "teksten står i den første af de flettede celler")
    if nested_tables:
        result.warnings.append(f"{count(nested_tables, 'tabel', 'tabeller')} i en tabelcelle er gjort til tekst i "
                               "cellen")
    for key in ("resumé", "baggrund", "sagsfremstilling", "beslutning"):
        blocks = merged.get(key)
        if blocks:
            text = to_markdown(blocks)
            if text.strip():
                result.fields[key] = text
    recommendation = merged.get("indstilling")
    if recommendation and edition and any(b["type"] == "list" for b in recommendation):
        _edition_recommendation(recommendation, options, result, free, after_recommendation)
    elif recommendation:
        own: list[str] = []
        found = points(recommendation, options.lead_in, options.committee_names, result.warnings, own)
        if found:
            result.fields["indstilling"] = found
            if own:
                result.fields["indstilling_indledning"] = own[0]
                result.placements.append(f"«{_short_text(own[0])}» → indstilling_indledning (ikke udvalgets "
                                         "indledning)")
    if free:
        result.fields["afsnit"] = free
    if merged.get("bilag"):
        result.bilag_names = bilag_names(merged["bilag"])
    return result


FREE = "afsnit"  # a free section (the item's `afsnit`)


def _edition_recommendation(blocks: list[Block], options: Options, result: Contribution,
                            free: list[dict[str, Any]], at: int) -> None:
    """The Indstilling as referat's own edition prints it: the lead-in (the item's own, or none, where it is not
    the profile's), the list of points, and after it a free section without a heading."""
    first = next(n for n, b in enumerate(blocks) if b["type"] == "list")
    lead = " ".join(inline_text(b["inlines"]) for b in blocks[:first] if b["type"] == "par").strip()
    found = points([blocks[first]], "", [], result.warnings)
    if found:
        result.fields["indstilling"] = found
    if lead != options.lead_in.strip() and (lead or options.lead_in):
        result.fields["indstilling_indledning"] = lead
        result.placements.append(f"«{_short_text(lead) or '(ingen)'}» → indstilling_indledning")
    rest = blocks[first + 1:]
    if rest and to_markdown(rest).strip():
        free.insert(at, entry(FreeSection, text=to_markdown(rest), after="indstilling"))
        result.placements.append("teksten efter indstillingens punkter → afsnit (efter indstilling)")


def _section_level(rec: Record, item_level: int) -> bool:
    """A heading at the level of an item's sections in referat's own Word edition (one below the item's)."""
    return isinstance(rec, Para) and rec.heading == item_level + 1


def _short_text(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _edition_head(records: list[Record], result: Contribution, options: Options) -> None:
    """Status, group, title, case number and time slot of an item in referat's own Word edition (taken off
    `records`); the running header above it is left out."""
    while records and isinstance(records[0], Para) and not _is_item_heading(records[0], options):
        rec = records.pop(0)
        assert isinstance(rec, Para)
        group = _group_title(rec, options)
        if _status(rec) is not None:
            result.closed = _status(rec)
        elif group is not None:
            result.group = group
    head = records.pop(0)
    assert isinstance(head, Para)
    result.level = head.heading
    lines = _lines(unbold(head.inlines))
    result.title = " ".join(" ".join(lines[1:]).split())
    result.title_from = "punktets overskrift"
    while records and isinstance(records[0], Para) and records[0].style == "Sagsnummer":
        line = records.pop(0)
        assert isinstance(line, Para)
        text = inline_text(line.inlines).strip()
        if _TIME_SLOT.match(text):
            result.time_slot = text.replace(":", ".").replace(" ", "")
        else:
            result.case_number = text


def _bold_headings(records: list[Record], options: Options) -> bool:
    """Does the document write its known headings as bold paragraphs (and not with heading styles)?"""
    styled = any(isinstance(r, Para) and (r.heading or r.title_style)
                 and heading_key(inline_text(r.inlines), options.heading_words) for r in records)
    if styled:
        return False
    return any(isinstance(r, Para) and _bold_line(r) and heading_key(inline_text(r.inlines), options.heading_words)
               for r in records)


def _bold_line(para: Para) -> bool:
    text = inline_text(para.inlines).strip()
    return (para.bold and para.num is None and bool(text) and "\n" not in text
            and len(text.split()) <= _MAX_HEADING_WORDS and not text.endswith((".", "!", "?", ";", ",")))


def _heading_text(rec: Record, bold_mode: bool) -> str | None:
    if not isinstance(rec, Para):
        return None
    if rec.heading or rec.title_style or (bold_mode and _bold_line(rec)):
        text = " ".join(inline_text(unbold(rec.inlines)).split())
        return text or None
    return None


def _as_body(rec: Record, bold_mode: bool) -> Record:
    """A bold line in a bold-heading document is a sub-heading; a title-styled paragraph too."""
    if isinstance(rec, Para) and not rec.heading and (rec.title_style or (bold_mode and _bold_line(rec))):
        return Para(inlines=rec.inlines, style=rec.style, heading=3, notes=rec.notes)
    return rec


def _title(records: list[Record], heads: list[str | None], known: list[str | None], first_known: int,
           title_property: str, path: Path, result: Contribution) -> None:
    """The title property, else the first heading before the sections, else the first line; taken off the text."""
    first_head = next((i for i in range(first_known) if heads[i]), None)
    if title_property:
        result.title, result.title_from = title_property, "dokumentets titelegenskab"
        for i in range(first_known):  # the same title written again at the top is not text
            if heads[i] and _norm(heads[i] or "") == _norm(title_property):
                records.pop(i)
            elif _has_content(records[i]):
                break
        return
    if first_head is not None:
        result.title, result.title_from = heads[first_head] or "", "dokumentets første overskrift"
        records.pop(first_head)
        return
    for i in range(first_known):
        rec = records[i]
        if isinstance(rec, Para) and rec.inlines and rec.num is None:
            lines = _lines(rec.inlines)
            result.title, result.title_from = " ".join(lines[0].split()), "dokumentets første linje"
            rest = rec.inlines[next((k for k, n in enumerate(rec.inlines) if n["type"] == "br"), len(rec.inlines)):]
            rest = rest[1:] if rest else rest
            if rest:
                records[i] = Para(inlines=rest, style=rec.style, notes=rec.notes)
            else:
                records.pop(i)
            return
    result.title, result.title_from = path.stem, "filnavnet"
    result.warnings.append("dokumentet har hverken titel, overskrift eller tekst før den første kendte overskrift; "
                           "filnavnet er brugt som titel")


def _generated(rec: Record, options: Options) -> bool:
    """A sentence referat writes itself from møde.yaml (the next meeting's date in the item "Næste møde")."""
    if not isinstance(rec, Para) or not options.generated:
        return False
    text = inline_text(rec.inlines).strip()
    return any(_matches(text, template) for template in options.generated)


def _matches(text: str, template: str) -> bool:
    """Whether `text` is `template` with its {felter} filled in."""
    parts = re.split(r"\{[a-z_æøå]+\}", template)
    return re.fullmatch(".+?".join(re.escape(p) for p in parts), text) is not None


def _is_item_heading(rec: Para, options: Options) -> bool:
    head = _lines(unbold(rec.inlines))
    return rec.heading in (1, 2) and len(head) >= 2 and _label_pattern(options.item_label).match(head[0].strip()) \
        is not None


def _has_content(rec: Record) -> bool:
    return not isinstance(rec, Para) or bool(inline_text(rec.inlines).strip()) or bool(rec.notes)


def _pictures(records: list[Record]) -> list[tuple[Picture, str]]:
    out = []
    for n, rec in enumerate((r for r in records if isinstance(r, Picture)), start=1):
        alt = " ".join(rec.alt.split())[:120]
        title = f"Billede {n}" + (f": {alt}" if alt else "")
        out.append((rec, title))
    return out


__all__ = ["Contribution", "Options", "Table", "contributions", "heading_key"]
