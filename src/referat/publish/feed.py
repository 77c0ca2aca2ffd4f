"""The site's news feed (`feed.atom`, RFC 4287): an entry per published meeting.

Each entry's `updated` is the time its meeting last changed — the newest of the files its public editions are
made from (`møde.yaml`, the items, the bilag) — not the meeting's date, so a reader sees the minutes arrive
after the agenda. The feed names itself (`rel="self"`), and every page of the site points to it (`LINK`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape

from ..model.meeting import Meeting
from ..text.danish import long_date
from .calendar import changed_at

FEED = "feed.atom"
TITLE = "Offentliggjorte møder"


def link(up: str) -> str:
    """The auto-discovery link a page's <head> carries, `up` the way from the page to the site's root."""
    return f'<link rel="alternate" type="application/atom+xml" title="{TITLE}" href="{up}{FEED}">'


@dataclass
class Entry:
    """A published meeting as the feed lists it."""

    meeting: Meeting
    path: str  # "das-social/2026-02-23"
    kinds: list[str]  # the documents published, "dagsorden", "referat"


def source_files(meeting: Meeting) -> Iterator[Path]:
    """The files a meeting's editions are made from: møde.yaml, the items' files and the bilag files."""
    yield meeting.source.path
    for item in meeting.items:
        if item.file is not None:
            yield item.file
        for b in item.bilag:
            if b.file is not None and b.path is not None:
                yield b.path


def last_changed(meeting: Meeting) -> dt.datetime:
    """When the newest of the meeting's files was last changed."""
    return max(changed_at(p) for p in source_files(meeting) if p.is_file())


def _stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def feed(entries: list[Entry]) -> bytes:
    """The Atom feed, newest change first."""
    changed = {e.path: last_changed(e.meeting) for e in entries}
    ordered = sorted(entries, key=lambda e: (changed[e.path], e.meeting.date, e.path), reverse=True)
    updated = _stamp(changed[ordered[0].path]) if ordered else "1970-01-01T00:00:00Z"
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="da">',
           f"<title>{TITLE}</title>", "<id>tag:referat,2026:publish</id>", f"<updated>{updated}</updated>",
           f'<link rel="self" type="application/atom+xml" href="{FEED}"/>',
           '<link rel="alternate" type="text/html" href="index.html"/>',
           "<generator>referat</generator>"]
    for e in ordered:
        m = e.meeting
        title = f"{m.profile.short_name} – mødet den {long_date(m.date)}"
        words = {"dagsorden": "dagsorden", "referat": "referat"}
        summary = "Offentliggjort: " + " og ".join(words[k] for k in e.kinds)
        out += ["<entry>", f"<title>{escape(title)}</title>", f"<id>tag:referat,{m.date.isoformat()}:{escape(e.path)}</id>",
                f"<updated>{_stamp(changed[e.path])}</updated>",
                f"<author><name>{escape(m.profile.secretariat or m.profile.name)}</name></author>",
                f'<link rel="alternate" type="text/html" href="{escape(e.path)}/index.html"/>',
                f"<summary>{escape(summary)}</summary>", "</entry>"]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")
