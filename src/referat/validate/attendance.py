"""Rules on attendance: every member once, substitutes for absent members, partial attendance and presenters."""

from __future__ import annotations

from collections import Counter

from ..diagnostics import Report, count
from ..load.messages import did_you_mean
from ..model.meeting import Meeting


def members_known(meeting: Meeting, report: Report) -> None:
    """Names under til_stede and fraværende are members of the roster, each listed once."""
    roster = [m.name for m in meeting.roster]
    att = meeting.attendance
    for key, names in (("til_stede", att.present), ("fraværende", att.absent)):
        counts = Counter(names)
        for i, name in enumerate(names):
            where = meeting.source.at(("fremmøde", key, i))
            if name not in roster:
                report.error(where, f"'{name}' står ikke på medlemslisten{did_you_mean(name, roster)}")
            elif counts[name] > 1 and names.index(name) != i:
                report.error(where, f"'{name}' står to gange under {key}")


def members_once(meeting: Meeting, report: Report) -> None:
    """Every member is exactly once present or absent (in the minutes; the agenda may not know yet)."""
    att = meeting.attendance
    both = set(att.present) & set(att.absent)
    for i, name in enumerate(att.absent):
        if name in both:
            report.error(meeting.source.at(("fremmøde", "fraværende", i)), f"'{name}' står både som til stede og fraværende")
    if not meeting.is_minutes:
        return
    listed = set(att.present) | set(att.absent)
    missing = [m.name for m in meeting.roster if m.name not in listed]
    if missing:
        where = meeting.source.at(("fremmøde",), on_key=True)
        for name in missing:
            report.error(where, f"medlemmet '{name}' står hverken som til stede eller fraværende")


def substitutes(meeting: Meeting, report: Report) -> None:
    """A substitute replaces an absent member; a member is not also listed as another participant."""
    roster = [m.name for m in meeting.roster]
    att = meeting.attendance
    for i, guest in enumerate(att.others):
        if guest.name in roster:
            report.error(meeting.source.at(("fremmøde", "øvrige", i, "navn")),
                         f"'{guest.name}' er medlem og skal stå under til_stede eller fraværende, ikke under øvrige")
        sub = guest.substitute_for
        if sub is None:
            continue
        where = meeting.source.at(("fremmøde", "øvrige", i, "i_stedet_for"))
        if sub not in roster:
            report.error(where, f"'{guest.name}' deltager i stedet for '{sub}', som ikke er medlem{did_you_mean(sub, roster)}")
        elif sub not in att.absent:
            report.error(where, f"'{guest.name}' deltager i stedet for '{sub}', men '{sub}' står ikke som fraværende")
    counts = Counter(g.substitute_for for g in att.others if g.substitute_for)
    for name, n in counts.items():
        if n > 1:
            report.warning(meeting.source.at(("fremmøde", "øvrige"), on_key=True), f"{count(n, 'deltager står', 'deltagere står')} i stedet for '{name}'")


def partial_attendance(meeting: Meeting, report: Report) -> None:
    """"(pkt. N)" names an item that exists."""
    numbers = {item.number for item in meeting.items}
    total = len(meeting.item_files)
    for i, guest in enumerate(meeting.attendance.others):
        for j, number in enumerate(guest.items):
            text = str(number)
            if text not in numbers and not (text.isdigit() and 1 <= int(text) <= total):
                report.error(meeting.source.at(("fremmøde", "øvrige", i, "punkter", j)),
                             f"'{guest.name}' deltager i punkt {text}, men mødet har kun punkt 1–{total}")


def partial_members(meeting: Meeting, report: Report) -> None:
    """`fremmøde.delvis`: a member present for part of the meeting is listed under til_stede, once, and the items
    named exist."""
    att = meeting.attendance
    total = len(meeting.item_files)
    seen: set[str] = set()
    for i, entry in enumerate(att.partial):
        where = meeting.source.at(("fremmøde", "delvis", i, "navn"))
        if entry.name in seen:
            report.error(where, f"'{entry.name}' står to gange under delvis")
        seen.add(entry.name)
        if entry.name in att.absent:
            report.error(where, f"'{entry.name}' står under delvis, men som fraværende; et medlem, der deltog i en "
                                "del af mødet, står under til_stede")
        elif entry.name not in att.present:
            report.error(where, f"'{entry.name}' står under delvis, men ikke under til_stede"
                                f"{did_you_mean(entry.name, att.present)}")
        for key, number in (("fra_punkt", entry.from_item), ("til_punkt", entry.to_item)):
            if number is not None and number > total:
                report.error(meeting.source.at(("fremmøde", "delvis", i, key)),
                             f"'{entry.name}': {key} er {number}, men mødet har kun punkt 1–{total}")


def presenters_attend(meeting: Meeting, report: Report) -> None:
    """Whoever presents an item attends the meeting (and that item, if attendance is partial)."""
    att = meeting.attendance
    if not (att.present or att.others):
        return
    total = len(meeting.item_files)
    attending = {name: None for name in att.present}
    for name in att.present:
        items = att.items_attended(name, total)
        if items is not None:
            attending[name] = [str(n) for n in items]  # type: ignore[assignment]
    for guest in att.others:
        attending[guest.name] = [str(n) for n in guest.items] or None  # type: ignore[assignment]
    everyone = list(attending)
    for item in meeting.items:
        for k, name in enumerate(item.presenters):
            where = item.source.at(("fremlæggere", k))
            if name not in attending:
                report.error(where, f"fremlæggeren '{name}' står ikke som deltager i mødet{did_you_mean(name, everyone)}")
            elif attending[name] is not None and item.number not in attending[name]:  # type: ignore[operator]
                report.error(where, f"fremlæggeren '{name}' deltager kun i punkt {', '.join(attending[name])}")  # type: ignore[arg-type]


RULES = [members_known, members_once, substitutes, partial_attendance, partial_members, presenters_attend]
