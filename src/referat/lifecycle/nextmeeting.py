"""`referat new DIR --fra FORRIGE`: what the next meeting takes over from the previous one.

Date, time and place from the previous meeting's `næste_møde` (unless given on the command line), its member
list, its minutes as bilag to "Godkendelse af referat fra seneste møde" (the signed, archived file when the
archive has it, else the folder), and an item "Opfølgning på beslutninger" when tasks are still open. A task of a
closed item goes into a closed item of its own, "Opfølgning på lukkede punkter" (with the closed items'
lukket_grundlag), so that no public edition prints it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..diagnostics import Report, UsageError
from ..errors import InputError
from ..load.yamledit import entry
from ..model.item import Access, Bilag, ItemType
from ..model.meeting import Meeting, MeetingForm
from ..text.danish import long_date

MINUTES_ITEM = "godkendelse af referat fra seneste møde"
FOLLOW_UP_TITLE = "Opfølgning på beslutninger"
CLOSED_FOLLOW_UP_TITLE = "Opfølgning på lukkede punkter"


def carry_over(previous: Path, folder: Path, args: argparse.Namespace, templates: list[Path],
               check: Callable[[Path, list[Path]], tuple[Meeting | None, Report]]) -> dict[str, Any]:
    """What the next meeting takes over from the previous one; `check`: the pipeline's `check_folder`."""
    from ..archive.store import find_root, latest
    from .followup import from_archive, from_meeting, markdown, open_tasks

    meeting, report = check(previous, templates)
    if meeting is None or report.has_errors:
        raise InputError(report)
    args.udvalg = meeting.committee_id
    nxt = meeting.next_meeting
    if args.dato is None:
        if nxt is None:
            raise UsageError(f"det forrige møde ({previous}) har intet 'næste_møde'; angiv --dato")
        args.dato = nxt.date
    if nxt is not None:
        args.start = args.start or nxt.start
        args.slut = args.slut or nxt.end
        if args.sted is None and nxt.form is MeetingForm.PHYSICAL:
            args.sted = nxt.place or (meeting.place if not meeting.online else None)
    carried: dict[str, Any] = {}
    if meeting.members is not None:
        carried["medlemmer"] = [m.model_dump(by_alias=True, exclude_none=True, exclude_defaults=True, mode="json")
                                for m in meeting.members]
    title = f"Referat fra mødet den {long_date(meeting.date)}"
    root = find_root(folder.parent if not folder.exists() else folder)
    reference = f"{meeting.committee_id}/{meeting.date.isoformat()}"
    if root is not None and latest(root, meeting.committee_id, meeting.date.isoformat()) is not None:
        bilag = entry(Bilag, title=title, archived=reference)
    else:
        bilag = entry(Bilag, title=title,
                      minutes_of=Path(os.path.relpath(previous.resolve(), folder.resolve())).as_posix())
    carried["bilag"] = {MINUTES_ITEM: [bilag]}
    tasks = from_meeting(meeting) + (from_archive(root, Report()) if root is not None else [])
    today = dt.date.today()
    still_open = open_tasks(tasks, today)
    public = [t for t in still_open if not t.closed]
    closed = [t for t in still_open if t.closed]
    carried["punkter"] = []
    if public:
        carried["punkter"].append(_follow_up_item(FOLLOW_UP_TITLE, markdown(public, today)))
    if closed:  # a task of a closed item stays closed: its own closed item, never the open one
        reasons = list(dict.fromkeys(t.closed_reason for t in closed if t.closed_reason))
        carried["punkter"].append(_follow_up_item(CLOSED_FOLLOW_UP_TITLE, markdown(closed, today), reasons))
    return carried


def _follow_up_item(title: str, tasks: str, closed_reasons: list[str] | None = None) -> dict[str, Any]:
    """An item with the open tasks (as model field → value, for `app.scaffold.new_meeting`); closed when
    `closed_reasons` is given (their lukket_grundlag joined; none known: the secretariat writes it, and a public
    edition is refused until then)."""
    closed = closed_reasons is not None
    return {"title": title, "access": Access.CLOSED if closed else Access.OPEN, "type": ItemType.INFORMATION,
            "case_number": "", "closed_reason": "; ".join(closed_reasons or []) or None,
            "case": "Åbne opgaver fra tidligere beslutninger:\n\n" + tasks,
            "recommendation": ["Tager orienteringen til efterretning"]}
