"""Sent versions of a meeting: `udsendt/N-ÅÅÅÅ-MM-DD/` with the documents, a snapshot of the data and a manifest.

A sent version is written once (staged in a temporary folder, then renamed into place) and never changed:
its files are made read-only, and nothing in `referat` writes into an existing version folder.

It is read only after it has been checked (`SentVersion.manifest`): every file its manifest names (the documents
and the data) must hash to the sha256 recorded there, and the data as a whole to `data_sha256`; a file changed,
missing or reached through a symbolic link out of the meeting folder (load/confine.py) is a Danish error naming
it (exit 1). `diff`, `diff --rettelsesblad`, `send` and the notes of `build` and `packet` all read through it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Location, OutputError
from ..errors import InputError
from ..fileio import os_reason, read_reason
from ..load import confine
from ..load.meeting import BILAG_DIR, ITEMS_DIR, MEETING_FILE

SENT_DIR = "udsendt"
DATA_DIR = "data"
MANIFEST = "manifest.json"
_VERSION_NAME = re.compile(r"^(\d{1,4})-(\d{4}-\d{2}-\d{2})$")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class State:
    """A meeting's data at one moment: møde.yaml and the item files as bytes, the bilag by hash."""

    meeting: bytes
    items: dict[str, bytes]  # file name in punkter/ → bytes, in the folder's order (møde.yaml's `punkter`)
    bilag: dict[str, str]  # file name in bilag/ → sha256
    label: str  # how the state is named to the user: "udgave 2 (2026-02-16)" or "mappen nu"
    root: Path | None = None  # the folder its møde.yaml and punkter/ were read from (for messages)

    def path(self, item: str | None = None) -> Path:
        """Where the state's møde.yaml, or item file `item`, was read from (as the user would look for it)."""
        relative = Path(MEETING_FILE) if item is None else Path(ITEMS_DIR) / item
        return self.root / relative if self.root is not None else relative

    def data_hash(self) -> str:
        """One hash over everything that makes up the data (order-independent for bilag, exact for the YAML)."""
        h = hashlib.sha256()
        h.update(b"m\0" + sha256(self.meeting).encode())
        for name in sorted(self.items):
            h.update(b"\0p\0" + name.encode() + b"\0" + sha256(self.items[name]).encode())
        for name in sorted(self.bilag):
            h.update(b"\0b\0" + name.encode() + b"\0" + self.bilag[name].encode())
        return h.hexdigest()


@dataclass
class SentVersion:
    number: int
    day: str
    folder: Path
    _checked: dict[str, Any] | None = field(default=None, init=False, repr=False, compare=False)
    _state: State | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def label(self) -> str:
        return f"udgave {self.number} ({self.day})"

    @property
    def meeting_folder(self) -> Path:
        return self.folder.parent.parent

    def manifest(self) -> dict[str, Any]:
        """The manifest, once every file it names has been found unchanged (see the module docstring)."""
        if self._checked is None:
            self._checked = self._check()
        return self._checked

    def _check(self) -> dict[str, Any]:
        home = self.meeting_folder
        path = self.folder / MANIFEST
        for where in (self.folder.parent, self.folder, path):
            confine.refuse_outside(where, home)
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"den udsendte udgaves manifest kan ikke læses ({type(exc).__name__})",
                             Location(path)) from None
        if not isinstance(manifest, dict):
            raise InputError("den udsendte udgaves manifest er ikke et JSON-objekt", Location(path))
        data: dict[str, bytes] = {}
        for section, base in (("filer", self.folder), ("data", self.folder / DATA_DIR)):
            entries = manifest.get(section)
            if not isinstance(entries, dict) or not all(isinstance(v, str) for v in entries.values()):
                raise InputError(f"den udsendte udgaves manifest har ingen gyldig liste '{section}' over filerne og "
                                 "deres sha256; udgaven kan ikke kontrolleres og bruges ikke", Location(path))
            for name, digest in entries.items():
                if not all(_plain_name(part) for part in name.split("/")):
                    raise InputError(f"manifestet nævner filen '{name}', som ikke ligger i den udsendte udgave",
                                     Location(path))
                file = base.joinpath(*name.split("/"))
                confine.refuse_outside(file, home)
                content = _read(file)
                if sha256(content) != digest:
                    raise InputError("filen er ændret, efter udgaven blev udsendt (dens sha256 stemmer ikke med "
                                     "manifestet); en udsendt udgave ændres aldrig, og referat bruger den ikke. "
                                     "Læg den udsendte fil tilbage, eller udsend en ny udgave", Location(file))
                if section == "data":
                    data[name] = content
        names = manifest.get("punkter")
        if not isinstance(names, list) or not all(_plain_name(n) for n in names):
            raise InputError("den udsendte udgaves manifest har ingen gyldig punktliste ('punkter')", Location(path))
        missing = [n for n in [MEETING_FILE, *(f"{ITEMS_DIR}/{n}" for n in names)] if n not in data]
        if missing:
            raise InputError(f"manifestet nævner ingen sha256 for {missing[0]}; udgaven kan ikke kontrolleres og "
                             "bruges ikke", Location(path))
        bilag = manifest.get("bilag")
        if not isinstance(bilag, dict) or not all(isinstance(v, str) for v in bilag.values()):
            raise InputError("den udsendte udgaves manifest har ingen gyldig liste over bilag ('bilag')",
                             Location(path))
        state = State(data[MEETING_FILE], {n: data[f"{ITEMS_DIR}/{n}"] for n in names}, dict(bilag), self.label,
                      self.folder / DATA_DIR)
        if manifest.get("data_sha256") != state.data_hash():
            raise InputError("manifestets 'data_sha256' stemmer ikke med udgavens data og bilag; manifestet er "
                             "ændret efter udsendelsen, og referat bruger ikke udgaven", Location(path))
        self._state = state
        return manifest

    def state(self) -> State:
        """The data as sent: read from the checked files (never from the folder without the check)."""
        self.manifest()
        assert self._state is not None
        return self._state


def _plain_name(name: object) -> bool:
    return isinstance(name, str) and name not in ("", ".", "..") and "/" not in name and "\\" not in name


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"filen kan ikke læses ({read_reason(exc)})", Location(path)) from None


def sent_versions(folder: Path) -> list[SentVersion]:
    """The sent versions of the meeting in `folder`, oldest first."""
    root = folder / SENT_DIR
    if not root.is_dir():
        return []
    found = []
    for entry in root.iterdir():
        m = _VERSION_NAME.match(entry.name)
        if m and entry.is_dir() and (entry / MANIFEST).is_file():
            found.append(SentVersion(int(m.group(1)), m.group(2), entry))
    return sorted(found, key=lambda v: v.number)


def find_version(folder: Path, text: str) -> SentVersion:
    """A version named on the command line: its number ("2") or its folder name ("2-2026-02-16")."""
    versions = sent_versions(folder)
    for v in versions:
        if text.strip() in (str(v.number), v.folder.name):
            return v
    known = ", ".join(str(v.number) for v in versions) or "ingen"
    raise InputError(f"der er ingen udsendt udgave '{text}' (udsendte udgaver: {known})",
                       Location(folder / SENT_DIR))


def current_state(folder: Path, item_files: list[str]) -> State:
    """The folder's data now: møde.yaml, the listed item files and every file in bilag/ (by hash); a file that
    leads out of the folder by a symbolic link is refused, as `validate` refuses it (load/confine.py)."""
    confine.refuse_outside(folder / MEETING_FILE, folder)
    meeting = _read(folder / MEETING_FILE)
    items = {}
    for name in item_files:
        path = folder / ITEMS_DIR / name
        if _plain_name(name) and (path.is_file() or path.is_symlink()):
            confine.refuse_outside(path, folder)
            items[name] = _read(path)
    bilag = {entry.name: sha256(_read(entry)) for entry in confine.files_in(folder / BILAG_DIR, folder)}
    return State(meeting, items, bilag, "mappen nu", folder)


def folder_state(folder: Path) -> State:
    """The folder's data now, in the order its møde.yaml lists the items (read under the same rule)."""
    confine.refuse_outside(folder / MEETING_FILE, folder)
    return current_state(folder, item_order(_read(folder / MEETING_FILE), folder / MEETING_FILE))


def item_order(state_meeting: bytes, where: Path) -> list[str]:
    """The `punkter` list of a møde.yaml's bytes (safe load; an unreadable one is a Danish error)."""
    data = safe_load(state_meeting, where)
    names = data.get("punkter") if isinstance(data, dict) else None
    return [n for n in names if _plain_name(n)] if isinstance(names, list) else []


def safe_load(data: bytes, where: Path) -> Any:
    """The data of a YAML file's bytes (read from `where`), read as the loader reads the meeting's files: an
    unreadable one is the loader's located Danish message, line and column."""
    from ..load.yamlfile import parse_yaml

    return parse_yaml(data, where)[0]


def write_version(folder: Path, files: dict[str, bytes], state: State, meta: dict[str, Any],
                  today: dt.date) -> SentVersion:
    """Stage every file in a temporary folder under udsendt/, then rename it into place as the next version.

    An existing version is never touched: the rename fails rather than replace one (two runs at once)."""
    root = folder / SENT_DIR
    if root.is_symlink() or root.exists():
        confine.refuse_outside(root, folder)  # never write a version out of the meeting folder
    try:
        root.mkdir(exist_ok=True)
    except OSError as exc:
        raise OutputError(f"mappen kan ikke oprettes ({os_reason(exc)})", Location(root)) from None
    versions = sent_versions(folder)
    number = (versions[-1].number + 1) if versions else 1
    target = root / f"{number}-{today.isoformat()}"
    try:
        tmp = Path(tempfile.mkdtemp(prefix=".udsender-", dir=root))
    except OSError as exc:
        raise OutputError(f"mappen kan ikke skrives ({os_reason(exc)})", Location(root)) from None
    try:
        entries: dict[str, str] = {}
        for name, data in files.items():
            (tmp / name).write_bytes(data)
            entries[name] = sha256(data)
        (tmp / DATA_DIR / ITEMS_DIR).mkdir(parents=True)
        (tmp / DATA_DIR / MEETING_FILE).write_bytes(state.meeting)
        data_entries = {MEETING_FILE: sha256(state.meeting)}
        for name, data in state.items.items():
            (tmp / DATA_DIR / ITEMS_DIR / name).write_bytes(data)
            data_entries[f"{ITEMS_DIR}/{name}"] = sha256(data)
        manifest = {
            "udgave": number,
            "udsendt": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "dato": today.isoformat(),
            **meta,
            "filer": entries,
            "data": data_entries,
            "bilag": state.bilag,
            "punkter": list(state.items),
            "data_sha256": state.data_hash(),
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                    encoding="utf-8")
        for path in tmp.rglob("*"):
            if path.is_file():
                path.chmod(0o444)
        tmp.chmod(0o755)
        os.rename(tmp, target)
    except OSError as exc:
        _remove_staged(tmp)
        if target.exists():
            raise OutputError("udgaven findes allerede (kører to 'referat send' på én gang?); intet er ændret",
                              Location(target)) from None
        raise OutputError(f"den udsendte udgave kan ikke skrives ({os_reason(exc)})", Location(target)) from None
    except BaseException:
        _remove_staged(tmp)
        raise
    return SentVersion(number, today.isoformat(), target)


def _remove_staged(tmp: Path) -> None:
    for path in tmp.rglob("*"):
        try:
            path.chmod(0o755 if path.is_dir() else 0o644)
        except OSError:
            pass
    shutil.rmtree(tmp, ignore_errors=True)
