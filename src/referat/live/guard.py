"""The token guard of `referat serve`: no request is answered without the server's random token.

The token comes in the URL printed on stdout (`?token=…`); a page opened with it gets a cookie holding it
(HttpOnly, SameSite=Strict), so the page's own links and requests carry it. Every other request is refused with
403 and a Danish page. A POST (a save) must also carry the token in the `X-Referat-Token` header: a cookie alone
is sent by the browser on a cross-site form post too, a header is not (the CSRF guard). Tokens are compared with
`hmac.compare_digest`.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

HEADER = "x-referat-token"
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

FORBIDDEN_PAGE = """<!DOCTYPE html>
<html lang="da"><head><meta charset="utf-8"><title>Adgang nægtet – referat serve</title></head>
<body><main><h1>Adgang nægtet</h1>
<p>Denne side kræver den nøgle (token), som <code>referat serve</code> skrev i terminalen, da den startede.
Åbn adressen derfra: <code>http://…/?token=…</code>.</p></main></body></html>
"""


def cookie_name(token: str) -> str:
    """One cookie per server (by the token's hash), so two servers on one machine do not overwrite each other's."""
    return "referat-" + hashlib.sha256(token.encode()).hexdigest()[:12]


def _same(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8", "replace"), token.encode())


class TokenGuard:
    """ASGI middleware: lets a request through only with the right token."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token
        self.cookie = cookie_name(token)
        self.live: Any = None  # the application behind the guard (referat.live.app.LiveApp), for the server

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):  # the server's own lifespan messages
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        from_query = query.get("token", [None])[-1]
        cookies = SimpleCookie()
        try:
            cookies.load(headers.get("cookie", ""))
        except Exception:  # noqa: BLE001 - a malformed cookie header is just no cookie
            cookies = SimpleCookie()
        from_cookie = cookies[self.cookie].value if self.cookie in cookies else None
        ok = _same(from_query, self.token) or _same(from_cookie, self.token)
        if ok and scope.get("method") not in ("GET", "HEAD"):
            ok = _same(headers.get(HEADER), self.token)
        if not ok and scope["type"] == "websocket":  # none is served; refused like any request without the token
            await send({"type": "websocket.close", "code": 1008})
            return
        if not ok:
            body = FORBIDDEN_PAGE.encode("utf-8")
            await send({"type": "http.response.start", "status": 403, "headers": [
                (b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store")]})
            await send({"type": "http.response.body", "body": body})
            return
        if not _same(from_query, self.token) or scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                value = f"{self.cookie}={self.token}; Path=/; HttpOnly; SameSite=Strict"
                message = {**message, "headers": [*message.get("headers", []),
                                                  (b"set-cookie", value.encode("latin-1"))]}
            await send(message)

        await self.app(scope, receive, send_with_cookie)
