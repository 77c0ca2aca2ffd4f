"""The site's news feed (`feed.atom`, RFC 4287): an entry per published meeting.

Each entry's `updated` is the time its meeting last changed — the newest of the files its public editions are
made from (`møde.yaml`, the items, the bilag) — not the meeting's date, so a reader sees the minutes arrive
after the agenda. The feed names itself (`rel="self"`), and every page of the site points to it (`LINK`).
"""

from __future__ import annotations

import datetime as dt

from markupsafe import escape

from ..text.danish import long_date
from .entry import Entry

FEED = "feed.atom"
TITLE = "Offentliggjorte møder"


def link(up: str) -> str:
    """The auto-discovery link a page's <head> carries, `up` the way from the page to the site's root."""
    return f'<link rel="alternate" type="application/atom+xml" title="{TITLE}" href="{up}{FEED}">'


def _stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def feed(entries: list[Entry]) -> bytes:
    """The Atom feed, newest change first."""
    ordered = sorted(entries, key=lambda e: (e.changed, e.date, e.path), reverse=True)
    updated = _stamp(ordered[0].changed) if ordered else "1970-01-01T00:00:00Z"
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="da">',
           f"<title>{TITLE}</title>", "<id>tag:referat,2026:publish</id>", f"<updated>{updated}</updated>",
           f'<link rel="self" type="application/atom+xml" href="{FEED}"/>',
           '<link rel="alternate" type="text/html" href="index.html"/>',
           "<generator>referat</generator>"]
    for e in ordered:
        title = f"{e.committee} – mødet den {long_date(e.date)}"
        words = {"dagsorden": "dagsorden", "referat": "referat"}
        summary = "Offentliggjort: " + " og ".join(words[k] for k in e.kinds)
        out += ["<entry>", f"<title>{escape(title)}</title>", f"<id>tag:referat,{e.date.isoformat()}:{escape(e.path)}</id>",
                f"<updated>{_stamp(e.changed)}</updated>",
                f"<author><name>{escape(e.author)}</name></author>",
                f'<link rel="alternate" type="text/html" href="{escape(e.path)}/index.html"/>',
                f"<summary>{escape(summary)}</summary>", "</entry>"]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")
