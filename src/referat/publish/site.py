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

from markupsafe import escape

from ..model.meeting import Meeting
from ..render.html import fill
from ..text.danish import long_date
from ..text.richtext import plain_text
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


def _meeting_page(pub: Published) -> bytes:
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


def _index(pubs: list[Published]) -> bytes:
    groups: dict[str, dict[int, list[Published]]] = defaultdict(lambda: defaultdict(list))
    for pub in pubs:
        groups[pub.meeting.profile.short_name][pub.meeting.date.year].append(pub)
    body = []
    for committee in sorted(groups):
        body.append(f"<h2>{escape(committee)}</h2>")
        for year in sorted(groups[committee], reverse=True):
            body.append(f"<h3>{year}</h3>\n<ul>")
            for pub in sorted(groups[committee][year], key=lambda p: p.meeting.date, reverse=True):
                body.append(f'<li><a href="{pub.path}/index.html">Mødet den {long_date(pub.meeting.date)}</a></li>')
            body.append("</ul>")
    return _page("Møder", "\n".join(body), 0)


def _decisions(pubs: list[Published]) -> bytes:
    rows = []
    for pub in sorted(pubs, key=lambda p: (p.meeting.date, p.path)):
        if "referat" not in pub.kinds:
            continue
        view = pub.views["referat"]
        anchor = view["labels"]["anchor"]  # the item's anchor in the web edition (render/html.py sets it)
        for item in view["items"]:
            text = " ".join(plain_text(s["blocks"], sep=" ") for s in item["sections"]
                            if s["type"] == "blocks" and s["key"] == "beslutning")
            if item["notice"]:
                text = (item["notice"] + " " + text).strip()
            rows.append(f"<tr><td>{pub.meeting.date.isoformat()}</td><td>{escape(pub.meeting.profile.short_name)}</td>"
                        f'<td><a href="{pub.path}/referat-offentlig.html#{escape(fill(anchor, nummer=item["number"]))}">'
                        f'{escape(item["bookmark"])}</a></td><td>{escape(text)}</td></tr>')
    body = ('<table>\n<caption>Beslutninger fra de offentlige referater</caption>\n<thead><tr><th scope="col">Dato</th>'
            '<th scope="col">Udvalg</th><th scope="col">Punkt</th><th scope="col">Beslutning</th></tr></thead>\n<tbody>'
            + "\n".join(rows) + "</tbody>\n</table>")
    return _page("Beslutninger", body, 0)


def _ics_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _calendar(pubs: list[Published]) -> bytes:
    latest: dict[str, Published] = {}
    for pub in pubs:
        cid = pub.meeting.committee_id
        if cid not in latest or pub.meeting.date > latest[cid].meeting.date:
            latest[cid] = pub
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//referat//publish//DA", "CALSCALE:GREGORIAN"]
    for cid in sorted(latest):
        m = latest[cid].meeting
        nxt = m.next_meeting
        if nxt is None or nxt.date <= m.date:
            continue
        stamp = f"{m.date:%Y%m%d}T120000Z"
        lines += ["BEGIN:VEVENT", f"UID:{cid}-{nxt.date.isoformat()}@referat", f"DTSTAMP:{stamp}"]
        if nxt.start and nxt.end:
            lines += [f"DTSTART:{nxt.date:%Y%m%d}T{nxt.start.replace('.', '')}00",
                      f"DTEND:{nxt.date:%Y%m%d}T{nxt.end.replace('.', '')}00"]
        else:
            lines.append(f"DTSTART;VALUE=DATE:{nxt.date:%Y%m%d}")
        lines.append("SUMMARY:" + _ics_text(f"Møde i {m.profile.short_name}"))
        if nxt.place:
            lines.append("LOCATION:" + _ics_text(nxt.place))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _feed(pubs: list[Published]) -> bytes:
    ordered = sorted(pubs, key=lambda p: (p.meeting.date, p.path), reverse=True)
    updated = f"{ordered[0].meeting.date.isoformat()}T12:00:00Z" if ordered else "1970-01-01T00:00:00Z"
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="da">',
           "<title>Offentliggjorte møder</title>", "<id>tag:referat,2026:publish</id>", f"<updated>{updated}</updated>",
           '<link rel="alternate" href="index.html"/>']
    for pub in ordered:
        m = pub.meeting
        title = f"{m.profile.short_name} – mødet den {long_date(m.date)}"
        out += ["<entry>", f"<title>{escape(title)}</title>", f"<id>tag:referat,{m.date.isoformat()}:{pub.path}</id>",
                f"<updated>{m.date.isoformat()}T12:00:00Z</updated>",
                f"<author><name>{escape(m.profile.secretariat or m.profile.name)}</name></author>",
                f'<link rel="alternate" href="{pub.path}/index.html"/>',
                f"<summary>{escape(', '.join(pub.kinds))}</summary>", "</entry>"]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")


def site_files(site: Path, pubs: list[Published]) -> dict[Path, bytes]:
    """Every file of the site: the index pages, register, calendar and feed, and each meeting's page and files."""
    out: dict[Path, bytes] = {site / "index.html": _index(pubs), site / "beslutninger.html": _decisions(pubs),
                              site / "moeder.ics": _calendar(pubs), site / "feed.atom": _feed(pubs)}
    for pub in pubs:
        base = site / pub.path
        out[base / "index.html"] = _meeting_page(pub)
        out.update({base / name: data for name, data in sorted(pub.files.items())})
    return out
