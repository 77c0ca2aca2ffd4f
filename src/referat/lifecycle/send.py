"""`referat send`: validate, build the agenda and the packet, and freeze them with the data as a sent version.

The first sending is the agenda. Every later sending is the full agenda marked "Revideret" (the items added
since the first sending marked as tillæg) and, when items were added or changed since the previous sending,
the tillægsdagsorden: only those items, numbered as in the full agenda, with a front line saying what it adds to.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Location, OutputError, ReferatError, Report
from ..fileio import os_reason
from ..model.meeting import Meeting
from ..text.danish import long_date
from ..view.document import View, document_view
from .identity import match_items, same_item, write_missing_ids
from .versions import SENT_DIR, SentVersion, State, current_state, sent_versions, write_version

ADDENDUM_MARK = "(tillæg)"
REVISED = "Revideret"
ADDENDUM_TITLE = "Tillægsdagsorden"


@dataclass
class Changes:
    """What the meeting has now compared with its sent versions (item files by their names now; an item renamed or
    renumbered since is the same item, `identity.match_items`)."""

    added_since_first: list[str] = field(default_factory=list)  # item files not in the first sent version
    new: list[str] = field(default_factory=list)  # item files not in the previous sent version
    changed: list[str] = field(default_factory=list)  # item files whose data or bilag changed since then
    removed: list[str] = field(default_factory=list)  # item files in the previous version, gone now


def item_changes(meeting: Meeting, state: State, versions: list[SentVersion]) -> Changes:
    out = Changes()
    if not versions:
        return out
    first, previous = versions[0].state(), versions[-1].state()
    in_first, in_previous = match_items(first, state), match_items(previous, state)
    for item in meeting.items:
        name = item.file.name if item.file is not None else ""
        if name not in in_first:
            out.added_since_first.append(name)
        if name not in in_previous:
            out.new.append(name)
        elif not same_item(previous, in_previous[name], state, name) or any(
                b.file is not None and previous.bilag.get(b.file) != state.bilag.get(b.file) for b in item.bilag):
            out.changed.append(name)
    kept = set(in_previous.values())
    out.removed = [name for name in previous.items if name not in kept]
    return out


def mark_addenda(meeting: Meeting, view: View, addenda: list[str]) -> None:
    """Mark the items added after the first sending as tillæg, in title and bookmark."""
    for item, item_view in zip(meeting.items, view["items"], strict=True):
        if item.file is not None and item.file.name in addenda:
            item_view["title"] = f"{item_view['title']} {ADDENDUM_MARK}"
            item_view["bookmark"] = f"{item_view['bookmark']} {ADDENDUM_MARK}"


def revised_view(meeting: Meeting, previous: SentVersion, addenda: list[str]) -> View:
    view = document_view(meeting, "dagsorden")
    mark_revised(meeting, view, previous, addenda)
    return view


def mark_revised(meeting: Meeting, view: View, previous: SentVersion, addenda: list[str]) -> None:
    mark_addenda(meeting, view, addenda)
    view["kind_title"] = f"{view['kind_title']} – {REVISED}"
    view["edition_title"] = f"{view['edition_title']} – {REVISED}"
    view["title"] = f"{view['title']} – {REVISED}"
    view["front"].insert(0, {"label": REVISED, "lines": [
        f"Erstatter dagsordenen udsendt {_day_text(previous.day)} ({previous.label.split(' (')[0]})"]})


def addendum_view(meeting: Meeting, versions: list[SentVersion], changes: Changes) -> View | None:
    """Only the new and changed items, numbered as in the full agenda; None when there are none."""
    wanted = set(changes.new) | set(changes.changed)
    if not wanted:
        return None
    full = document_view(meeting, "dagsorden")
    mark_addenda(meeting, full, changes.added_since_first)
    view = copy.copy(full)
    view["items"] = [v for item, v in zip(meeting.items, full["items"], strict=True)
                     if item.file is not None and item.file.name in wanted]
    numbers = {item.file.name: item.number for item in meeting.items if item.file is not None}
    first = versions[0]
    lines = [f"Dagsordenen udsendt {_day_text(first.day)} (udgave 1)"]
    if len(versions) > 1:
        lines.append("Seneste udsendte udgave: " + f"{versions[-1].label}")
    if changes.new:
        lines.append("Nye punkter: " + ", ".join(numbers[n] for n in changes.new))
    if changes.changed:
        lines.append("Ændrede punkter: " + ", ".join(numbers[n] for n in changes.changed))
    view["front"] = [{"label": "Tillæg til", "lines": lines}, *full["front"]]
    view["kind_title"] = ADDENDUM_TITLE
    view["edition_title"] = ADDENDUM_TITLE
    view["title"] = full["title"].replace(full["kind_title"], ADDENDUM_TITLE, 1)
    return view


def _day_text(iso: str) -> str:
    try:
        return long_date(dt.date.fromisoformat(iso))
    except ValueError:
        return iso


def render_view(meeting: Meeting, view: View, stem: str) -> dict[str, bytes]:
    """The view as PDF (Typst) and Word (the committee's template)."""
    from ..render.pdf import write_pdf
    from ..render.word import write_docx

    template = meeting.profile.word_template_path()
    if not template.is_file():
        raise ReferatError("Word-skabelonen findes ikke", Location(template))
    logo = meeting.profile.logo_path()
    return {f"{stem}.pdf": write_pdf(view, meeting.date, logo),
            f"{stem}.docx": write_docx(view, template, meeting.date, logo)}


@dataclass
class SendResult:
    version: SentVersion | None
    report: Report
    files: list[str]
    changes: Changes
    unchanged_since: SentVersion | None = None


LOCK = ".udsender.laas"
"""The lock file in the meeting folder while a `referat send` runs (removed when it ends, also on SIGTERM)."""


@contextlib.contextmanager
def sending(folder: Path) -> Iterator[None]:
    """One `referat send` of a meeting at a time: an exclusive, non-blocking `flock` on `<mappe>/.udsender.laas`.

    A second send started meanwhile is refused at once with a Danish message (never a second folder with the
    same number, never a half-written one). The kernel releases the lock when the process ends however it ends, so
    a send killed with SIGKILL leaves at most an unlocked file, which the next send takes over; a send that ends
    normally, by an error, Ctrl+C or SIGTERM removes it. Where there is no `flock` (Windows) the file is created
    with O_EXCL instead, and a left-over file must then be deleted by hand (the message says so)."""
    path = folder / LOCK
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        fd = _exclusive_file(path)
        try:
            yield
        finally:
            _release(path, fd)
        return
    for _ in range(10):
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputError(f"låsefilen kan ikke oprettes ({os_reason(exc)}); intet er udsendt", Location(path)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = _holder(fd)
            os.close(fd)
            raise OutputError(_busy(holder), Location(path)) from None
        try:  # the file locked must still be the one at the path: a send that just finished removes it
            current = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            current = False
        if current:
            break
        os.close(fd)
    else:  # pragma: no cover - ten sends finishing exactly between our open and our lock
        raise OutputError(_busy(""), Location(path))
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        _release(path, fd)


def _busy(holder: str) -> str:
    who = f" (proces {holder})" if holder else ""
    return (f"en anden 'referat send' udsender allerede dette møde{who}; intet er udsendt. Vent, til den er "
            "færdig, og kør 'referat send' igen")


def _holder(fd: int) -> str:
    """The holder's process number, as it wrote it into the lock file; it writes it just after it has taken the
    lock, so an empty file is read again a few times (0.5 s at most) before the message goes without it."""
    for _ in range(50):
        try:
            text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        except OSError:
            return ""
        if text.isdigit():
            return text
        time.sleep(0.01)
    return ""


def _exclusive_file(path: Path) -> int:  # pragma: no cover - Windows
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise OutputError(_busy("") + f" (kører ingen 'referat send', så slet {path.name})",
                          Location(path)) from None
    except OSError as exc:
        raise OutputError(f"låsefilen kan ikke oprettes ({os_reason(exc)}); intet er udsendt", Location(path)) from None
    os.write(fd, f"{os.getpid()}\n".encode())
    return fd


def _release(path: Path, fd: int) -> None:
    """Remove the lock file, then let go of the lock (in this order, so that no other send locks a file that
    is about to disappear without noticing)."""
    try:
        path.unlink(missing_ok=True)
    finally:
        os.close(fd)


def _clear_staging(folder: Path) -> None:
    """Staging folders (`udsendt/.udsender-*`) left by a send that was killed (SIGKILL, a power cut); called with
    the lock held, so no other send is writing one."""
    from .versions import _remove_staged

    sent = folder / SENT_DIR
    if sent.is_dir():
        for entry in sent.iterdir():
            if entry.name.startswith(".udsender-") and entry.is_dir() and not entry.is_symlink():
                _remove_staged(entry)


def send(folder: Path, templates: list[Path] | None = None, today: dt.date | None = None) -> SendResult:
    """Validate, build and freeze the next sent version, one send of the meeting at a time (see `sending`)."""
    with sending(folder):
        _clear_staging(folder)
        return _send(folder, templates, today)


def _send(folder: Path, templates: list[Path] | None, today: dt.date | None) -> SendResult:
    from ..meetings import load_valid
    from ..packet.assemble import packet_name, write_packets
    from ..validate import check_meeting

    checked, found = check_meeting(folder, templates)
    if checked is not None and "fase" not in checked.broken and checked.is_minutes:
        raise ReferatError("mødet står i fasen 'referat'; dagsordenen udsendes før mødet, og en udsendt udgave "
                           "ændres aldrig", checked.source.at(("fase",)))
    meeting, report = load_valid(folder, templates) if checked is None or found.has_errors else (checked, found)
    state = current_state(folder, list(meeting.item_files))
    versions = sent_versions(folder)
    if versions and versions[-1].manifest().get("data_sha256") == state.data_hash():
        return SendResult(None, report, [], Changes(), unchanged_since=versions[-1])
    if write_missing_ids(meeting, report):  # each item's identity, frozen with the data (lifecycle/identity.py)
        state = current_state(folder, list(meeting.item_files))
    changes = item_changes(meeting, state, versions)
    files: dict[str, bytes] = {}
    meta: dict[str, Any] = {"type": "dagsorden"}
    if versions:
        files.update(render_view(meeting, revised_view(meeting, versions[-1], changes.added_since_first), "dagsorden"))
        addendum = addendum_view(meeting, versions, changes)
        if addendum is not None:
            files.update(render_view(meeting, addendum, "tillægsdagsorden"))
        meta.update({"type": "revideret", "erstatter": versions[-1].number,
                     "tillæg": {"nye": changes.new, "ændrede": changes.changed, "fjernede": changes.removed,
                                "tilføjet_efter_første": changes.added_since_first}})
    else:
        files.update(render_view(meeting, document_view(meeting, "dagsorden"), "dagsorden"))
    adjust = None
    if versions:
        def adjust(view: View) -> None:
            mark_revised(meeting, view, versions[-1], changes.added_since_first)

    packets = write_packets(meeting, ["dagsorden"], [False], report, adjust)
    name = packet_name("dagsorden", False)
    files[name] = packets[name]
    version = write_version(folder, files, state, meta, today or dt.date.today())
    return SendResult(version, report, sorted(files), changes)


def sent_notice(folder: Path, item_files: list[str] | None = None) -> str | None:
    """For build/packet: a line when a sent version exists and the data differs from the latest one."""
    from .versions import folder_state

    versions = sent_versions(folder)
    if not versions:
        return None
    latest = versions[-1]
    try:
        latest.manifest()
    except ReferatError as exc:  # changed since it was sent: say so, and build on
        first = exc.report.items[0]
        return f"bemærk: den udsendte {latest.label} bruges ikke: {first.location.format()}: {first.message}"
    try:
        now = folder_state(folder) if item_files is None else current_state(folder, item_files)
        if latest.manifest().get("data_sha256") == now.data_hash():
            return None
    except ReferatError:
        return None
    return (f"bemærk: mødets data afviger fra den udsendte {latest.label}, som ligger uændret i "
            f"{folder / SENT_DIR}; 'referat diff {folder}' viser ændringerne")
