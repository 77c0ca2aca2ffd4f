"""Saving what the minute-taker types in the browser: one value per save, into the meeting's YAML files.

Each function sets one key (an item's `beslutning` or `opfølgning`; `fremmøde.til_stede`/`fraværende`, a guest's
`punkter`, a new guest or one taken out again in møde.yaml) and leaves every other byte of the file as it was (the
one YAML writer, `load/yamledit.py`; the keys come from the model). A save is made only when the file on disk is
still the one the page loaded: the caller passes the sha256 it got from
`snapshot` (or from the previous `Saved`), and a different file on disk raises `Conflict` with what is there now,
so nothing is overwritten silently. Check and write happen under one lock per file, so two saves at once (two
browser tabs) are serialised: the second one sees the first one's file and gets `Conflict`. The file is
replaced atomically (`fileio.write_atomic`).

What is written is what the user typed, as long as it is valid YAML for the key (the library writes the YAML,
so it always is): a decision, a name not on the roster or a deadline that is not a date is saved like a hand edit
would be, and `check` returns the meeting's validation messages that say so. Only a request the library cannot
carry out is refused before anything is written: a file name not in the item list, an unknown task field, a
guest that does not exist, a file in a form that cannot be edited without touching other lines.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import Location, ReferatError
from ..errors import InputError
from ..fileio import read_reason, write_atomic
from ..load import yamledit
from ..load.confine import inside as _inside
from ..load.meeting import ITEMS_DIR, MEETING_FILE
from ..load.yamledit import Style, key, key_path
from ..model.item import FollowUp, Item
from ..model.meeting import Meeting, PartialAttendance
from ..model.person import Guest

# The YAML keys the saves write, from the model (model/): never spelt out here.
TASK_FIELDS = tuple(key(FollowUp, name) for name in FollowUp.model_fields)
"""The keys of one `opfølgning` task, in the order they are written (the fields of FollowUp)."""
ITEM_LIST = key(Meeting, "item_files")
DECISION, FOLLOW_UP = key_path(Item, "decision"), key_path(Item, "follow_up")
PRESENT, ABSENT = key_path(Meeting, "attendance", "present"), key_path(Meeting, "attendance", "absent")
GUESTS, PARTIAL = key_path(Meeting, "attendance", "others"), key_path(Meeting, "attendance", "partial")
GUEST_FIELDS = tuple(key(Guest, name) for name in ("name", "title", "organisation", "substitute_for"))
GUEST_ITEMS = key(Guest, "items")
PARTIAL_FIELDS = tuple(key(PartialAttendance, name) for name in ("name", "from_item", "to_item"))

MAX_FILE_BYTES = 2 * 1024 * 1024
"""The largest file saved from the browser (real item files are a few kB): a save reads the file twice, and a
file of tens of thousands of list entries takes seconds to read; such a file is edited in an editor."""


@dataclass(frozen=True)
class Snapshot:
    """A file as the page loaded it: its text and the sha256 of its bytes."""

    path: Path
    sha256: str
    text: str


@dataclass(frozen=True)
class Saved:
    """The file after a save: what a following save of the same file passes as `expected_sha256`."""

    path: Path
    sha256: str
    text: str


class Conflict(ReferatError):
    """The file on disk is not the one the page loaded (another tab, an editor): nothing was written."""

    def __init__(self, path: Path, expected_sha256: str, actual: Snapshot) -> None:
        super().__init__("filen er ændret på disken, siden siden blev indlæst; intet er gemt. Indlæs siden igen, "
                         "eller sammenlign de to udgaver", Location(path))
        self.path = path
        self.expected_sha256 = expected_sha256
        self.actual = actual


def snapshot(path: Path) -> Snapshot:
    """The file as it is on disk now."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InputError(f"filen er større end {MAX_FILE_BYTES // (1024 * 1024)} MB og kan ikke gemmes herfra; "
                             "ret den i en editor", Location(path))
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("filen findes ikke", Location(path)) from None
    except IsADirectoryError:
        raise InputError("er en mappe, ikke en fil", Location(path)) from None
    except OSError as exc:
        raise InputError(f"filen kan ikke læses ({read_reason(exc)})", Location(path)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("filen er ikke gyldig UTF-8; gem den som UTF-8", Location(path)) from None
    return Snapshot(path, hashlib.sha256(raw).hexdigest(), text)


# One lock per file (by its real path): the server is one process, its requests threads.
_LOCKS: dict[Path, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _lock(path: Path) -> threading.Lock:
    key = path.resolve()
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.Lock())


def _save(path: Path, expected_sha256: str, change: Callable[[str], str]) -> Saved:
    """Apply `change` to the file's text and write it, if the file is still the one with `expected_sha256`."""
    with _lock(path):
        current = snapshot(path)
        if current.sha256 != expected_sha256:
            raise Conflict(path, expected_sha256, current)
        text = change(current.text)
        if text == current.text:
            return Saved(path, current.sha256, text)
        data = text.encode("utf-8")
        if len(data) > MAX_FILE_BYTES:  # what this page cannot save it could not open or undo either
            raise InputError(f"filen ville blive {len(data) / (1024 * 1024):.1f} MB".replace(".", ",")
                             + f", større end de {MAX_FILE_BYTES // (1024 * 1024)} MB, der kan gemmes herfra; "
                             "intet er gemt. Ret den i en editor", Location(path))
        write_atomic(path, data)
        return Saved(path, hashlib.sha256(data).hexdigest(), text)


# ---------------------------------------------------------------------------------------------------- files


def meeting_file(folder: Path) -> Path:
    """møde.yaml of the meeting folder (refused when it is missing or a link out of the folder)."""
    path = folder / MEETING_FILE
    if not path.is_file():
        raise InputError(f"mødemappen har ingen {MEETING_FILE}", Location(folder))
    if not _inside(path, folder):
        raise InputError(f"{MEETING_FILE} peger (via et symbolsk link) ud af mødemappen", Location(path))
    return path.resolve() if path.is_symlink() else path


def item_path(folder: Path, item_file: str) -> Path:
    """The file of an item named in møde.yaml's `punkter:`; anything else is refused with a Danish message."""
    mpath = meeting_file(folder)
    shown = item_file if isinstance(item_file, str) else repr(item_file)
    if (not isinstance(item_file, str) or Path(item_file).name != item_file or item_file in ("", ".", "..")
            or "\\" in item_file or not item_file.endswith((".yaml", ".yml"))):
        raise InputError(f"'{shown}' er ikke et filnavn fra punktlisten ('punkter:') i {MEETING_FILE}",
                         Location(mpath))
    data = yamledit.load(snapshot(mpath).text, mpath)
    listed = data.get(ITEM_LIST) if isinstance(data, dict) else None
    if not isinstance(listed, list) or item_file not in listed:
        raise InputError(f"'{item_file}' står ikke i punktlisten ('punkter:') i {MEETING_FILE}", Location(mpath))
    path = folder / ITEMS_DIR / item_file
    if not path.is_file():
        raise InputError(f"punktfilen {ITEMS_DIR}/{item_file} findes ikke", Location(mpath))
    if not _inside(path, folder):
        raise InputError(f"punktfilen {ITEMS_DIR}/{item_file} peger (via et symbolsk link) ud af mødemappen",
                         Location(path))
    return path.resolve() if path.is_symlink() else path


def snapshots(folder: Path) -> dict[str, Snapshot]:
    """møde.yaml and every item file the page can edit, as they are on disk now: `"møde.yaml"` and each file name
    of `punkter:` (those that exist inside the folder) → its Snapshot."""
    mpath = meeting_file(folder)
    meeting = snapshot(mpath)
    out = {MEETING_FILE: meeting}
    data = yamledit.load(meeting.text, mpath)
    listed = data.get(ITEM_LIST) if isinstance(data, dict) else None
    for name in listed if isinstance(listed, list) else []:
        if isinstance(name, str) and name not in out:
            try:
                out[name] = snapshot(item_path(folder, name))
            except ReferatError:
                continue  # validation names the missing or misplaced file
    return out


# ---------------------------------------------------------------------------------------------------- saves


def set_decision(folder: Path, item_file: str, text: str, expected_sha256: str) -> Saved:
    """The item's `beslutning:` set to `text` (a literal block `|` for several lines, else one line)."""
    if not isinstance(text, str):
        raise InputError("beslutningen skal være tekst", Location(folder / MEETING_FILE))
    path = item_path(folder, item_file)
    return _save(path, expected_sha256,
                 lambda old: yamledit.set_value(old, path, DECISION, text, Style(block_text=True)))


def set_follow_up(folder: Path, item_file: str, tasks: list[dict[str, str]], expected_sha256: str) -> Saved:
    """The item's `opfølgning:` set to `tasks` (each with opgave, ansvarlig, frist, status; an empty field is
    left out, so that validation says it is missing). An empty list with no `opfølgning:` in the file is no
    change."""
    path = item_path(folder, item_file)
    clean = [_task(task, path, i) for i, task in enumerate(tasks)]

    def change(old: str) -> str:
        if not clean and FOLLOW_UP[0] not in (yamledit.load(old, path) or {}):
            return old
        return yamledit.set_value(old, path, FOLLOW_UP, clean)

    return _save(path, expected_sha256, change)


def _task(task: Any, path: Path, index: int) -> dict[str, str]:
    if not isinstance(task, dict):
        raise InputError(f"opgave {index + 1} skal have felterne {', '.join(TASK_FIELDS)}", Location(path))
    unknown = [k for k in task if k not in TASK_FIELDS]
    if unknown:
        raise InputError(f"opgave {index + 1} har det ukendte felt '{unknown[0]}'; felterne er "
                         f"{', '.join(TASK_FIELDS)}", Location(path))
    out: dict[str, str] = {}
    for field in TASK_FIELDS:
        value = task.get(field)
        if value is None:
            continue
        if not isinstance(value, str):
            raise InputError(f"opgave {index + 1}: '{field}' skal være tekst", Location(path))
        if value.strip():
            out[field] = value
    return out


def _names(names: Any, what: str, path: Path) -> list[str]:
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise InputError(f"'{what}' skal være en liste af navne", Location(path))
    return list(names)


def set_attendance(folder: Path, present: list[str], absent: list[str], expected_sha256: str) -> Saved:
    """møde.yaml's `fremmøde.til_stede` and `fremmøde.fraværende` set to the names given (a block list per name;
    `[]` when empty)."""
    path = meeting_file(folder)
    present, absent = _names(present, str(PRESENT[-1]), path), _names(absent, str(ABSENT[-1]), path)

    def change(old: str) -> str:
        new = yamledit.set_value(old, path, PRESENT, present)
        return yamledit.set_value(new, path, ABSENT, absent)

    return _save(path, expected_sha256, change)


def _guest_index(text: str, path: Path, name: str) -> int:
    data = yamledit.load(text, path)
    section, others = GUESTS
    guests = data.get(section, {}).get(others) if isinstance(data, dict) and isinstance(
        data.get(section), dict) else None
    for i, guest in enumerate(guests if isinstance(guests, list) else []):
        if isinstance(guest, dict) and guest.get(GUEST_FIELDS[0]) == name:
            return i
    raise InputError(f"'{name}' står ikke under fremmøde.øvrige", Location(path))


def set_guest_items(folder: Path, guest_name: str, items: list[int], expected_sha256: str) -> Saved:
    """The `punkter:` of the guest `guest_name` under `fremmøde.øvrige` (written `[3, 4]`; `[]`: the whole
    meeting)."""
    path = meeting_file(folder)
    if not isinstance(items, list) or not all(isinstance(n, int) and not isinstance(n, bool) for n in items):
        raise InputError("'punkter' skal være en liste af punktnumre", Location(path))

    def change(old: str) -> str:
        index = _guest_index(old, path, guest_name)
        return yamledit.set_value(old, path, (*GUESTS, index, GUEST_ITEMS), list(items),
                                   Style(flow_lists=True))

    return _save(path, expected_sha256, change)


def add_guest(folder: Path, name: str, title: str | None, organisation: str | None, substitute_for: str | None,
              expected_sha256: str) -> Saved:
    """A new participant at the end of `fremmøde.øvrige` (with `i_stedet_for` for a substitute); an empty field
    is left out."""
    path = meeting_file(folder)
    if not isinstance(name, str) or not name.strip():
        raise InputError("en deltager skal have et navn", Location(path))
    entry: dict[str, str] = {GUEST_FIELDS[0]: name}
    for field, value in zip(GUEST_FIELDS[1:], (title, organisation, substitute_for), strict=True):
        if value is not None and not isinstance(value, str):
            raise InputError(f"'{field}' skal være tekst", Location(path))
        if value and value.strip():
            entry[field] = value

    def change(old: str) -> str:
        try:
            _guest_index(old, path, name)
        except InputError:
            return yamledit.append_entry(old, path, GUESTS, entry)
        raise InputError(f"'{name}' står allerede under fremmøde.øvrige", Location(path))

    return _save(path, expected_sha256, change)


def remove_guest(folder: Path, name: str, expected_sha256: str) -> Saved:
    """The participant `name` taken out of `fremmøde.øvrige` (added by mistake, or did not come): that entry's lines
    go, every other line of møde.yaml stays as it was."""
    path = meeting_file(folder)
    if not isinstance(name, str) or not name.strip():
        raise InputError("hvilken deltager der skal fjernes, mangler", Location(path))

    def change(old: str) -> str:
        return yamledit.remove_entry(old, path, GUESTS, _guest_index(old, path, name))

    return _save(path, expected_sha256, change)


def set_partial_attendance(folder: Path, entries: list[dict[str, Any]], expected_sha256: str) -> Saved:
    """møde.yaml's `fremmøde.delvis` set to `entries`, each `{navn, fra_punkt, til_punkt}` (an item number or None:
    came during item `fra_punkt`, left after item `til_punkt`). An empty list with no `delvis:` is no change."""
    path = meeting_file(folder)
    clean: list[dict[str, Any]] = []
    for i, entry in enumerate(entries if isinstance(entries, list) else [None]):
        name_key = PARTIAL_FIELDS[0]
        if not isinstance(entry, dict) or not isinstance(entry.get(name_key), str) or not entry[name_key].strip():
            raise InputError(f"delvis deltagelse {i + 1} skal have et navn", Location(path))
        unknown = [k for k in entry if k not in PARTIAL_FIELDS]
        if unknown:
            raise InputError(f"delvis deltagelse {i + 1} har det ukendte felt '{unknown[0]}'; felterne er navn, "
                             "fra_punkt og til_punkt", Location(path))
        out: dict[str, Any] = {name_key: entry[name_key]}
        for field in PARTIAL_FIELDS[1:]:
            number = entry.get(field)
            if number is None:
                continue
            if not isinstance(number, int) or isinstance(number, bool):
                raise InputError(f"delvis deltagelse {i + 1}: '{field}' skal være et punktnummer", Location(path))
            out[field] = number
        clean.append(out)

    def change(old: str) -> str:
        data = yamledit.load(old, path)
        section = data.get(PARTIAL[0]) if isinstance(data, dict) else None
        if not clean and not (isinstance(section, dict) and PARTIAL[1] in section):
            return old
        return yamledit.set_value(old, path, PARTIAL, clean)

    return _save(path, expected_sha256, change)
