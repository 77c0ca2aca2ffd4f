"""Follow-up of decisions: the tasks (`opfølgning:`) that decisions create, open until a later entry closes them.

Tasks come from meeting folders (the items' `opfølgning`) and from the archive (each archived version's
manifest records the tasks of the meeting it was built from). The same task (same opgave and ansvarlig) in a
later meeting replaces the earlier entry, so a task is closed by writing it again with `status: udført`.

A task of a closed item (`adgang: lukket`) stays closed wherever it is carried: `Task.closed` is kept through
every later entry of the same task, and `referat new --fra` carries such tasks into a closed item of their own
(`lifecycle/nextmeeting.py`), never into the open "Opfølgning på beslutninger" that a public agenda prints.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import Location, Report
from ..model.meeting import Meeting


@dataclass
class Task:
    committee: str
    meeting_date: str  # ISO date of the meeting whose decision made the task
    item_number: str
    item_title: str
    task: str
    responsible: str
    deadline: str  # ISO date
    status: str  # "åben" or "udført"
    source: str  # the item file or the archived version
    closed: bool = False  # the decision was made in a closed item
    closed_reason: str = ""  # that item's lukket_grundlag, where known (the archive does not record it)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.committee, " ".join(self.task.split()).casefold(), " ".join(self.responsible.split()).casefold())

    def overdue(self, today: dt.date) -> bool:
        return self.deadline < today.isoformat()


def manifest_entries(meeting: Meeting) -> list[dict[str, Any]]:
    """The tasks of a meeting as the archive manifest records them."""
    return [{"nummer": item.number, "titel": item.title, "opgave": f.task, "ansvarlig": f.responsible,
             "frist": f.deadline.isoformat(), "status": f.status.value}
            for item in meeting.items for f in item.follow_up]


def from_meeting(meeting: Meeting) -> list[Task]:
    return [Task(meeting.committee_id, meeting.date.isoformat(), item.number, item.title, f.task, f.responsible,
                 f.deadline.isoformat(), f.status.value, str(item.file) if item.file else "", item.closed,
                 (item.closed_reason or "").strip() if item.closed else "")
            for item in meeting.items for f in item.follow_up]


def from_archive(root: Path, report: Report) -> list[Task]:
    """The tasks recorded in the newest archived version of each meeting."""
    from ..archive.store import versions

    newest: dict[tuple[str, str], Any] = {}
    for v in versions(root):
        newest[(v.committee, v.date)] = v
    tasks = []
    for (committee, date), v in sorted(newest.items(), key=lambda kv: kv[0][1]):
        try:
            manifest = json.loads(v.manifest.read_bytes())
        except (OSError, ValueError):
            report.warning(Location(v.manifest), "manifestet kan ikke læses; dets opgaver er sprunget over")
            continue
        entries = manifest.get("opfølgning") if isinstance(manifest, dict) else None
        items = manifest.get("punkter") if isinstance(manifest, dict) else None
        closed = {str(i.get("nummer")) for i in items if isinstance(i, dict) and i.get("lukket") is True} \
            if isinstance(items, list) else set()
        for e in entries if isinstance(entries, list) else []:
            if isinstance(e, dict) and all(isinstance(e.get(k), str) for k in ("opgave", "ansvarlig", "frist")):
                number = str(e.get("nummer", ""))
                tasks.append(Task(committee, date, number, str(e.get("titel", "")), e["opgave"],
                                  e["ansvarlig"], e["frist"], str(e.get("status") or "åben"), v.relative,
                                  number in closed))
    return tasks


def open_tasks(tasks: list[Task], today: dt.date) -> list[Task]:
    """The open tasks after later entries have replaced earlier ones; overdue first, then by deadline. A task that
    any of its entries places in a closed item is closed (with the first lukket_grundlag known)."""
    latest: dict[tuple[str, str, str], Task] = {}
    for t in sorted(tasks, key=lambda t: t.meeting_date):
        before = latest.get(t.key)
        if before is not None and before.closed:
            t = dataclasses.replace(t, closed=True, closed_reason=t.closed_reason or before.closed_reason)
        latest[t.key] = t
    still_open = [t for t in latest.values() if t.status == "åben"]
    return sorted(still_open, key=lambda t: (not t.overdue(today), t.deadline, t.meeting_date, t.task))


def markdown(tasks: list[Task], today: dt.date) -> str:
    """The open tasks as a Markdown list, for the item "Opfølgning på beslutninger"."""
    from ..text.danish import long_date

    lines = []
    for t in tasks:
        when = long_date(dt.date.fromisoformat(t.deadline))
        late = " (overskredet)" if t.overdue(today) else ""
        origin = long_date(dt.date.fromisoformat(t.meeting_date))
        lines.append(f"- {t.task} – ansvarlig: {t.responsible}; frist {when}{late} (besluttet {origin}, "
                     f"punkt {t.item_number})")
    return "\n".join(lines) + "\n"
