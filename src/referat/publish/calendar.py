"""The site's calendar (`moeder.ics`, RFC 5545): each committee's next meeting as an event.

Times are local Danish time with `TZID=Europe/Copenhagen` and the zone's own `VTIMEZONE` (the EU rule since
1996), so a calendar shows 12.00 as 12.00 in winter and summer. Every text value is escaped (a line break in a
place name is the two characters `\\n`, never a new line, so data cannot start a property or an event of its
own) and every line is folded at 75 octets.

An event changes when its meeting's date, time or place changes: then its `SEQUENCE` goes up by one from the
calendar the site already holds, and `LAST-MODIFIED` (and `DTSTAMP`) is the time the meeting's `møde.yaml`
was last changed. An unchanged event keeps both, so publishing the same input again gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..text.chars import printable
from .entry import Entry

TZID = "Europe/Copenhagen"
# The zone as the EU has defined summer time since 1996 (last Sunday of March and of October, 01.00 UTC).
VTIMEZONE = [
    "BEGIN:VTIMEZONE", f"TZID:{TZID}",
    "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "DTSTART:19960331T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
    "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET", "DTSTART:19961027T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
    "END:VTIMEZONE",
]
# What an event is, for telling whether it changed; DTSTAMP, SEQUENCE and LAST-MODIFIED follow from that.
_BOOKKEEPING = ("DTSTAMP", "SEQUENCE", "LAST-MODIFIED")
_UTC_STAMP = re.compile(r"\d{8}T\d{6}Z")


def text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, every line break (CR, LF or
    both) the two characters `\\n`, other control characters shown as their pictures."""
    value = printable(value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    limit = 75
    while data:
        cut = min(limit, len(data))
        while cut < len(data) and (data[cut] & 0xC0) == 0x80:  # a continuation byte: back to the character's start
            cut -= 1
        parts.append(data[:cut].decode("utf-8"))
        data = data[cut:]
        limit = 74  # a continuation line starts with a space
    return "\r\n ".join(parts)


def _utc(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _clock(date: dt.date, clock: str) -> str:
    return f"{date:%Y%m%d}T{clock.replace('.', '')}00"


@dataclass
class Stamp:
    """What the site's calendar said about an event: its content lines, SEQUENCE and LAST-MODIFIED."""

    content: list[str]
    sequence: int
    modified: str


def previous_events(data: bytes | None) -> dict[str, Stamp]:
    """The events of the calendar the site holds now (ours, from an earlier run), by UID; {} when there is none
    or it cannot be read. Only ever compared with, never copied into the new calendar."""
    if not data:
        return {}
    try:
        lines = re.sub(r"\r?\n[ \t]", "", data.decode("utf-8")).splitlines()
    except UnicodeDecodeError:
        return {}
    out: dict[str, Stamp] = {}
    event: list[str] | None = None
    for line in lines:
        if line == "BEGIN:VEVENT":
            event = []
        elif line == "END:VEVENT" and event is not None:
            props = dict(p.split(":", 1) for p in event if ":" in p)
            uid = props.get("UID")
            try:
                sequence = int(props.get("SEQUENCE", "0"))
            except ValueError:
                sequence = 0
            if uid:
                out[uid] = Stamp([p for p in event if p.split(":", 1)[0].split(";", 1)[0] not in _BOOKKEEPING],
                                 sequence, props.get("LAST-MODIFIED", ""))
            event = None
        elif event is not None:
            event.append(line)
    return out


def _event(e: Entry, before: dict[str, Stamp]) -> list[str] | None:
    nxt = e.next_date
    if nxt is None or nxt <= e.date:
        return None
    uid = f"{e.committee_id}-{nxt.isoformat()}@referat"
    content = [f"UID:{uid}"]
    if e.next_start:
        content.append(f"DTSTART;TZID={TZID}:{_clock(nxt, e.next_start)}")
        if e.next_end:
            content.append(f"DTEND;TZID={TZID}:{_clock(nxt, e.next_end)}")
    else:
        content += [f"DTSTART;VALUE=DATE:{nxt:%Y%m%d}",
                    f"DTEND;VALUE=DATE:{nxt + dt.timedelta(days=1):%Y%m%d}"]
    content.append("SUMMARY:" + text(f"Møde i {e.committee}"))
    if e.next_place:
        content.append("LOCATION:" + text(e.next_place))
    old = before.get(uid)
    if old is not None and old.content == content:
        sequence, modified = old.sequence, old.modified
    else:
        sequence = old.sequence + 1 if old is not None else 0
        modified = _utc(e.settings_changed)
        if old is not None and _UTC_STAMP.fullmatch(old.modified) and modified <= old.modified:
            # changed, yet the file is no newer (restored from a backup): a second after the last change
            modified = _utc(dt.datetime.strptime(old.modified, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
                            + dt.timedelta(seconds=1))
    return ["BEGIN:VEVENT", content[0], f"DTSTAMP:{modified}", f"LAST-MODIFIED:{modified}", f"SEQUENCE:{sequence}",
            *content[1:], "END:VEVENT"]


def calendar(entries: Iterable[Entry], previous: bytes | None = None) -> bytes:
    """The calendar of each committee's next meeting, announced by its latest meeting among `entries`;
    `previous`: the calendar the site holds now, for SEQUENCE and LAST-MODIFIED."""
    latest: dict[str, Entry] = {}
    for m in entries:
        if m.committee_id not in latest or m.date > latest[m.committee_id].date:
            latest[m.committee_id] = m
    before = previous_events(previous)
    events = [e for cid in sorted(latest) if (e := _event(latest[cid], before)) is not None]
    # no METHOD: then DTSTAMP is the time the event last changed, like LAST-MODIFIED (RFC 5545 §3.8.7.2)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//referat//publish//DA", "CALSCALE:GREGORIAN",
             "X-WR-CALNAME:" + text("Kommende møder"), f"X-WR-TIMEZONE:{TZID}"]
    if any(f";TZID={TZID}:" in line for e in events for line in e):
        lines += VTIMEZONE
    for e in events:
        lines += e
    lines.append("END:VCALENDAR")
    return ("".join(fold(line) + "\r\n" for line in lines)).encode("utf-8")
