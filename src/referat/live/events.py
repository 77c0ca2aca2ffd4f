"""Server-sent events and file watching for `referat serve`.

`Hub` hands every open page (each `/events` connection) its own queue; `publish` may be called from any thread
(a reload after a save runs in a worker thread, the watcher's in the event loop). `watch_folder` waits for changes
in the meeting folder with watchfiles (debounced ~50 ms, only files that are part of the meeting), reloads the
state in a worker thread and, when the folder really changed, the state's listener publishes a `skift` event.
"""

from __future__ import annotations

import asyncio
import json
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


async def watch_folder(state: LiveState, stop: asyncio.Event) -> None:
    """Reload the state whenever a file of the meeting changes, until `stop` is set."""
    import watchfiles

    folder = state.folder

    def wanted(change: watchfiles.Change, path: str) -> bool:
        return relevant(Path(path), folder)

    polling = False
    while not stop.is_set():
        try:
            async for _changes in watchfiles.awatch(folder, watch_filter=wanted, debounce=DEBOUNCE_MS, step=10,
                                                   stop_event=stop, recursive=True, force_polling=polling or None):
                await asyncio.to_thread(_refresh, state)
            return
        except (OSError, RuntimeError) as exc:  # no inotify watches left, a file system without events
            if polling:
                say(f"referat serve: mappen kan ikke overvåges ({exc}); siden opdateres, når den genindlæses",
                    sys.stderr)
                return
            say(f"referat serve: filovervågning virker ikke her ({exc}); tjekker mappen med jævne mellemrum",
                sys.stderr)
            polling = True


def _refresh(state: LiveState) -> None:
    """A reload from the watcher; a bug in it is reported once and does not stop the watching."""
    try:
        state.refresh()
    except Exception as exc:  # noqa: BLE001 - the page shows the state it has; the next change tries again
        say(f"referat serve: intern fejl ved genindlæsning ({type(exc).__name__}: {exc})", sys.stderr)
