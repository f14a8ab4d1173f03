"""GET /schema.graphql: the schema the API serves, as SDL (the committed schema.graphql)."""

from __future__ import annotations

import hashlib

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from spacerace.api.compression import compress
from spacerace.api.graphql import headless, if_none_match
from spacerace.api.negotiation import encoding
from spacerace.api.responses import error_response
from spacerace.api.settings import HTTPSettings
from spacerace.schema import errors

MEDIA_TYPE = "text/plain; charset=utf-8"
"""SDL has no registered media type; plain UTF-8 text reads in a browser and a terminal."""


class SDLEndpoint:
    def __init__(self, sdl: str, settings: HTTPSettings) -> None:
        self.body = sdl.encode("utf-8")
        self.etag = hashlib.sha256(self.body).hexdigest()[:32]
        self.settings = settings
        self._compressed: dict[str, bytes] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        await self.respond(request)(scope, receive, send)

    def respond(self, request: Request) -> Response:
        method = request.method
        if method == "OPTIONS":
            return Response(status_code=204, headers={"allow": "GET, HEAD, OPTIONS"})
        if method not in ("GET", "HEAD"):
            return error_response(
                405,
                f"{method} is not supported here: GET the schema.",
                errors.METHOD_NOT_ALLOWED,
                headers={"allow": "GET, HEAD, OPTIONS"},
            )
        headers = {
            "etag": f'W/"{self.etag}"',
            "cache-control": f"public, max-age={self.settings.cache_max_age}",
            "vary": "Accept-Encoding",
        }
        held = if_none_match(request.headers.get("if-none-match", ""))
        if self.etag in held or "*" in held:
            return Response(status_code=304, headers=headers)
        body = self.body
        chosen = encoding(request.headers.get("accept-encoding", ""))
        if chosen is not None and len(body) >= self.settings.compress_min_bytes:
            if chosen not in self._compressed:
                self._compressed[chosen] = compress(body, chosen)
            body = self._compressed[chosen]
            headers["content-encoding"] = chosen
        return headless(Response(body, media_type=MEDIA_TYPE, headers=headers), method)
