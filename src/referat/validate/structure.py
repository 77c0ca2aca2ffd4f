"""Rules on the meeting's frame: case numbers, times, phase, next meeting, empty sections."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..diagnostics import Report
from ..model.item import Item, ItemType
from ..model.meeting import Meeting


def case_numbers(meeting: Meeting, report: Report) -> None:
    """Case numbers follow the committee's pattern (DAS: YYYY-NNNNNN, 002 L40 "2026-005746")."""
    pattern = re.compile(meeting.profile.case_pattern)
    example = meeting.profile.case_example
    if meeting.case_number is not None and not pattern.match(meeting.case_number):
        report.error(meeting.source.at(("sagsnummer",)),
                     f"sagsnummeret '{meeting.case_number}' har ikke den rigtige form, fx {example}")
    for item in meeting.items:
        if item.case_number and not pattern.match(item.case_number):
            report.error(item.source.at(("sagsnummer",)),
                         f"sagsnummeret '{item.case_number}' har ikke den rigtige form, fx {example}")


def meeting_times(meeting: Meeting, report: Report) -> None:
    """The meeting ends after it starts; the next meeting is after this one. Each check that a broken key of
    møde.yaml leaves without its data is skipped alone: an invalid `dato` does not hide the times (issue 24)."""
    broken = meeting.broken
    if not broken & {"start", "slut"} and meeting.end <= meeting.start:
        report.error(meeting.source.at(("slut",)), f"mødet slutter kl. {meeting.end}, før det begynder kl. {meeting.start}")
    nxt = meeting.next_meeting if "næste_møde" not in broken else None
    if nxt is not None:
        if "dato" not in broken and nxt.date <= meeting.date:
            report.error(meeting.source.at(("næste_møde", "dato")),
                         f"næste møde ({nxt.date:%d.%m.%Y}) ligger ikke efter dette møde ({meeting.date:%d.%m.%Y})")
        if nxt.start and nxt.end and nxt.end <= nxt.start:
            report.error(meeting.source.at(("næste_møde", "slut")), "næste møde slutter, før det begynder")
    if not meeting.place and not meeting.online:
        report.warning(meeting.source.at(()), "mødet har hverken 'sted' eller 'online: true'")


def decisions_match_phase(meeting: Meeting, report: Report) -> None:
    """Minutes need a decision on every item; an agenda should not have any yet."""
    for item in meeting.items:
        has = bool(item.decision and item.decision.strip())
        if meeting.is_minutes and not has:
            report.error(item.source.at(("beslutning",) if item.decision is not None else ()),
                         f"punkt {item.number} mangler en beslutning (mødet er i fasen 'referat')")
        elif not meeting.is_minutes and item.decision is not None:
            report.warning(item.source.at(("beslutning",), on_key=True),
                           f"punkt {item.number} har en beslutning, men mødet er i fasen 'dagsorden'; den kommer ikke med på dagsordenen")


def empty_sections(meeting: Meeting, report: Report) -> None:
    """A section that is present but empty prints a bare heading."""
    for item in meeting.items:
        for key in ("resumé", "baggrund", "sagsfremstilling"):
            text = item.section_text(key)
            if text is not None and not text.strip():
                report.warning(item.source.at((key,), on_key=True), f"afsnittet '{key}' er tomt; slet det eller skriv tekst")
        if item.recommendation is not None and not item.recommendation:
            report.warning(item.source.at(("indstilling",), on_key=True), "indstillingen har ingen punkter")
        for i, point in enumerate(item.recommendation or []):
            if not point.text.strip():
                report.error(item.source.at(("indstilling", i)), "et indstillingspunkt er tomt")


def item_types(meeting: Meeting, report: Report) -> None:
    """Substantive items carry a case number; an information item's recommendation says so."""
    for item in meeting.items:
        if item.type is not ItemType.STANDARD and item.case_number is None and not meeting.case_number:
            report.warning(item.source.at(("titel",)), "punktet har intet sagsnummer, og mødet har heller intet")


_DATED = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?!\d)")


def named_date(folder: Path) -> dt.date | None:
    """The date a meeting folder is named by ("2026-02-23-das-social" → 2026-02-23), if any."""
    found = _DATED.search(folder.name)
    if found is None:
        return None
    try:
        return dt.date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


def folder_date(meeting: Meeting, report: Report) -> None:
    """A folder named by a date ("2026-02-23-das-social") whose date is not `dato`: the folder or møde.yaml was
    copied from another meeting and one of them not changed (a slip met in use, issue 24)."""
    named = named_date(meeting.folder)
    if named is not None and named != meeting.date:
        report.warning(meeting.source.at(("dato",)),
                       f"mødet er den {meeting.date:%d.%m.%Y}, men mappen '{meeting.folder.name}' er navngivet efter "
                       f"den {named:%d.%m.%Y}; er den ene kopieret fra et andet møde?")


def task_deadlines(meeting: Meeting, report: Report) -> None:
    """A follow-up task due before the meeting that gives it: a year typed wrong, or a task copied from an
    earlier meeting (a slip met in use, issue 24)."""
    for item in meeting.items:
        for i, task in enumerate(item.follow_up):
            if task.deadline < meeting.date:
                report.warning(item.source.at(("opfølgning", i, "frist")),
                               f"fristen {task.deadline:%d.%m.%Y} for opgaven '{task.task}' ligger før mødet den "
                               f"{meeting.date:%d.%m.%Y}; er årstallet rigtigt?")


def item_ids(meeting: Meeting, report: Report) -> None:
    """Each item's `id` is its own: a copied item file keeps the original's id, and two items with one id cannot be
    told apart between sent versions (issue 22)."""
    seen: dict[str, Item] = {}
    for item in meeting.items:
        if item.item_id is None:
            continue
        first = seen.setdefault(item.item_id, item)
        if first is not item:
            where = f"punkter/{first.file.name}" if first.file is not None else f"punkt {first.number}"
            report.error(item.source.at(("id",)),
                         f"punktet har samme id '{item.item_id}' som punkt {first.number} ({where}); et kopieret "
                         "punkt skal have sit eget id: slet linjen 'id:' her, så skriver 'referat send' et nyt")


def item_groups(meeting: Meeting, report: Report) -> None:
    """A group's items stand together in møde.yaml's order (KKR numbers them 2.1, 2.3 … under the group's number,
    001 L1219, L1385; a profile that numbers on prints the group's heading above them)."""
    closed: set[str] = set()
    current: str | None = None
    for item in meeting.items:
        if item.group != current:
            if current is not None:
                closed.add(current)
            if item.group is not None and item.group in closed:
                report.error(item.source.at(("gruppe",)),
                             f"gruppen '{item.group}' er allerede sluttet med et andet punkt imellem; en gruppes "
                             "punkter skal stå efter hinanden i møde.yaml's punktliste")
            current = item.group


def free_sections(meeting: Meeting, report: Report) -> None:
    """A free section has text (a heading alone prints nothing under it)."""
    for item in meeting.items:
        for i, free in enumerate(item.free_sections):
            if not free.text.strip():
                report.warning(item.source.at(("afsnit", i, "tekst"), on_key=True),
                               "afsnittet har ingen tekst; slet det eller skriv tekst")
            if free.heading is not None and not free.heading.strip():
                report.warning(item.source.at(("afsnit", i, "overskrift"), on_key=True),
                               "overskriften er tom; slet linjen, hvis afsnittet skal stå uden overskrift")


RULES = [case_numbers, meeting_times, folder_date, decisions_match_phase, empty_sections, item_types, item_ids,
         item_groups, free_sections, task_deadlines]
