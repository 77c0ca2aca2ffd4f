"""The web application of `referat serve` (Starlette): the preview, the minute-taking page and their API.

Pages are Jinja templates from `templates/live/` (autoescape on, no `|safe` on anything from YAML); the page script
fetches JSON and sets text with `textContent`, never as HTML. Every request passes the token guard (`guard.py`).
Saves go through `referat.live.edit` (one key, round-trip, sha256-checked); a `Conflict` is answered with 409 and
both versions. After a save the state is reloaded at once (and the other pages told through `/events`), so the
save is validated like a hand edit.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import re
import unicodedata
from collections.abc import AsyncIterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from ..diagnostics import ReferatError
from ..errors import TemplateError, UsageError
from ..load.profile import bundled_templates
from .events import Hub, change_event, connect, watch_folder
from .guard import TokenGuard
from .state import EDITIONS, FOLDER_GONE, GENERAL, KINDS, LiveState, Loaded, Pipeline

STATIC = {"live.css": "text/css; charset=utf-8", "live.js": "text/javascript; charset=utf-8"}
NO_STORE = {"cache-control": "no-store"}
# The document preview is the HTML writer's own page: no script, inline style, images as data: URIs.
DOCUMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            "frame-src 'self'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'")


def live_templates() -> Path:
    """templates/live of the program (never of the meeting or its project: the pages are part of referat)."""
    for folder in bundled_templates():
        if (folder / "live" / "forhaandsvisning.html.j2").is_file():
            return folder / "live"
    raise TemplateError("referats egne sideskabeloner (templates/live) mangler; installér referat igen")


# Characters that cannot be seen or that reorder the text after them (U+202E makes "fdp.exe" read "exe.pdf"), as
# the loader's list of invisible characters (model/base.py): on the pages they are shown as "[U+202E]", so that what
# the page says is what the file says (validation names them too). Newline and tab are text.
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2028\u2029"
                     "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]")


def visible(text: object) -> str:
    """`text` with every invisible or reordering character written out as [U+XXXX] (a zero-width joiner inside an
    emoji sequence is part of the emoji and stays). The page script does the same (`visible` in live.js)."""
    value = str(text)

    def shown(match: re.Match[str]) -> str:
        ch, at = match.group(), match.start()
        if ch == "\u200d" and 0 < at < len(value) - 1 and unicodedata.category(value[at + 1]) == "So" and (
                unicodedata.category(value[at - 1]) in ("So", "Sk", "Mn") or value[at - 1] == "\ufe0f"):
            return ch
        return f"[U+{ord(ch):04X}]"

    return _HIDDEN.sub(shown, value)


@lru_cache(maxsize=2)
def _environment(folder: str) -> Environment:
    env = Environment(loader=FileSystemLoader(folder), autoescape=select_autoescape(default=True,
                      default_for_string=True), undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["synlig"] = visible
    return env


def _sha(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


class LiveApp:
    """The routes, bound to one meeting's state and one token."""

    def __init__(self, state: LiveState, token: str, watch: bool = True) -> None:
        self.state = state
        self.token = token
        self.hub = Hub()
        self.watch = watch
        self.templates = live_templates()
        connect(state, self.hub)

    # -- pages -----------------------------------------------------------------------------------------------
    def _page(self, name: str, **context: Any) -> HTMLResponse:
        text = _environment(str(self.templates)).get_template(name).render(token=self.token, **context)
        return HTMLResponse(text, headers={**NO_STORE, "content-security-policy": PAGE_CSP,
                                           "referrer-policy": "no-referrer"})

    def _common(self, loaded: Loaded, public: bool = False) -> dict[str, Any]:
        meeting = loaded.meeting
        items = []
        if meeting is not None:
            by_file = {item.file.name: item for item in meeting.items if item.file is not None}
            for name in meeting.item_files:
                item = by_file.get(name)
                items.append({"fil": name, "nummer": item.number if item else "?",
                              "titel": item.title if item else name})
        messages = self.state.messages(loaded, public)
        return {"meeting": meeting, "items": items, "messages": messages, "version": loaded.version,
                "general": [m for m in messages if m["punkt"] == GENERAL],
                "minutes": bool(meeting is not None and meeting.is_minutes),
                "title": self._title(loaded)}

    def _title(self, loaded: Loaded) -> str:
        meeting = loaded.meeting
        if meeting is None:
            return self.state.folder.name
        return f"{meeting.profile.short_name} {meeting.date.isoformat()}"

    async def preview(self, request: Request) -> Response:
        await run_in_threadpool(self.state.refresh)
        loaded = self.state.current
        kind = request.query_params.get("dokument", "")
        edition = request.query_params.get("udgave", "intern")
        if edition not in EDITIONS:
            edition = "intern"
        common = await run_in_threadpool(self._common, loaded, edition == "offentlig")
        if kind not in KINDS:
            kind = "referat" if common["minutes"] else "dagsorden"
        return self._page("forhaandsvisning.html.j2", kind=kind, edition=edition, kinds=KINDS, editions=EDITIONS,
                          **common)

    async def minutes(self, request: Request) -> Response:
        await run_in_threadpool(self.state.refresh)
        loaded = self.state.current
        data = self._minutes_data(loaded)
        common = self._common(loaded)
        by_file = {item["fil"]: item for item in data.get("punkter", [])}
        # every item of the list in order: the loaded ones to write in, the others (a file that cannot be read)
        # with the messages that say why, so that no item is missing from the page without a word
        sections = [(entry, by_file.get(entry["fil"])) for entry in common["items"]]
        return self._page("referatskrivning.html.j2", data=data, sections=sections, **common)

    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return _not_found()
        data = (self.templates / name).read_bytes()
        return Response(data, media_type=STATIC[name], headers=NO_STORE)

    # -- API -------------------------------------------------------------------------------------------------
    async def state_json(self, request: Request) -> Response:
        await run_in_threadpool(self.state.refresh)
        loaded = self.state.current
        public = request.query_params.get("udgave") == "offentlig"
        common = await run_in_threadpool(self._common, loaded, public)
        body = {"version": loaded.version, "fejl": self.state.report(loaded, public).has_errors,
                "beskeder": common["messages"],
                "punkter": common["items"], "referat": common["minutes"]}
        if request.query_params.get("skriv"):
            body["skriv"] = self._minutes_data(loaded)
        return JSONResponse(body, headers=NO_STORE)

    def _minutes_data(self, loaded: Loaded) -> dict[str, Any]:
        """What the minute-taking page shows and edits, with the sha256 of each file as it is now."""
        from ..lifecycle.minutes import DEFAULT_PHRASES, STANDARD_WITHOUT_RECOMMENDATION, phrase_for

        meeting = loaded.meeting
        folder = self.state.folder
        if meeting is None:
            return {"klar": False}
        profile_phrases = meeting.profile.decision_phrases
        phrases: list[str] = []
        for phrase in [*profile_phrases.values(), *DEFAULT_PHRASES.values(), STANDARD_WITHOUT_RECOMMENDATION]:
            if phrase not in phrases:
                phrases.append(phrase)
        items = []
        for item in meeting.items:
            if item.file is None:
                continue
            items.append({
                "fil": item.file.name, "nummer": item.number, "titel": item.title,
                "indstilling": [{"tekst": r.text, "underpunkter": list(r.subpoints)}
                                for r in item.recommendation or []],
                "beslutning": item.decision or "",
                "standard": phrase_for(item, profile_phrases),
                "opfoelgning": [{"opgave": t.task, "ansvarlig": t.responsible, "frist": str(t.deadline),
                                 "status": t.status.value} for t in item.follow_up],
                "sha256": _sha(item.file),
            })
        attendance = meeting.attendance
        guests = [{"navn": g.name, "titel": g.title or "", "organisation": g.organisation or "",
                   "i_stedet_for": g.substitute_for or "", "punkter": [str(n) for n in g.items]}
                  for g in attendance.others]
        # what the page is built of (the items it can write in, the members): a page built of something else is
        # built again (live.js), as it cannot take the change over field by field
        shape = json.dumps([meeting.item_files, [(it["fil"], it["nummer"]) for it in items],
                            [m.name for m in meeting.roster], loaded.sealed], ensure_ascii=False)
        return {"klar": True, "opbygning": hashlib.sha256(shape.encode()).hexdigest()[:16],
                "forseglet": loaded.sealed or "",
                "faser": meeting.phase.value, "fraser": phrases, "punkter": items,
                "medlemmer": [m.name for m in meeting.roster], "til_stede": list(attendance.present),
                "fravaerende": list(attendance.absent), "oevrige": guests,
                "delvis": {p.name: {"fra_punkt": p.from_item, "til_punkt": p.to_item} for p in attendance.partial},
                "moede_sha256": _sha(folder / "møde.yaml"), "numre": [it["nummer"] for it in items]}

    async def document(self, request: Request) -> Response:
        kind, edition, fmt = (request.path_params["kind"], request.path_params["edition"],
                              request.path_params["fmt"])
        if kind not in KINDS or edition not in EDITIONS or fmt not in ("html", "pdf"):
            return _not_found()
        await run_in_threadpool(self.state.refresh)
        try:
            data = await run_in_threadpool(self.state.document, kind, edition, fmt)
        except ReferatError as exc:
            return HTMLResponse(_message_page(exc.message), status_code=409,
                                headers={**NO_STORE, "content-security-policy": DOCUMENT_CSP})
        if fmt == "pdf":
            name = f"{kind}{'-offentlig' if edition == 'offentlig' else ''}.pdf"
            return Response(data, media_type="application/pdf", headers={
                **NO_STORE, "content-disposition": f'inline; filename="{name}"'})
        return Response(data, media_type="text/html; charset=utf-8",
                        headers={**NO_STORE, "content-security-policy": DOCUMENT_CSP})

    async def events(self, request: Request) -> Response:
        first = change_event(self.state.current)
        return StreamingResponse(self.hub.stream(first), media_type="text/event-stream",
                                 headers={**NO_STORE, "x-accel-buffering": "no"})

    # -- saves -----------------------------------------------------------------------------------------------
    async def save(self, request: Request) -> Response:
        what = request.path_params["what"]
        try:
            body = await request.json()
        except ValueError:
            return _json_error("forespørgslen er ikke gyldig JSON", 400)
        if not isinstance(body, dict):
            return _json_error("forespørgslen skal være et JSON-objekt", 400)
        return await run_in_threadpool(self._save, what, body)

    def _save(self, what: str, body: dict[str, Any]) -> Response:
        from . import edit

        folder = self.state.folder
        sha = body.get("sha256")
        if not isinstance(sha, str):
            return _json_error("sha256 mangler: indlæs siden igen", 400)
        if not folder.is_dir():
            self._reload()
            return _json_error(FOLDER_GONE, 422)
        sealed = self.state.current.sealed
        if sealed:
            return _json_error(SEALED.format(state=sealed), 409)
        try:
            if what == "beslutning":
                saved = edit.set_decision(folder, _text(body, "fil"), _text(body, "tekst"), sha)
            elif what == "opfoelgning":
                saved = edit.set_follow_up(folder, _text(body, "fil"), body.get("opgaver"), sha)  # type: ignore[arg-type]
            elif what == "fremmoede":
                saved = edit.set_attendance(folder, body.get("til_stede"), body.get("fravaerende"), sha)  # type: ignore[arg-type]
            elif what == "delvis":
                saved = edit.set_partial_attendance(folder, body.get("delvis"), sha)  # type: ignore[arg-type]
            elif what == "gaest-punkter":
                saved = edit.set_guest_items(folder, _text(body, "navn"), body.get("punkter"), sha)  # type: ignore[arg-type]
            elif what == "gaest-fjern":
                saved = edit.remove_guest(folder, _text(body, "navn"), sha)
            elif what == "gaest":
                saved = edit.add_guest(folder, _text(body, "navn"), body.get("titel") or None,
                                       body.get("organisation") or None, body.get("i_stedet_for") or None, sha)
            else:
                return _json_error("ukendt handling", 404)
        except edit.Conflict as exc:
            self._reload()
            return JSONResponse({"fejl": "konflikt", "besked": exc.message, "sha256": exc.actual.sha256,
                                 "disk": exc.actual.text, "fil": _relative(exc.actual.path, folder)},
                                status_code=409, headers=NO_STORE)
        except ReferatError as exc:
            return self._refused(exc)
        self._reload()
        loaded = self.state.current
        mine = [m for m in self.state.messages(loaded) if m["sted"].split(":")[0] == _relative(saved.path, folder)]
        return JSONResponse({"gemt": True, "sha256": saved.sha256, "fil": _relative(saved.path, folder),
                             "version": loaded.version, "beskeder": mine}, headers=NO_STORE)

    def _reload(self) -> None:
        """Reload after a save, so that the answer and the other pages carry its messages. The file is written by
        then: a failure here (a bug) is reported on stderr but must not make the page believe the save failed — the
        page would keep the old sha256 and conflict with its own save."""
        try:
            self.state.refresh()
        except Exception as exc:  # noqa: BLE001 - reported as a bug; the save itself stands
            import sys

            from ..errors import internal_error

            for line in internal_error(exc):
                print(line, file=sys.stderr)

    def _refused(self, exc: ReferatError) -> JSONResponse:
        """A save refused or failed (a file that cannot be read as YAML, a read-only disk): the Danish message
        with the file (and line) it concerns, relative to the meeting folder, as the page shows it."""
        diagnostics = exc.report.errors or exc.report.items
        if not diagnostics:
            return _json_error(str(exc) or "intet er gemt", 422)
        diag = diagnostics[0]
        place = self.state.place(diag)
        path = diag.location.path if diag.location.path.is_absolute() else Path.cwd() / diag.location.path
        inside = self.state.folder == path.resolve() or self.state.folder in path.resolve().parents
        text = f"{place}: {diag.message}" if inside and place != "." else diag.message
        return JSONResponse({"fejl": text, "sted": place if inside else ""}, status_code=422, headers=NO_STORE)

    # -- the application ---------------------------------------------------------------------------------------
    @contextlib.asynccontextmanager
    async def lifespan(self, app: Starlette) -> AsyncIterator[None]:
        self.hub.bind(asyncio.get_running_loop())
        stop = asyncio.Event()
        watcher = asyncio.create_task(watch_folder(self.state, stop)) if self.watch else None
        try:
            yield
        finally:
            stop.set()
            self.hub.close()
            if watcher is not None:
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await watcher

    def asgi(self) -> TokenGuard:
        routes = [
            Route("/", self.preview),
            Route("/skriv", self.minutes),
            Route("/static/{name}", self.static),
            Route("/api/tilstand", self.state_json),
            Route("/dokument/{kind}/{edition}.{fmt}", self.document),
            Route("/events", self.events),
            Route("/api/gem/{what}", self.save, methods=["POST"]),
            Route("/favicon.ico", lambda request: Response(status_code=204)),
        ]
        app = Starlette(routes=routes, lifespan=self.lifespan, exception_handlers={Exception: _internal_error})
        return TokenGuard(app, self.token)


async def _internal_error(request: Request, exc: Exception) -> Response:
    """A bug in referat: said as one (the traceback in a file, its name on stderr), never as the user's mistake."""
    import sys

    from ..errors import internal_error

    lines = internal_error(exc)
    for line in lines:
        print(line, file=sys.stderr)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"fejl": " ".join(lines)}, status_code=500, headers=NO_STORE)
    return HTMLResponse(_message_page(" ".join(lines)), status_code=500, headers=NO_STORE)


def _text(body: dict[str, Any], key: str) -> str:
    value = body.get(key)
    if not isinstance(value, str):
        raise UsageError(f"'{key}' mangler eller er ikke tekst")
    return value


def _relative(path: Path, folder: Path) -> str:
    try:
        return path.resolve().relative_to(folder).as_posix()
    except ValueError:
        return path.name


def _json_error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"fejl": message}, status_code=status, headers=NO_STORE)


def _not_found() -> Response:
    return HTMLResponse(_message_page("siden findes ikke"), status_code=404, headers=NO_STORE)


def _message_page(message: str) -> str:
    from markupsafe import escape

    return (f'<!DOCTYPE html>\n<html lang="da"><head><meta charset="utf-8"><title>referat serve</title></head>'
            f"<body><main><p>{escape(message)}</p></main></body></html>\n")


SEALED = ("referatet kan ikke ændres her: {state}. Et underskrevet, arkiveret referat ændres ikke; ret det med "
          "'referat correction build' og 'referat correction archive'")


def create_app(folder: Path, token: str, pipeline: Pipeline, templates: list[Path] | None = None,
               watch: bool = True) -> TokenGuard:
    """The ASGI application for one meeting folder (`pipeline`: the application's, see `referat.app.serve`)."""
    live = LiveApp(LiveState(folder, pipeline, templates), token, watch)
    guard = live.asgi()
    guard.live = live
    return guard
