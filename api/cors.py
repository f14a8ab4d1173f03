"""CORS: which web pages on other origins may call the API from a browser.

By default any origin may GET and POST (a public, read-only API without cookies
or credentials, as GitHub's is): answers carry `Access-Control-Allow-Origin: *`.
An allow-list (`SPACERACE_CORS_ORIGINS`) narrows it: listed origins are echoed
back (with `Vary: Origin`), others get no CORS headers, so their pages cannot
read the answers. Preflights are answered here, before any route, with a
max-age; a refused preflight is a GraphQL JSON error like every other failure.
"""

from __future__ import annotations

import re

import orjson
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spacerace.api.settings import HTTPSettings
from spacerace.schema import errors

METHODS = ("GET", "HEAD", "POST")
EXPOSED = "ETag"
"""Response headers a page may read beyond the CORS-safelisted ones."""
PREFLIGHT_VARY = "Access-Control-Request-Method, Access-Control-Request-Headers"
TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


class CORSMiddleware:
    def __init__(self, app: ASGIApp, settings: HTTPSettings) -> None:
        self.app = app
        self.origins = None if settings.cors_origins is None else frozenset(settings.cors_origins)
        self.max_age = settings.cors_max_age

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is None:
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await self.preflight(origin, headers)(scope, receive, send)
            return
        allowed = self.allowed(origin)

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start" and allowed is not None:
                out = MutableHeaders(scope=message)
                out["access-control-allow-origin"] = allowed
                out["access-control-expose-headers"] = EXPOSED
                if allowed != "*":
                    out.add_vary_header("Origin")
            await send(message)

        await self.app(scope, receive, send_with_cors)

    def allowed(self, origin: str) -> str | None:
        """The Access-Control-Allow-Origin value for `origin`, or None if refused."""
        if self.origins is None:
            return "*"
        return origin if origin.rstrip("/") in self.origins else None

    def preflight(self, origin: str, headers: Headers) -> Response:
        allowed = self.allowed(origin)
        # The answer depends on what was asked, and (with an allow-list) on who asked.
        vary = {"vary": PREFLIGHT_VARY if self.origins is None else f"Origin, {PREFLIGHT_VARY}"}
        if allowed is None:
            return _refused(f"The origin {origin} may not call this API from a browser.", vary)
        method = headers["access-control-request-method"].strip().upper()
        if method not in METHODS:
            return _refused(
                f"A browser may send only {', '.join(METHODS)} to this API, not {method}.", vary
            )
        requested = [
            name.strip()
            for name in headers.get("access-control-request-headers", "").split(",")
            if name.strip()
        ]
        if not all(TOKEN.fullmatch(name) for name in requested):
            return _refused("Access-Control-Request-Headers is not a list of header names.", vary)
        answer = {
            "access-control-allow-origin": allowed,
            "access-control-allow-methods": ", ".join(METHODS),
            "access-control-max-age": str(self.max_age),
            **vary,
        }
        if requested:
            # Any request header may be sent: there are no credentials to protect.
            answer["access-control-allow-headers"] = ", ".join(requested)
        return Response(status_code=204, headers=answer)


def _refused(message: str, headers: dict[str, str]) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": errors.FORBIDDEN_ORIGIN}}]}
    return Response(
        orjson.dumps(body), status_code=403, media_type="application/json", headers=headers
    )
