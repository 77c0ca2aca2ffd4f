"""An RFC 3161 timestamp client over the standard library (PAdES B-T without extra dependencies)."""

from __future__ import annotations

import asyncio
import urllib.error
import urllib.request

from asn1crypto import tsp
from pyhanko.sign.timestamps.api import TimeStamper

from ..diagnostics import Location
from ..errors import SignatureError


class UrlTimeStamper(TimeStamper):
    """Asks the timestamp server at `url` (HTTP POST, application/timestamp-query)."""

    def __init__(self, url: str, timeout: float = 10, where: Location | None = None) -> None:
        super().__init__()
        self.url = url
        self.timeout = timeout
        self.where = where  # the file being signed, for messages

    def _post(self, query: bytes) -> bytes:
        request = urllib.request.Request(self.url, data=query, method="POST",
                                         headers={"Content-Type": "application/timestamp-query"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return bytes(response.read())
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise SignatureError(f"tidsstempelserveren {self.url} svarer ikke ({reason})", self.where) from None

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        body = await asyncio.to_thread(self._post, req.dump())
        try:
            answer = tsp.TimeStampResp.load(body)
            granted = answer["status"]["status"].native in ("granted", "granted_with_mods")
        except ValueError:
            granted = False
        if not granted:
            raise SignatureError(f"tidsstempelserveren {self.url} gav intet gyldigt tidsstempel", self.where)
        return answer
