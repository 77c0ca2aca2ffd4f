"""The site's calendar and feed read back by independent clients: `icalendar` and `feedparser` (issue 24, item 2)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import pytest

from referat.cli import main

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "agendas" / "demo-2026-06-15-das-social"
# A place with a bare CR, a CRLF and the lines a forged event needs, and long enough to be folded.
FORGED = ("Rådhuset, mødelokale 3\rEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:falsk@x\r\nSUMMARY:Falsk møde\nDTSTART:20260101T"
          "000000Z; Æblevej 1, 9000 Aalborg – indgang fra gården bag cykelskuret ved siden af den store kastanje")
JAN = dt.datetime(2026, 7, 1, 9, 30, tzinfo=dt.UTC).timestamp()
FEB = dt.datetime(2026, 8, 2, 10, 45, tzinfo=dt.UTC).timestamp()


def _copy(tmp: Path, place: str | None = None, start: str = "12.00", when: float = JAN) -> Path:
    folder = tmp / "møde"
    if not folder.exists():
        shutil.copytree(DEMO, folder)
    yaml = folder / "møde.yaml"
    text = yaml.read_text(encoding="utf-8")
    text = re.sub(r'(næste_møde:\n  dato: 2026-09-14\n  start: )"[^"]*"', rf'\1"{start}"', text)
    if place is not None:
        quoted = place.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n").replace('"', '\\"')
        text = re.sub(r'(  slut: "16.00"\n)(  sted: .*\n)?(punkter:)', lambda m: f'{m[1]}  sted: "{quoted}"\n{m[3]}', text)
    yaml.write_text(text, encoding="utf-8")
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, (when, when))
    return folder


def _publish(site: Path, folder: Path) -> None:
    assert main(["publish", "--site", str(site), str(folder)]) == 0


def _events(site: Path) -> list[icalendar.Event]:
    cal = icalendar.Calendar.from_ical((site / "moeder.ics").read_bytes())
    return list(cal.walk("VEVENT"))


def test_a_line_break_in_a_place_cannot_forge_an_event(tmp_path: Path) -> None:
    _publish(tmp_path / "site", _copy(tmp_path, FORGED))
    data = (tmp_path / "site" / "moeder.ics").read_bytes()
    events = _events(tmp_path / "site")
    assert [str(e["UID"]) for e in events] == ["das-social-2026-09-14@referat"]
    assert str(events[0]["LOCATION"]) == FORGED.replace("\r\n", "\n").replace("\r", "\n")
    lines = data.split(b"\r\n")
    assert lines[-1] == b"" and all(b"\r" not in line and b"\n" not in line for line in lines)
    assert 72 <= max(len(line) for line in lines) <= 75  # folded at 75 octets
    for line in lines:
        line.decode("utf-8")  # never folded inside a character (æ, ø, å, –)
    assert sum(line.startswith(b" ") for line in lines) >= 2


def test_times_are_danish_time_with_the_zone(tmp_path: Path) -> None:
    _publish(tmp_path / "site", _copy(tmp_path))
    data = (tmp_path / "site" / "moeder.ics").read_bytes()
    assert b"DTSTART;TZID=Europe/Copenhagen:20260914T120000" in data
    cal = icalendar.Calendar.from_ical(data)
    zones = list(cal.walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == ["Europe/Copenhagen"]
    event = _events(tmp_path / "site")[0]
    start, end = event["DTSTART"].dt, event["DTEND"].dt
    copenhagen = ZoneInfo("Europe/Copenhagen")
    assert start == dt.datetime(2026, 9, 14, 12, 0, tzinfo=copenhagen)  # 10.00 UTC: summer time
    assert end == dt.datetime(2026, 9, 14, 16, 0, tzinfo=copenhagen)
    # the VTIMEZONE itself agrees with the zone database, in summer and in winter
    tz = zones[0].to_tz()
    for moment in (dt.datetime(2026, 9, 14, 12), dt.datetime(2026, 12, 1, 12), dt.datetime(2027, 3, 29, 12)):
        assert moment.replace(tzinfo=tz).utcoffset() == moment.replace(tzinfo=copenhagen).utcoffset()


def test_sequence_and_last_modified_change_when_the_meeting_does(tmp_path: Path) -> None:
    site = tmp_path / "site"
    folder = _copy(tmp_path, "Rådhuset", when=JAN)
    _publish(site, folder)
    first = _events(site)[0]
    assert first["SEQUENCE"] == 0
    assert first["LAST-MODIFIED"].dt == dt.datetime.fromtimestamp(JAN, dt.UTC)
    assert first["DTSTAMP"].dt == first["LAST-MODIFIED"].dt
    before = (site / "moeder.ics").read_bytes()
    _publish(site, folder)  # nothing changed: the same bytes
    assert (site / "moeder.ics").read_bytes() == before

    _copy(tmp_path, "Rådhuset", start="13.00", when=FEB)  # the next meeting moved an hour
    _publish(site, folder)
    moved = _events(site)[0]
    assert moved["SEQUENCE"] == 1
    assert moved["LAST-MODIFIED"].dt == dt.datetime.fromtimestamp(FEB, dt.UTC)
    assert moved["DTSTART"].dt.hour == 13
    _copy(tmp_path, "Byrådssalen", start="13.00", when=FEB + 60)  # and then the place changed
    _publish(site, folder)
    assert _events(site)[0]["SEQUENCE"] == 2


def test_the_feed_reads_cleanly_names_itself_and_dates_entries_by_their_change(tmp_path: Path) -> None:
    site = tmp_path / "site"
    folder = _copy(tmp_path, when=JAN)
    os.utime(folder / "punkter" / "02-borgersag-til-orientering.yaml", (FEB, FEB))  # the newest change
    _publish(site, folder)
    parsed = feedparser.parse((site / "feed.atom").read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert [link["href"] for link in parsed.feed.links if link["rel"] == "self"] == ["feed.atom"]
    [entry] = parsed.entries
    changed = dt.datetime.fromtimestamp(FEB, dt.UTC)
    assert entry.updated_parsed[:6] == changed.timetuple()[:6]  # when it changed, not the meeting's 15 June
    assert parsed.feed.updated_parsed[:6] == changed.timetuple()[:6]


def test_every_page_of_the_site_links_its_feed(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _publish(site, _copy(tmp_path))
    pages = sorted(site.rglob("*.html"))
    assert {p.name for p in pages} >= {"index.html", "beslutninger.html", "referat-offentlig.html",
                                       "dagsorden-offentlig.html"}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        head = html[:html.index("</head>")]
        links = re.findall(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', head)
        assert len(links) == 1, page
        assert (page.parent / links[0]).resolve() == (site / "feed.atom").resolve(), page


@pytest.mark.parametrize("place", ["Sted; med, tegn \\ og\ttab", "Linje 1\nLinje 2"])
def test_text_values_come_back_as_written(tmp_path: Path, place: str) -> None:
    _publish(tmp_path / "site", _copy(tmp_path, place))
    assert str(_events(tmp_path / "site")[0]["LOCATION"]) == place
