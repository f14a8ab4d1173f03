"""The HTTP side of the limits: a cap on the request body, as ASGI middleware.

A body over the cap is answered 413 with a GraphQL JSON error
(`extensions.code: PAYLOAD_TOO_LARGE`, the limit and its setting) as soon as it
is known to be too large: at once when `content-length` says so, or when the
bytes received pass the cap (a chunked body has no length). The rest of the body
is never read, and the connection is closed after the answer.
"""

from __future__ import annotations

import logging

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spacerace.schema.limits import PAYLOAD_TOO_LARGE, refusal

log = logging.getLogger("spacerace.http")


class _TooLarge(Exception):
    """The body passed the cap while the app was reading it."""


class BodyLimit:
    """Refuses HTTP request bodies over `max_bytes` (None: no cap)."""

    def __init__(self, app: ASGIApp, max_bytes: int | None) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.max_bytes
        if scope["type"] != "http" or limit is None:
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None:
            if declared > limit:
                await self._refuse(send, f"The request body is {declared:,} bytes")
                return
            # The server delivers no more than content-length says: nothing to count.
            await self.app(scope, receive, send)
            return
        received = 0
        started = False

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited, watched)
        except _TooLarge:
            if started:  # the app answered before reading all of the body
                return
            await self._refuse(send, f"The request body is over {limit:,} bytes")

    async def _refuse(self, send: Send, message: str) -> None:
        assert self.max_bytes is not None
        error = refusal(PAYLOAD_TOO_LARGE, message, "max_body_bytes", self.max_bytes)
        log.info("refused: %s: %s", PAYLOAD_TOO_LARGE, error.message)
        body = orjson.dumps({"errors": [error.formatted]})
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
