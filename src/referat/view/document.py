"""The document view: what a reader sees, decided once for every writer (Word, PDF, text).

A writer gets a typed, JSON-ready `DocumentView` (see `viewtypes`) and only lays it out; wording, order,
numbering, what is closed and what a public edition leaves out are all decided here, with the words from the
committee's profile and from `labels`.
"""

from __future__ import annotations

from ..model.item import Item, ItemType
from ..model.meeting import Meeting, PartialAttendance
from ..model.person import Guest, Member
from ..model.profile import Committee, FrontField, HeaderPlacement, Names, PointStyle, TocPlacement
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
    GroupView,
    ItemView,
    Kind,
    PageLayout,
    PointsSection,
    Section,
    TitleLine,
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
        "layout": _layout(profile, L.edition(kind_title, public)),
        "front": _front(meeting),
        "labels": {"toc": L.TOC, "page": page_label(profile), "bilag_page": L.BILAG_PAGE, "skip": L.SKIP_TO_CONTENT,
                   "case_number": L.CASE_NUMBER, "time_slot": L.TIME_SLOT, "anchor": L.ITEM_ANCHOR},
        "items": _items(meeting, which, public),
    }


def retitle(view: DocumentView, kind_title: str, edition_title: str) -> None:
    """Name the view's document otherwise (a revised agenda, a tillægsdagsorden, a correction, a rettelsesblad):
    its title words and the line of the front page's title block that names the document."""
    old = view["edition_title"]
    view["kind_title"], view["edition_title"] = kind_title, edition_title
    view["layout"] = {**view["layout"], "title": [
        {**line, "text": line["text"].replace(old, edition_title)} if line["role"] == "kind" else line
        for line in view["layout"]["title"]]}


def page_label(profile: Committee) -> str:
    """The profile's page number ("Side {side} af {sider}") with the writers' placeholders ({x}, {y})."""
    return profile.layout.page_number.replace("{side}", "{x}").replace("{sider}", "{y}")


_TOC = {TocPlacement.FRONT: "front", TocPlacement.OWN_PAGE: "page", TocPlacement.NONE: "none"}


def _layout(profile: Committee, document: str) -> PageLayout:
    layout = profile.layout
    values = {"organisation": profile.organisation or "", "navn": profile.name, "kortnavn": profile.short_name,
              "dokumenttype": document}
    title: list[TitleLine] = []
    for line in layout.front.title:
        text = printable(line.format(**values).strip())
        if not text:
            continue
        role = "kind" if "{dokumenttype}" in line else "organisation" if line.strip() == "{organisation}" \
            else "committee"
        title.append({"text": text, "role": role})  # type: ignore[typeddict-item]
    return {
        "title": title,
        "toc": _TOC[layout.front.toc],  # type: ignore[typeddict-item]
        "front_footer": layout.front.footer,
        "header": "every_page" if layout.header is HeaderPlacement.EVERY_PAGE else "item_start",
        "points": "numbered" if layout.points is PointStyle.NUMBERED else "bullets",
    }


def _kind(kind: str) -> Kind:
    if kind == "dagsorden":
        return "dagsorden"
    if kind == "referat":
        return "referat"
    raise ValueError(f"unknown document kind {kind!r}")  # a bug of the caller, not the user's input


def _front(meeting: Meeting) -> list[FrontRow]:
    """The front page's label/value lines, in the profile's order; names one per line or run on; a line with
    nothing to show is left out unless the profile shows empty lines."""
    front = meeting.profile.layout.front
    att = meeting.attendance
    roster = {m.name: m for m in meeting.roster}
    partial = {p.name: p for p in att.partial}
    names: dict[FrontField, tuple[str, list[str]]] = {
        FrontField.ABSENT: (L.ABSENT, [_person(roster.get(n) or Member(name=n)) for n in att.absent]),
        FrontField.PRESENT: (L.PRESENT, [_person(roster.get(n) or Member(name=n)) + _partial(partial.get(n))
                                         for n in att.present]),
        FrontField.OTHERS: (L.OTHERS, [_guest(g) for g in att.others]),
    }
    rows: list[FrontRow] = []
    for field in front.fields:
        if field is FrontField.TIME:
            rows.append({"label": L.TIME, "lines": [L.MEETING_LINE.format(dato=document_date(meeting.date),
                                                                          tid=time_span(meeting.start, meeting.end))]})
        elif field is FrontField.PLACE:
            rows.append({"label": L.PLACE, "lines": [printable(meeting.place) if meeting.place and not meeting.online
                                                     else L.ONLINE_PLACE]})
        elif field is FrontField.OTHER_INFO:
            info = meeting.other_information
            if info and info.strip():
                rows.append({"label": L.OTHER_INFO, "lines": [], "blocks": parse(info)})
            elif front.show_empty:
                rows.append({"label": L.OTHER_INFO, "lines": []})
        else:
            label, lines = names[field]
            if lines and front.names is Names.RUN_ON:
                lines = [L.NAME_SEPARATOR.join(lines)]
            if lines or front.show_empty:
                rows.append({"label": label, "lines": lines})
    return rows


def _guest(g: Guest) -> str:
    text = _person(g)
    if g.substitute_for:
        text += " " + L.SUBSTITUTE.format(navn=printable(g.substitute_for))
    if g.items:
        text += " " + L.PARTIAL.format(punkter=join_and([str(n) for n in g.items]))
    return text


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


def _items(meeting: Meeting, kind: Kind, public: bool) -> list[ItemView]:
    """Every item, each with the group it stands under: numbered ("2. Sager til beslutning" over 2.1, 2.2 …) where
    the profile numbers hierarchically, an unnumbered heading over its items where it numbers on."""
    out: list[ItemView] = []
    ordinal = 0
    previous: str | None = None
    for item in meeting.items:
        view = _item(meeting, item, kind, public)
        if item.group is not None:
            title = printable(item.group)
            if item.group != previous:
                ordinal += 1
            if meeting.profile.hierarchical:
                number = item.number.rsplit(".", 1)[0]
                label = meeting.profile.group_label(number)
                group: GroupView = {"number": number, "label": label, "title": title, "bookmark": f"{label} {title}"}
            else:
                group = {"number": str(ordinal), "label": "", "title": title, "bookmark": title}
            view["group"] = group
        previous = item.group
        out.append(view)
    return regroup(out)


def regroup(items: list[ItemView]) -> list[ItemView]:
    """`items` (a view's, or some of them, in order) with the group heading before the first of each group's items
    shown: the one rule for where a heading stands, for the documents and for the tillægsdagsorden's subset."""
    out: list[ItemView] = []
    for n, item in enumerate(items):
        group = item["group"]
        before = items[n - 1]["group"] if n else None
        opens = group is not None and (before is None or before["number"] != group["number"])
        out.append({**item, "opens_group": opens})
    return out


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
        "group": None,
        "opens_group": False,
    }
    if withheld:
        reason = (item.closed_reason or "").strip()
        if reason:
            view["notice"] = L.CLOSED_REASON.format(grundlag=printable(reason))
        if kind == "referat" and item.public_decision and item.public_decision.strip():
            view["sections"] = [_blocks_section("beslutning", _heading(profile, "beslutning", kind),
                                                parse(item.public_decision))]
        return view
    # an explicit empty sagsnummer ("") means none, as on items the source prints without one (003 L2249)
    case = item.case_number if item.case_number is not None else (
        meeting.case_number if item.type is not ItemType.STANDARD else None)
    view["case_number"] = printable(case) if case else None
    view["time_slot"] = item.time_slot
    view["sections"] = _sections(meeting, item, kind, public)
    return view


def _heading(profile: Committee, key: str, kind: Kind) -> str | None:
    return printable(profile.heading(key, kind)) or None


def _sections(meeting: Meeting, item: Item, kind: Kind, public: bool) -> list[Section]:
    """The item's sections in the profile's order, each free section after the one it names; a section with
    nothing to show is left out, or shown as its heading alone where the profile says so."""
    profile = meeting.profile
    out: list[Section] = []
    intro = _next_meeting_text(meeting, item)
    if intro:
        out.append(_blocks_section("intro", None, [{"type": "par", "inlines": [{"type": "text", "v": intro}]}]))
    out += _free(item, "start")
    for key in profile.order:
        heading = _heading(profile, key, kind)
        section: Section | None = None
        if key == "indstilling":
            if item.recommendation:
                lead_in = item.lead_in if item.lead_in is not None else profile.lead_in
                points: PointsSection = {
                    "type": "points", "key": key, "heading": heading, "lead_in": printable(lead_in.strip()),
                    "points": [{"text": printable(p.text), "sub": [printable(s) for s in p.subpoints]}
                               for p in item.recommendation],
                }
                section = points
        elif key == "bilag":
            if item.bilag:
                bilag: BilagSection = {"type": "bilag", "key": key, "heading": heading,
                                       "bilag": [_bilag(meeting, item, n, b.title, public and not b.public)
                                                 for n, b in enumerate(item.bilag, start=1)]}
                section = bilag
        elif key == "beslutning":
            if kind == "referat" and item.decision and item.decision.strip():
                section = _blocks_section(key, heading, parse(item.decision))
        else:
            blocks = parse(item.section_text(key))
            if blocks:
                section = _blocks_section(key, heading, blocks)
        if section is None and heading and profile.show_empty(key):
            section = _blocks_section(key, heading, [])
        if section is not None:
            out.append(section)
        out += _free(item, key)
    return out


def _free(item: Item, after: str) -> list[Section]:
    """The item's free sections placed after section `after` ("start": under the title), in their order."""
    return [_blocks_section(FREE_SECTION, printable(free.heading.strip()) if free.heading and free.heading.strip()
                            else None, parse(free.text))
            for free in item.free_sections if free.after.value == after and free.text.strip()]


FREE_SECTION = "afsnit"


def _blocks_section(key: str, heading: str | None, blocks: list[Block]) -> BlocksSection:
    return {"type": "blocks", "key": key, "heading": heading, "blocks": blocks}


def _bilag(meeting: Meeting, item: Item, n: int, title: str, withheld: bool) -> BilagEntry:
    name = printable(title)
    layout = meeting.profile.layout
    titles = (name, printable(item.title))
    if layout.bilag_cover_capitals:  # the titles in capitals; the pattern's own words as written
        titles = (titles[0].upper(), titles[1].upper())
    cover = layout.bilag_cover.format(punkt=item.number, titel=titles[0], punkttitel=titles[1])
    return {"id": f"{item.number}.{n}", "name": name, "withheld": withheld,
            "title": f"{name} ({L.WITHHELD_BILAG})" if withheld else name, "cover": cover}


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
