"""Running `referat serve`: a socket on a free local port, a random token, uvicorn serving the application.

The socket is bound before the URL is printed (so the port printed is the port served, and a browser that opens
the URL at once finds it listening). uvicorn handles Ctrl+C and SIGTERM itself — open event streams are closed, the
watcher stopped — and then raises the signal again, so that `referat`'s command line ends with its usual exit
codes (130, 143). Started with Ctrl+C ignored (a shell's background job: `referat serve DIR &`), it keeps ignoring
it, as every other `referat` command does, and stops on SIGTERM.
"""

from __future__ import annotations

import contextlib
import errno
import secrets
import signal
import socket
import sys
import threading
import time
import webbrowser
from pathlib import Path
from typing import Any, Self, TextIO

from ..diagnostics import Location, UsageError, escape
from ..errors import InputError
from ..load.meeting import MEETING_FILE
from .state import Pipeline

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: a free one), or a Danish usage error."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise UsageError(f"--host {host}: adressen kendes ikke ({exc})") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        why = {errno.EADDRINUSE: "porten er optaget", errno.EACCES: "ingen adgang til porten",
               errno.EADDRNOTAVAIL: "adressen findes ikke på denne maskine"}.get(exc.errno or 0, exc.strerror)
        raise UsageError(f"kan ikke lytte på {host}:{port} ({why}); vælg en anden --port, eller udelad "
                         f"den for en ledig") from None
    sock.set_inheritable(True)
    return sock


def url(host: str, port: int, token: str) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/?token={token}"


def network_addresses(host: str) -> list[str]:
    """This machine's address on its network, for the others in the room (served on all addresses, `--host
    0.0.0.0`): the address the system would send from towards an outside address. A UDP socket's `connect` sends
    nothing; no network, no address (and nothing printed)."""
    family, probe = (socket.AF_INET6, "2001:db8::1") if host == "::" else (socket.AF_INET, "192.0.2.1")
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as udp:
            udp.connect((probe, 9))
            address = str(udp.getsockname()[0])
    except OSError:
        return []
    return [] if address in LOCAL_HOSTS or address.startswith("127.") else [address]


def serve(folder: Path, pipeline: Pipeline, host: str = "127.0.0.1", port: int = 0, open_browser: bool = True,
          templates: list[Path] | None = None, out: TextIO | None = None) -> None:
    """Serve the meeting folder until Ctrl+C (KeyboardInterrupt) or SIGTERM."""

    from .app import create_app

    out = out or sys.stdout
    if not folder.is_dir():
        raise InputError("mødemappen findes ikke", Location(folder))
    if not (folder / MEETING_FILE).is_file():
        raise InputError(f"mappen har ingen {MEETING_FILE}; opret en med 'referat new {folder}'", Location(folder))
    token = secrets.token_urlsafe(24)
    app = create_app(folder, token, pipeline, templates)
    sock = bind(host, port)
    bound = sock.getsockname()[1]
    address = url(host, bound, token)
    if host not in LOCAL_HOSTS:
        print(f"advarsel: serveren kan nås fra andre maskiner på netværket (--host {escape(host)}); kun med "
              "nøglen i adressen. Del adressen kun med mødets deltagere.", file=out)
    print(f"Åbn {address}", file=out)
    if host in ("0.0.0.0", "::", ""):
        for other in network_addresses(host):
            print(f"Fra en anden maskine: {url(other, bound, token)}", file=out)
    print("Stop med Ctrl+C.", file=out, flush=True)
    if open_browser:
        with contextlib.suppress(Exception):  # no browser is no error: the address is printed
            webbrowser.open(address)
    server = _server(app)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()


def _server(app: Any) -> Any:
    """A uvicorn server for the app that, when told to stop (Ctrl+C, SIGTERM), first ends the open event streams:
    uvicorn waits for running responses before it shuts the application down, and a page's stream never ends."""
    import uvicorn

    # uvicorn sets its own handler for SIGINT even where the process was started with it ignored, and would stop.
    interrupt_ignored = signal.getsignal(signal.SIGINT) is signal.SIG_IGN

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            if sig == signal.SIGINT and interrupt_ignored:
                return
            app.live.hub.close()
            super().handle_exit(sig, frame)

    return Server(uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=1,
                                 access_log=False, server_header=False))


class Background:
    """The server in a thread of this process, on a free local port (for tests and the benchmark)."""

    def __init__(self, folder: Path, pipeline: Pipeline, token: str | None = None,
                 templates: list[Path] | None = None) -> None:

        from .app import create_app

        self.token = token or secrets.token_urlsafe(24)
        self._sock = bind("127.0.0.1", 0)
        self.port = self._sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._app = create_app(folder, self.token, pipeline, templates)
        self._server = _server(self._app)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True)

    @property
    def url(self) -> str:
        return f"{self.base}/?token={self.token}"

    def __enter__(self) -> Self:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("referat serve startede ikke")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self._app.live.hub.close()
        self._server.should_exit = True
        self._thread.join(10)
        self._sock.close()
