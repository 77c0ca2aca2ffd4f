"""`referat publish --site DIR MØDEMAPPER…`: a static web site of the public editions of many meetings.

DIR/index.html                      the meetings by committee and year
DIR/beslutninger.html               the decision register (what the public referat says, item by item)
DIR/moeder.ics                      the coming meetings (næste_møde later than the committee's latest meeting)
DIR/feed.atom                       an Atom feed of the published meetings
DIR/<udvalg>/<dato>/index.html      a meeting: its web editions, PDF editions and public bilag
DIR/<udvalg>/<dato>/…-offentlig.*   the public editions; bilag-N-M.pdf the public bilag, cleaned

Only public editions are built, by the pipeline (`referat.app.publish`), after the same checks as `build
--offentlig` (privacy lint and the leak check over every file of the meeting); nothing else from a meeting folder
is copied. This module writes the site's own pages from the public edition of each meeting and its public views
only, so it never sees what a public edition leaves out; the pipeline checks every page for leaks before any is
written. Same input, same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import escape

from ..text.danish import long_date

if TYPE_CHECKING:  # the site's own pages are written from plain data (`Entry`): no model, no Markdown, no jinja2
    from ..model.meeting import Meeting
    from ..view.types import DocumentView

STYLE = """body{font-family:"Liberation Sans",Arial,sans-serif;line-height:1.5;color:#1a1a1a;background:#fff;
max-width:50rem;margin:0 auto;padding:1rem 1.25rem 3rem}a{color:#0b4f8a}h1{color:#1F4E79}
table{border-collapse:collapse}th,td{border:1px solid #767676;padding:.25rem .5rem;text-align:left;vertical-align:top}"""


@dataclass
class Published:
    meeting: Meeting  # the public edition (`view.edition`): spans resolved, closed items reduced to what they print
    path: str  # "das-social/2026-02-23"
    files: dict[str, bytes]
    kinds: list[str]
    views: dict[str, DocumentView]  # kind → its public view, made by the pipeline
    signers: list[str] = field(default_factory=list)  # of the archived minutes, as the certificates say (issue 25)


def _page(title: str, body: str, depth: int) -> bytes:
    up = "../" * depth
    nav = (f'<nav aria-label="Webstedet"><ul><li><a href="{up}index.html">Møder</a></li>'
           f'<li><a href="{up}beslutninger.html">Beslutninger</a></li>'
           f'<li><a href="{up}feed.atom">Nyhedsfeed (Atom)</a></li><li><a href="{up}moeder.ics">Kommende møder '
           f'(iCalendar)</a></li></ul></nav>')
    return (f'<!DOCTYPE html>\n<html lang="da">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{escape(title)}</title>\n'
            f"<style>{STYLE}</style>\n</head>\n<body>\n<header>{nav}</header>\n<main>\n<h1>{escape(title)}</h1>\n"
            f"{body}\n</main>\n</body>\n</html>\n").encode()


def meeting_page(pub: Published) -> bytes:
    m = pub.meeting
    title = f"{m.profile.short_name} – mødet den {long_date(m.date)}"
    rows = []
    for kind in pub.kinds:
        word = {"dagsorden": "Dagsorden", "referat": "Referat"}[kind]
        rows.append(f'<li><a href="{kind}-offentlig.html">{word} (webudgave)</a> · '
                    f'<a href="{kind}-offentlig.pdf">{word} (PDF)</a></li>')
    bilag = sorted(name for name in pub.files if name.startswith("bilag-"))
    view = pub.views[pub.kinds[-1]]
    titles = {f"bilag-{b['id'].replace('.', '-')}.pdf": b["title"] for item in view["items"]
              for s in item["sections"] if s["type"] == "bilag" for b in s["bilag"]}
    body = "<h2>Dokumenter</h2>\n<ul>" + "".join(rows) + "</ul>\n"
    if bilag:
        body += "<h2>Bilag</h2>\n<ul>" + "".join(
            f'<li><a href="{name}">{escape(titles.get(name, name))}</a></li>' for name in bilag) + "</ul>\n"
    if pub.signers:  # the archived, signed minutes: who the certificates name (issue 25)
        body += "<h2>Underskrifter</h2>\n<p>Referatet er underskrevet digitalt af:</p>\n<ul>" + "".join(
            f"<li>{escape(line)}</li>" for line in pub.signers) + "</ul>\n"
    return _page(title, body, 2)


@dataclass(frozen=True)
class Decision:
    """One row of the decision register: where the item stands in the public minutes, its title and decision."""

    href: str  # "das-social/2026-02-23/referat-offentlig.html#punkt-3"
    bookmark: str
    text: str


@dataclass(frozen=True)
class Entry:
    """What the site's own pages (index, decision register, calendar, feed) show of one meeting: plain data, the
    same from a meeting built now and from one kept as it was last published (an incremental `publish`)."""

    path: str
    committee_id: str
    committee: str  # the profile's short name
    author: str  # the secretariat (else the committee's name)
    date: dt.date
    kinds: tuple[str, ...]
    next_date: dt.date | None = None
    next_start: str | None = None
    next_end: str | None = None
    next_place: str | None = None
    decisions: tuple[Decision, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "committee_id": self.committee_id, "committee": self.committee,
                "author": self.author, "date": self.date.isoformat(), "kinds": list(self.kinds),
                "next": [self.next_date.isoformat() if self.next_date else None, self.next_start, self.next_end,
                         self.next_place],
                "decisions": [[d.href, d.bookmark, d.text] for d in self.decisions]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        next_date, start, end, place = data["next"]
        return cls(data["path"], data["committee_id"], data["committee"], data["author"],
                   dt.date.fromisoformat(data["date"]), tuple(data["kinds"]),
                   dt.date.fromisoformat(next_date) if next_date else None, start, end, place,
                   tuple(Decision(*row) for row in data["decisions"]))


def entry_of(pub: Published) -> Entry:
    """The site pages' data of a meeting's public edition."""
    from ..render.html import fill
    from ..text.richtext import plain_text

    m = pub.meeting
    decisions = []
    if "referat" in pub.kinds:
        view = pub.views["referat"]
        anchor = view["labels"]["anchor"]  # the item's anchor in the web edition (render/html.py sets it)
        for item in view["items"]:
            text = " ".join(plain_text(s["blocks"], sep=" ") for s in item["sections"]
                            if s["type"] == "blocks" and s["key"] == "beslutning")
            if item["notice"]:
                text = (item["notice"] + " " + text).strip()
            decisions.append(Decision(f"{pub.path}/referat-offentlig.html#{fill(anchor, nummer=item['number'])}",
                                      item["bookmark"], text))
    nxt = m.next_meeting
    return Entry(pub.path, m.committee_id, m.profile.short_name, m.profile.secretariat or m.profile.name, m.date,
                 tuple(pub.kinds), nxt.date if nxt else None, nxt.start if nxt else None, nxt.end if nxt else None,
                 nxt.place if nxt else None, tuple(decisions))


def _index(entries: list[Entry]) -> bytes:
    groups: dict[str, dict[int, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    for entry in entries:
        groups[entry.committee][entry.date.year].append(entry)
    body = []
    for committee in sorted(groups):
        body.append(f"<h2>{escape(committee)}</h2>")
        for year in sorted(groups[committee], reverse=True):
            body.append(f"<h3>{year}</h3>\n<ul>")
            for entry in sorted(groups[committee][year], key=lambda e: e.date, reverse=True):
                body.append(f'<li><a href="{entry.path}/index.html">Mødet den {long_date(entry.date)}</a></li>')
            body.append("</ul>")
    return _page("Møder", "\n".join(body), 0)


def _decisions(entries: list[Entry]) -> bytes:
    rows = []
    for entry in sorted(entries, key=lambda e: (e.date, e.path)):
        for d in entry.decisions:
            rows.append(f"<tr><td>{entry.date.isoformat()}</td><td>{escape(entry.committee)}</td>"
                        f'<td><a href="{escape(d.href)}">{escape(d.bookmark)}</a></td><td>{escape(d.text)}</td></tr>')
    body = ('<table>\n<caption>Beslutninger fra de offentlige referater</caption>\n<thead><tr><th scope="col">Dato</th>'
            '<th scope="col">Udvalg</th><th scope="col">Punkt</th><th scope="col">Beslutning</th></tr></thead>\n<tbody>'
            + "\n".join(rows) + "</tbody>\n</table>")
    return _page("Beslutninger", body, 0)


def _ics_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _calendar(entries: list[Entry]) -> bytes:
    latest: dict[str, Entry] = {}
    for entry in entries:
        cid = entry.committee_id
        if cid not in latest or entry.date > latest[cid].date:
            latest[cid] = entry
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//referat//publish//DA", "CALSCALE:GREGORIAN"]
    for cid in sorted(latest):
        e = latest[cid]
        if e.next_date is None or e.next_date <= e.date:
            continue
        stamp = f"{e.date:%Y%m%d}T120000Z"
        lines += ["BEGIN:VEVENT", f"UID:{cid}-{e.next_date.isoformat()}@referat", f"DTSTAMP:{stamp}"]
        if e.next_start and e.next_end:
            lines += [f"DTSTART:{e.next_date:%Y%m%d}T{e.next_start.replace('.', '')}00",
                      f"DTEND:{e.next_date:%Y%m%d}T{e.next_end.replace('.', '')}00"]
        else:
            lines.append(f"DTSTART;VALUE=DATE:{e.next_date:%Y%m%d}")
        lines.append("SUMMARY:" + _ics_text(f"Møde i {e.committee}"))
        if e.next_place:
            lines.append("LOCATION:" + _ics_text(e.next_place))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _feed(entries: list[Entry]) -> bytes:
    ordered = sorted(entries, key=lambda e: (e.date, e.path), reverse=True)
    updated = f"{ordered[0].date.isoformat()}T12:00:00Z" if ordered else "1970-01-01T00:00:00Z"
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="da">',
           "<title>Offentliggjorte møder</title>", "<id>tag:referat,2026:publish</id>", f"<updated>{updated}</updated>",
           '<link rel="alternate" href="index.html"/>']
    for e in ordered:
        title = f"{e.committee} – mødet den {long_date(e.date)}"
        out += ["<entry>", f"<title>{escape(title)}</title>", f"<id>tag:referat,{e.date.isoformat()}:{e.path}</id>",
                f"<updated>{e.date.isoformat()}T12:00:00Z</updated>",
                f"<author><name>{escape(e.author)}</name></author>",
                f'<link rel="alternate" href="{e.path}/index.html"/>',
                f"<summary>{escape(', '.join(e.kinds))}</summary>", "</entry>"]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")


def site_pages(site: Path, entries: list[Entry]) -> dict[Path, bytes]:
    """The site's own pages: the index, the decision register, the calendar and the feed (from every meeting)."""
    return {site / "index.html": _index(entries), site / "beslutninger.html": _decisions(entries),
            site / "moeder.ics": _calendar(entries), site / "feed.atom": _feed(entries)}


def meeting_files(site: Path, pub: Published) -> dict[Path, bytes]:
    """A meeting's page and its files (its public editions and bilag)."""
    base = site / pub.path
    return {base / "index.html": meeting_page(pub), **{base / name: data for name, data in sorted(pub.files.items())}}


def site_files(site: Path, pubs: list[Published]) -> dict[Path, bytes]:
    """Every file of the site: the index pages, register, calendar and feed, and each meeting's page and files."""
    out = site_pages(site, [entry_of(pub) for pub in pubs])
    for pub in pubs:
        out.update(meeting_files(site, pub))
    return out
