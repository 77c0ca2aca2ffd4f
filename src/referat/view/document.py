"""The document view: what a reader sees, decided once for every writer (Word, PDF, text).

A writer gets a typed, JSON-ready `DocumentView` (see `viewtypes`) and only lays it out; wording, order,
numbering, what is closed and what a public edition leaves out are all decided here, with the words from the
committee's profile and from `labels`.
"""

from __future__ import annotations

from ..model.item import Item, ItemType
from ..model.meeting import Meeting, PartialAttendance
from ..model.person import Member
from ..text.danish import document_date, join_and, long_date, short_date, time_span
from ..text.richtext import parse, printable
from . import labels as L
from .edition import edition
from .types import (
    BilagEntry,
    BilagSection,
    Block,
    BlocksSection,
    DocumentView,
    FrontRow,
    ItemView,
    Kind,
    PointsSection,
    Section,
)

View = DocumentView  # the name earlier code imported


def document_view(meeting: Meeting, kind: str, public: bool = False) -> DocumentView:
    """The agenda ('dagsorden') or minutes ('referat') of `meeting`, optionally the public edition."""
    meeting = edition(meeting, public)  # redaction spans: their text internally, "[…]" in a public edition
    which = _kind(kind)
    profile = meeting.profile
    kind_title = L.KIND_TITLE[which]
    date_text = long_date(meeting.date)
    title = L.edition(f"{kind_title} – {profile.short_name} – {date_text}", public)
    return {
        "kind": which,
        "kind_title": kind_title,
        "edition_title": L.edition(kind_title, public),
        "public": public,
        "title": printable(title),
        "subject": printable(meeting.case_number or ""),
        "author": printable(profile.secretariat or profile.name),
        "lang": "da-DK",
        "date": meeting.date.isoformat(),
        "committee": {"short": printable(profile.short_name), "name": printable(profile.name),
                      "organisation": printable(profile.organisation or "")},
        "look": {"colour": profile.look.colour, "font": profile.look.font},
        "header": printable(profile.header(short_date(meeting.date))),
        "front": _front(meeting),
        "labels": {"toc": L.TOC, "page": L.PAGE, "bilag_page": L.BILAG_PAGE, "skip": L.SKIP_TO_CONTENT,
                   "case_number": L.CASE_NUMBER, "time_slot": L.TIME_SLOT, "anchor": L.ITEM_ANCHOR},
        "items": [_item(meeting, item, which, public) for item in meeting.items],
    }


def _kind(kind: str) -> Kind:
    if kind == "dagsorden":
        return "dagsorden"
    if kind == "referat":
        return "referat"
    raise ValueError(f"unknown document kind {kind!r}")  # a bug of the caller, not the user's input


def _front(meeting: Meeting) -> list[FrontRow]:
    rows: list[FrontRow] = [
        {"label": L.TIME, "lines": [L.MEETING_LINE.format(dato=document_date(meeting.date),
                                                          tid=time_span(meeting.start, meeting.end))]},
        {"label": L.PLACE, "lines": [printable(meeting.place) if meeting.place and not meeting.online
                                     else L.ONLINE_PLACE]},
    ]
    att = meeting.attendance
    roster = {m.name: m for m in meeting.roster}
    if att.absent:
        rows.append({"label": L.ABSENT, "lines": [_person(roster.get(n) or Member(name=n)) for n in att.absent]})
    if att.present:
        partial = {p.name: p for p in att.partial}
        rows.append({"label": L.PRESENT, "lines": [_person(roster.get(n) or Member(name=n)) + _partial(partial.get(n))
                                                   for n in att.present]})
    if att.others:
        lines = []
        for g in att.others:
            text = _person(g)
            if g.substitute_for:
                text += " " + L.SUBSTITUTE.format(navn=printable(g.substitute_for))
            if g.items:
                text += " " + L.PARTIAL.format(punkter=join_and([str(n) for n in g.items]))
            lines.append(text)
        rows.append({"label": L.OTHERS, "lines": lines})
    if meeting.other_information and meeting.other_information.strip():
        rows.append({"label": L.OTHER_INFO, "lines": [], "blocks": parse(meeting.other_information)})
    return rows


def _partial(entry: PartialAttendance | None) -> str:
    """" (deltog fra pkt. 3)" after a member present for part of the meeting; "" for the whole meeting."""
    if entry is None:
        return ""
    first, last = entry.from_item, entry.to_item
    if first is not None and last is not None:
        return " " + (L.PARTIAL_ONE if first == last else L.PARTIAL_SPAN).format(fra=first, til=last)
    if first is not None:
        return " " + L.PARTIAL_FROM.format(fra=first)
    return " " + L.PARTIAL_UNTIL.format(til=last)


def _person(person: Member) -> str:
    """'Navn, titel, organisation', leaving out what the name already says."""
    parts = [person.name]
    for extra in (person.title, person.organisation):
        if extra and extra.lower() not in ", ".join(parts).lower():
            parts.append(extra)
    return printable(", ".join(parts))


def _item(meeting: Meeting, item: Item, kind: Kind, public: bool) -> ItemView:
    profile = meeting.profile
    label = profile.label(item.number)
    title = printable(item.title)
    withheld = public and item.closed
    view: ItemView = {
        "number": item.number,
        "label": label,
        "title": title,
        "bookmark": f"{label} {title}",
        "access": L.CLOSED if item.closed else L.OPEN,
        "closed": item.closed,
        "withheld": withheld,
        "case_number": None,
        "time_slot": None,
        "sections": [],
        "notice": L.CLOSED_NOTICE if withheld else None,
    }
    if withheld:
        reason = (item.closed_reason or "").strip()
        if reason:
            view["notice"] = L.CLOSED_REASON.format(grundlag=printable(reason))
        if kind == "referat" and item.public_decision and item.public_decision.strip():
            view["sections"] = [_blocks_section("beslutning", printable(profile.headings["beslutning"]),
                                                parse(item.public_decision))]
        return view
    # an explicit empty sagsnummer ("") means none, as on items the source prints without one (003 L2249)
    case = item.case_number if item.case_number is not None else (
        meeting.case_number if item.type is not ItemType.STANDARD else None)
    view["case_number"] = printable(case) if case else None
    view["time_slot"] = item.time_slot
    view["sections"] = _sections(meeting, item, kind, public)
    return view


def _sections(meeting: Meeting, item: Item, kind: Kind, public: bool) -> list[Section]:
    profile = meeting.profile
    out: list[Section] = []
    intro = _next_meeting_text(meeting, item)
    if intro:
        out.append(_blocks_section("intro", None, [{"type": "par", "inlines": [{"type": "text", "v": intro}]}]))
    for key in profile.order:
        heading = printable(profile.headings[key])
        if key == "indstilling":
            if item.recommendation:
                points: PointsSection = {
                    "type": "points", "key": key, "heading": heading, "lead_in": printable(profile.lead_in),
                    "points": [{"text": printable(p.text), "sub": [printable(s) for s in p.subpoints]}
                               for p in item.recommendation],
                }
                out.append(points)
        elif key == "bilag":
            if item.bilag:
                bilag: BilagSection = {"type": "bilag", "key": key, "heading": heading,
                                       "bilag": [_bilag(item.number, n, b.title, public and not b.public)
                                                 for n, b in enumerate(item.bilag, start=1)]}
                out.append(bilag)
        elif key == "beslutning":
            if kind == "referat" and item.decision and item.decision.strip():
                out.append(_blocks_section(key, heading, parse(item.decision)))
        else:
            blocks = parse(item.section_text(key))
            if blocks:
                out.append(_blocks_section(key, heading, blocks))
    return out


def _blocks_section(key: str, heading: str | None, blocks: list[Block]) -> BlocksSection:
    return {"type": "blocks", "key": key, "heading": heading, "blocks": blocks}


def _bilag(number: str, n: int, title: str, withheld: bool) -> BilagEntry:
    name = printable(title)
    return {"id": f"{number}.{n}", "name": name, "withheld": withheld,
            "title": f"{name} ({L.WITHHELD_BILAG})" if withheld else name}


def included_bilag(view: DocumentView) -> list[tuple[ItemView, BilagEntry]]:
    """The bilag that belong to this edition (and so to its packet), in item order: none of a withheld item,
    none that are withheld themselves."""
    return [(item, entry) for item in view["items"] if not item["withheld"]
            for section in item["sections"] if section["type"] == "bilag"
            for entry in section["bilag"] if not entry["withheld"]]


def _next_meeting_text(meeting: Meeting, item: Item) -> str | None:
    """The 'Næste møde' item states the next meeting from møde.yaml (002 L1101) unless it has its own text."""
    nxt = meeting.next_meeting
    if (nxt is None or item.type is not ItemType.STANDARD or item.case
            or item.title.strip().lower() != L.NEXT_MEETING_TITLE):
        return None
    return L.NEXT_MEETING.format(dato=document_date(nxt.date), start=nxt.start or "", slut=nxt.end or "",
                                 form=L.NEXT_FORM[nxt.form.value])
