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

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import escape

from ..text.danish import long_date, short_date
from .calendar import calendar
from .entry import Decision, Entry, changed_at, last_changed
from .feed import feed, link

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
            f"{link(up)}\n<style>{STYLE}</style>\n</head>\n<body>\n<header>{nav}</header>\n<main>\n<h1>{escape(title)}</h1>\n"
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
                 nxt.place if nxt else None, tuple(decisions), last_changed(m), changed_at(m.source.path))


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
            rows.append(f"<tr><td>{short_date(entry.date)}</td><td>{escape(entry.committee)}</td>"
                        f'<td><a href="{escape(d.href)}">{escape(d.bookmark)}</a></td><td>{escape(d.text)}</td></tr>')
    body = ('<table>\n<caption>Beslutninger fra de offentlige referater</caption>\n<thead><tr><th scope="col">Dato</th>'
            '<th scope="col">Udvalg</th><th scope="col">Punkt</th><th scope="col">Beslutning</th></tr></thead>\n<tbody>'
            + "\n".join(rows) + "</tbody>\n</table>")
    return _page("Beslutninger", body, 0)


def _previous(path: Path) -> bytes | None:
    """What the site holds now at `path` (an earlier run's output), or None."""
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def _with_feed(name: str, data: bytes) -> bytes:
    """A web edition with the site's feed linked from its <head> (two folders below the site's root)."""
    if not name.endswith(".html"):
        return data
    return data.replace(b"</head>", link("../../").encode() + b"\n</head>", 1)


def site_pages(site: Path, entries: list[Entry]) -> dict[Path, bytes]:
    """The site's own pages: the index, the decision register, the calendar and the feed (from every meeting)."""
    return {site / "index.html": _index(entries), site / "beslutninger.html": _decisions(entries),
            site / "moeder.ics": calendar(entries, _previous(site / "moeder.ics")),
            site / "feed.atom": feed(entries)}


def meeting_files(site: Path, pub: Published) -> dict[Path, bytes]:
    """A meeting's page and its files (its public editions and bilag)."""
    base = site / pub.path
    return {base / "index.html": meeting_page(pub),
            **{base / name: _with_feed(name, data) for name, data in sorted(pub.files.items())}}
