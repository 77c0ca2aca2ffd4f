"""`referat diff`: what changed between two versions of a meeting's data (or a version and the folder now).

Compared at the level of the data: items added, removed, moved; per item the sections that changed, with a
word-level diff, and the bilag added, removed or replaced (by sha256). An item is known by its identity
(`identity.match_items`: its `id`, else its content), not by its file: a renamed or renumbered item is moved,
never added.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, cast

from ..model.base import BOOL_WORDS, Model
from ..model.item import Item
from ..model.meeting import Meeting
from ..text.richtext import printable
from ..view.document import retitle
from ..view.types import DocumentView
from .identity import match_items
from .versions import State, safe_load

_ITEM_HEADINGS = {"titel": "Titel", "adgang": "Adgang", "type": "Type", "sagsnummer": "Sagsnummer",
                  "tidspunkt": "Tidspunkt", "fremlæggere": "Fremlæggere", "resumé": "Resumé", "baggrund": "Baggrund",
                  "sagsfremstilling": "Sagsfremstilling", "indstilling": "Indstilling",
                  "indstilling_indledning": "Indstillingens indledning", "afsnit": "Afsnit", "gruppe": "Gruppe",
                  "beslutning": "Beslutning", "opfølgning": "Opfølgning", "lukket_grundlag": "Lukket grundlag",
                  "offentlig_beslutning": "Offentlig beslutning"}
_MEETING_HEADINGS = {"dato": "Dato", "start": "Start", "slut": "Slut", "sted": "Sted", "online": "Online",
                     "sagsnummer": "Sagsnummer", "fremmøde": "Fremmøde", "medlemmer": "Medlemmer",
                     "øvrige_oplysninger": "Øvrige oplysninger", "næste_møde": "Næste møde", "fase": "Fase",
                     "udvalg": "Udvalg"}


def _compared(model: type[Model], headings: dict[str, str], apart: set[str]) -> list[tuple[str, str]]:
    """(YAML key, heading) of every field of `model` but those compared `apart`: those `headings` names in its
    order, then any other in the model's. A field added to the model later is compared too (the seal of signed
    minutes is built on this list)."""
    keys = [info.alias or name for name, info in model.model_fields.items()]
    order = [key for key in headings if key in keys] + [key for key in keys if key not in headings]
    return [(key, headings.get(key) or key.replace("_", " ").capitalize()) for key in order if key not in apart]


FIELDS = _compared(Item, _ITEM_HEADINGS, {"id", "bilag"})  # an item's identity and its bilag: compared apart
MEETING_FIELDS = _compared(Meeting, _MEETING_HEADINGS, {"punkter"})  # the item order: compared apart
CONTEXT = 4  # words shown either side of a change


@dataclass
class Segment:
    kind: str  # "same", "old", "new", "gap"
    text: str


@dataclass
class FieldChange:
    key: str
    heading: str
    segments: list[Segment]


@dataclass
class BilagChange:
    kind: str  # "tilføjet", "fjernet", "udskiftet", "ny titel"
    name: str
    title: str


@dataclass
class ItemChange:
    file: str
    number_old: int | None
    number_new: int | None
    title: str
    status: str  # "tilføjet", "fjernet", "ændret", "flyttet"
    fields: list[FieldChange] = field(default_factory=list)
    bilag: list[BilagChange] = field(default_factory=list)
    moved: bool = False
    renamed_from: str | None = None  # the item's file in the old version, when it is called otherwise now


@dataclass
class Diff:
    old: str
    new: str
    meeting: list[FieldChange]
    items: list[ItemChange]

    @property
    def empty(self) -> bool:
        return not self.meeting and not self.items


def _text(value: Any) -> str:
    """A field's value as flowing text (lists and mappings flattened the way a reader sees them)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list):
        return "\n".join(_text(v) for v in value)
    if isinstance(value, dict):
        if set(value) <= {"tekst", "underpunkter"}:
            return "\n".join([_text(value.get("tekst")), *(_text(s) for s in value.get("underpunkter") or [])])
        return "\n".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


def word_diff(old: str, new: str) -> list[Segment]:
    """The words of `old` and `new` with the changes marked, unchanged runs cut to CONTEXT words each side."""
    a, b = re.findall(r"\S+", old), re.findall(r"\S+", new)
    out: list[Segment] = []
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    for n, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            words = a[i1:i2]
            first, last = n == 0, n == len(ops) - 1
            if len(words) > 2 * CONTEXT + 1 or ((first or last) and len(words) > CONTEXT):
                head = [] if first else words[:CONTEXT]
                tail = [] if last else words[-CONTEXT:]
                if head:
                    out.append(Segment("same", " ".join(head)))
                out.append(Segment("gap", "…"))
                if tail:
                    out.append(Segment("same", " ".join(tail)))
            else:
                out.append(Segment("same", " ".join(words)))
            continue
        if i2 > i1:
            out.append(Segment("old", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(Segment("new", " ".join(b[j1:j2])))
    return out


def _fields(old: dict[str, Any], new: dict[str, Any], fields: list[tuple[str, str]]) -> list[FieldChange]:
    out = []
    for key, heading in fields:
        a, b = _text(old.get(key)), _text(new.get(key))
        if a != b:
            segments = word_diff(a, b)
            if not any(s.kind in ("old", "new") for s in segments):  # only line breaks or spacing differ
                segments = [Segment("gap", "(kun linjeskift eller mellemrum ændret)")]
            out.append(FieldChange(key, heading, segments))
    return out


def _bilag(old: dict[str, Any], new: dict[str, Any], old_hashes: dict[str, str],
           new_hashes: dict[str, str]) -> list[BilagChange]:
    def entries(data: dict[str, Any]) -> dict[str, tuple[str, str]]:
        out = {}
        for b in data.get("bilag") or []:
            if isinstance(b, dict):
                name = b.get("fil") or b.get("referat") or b.get("arkiv")
                if isinstance(name, str):
                    out[name] = (_text(b.get("titel")), _text(b.get("offentlig", True)).strip().lower())
        return out

    a, b = entries(old), entries(new)
    changes = []
    for name, (title, public) in b.items():
        if name not in a:
            changes.append(BilagChange("tilføjet", name, title))
        elif old_hashes.get(name) != new_hashes.get(name):
            changes.append(BilagChange("udskiftet", name, title))
        elif a[name][0] != title:
            changes.append(BilagChange("ny titel", name, title))
        if name in a and BOOL_WORDS.get(a[name][1]) != BOOL_WORDS.get(public):
            changes.append(BilagChange("gjort offentligt" if BOOL_WORDS.get(public, True) else "ikke længere offentligt",
                                       name, title))
    changes.extend(BilagChange("fjernet", name, title) for name, (title, _) in a.items() if name not in b)
    return changes


def _load(state: State, name: str | None = None) -> dict[str, Any]:
    data = safe_load(state.items[name] if name else state.meeting, state.path(name))
    return data if isinstance(data, dict) else {}


def diff_states(old: State, new: State) -> Diff:
    old_meeting, new_meeting = _load(old), _load(new)
    old_order = [n for n in old_meeting.get("punkter") or [] if n in old.items]
    new_order = [n for n in new_meeting.get("punkter") or [] if n in new.items]
    pairs = match_items(old, new)  # new file → old file: the same item
    kept_old = set(pairs.values())
    common_old = [n for n in old_order if n in kept_old]
    common_new = [pairs[n] for n in new_order if n in pairs]  # by their old names, in the new order
    matcher = difflib.SequenceMatcher(a=common_old, b=common_new, autojunk=False)
    kept = {common_old[i + k] for i, _, size in matcher.get_matching_blocks() for k in range(size)}
    items: list[ItemChange] = []
    for name in new_order:
        data = _load(new, name)
        number = new_order.index(name) + 1
        title = printable(_text(data.get("titel")))
        if name not in pairs:
            items.append(ItemChange(name, None, number, title, "tilføjet"))
            continue
        was = pairs[name]
        before = _load(old, was)
        change = ItemChange(name, old_order.index(was) + 1 if was in old_order else None, number, title, "ændret",
                            _fields(before, data, FIELDS), _bilag(before, data, old.bilag, new.bilag),
                            moved=was not in kept or was != name, renamed_from=was if was != name else None)
        if change.moved and not change.fields and not change.bilag:
            change.status = "flyttet"
        if change.fields or change.bilag or change.moved:
            items.append(change)
    for name in old_order:
        if name not in kept_old:
            data = _load(old, name)
            items.append(ItemChange(name, old_order.index(name) + 1, None, printable(_text(data.get("titel"))),
                                    "fjernet"))
    return Diff(old.label, new.label, _fields(old_meeting, new_meeting, MEETING_FIELDS), items)


RED, GREEN, DIM, BOLD, RESET = "\033[31m", "\033[32m", "\033[2m", "\033[1m", "\033[0m"


def _segments_text(segments: list[Segment], colour: bool) -> str:
    parts = []
    for s in segments:
        text = printable(s.text)
        if s.kind == "old":
            parts.append(f"{RED}[-{text}-]{RESET}" if colour else f"[-{text}-]")
        elif s.kind == "new":
            parts.append(f"{GREEN}{{+{text}+}}{RESET}" if colour else f"{{+{text}+}}")
        elif s.kind == "gap":
            parts.append(f"{DIM}{text}{RESET}" if colour else text)
        else:
            parts.append(text)
    return " ".join(parts)


def item_heading(change: ItemChange) -> str:
    if change.number_new is not None and change.number_old is not None and change.number_new != change.number_old:
        where = f"Punkt {change.number_old} → {change.number_new}"
    else:
        where = f"Punkt {change.number_new if change.number_new is not None else change.number_old}"
    before = f", tidligere punkter/{printable(change.renamed_from)}" if change.renamed_from else ""
    return f"{where}. {change.title} (punkter/{printable(change.file)}{before}): {change.status}"


def terminal_lines(diff: Diff, colour: bool = False) -> list[str]:
    lines = [f"Ændringer fra {diff.old} til {diff.new}:"]
    if diff.empty:
        return [f"Ingen ændringer fra {diff.old} til {diff.new}."]
    if diff.meeting:
        lines.append((BOLD if colour else "") + "Mødet (møde.yaml):" + (RESET if colour else ""))
        lines += [f"  {f.heading}: {_segments_text(f.segments, colour)}" for f in diff.meeting]
    for change in diff.items:
        lines.append((BOLD if colour else "") + item_heading(change) + (RESET if colour else ""))
        if change.moved and change.status != "flyttet":
            lines.append("  flyttet")
        lines += [f"  {f.heading}: {_segments_text(f.segments, colour)}" for f in change.fields]
        lines += [f"  bilag {b.kind}: {printable(b.name)}" + (f" ({printable(b.title)})" if b.title else "")
                  for b in change.bilag]
    return lines


ERRATA_TITLE = "Rettelsesblad"


def _inlines(segments: list[Segment]) -> list[dict[str, Any]]:
    """Removed words in italics inside [- -], added words in bold inside {+ +}: readable in print without colour."""
    out: list[dict[str, Any]] = []
    for n, s in enumerate(segments):
        if n:
            out.append({"type": "text", "v": " "})
        text = printable(s.text)
        if s.kind == "old":
            out.append({"type": "emph", "c": [{"type": "text", "v": f"[udgår: {text}]"}]})
        elif s.kind == "new":
            out.append({"type": "strong", "c": [{"type": "text", "v": f"[nyt: {text}]"}]})
        else:
            out.append({"type": "text", "v": text})
    return out


def _par(inlines: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "par", "inlines": inlines}


def errata_view(base: DocumentView, diff: Diff) -> DocumentView:
    """A "Rettelsesblad" in the document view's shape: one item per changed item, one section per changed field."""
    view = cast(DocumentView, dict(base))
    retitle(view, ERRATA_TITLE, ERRATA_TITLE)
    view["title"] = base["title"].replace(base["kind_title"], ERRATA_TITLE, 1)
    view["front"] = [{"label": "Ændringer", "lines": [printable(f"Fra {diff.old} til {diff.new}")]},
                     {"label": "Læsevejledning", "lines": ["[udgår: …] er fjernet, [nyt: …] er tilføjet"]}]
    items: list[dict[str, Any]] = []
    if diff.meeting:
        items.append(_errata_item("", "Mødet", "Mødet", diff.meeting, []))
    for change in diff.items:
        if change.status == "flyttet" and change.number_old == change.number_new:
            continue  # only the file was renamed: nothing a reader of the agenda sees
        number = str(change.number_new if change.number_new is not None else change.number_old)
        label = f"Punkt {number}."
        title = f"{change.title} ({change.status})"
        items.append(_errata_item(number, label, title, change.fields, change.bilag, change))
    if not items:
        items.append(_errata_item("", "Ingen ændringer", "", [], []))
    view["items"] = cast(Any, items)
    return view


def _errata_item(number: str, label: str, title: str, fields: list[FieldChange], bilag: list[BilagChange],
                 change: ItemChange | None = None) -> dict[str, Any]:
    sections: list[dict[str, Any]] = []
    if change is not None and change.moved and change.number_old is not None:
        sections.append({"type": "blocks", "key": "flyttet", "heading": "Placering", "blocks": [_par([{"type": "text", "v":
                         f"Flyttet fra punkt {change.number_old} til punkt {change.number_new}"}])]})
    sections += [{"type": "blocks", "key": f"ændring-{f.key}", "heading": f.heading, "blocks": [_par(_inlines(f.segments))]}
                 for f in fields]
    if bilag:
        sections.append({"type": "blocks", "key": "ændring-bilag", "heading": "Bilag", "blocks": [
            _par([{"type": "text", "v": printable(f"{b.kind}: {b.name}" + (f" ({b.title})" if b.title else ""))}])
            for b in bilag]})
    return {"number": number, "label": label, "title": printable(title), "bookmark": f"{label} {printable(title)}",
            "access": "Åben", "closed": False, "withheld": False, "case_number": None, "time_slot": None, "sections": sections,
            "notice": None, "group": None, "opens_group": False}
