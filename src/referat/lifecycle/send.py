"""What `referat send` adds to the agenda: the revised agenda's marks, the tillægsdagsorden, one send at a time.

The command itself (`referat.app.send`) takes the checked meeting and its views from the pipeline and freezes
them with the data as a sent version. The first sending is the agenda. Every later sending is the full agenda marked "Revideret" (the items added
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

from ..diagnostics import Location, OutputError, Report
from ..fileio import os_reason
from ..model.meeting import Meeting
from ..text.danish import long_date
from ..view.document import View, regroup, retitle
from .identity import match_items, same_item
from .versions import SENT_DIR, SentVersion, State

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


def revised_view(meeting: Meeting, base: View, previous: SentVersion, addenda: list[str]) -> View:
    """The agenda's view (the pipeline's `base`, not changed) marked as the revised agenda."""
    view = copy.deepcopy(base)
    mark_revised(meeting, view, previous, addenda)
    return view


def mark_revised(meeting: Meeting, view: View, previous: SentVersion, addenda: list[str]) -> None:
    mark_addenda(meeting, view, addenda)
    retitle(view, f"{view['kind_title']} – {REVISED}", f"{view['edition_title']} – {REVISED}")
    view["title"] = f"{view['title']} – {REVISED}"
    view["front"].insert(0, {"label": REVISED, "lines": [
        f"Erstatter dagsordenen udsendt {_day_text(previous.day)} ({previous.label.split(' (')[0]})"]})


def addendum_view(meeting: Meeting, base: View, versions: list[SentVersion], changes: Changes) -> View | None:
    """Only the new and changed items of the agenda's view (the pipeline's `base`, not changed), numbered as in the
    full agenda; None when there are none."""
    wanted = set(changes.new) | set(changes.changed)
    if not wanted:
        return None
    full = copy.deepcopy(base)
    mark_addenda(meeting, full, changes.added_since_first)
    view = copy.copy(full)
    view["items"] = regroup([v for item, v in zip(meeting.items, full["items"], strict=True)
                             if item.file is not None and item.file.name in wanted])
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
    retitle(view, ADDENDUM_TITLE, ADDENDUM_TITLE)
    view["title"] = full["title"].replace(full["kind_title"], ADDENDUM_TITLE, 1)
    return view


def _day_text(iso: str) -> str:
    try:
        return long_date(dt.date.fromisoformat(iso))
    except ValueError:
        return iso


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


def clear_staging(folder: Path) -> None:
    """Staging folders (`udsendt/.udsender-*`) left by a send that was killed (SIGKILL, a power cut); called with
    the lock held, so no other send is writing one."""
    from .versions import _remove_staged

    sent = folder / SENT_DIR
    if sent.is_dir():
        for entry in sent.iterdir():
            if entry.name.startswith(".udsender-") and entry.is_dir() and not entry.is_symlink():
                _remove_staged(entry)
