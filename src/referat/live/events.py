"""Server-sent events and file watching for `referat serve`.

`Hub` hands every open page (each `/events` connection) its own queue; `publish` may be called from any thread
(a reload after a save runs in a worker thread, the watcher's in the event loop). `watch_folder` waits for changes
in the meeting folder with watchfiles (debounced ~50 ms, only files that are part of the meeting), reloads the
state in a worker thread and, when the folder really changed, the state's listener publishes a `skift` event. The
folder itself deleted or renamed while serving is such a change too, and the watching goes on when a folder is at
the path again.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import stat
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from ..diagnostics import say
from .state import LiveState, Loaded, relevant

HEARTBEAT_SECONDS = 15.0
DEBOUNCE_MS = 50


class Hub:
    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[dict[str, Any] | None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.closing = False

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def publish(self, event: dict[str, Any]) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        for queue in list(self._queues):
            loop.call_soon_threadsafe(queue.put_nowait, event)

    def close(self) -> None:
        """Ends every open stream (the server is stopping), so that no page holds the shutdown up."""
        self.closing = True
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        for queue in list(self._queues):
            loop.call_soon_threadsafe(queue.put_nowait, None)

    async def stream(self, first: dict[str, Any]) -> AsyncIterator[str]:
        """One page's event stream: the current version at once, then every change, a comment now and then."""
        queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue()
        self._queues.add(queue)
        try:
            yield _event(first)
            while not self.closing:
                try:
                    event = await asyncio.wait_for(queue.get(), HEARTBEAT_SECONDS)
                except TimeoutError:
                    yield ": ping\n\n"
                    continue
                if event is None:
                    return
                yield _event(event)
        finally:
            self._queues.discard(queue)


def _event(data: dict[str, Any]) -> str:
    return f"event: {data.get('type', 'skift')}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def change_event(loaded: Loaded) -> dict[str, Any]:
    return {"type": "skift", "version": loaded.version, "fejl": loaded.report.has_errors,
            "beskeder": len(loaded.report.items)}


def connect(state: LiveState, hub: Hub) -> None:
    state.on_change(lambda loaded: hub.publish(change_event(loaded)))


FOLDER_CHECK_SECONDS = 0.5
"""How often the watcher looks whether the meeting folder is still where it was (file events do not say when the
folder itself is renamed, and a deleted folder cannot be watched)."""


def _identity(folder: Path) -> tuple[int, int] | None:
    """The folder's device and inode, or None when no folder is at that path (deleted, renamed)."""
    try:
        info = folder.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISDIR(info.st_mode) else None


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


async def watch_folder(state: LiveState, stop: asyncio.Event) -> None:
    """Reload the state whenever a file of the meeting changes, until `stop` is set.

    The meeting folder deleted or renamed while serving is a change too: the state is reloaded (the pages then say
    that the folder is gone) and the watcher waits for a folder at the path again (put back, or a new one), reloads
    and watches that one."""
    import watchfiles

    folder = state.folder

    def wanted(change: watchfiles.Change, path: str) -> bool:
        return Path(path) == folder or relevant(Path(path), folder)

    polling = False
    first = True
    while not stop.is_set():
        identity = _identity(folder)
        if identity is None:
            await asyncio.to_thread(_refresh, state)
            while not stop.is_set() and _identity(folder) is None:
                await _pause(stop, FOLDER_CHECK_SECONDS)
            first = False
            continue
        # Watch first, then reload once (at the watch's first quiet moment): a change made while the watch was
        # being set up is then seen by the one or the other. The first watch needs no reload: the state is new.
        reload_due = not first
        first = False
        try:
            watch = watchfiles.awatch(folder, watch_filter=wanted, debounce=DEBOUNCE_MS, step=10, stop_event=stop,
                                      recursive=True, force_polling=polling or None,
                                      rust_timeout=int(FOLDER_CHECK_SECONDS * 1000), yield_on_timeout=True)
            async with contextlib.aclosing(watch):
                async for changes in watch:
                    if changes or reload_due:
                        reload_due = False
                        await asyncio.to_thread(_refresh, state)
                    # The folder itself deleted, renamed or replaced: nothing more comes from this watch, even when
                    # a folder is made at the path again (which may get the same inode number): watch again.
                    if _identity(folder) != identity or any(
                            kind == watchfiles.Change.deleted and Path(path) == folder for kind, path in changes):
                        break
        except (OSError, RuntimeError) as exc:  # no inotify watches left, a file system without events
            if _identity(folder) != identity:
                pass  # the folder went while it was watched: the next round says so and waits for it
            elif polling:
                say(f"referat serve: mappen kan ikke overvåges ({exc}); siden opdateres, når den genindlæses",
                    sys.stderr)
                return
            else:
                say(f"referat serve: filovervågning virker ikke her ({exc}); tjekker mappen med jævne mellemrum",
                    sys.stderr)
                polling = True
        await asyncio.to_thread(_refresh, state)  # the folder went, or another one is in its place
        await _pause(stop, FOLDER_CHECK_SECONDS / 5)  # no busy loop where a watch ends at once


def _refresh(state: LiveState) -> None:
    """A reload from the watcher; a bug in it is reported once and does not stop the watching."""
    try:
        state.refresh()
    except Exception as exc:  # noqa: BLE001 - the page shows the state it has; the next change tries again
        say(f"referat serve: intern fejl ved genindlæsning ({type(exc).__name__}: {exc})", sys.stderr)
