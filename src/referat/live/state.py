"""The warm state of `referat serve`: one meeting loaded and validated once, kept in memory, reloaded on change.

A `LiveState` holds the meeting folder's model and report, a fingerprint of the folder (the bytes of every YAML
file, the size and time of every other file) and the rendered documents cached by that fingerprint: the HTML page
at once, the real PDF only when asked for. Loading, checking and rendering are the application's pipeline
(`referat.app.pipeline`, every check; the meeting's state: sealed minutes), handed in as a `Pipeline` because this
package sits below the application. Nothing here writes a file. Reloads are serialised by a lock; readers get an immutable
`Loaded` snapshot, so a request never sees half a reload.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Location, ReferatError, Report
from ..errors import InputError, UsageError
from ..fileio import read_reason
from ..model.meeting import Meeting

MEETING_FILE = "møde.yaml"
KINDS = ("dagsorden", "referat")
EDITIONS = ("intern", "offentlig")
GENERAL = ""  # the group of messages that concern the meeting as a whole (møde.yaml, the folder)


FOLDER_GONE = ("mødemappen findes ikke længere: den er slettet eller omdøbt, mens referat serve kørte. Intet kan "
               "gemmes, før den er tilbage; læg den tilbage, eller start referat serve igen med dens nye sted")


def _report(path: Path, message: str) -> Report:
    report = Report()
    report.error(Location(path), message)
    return report


@dataclass(frozen=True)
class Load:
    """What the pipeline made of the folder: the model (if it loaded), every message, and whether the minutes are
    sealed (signed and archived: the state's line then, and the minute-taking page is read-only)."""

    meeting: Meeting | None
    report: Report
    sealed: str | None = None
    handle: Any = None  # the pipeline's own checked meeting, handed back to `render` and `public_report`


@dataclass(frozen=True)
class Pipeline:
    """What `referat serve` takes from the application's pipeline: `load(folder, templates)`, `render(handle,
    kind, public, fmt)` → bytes ("html" without bilag links, or "pdf"), `public_report(handle)` → the load's
    report with the public edition's checks."""

    load: Callable[[Path, list[Path] | None], Load]
    render: Callable[[Any, str, bool, str], bytes]
    public_report: Callable[[Any], Report]


@dataclass(frozen=True)
class Loaded:
    """One load of the folder: what every request of that moment reads."""

    fingerprint: str
    version: int
    meeting: Meeting | None
    report: Report
    error: str | None = None  # a load that failed in a way the report could not carry
    sealed: str | None = None  # the minutes are signed and archived: the state's line (the page is read-only)
    handle: Any = None


@dataclass
class _Cache:
    fingerprint: str = ""
    documents: dict[tuple[str, str, str], bytes] = field(default_factory=dict)
    public: Report | None = None  # the report with the public edition's checks


def fingerprint(folder: Path) -> str:
    """A hash of what the meeting is made of: every YAML file's bytes; for other files (bilag) name, size, time.

    Hidden files and folders (editor swap files, `.git`) and files an editor writes while saving (`*~`, `*.swp`,
    `*.tmp`) are left out, so that they neither trigger a reload nor change the hash."""
    digest = hashlib.sha256()
    for path in sorted(_files(folder)):
        rel = path.relative_to(folder).as_posix()
        try:
            if path.suffix.lower() in (".yaml", ".yml"):
                data = path.read_bytes()
                digest.update(f"{rel}\0{len(data)}\0".encode())
                digest.update(data)
            else:
                stat = path.stat()
                digest.update(f"{rel}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
        except OSError:
            digest.update(f"{rel}\0?\0".encode())
    return digest.hexdigest()


def relevant(path: Path, folder: Path) -> bool:
    """Whether a changed path is part of the meeting (not hidden, not an editor's temporary file)."""
    try:
        parts = path.relative_to(folder).parts
    except ValueError:
        return False
    if not parts or any(part.startswith(".") for part in parts):
        return False
    name = parts[-1]
    return not (name.endswith(("~", ".swp", ".swx", ".tmp", ".part")) or name.startswith("#"))


def _files(folder: Path) -> list[Path]:
    out: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        base = Path(root)
        out += [base / name for name in files if relevant(base / name, folder)]
    return out


class LiveState:
    """The meeting folder, loaded; `refresh()` reloads it when its fingerprint changed."""

    def __init__(self, folder: Path, pipeline: Pipeline, templates: list[Path] | None = None) -> None:
        self.folder = folder.resolve()
        self.templates = templates
        self.pipeline = pipeline
        self._lock = threading.RLock()
        self._render_lock = threading.Lock()
        self._cache = _Cache()
        self._listeners: list[Callable[[Loaded], None]] = []
        self._current = self._load(fingerprint(self.folder), 1)

    # -- loading ---------------------------------------------------------------------------------------------
    def _load(self, print_: str, version: int) -> Loaded:
        if not self.folder.is_dir():
            return Loaded(print_, version, None, _report(self.folder, FOLDER_GONE))
        try:
            load = self.pipeline.load(self.folder, self.templates)
        except ReferatError as exc:
            return Loaded(print_, version, None, exc.report)
        except OSError as exc:  # the folder or a file went while it was read (deleted, renamed, unmounted)
            where = Path(exc.filename) if isinstance(exc.filename, str) else self.folder
            if not self.folder.is_dir():
                return Loaded(print_, version, None, _report(self.folder, FOLDER_GONE))
            return Loaded(print_, version, None, _report(where, f"filen kunne ikke læses ({read_reason(exc)}); "
                                                                "mødet indlæses igen ved næste ændring"))
        return Loaded(print_, version, load.meeting, load.report, sealed=load.sealed, handle=load.handle)

    @property
    def current(self) -> Loaded:
        return self._current

    def on_change(self, listener: Callable[[Loaded], None]) -> None:
        """`listener(loaded)` is called (in the reloading thread) after every reload that changed something."""
        self._listeners.append(listener)

    def refresh(self, force: bool = False) -> bool:
        """Reload when the folder changed since the last load (or always with `force`); True when it did."""
        with self._lock:
            now = fingerprint(self.folder)
            if now == self._current.fingerprint and not force:
                return False
            self._current = self._load(now, self._current.version + 1)
            loaded = self._current
        for listener in list(self._listeners):
            listener(loaded)
        return True

    # -- messages --------------------------------------------------------------------------------------------
    def item_of(self, loaded: Loaded) -> Callable[[Diagnostic], str]:
        """Maps a message to the item file it concerns (GENERAL for the meeting): an item's own file, or a bilag
        of that item."""
        owner: dict[Path, str] = {}
        meeting = loaded.meeting
        if meeting is not None:
            for name in meeting.item_files:
                owner[(self.folder / "punkter" / name).resolve()] = name
            for item in meeting.items:
                if item.file is None:
                    continue
                for bilag in item.bilag:
                    if bilag.path is not None:
                        owner.setdefault(bilag.path.resolve(), item.file.name)

        def key(diag: Diagnostic) -> str:
            path = diag.location.path
            path = path if path.is_absolute() else (Path.cwd() / path)
            return owner.get(path.resolve(), GENERAL)

        return key

    def report(self, loaded: Loaded, public: bool = False) -> Report:
        """The load's report; with `public`, also the checks a public edition needs (as `validate --offentlig`)."""
        if not public or loaded.meeting is None or loaded.report.has_errors or loaded.handle is None:
            return loaded.report
        with self._render_lock:
            cache = self._cache_for(loaded)
            if cache.public is None:
                cache.public = self.pipeline.public_report(loaded.handle)
            return cache.public

    def _cache_for(self, loaded: Loaded) -> _Cache:
        if self._cache.fingerprint != loaded.fingerprint:
            self._cache = _Cache(loaded.fingerprint)
        return self._cache

    def messages(self, loaded: Loaded | None = None, public: bool = False) -> list[dict[str, Any]]:
        """Every message as JSON-ready data: severity, text, `fil:linje` relative to the meeting, its item."""
        loaded = loaded or self._current
        item_of = self.item_of(loaded)
        out = []
        for diag in self.report(loaded, public).items:
            out.append({"alvor": diag.severity, "tekst": diag.message, "sted": self.place(diag),
                        "punkt": item_of(diag), "linje": diag.location.line})
        return out

    def place(self, diag: Diagnostic) -> str:
        loc = diag.location
        path = loc.path if loc.path.is_absolute() else Path.cwd() / loc.path
        try:
            shown = path.resolve().relative_to(self.folder).as_posix()
        except ValueError:
            shown = loc.path.as_posix()
        return loc.format(shown, raw=True)

    # -- documents -------------------------------------------------------------------------------------------
    def document(self, kind: str, edition: str, fmt: str) -> bytes:
        """The rendered document of the current load, from the cache when the folder has not changed.
        Raises ReferatError (with a Danish message) when the meeting cannot be rendered now."""
        if kind not in KINDS or edition not in EDITIONS or fmt not in ("html", "pdf"):
            raise UsageError(f"ukendt dokument: {kind}/{edition}.{fmt}")
        loaded = self._current
        key = (kind, edition, fmt)
        if edition == "offentlig" and self.report(loaded, public=True).has_errors:
            raise InputError("den offentlige udgave har fejl (se beskederne); den vises, når de er rettet")
        with self._render_lock:
            self._cache_for(loaded)
            cached = self._cache.documents.get(key)
            if cached is not None:
                return cached
            data = self._render(loaded, kind, edition == "offentlig", fmt)
            if self._cache.fingerprint == loaded.fingerprint:
                self._cache.documents[key] = data
            return data

    def _render(self, loaded: Loaded, kind: str, public: bool, fmt: str) -> bytes:
        meeting = loaded.meeting
        if meeting is None or loaded.report.has_errors or loaded.handle is None:
            raise InputError("mødet har fejl; dokumentet vises igen, når de er rettet")
        if kind == "referat" and not meeting.is_minutes:
            raise InputError("mødet står i fasen 'dagsorden'; referatet kan vises, når der står 'fase: referat'")
        return self.pipeline.render(loaded.handle, kind, public, fmt)
