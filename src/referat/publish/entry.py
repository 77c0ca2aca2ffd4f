"""What the site's own pages (index, decision register, calendar, feed) show of one meeting: plain data.

An `Entry` is the same from a meeting built now and from one kept as it was last published (an incremental
`publish` reads it from the private cache as JSON), so the site's pages need neither the model, Markdown nor
jinja2 for a meeting that did not change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model.meeting import Meeting


@dataclass(frozen=True)
class Decision:
    """One row of the decision register: where the item stands in the public minutes, its title and decision."""

    href: str  # "das-social/2026-02-23/referat-offentlig.html#punkt-3"
    bookmark: str
    text: str


@dataclass(frozen=True)
class Entry:
    """One published meeting as the site's own pages show it."""

    path: str  # "das-social/2026-02-23"
    committee_id: str
    committee: str  # the profile's short name
    author: str  # the secretariat (else the committee's name)
    date: dt.date
    kinds: tuple[str, ...]  # the documents published, "dagsorden", "referat"
    next_date: dt.date | None = None
    next_start: str | None = None
    next_end: str | None = None
    next_place: str | None = None
    decisions: tuple[Decision, ...] = ()
    # when the newest of the files its public editions are made from changed (the feed's `updated`), and when
    # its møde.yaml did (the calendar's LAST-MODIFIED for the next meeting it announces); whole seconds, UTC
    changed: dt.datetime = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    settings_changed: dt.datetime = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "committee_id": self.committee_id, "committee": self.committee,
                "author": self.author, "date": self.date.isoformat(), "kinds": list(self.kinds),
                "next": [self.next_date.isoformat() if self.next_date else None, self.next_start, self.next_end,
                         self.next_place],
                "decisions": [[d.href, d.bookmark, d.text] for d in self.decisions],
                "changed": [self.changed.isoformat(), self.settings_changed.isoformat()]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        next_date, start, end, place = data["next"]
        changed, settings = data["changed"]
        return cls(data["path"], data["committee_id"], data["committee"], data["author"],
                   dt.date.fromisoformat(data["date"]), tuple(data["kinds"]),
                   dt.date.fromisoformat(next_date) if next_date else None, start, end, place,
                   tuple(Decision(*row) for row in data["decisions"]),
                   dt.datetime.fromisoformat(changed), dt.datetime.fromisoformat(settings))


def changed_at(path: Path) -> dt.datetime:
    """When a file was last changed (whole seconds, UTC)."""
    return dt.datetime.fromtimestamp(int(path.stat().st_mtime), dt.UTC)


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
