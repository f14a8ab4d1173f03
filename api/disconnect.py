"""Work stops when the client goes away: ASGI middleware that cancels a request's
work as soon as the server reports `http.disconnect`.

uvicorn tells an app that its client is gone only through `receive()`, which the
app stops calling once it has read the body. This middleware runs the app in a
task of its own and, once the body is read, listens for the disconnect itself:
if it comes before the answer is sent, the task is cancelled, and the
cancellation reaches every database call in flight (pymongo's async calls are
cancellable, and the deadline the gate set has told the server when to stop).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("spacerace.http")


class CancelOnDisconnect:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body_read = asyncio.Event()
        gone = asyncio.Event()
        answered = False

        async def app_receive() -> Message:
            if body_read.is_set():  # the app waits for the disconnect too (streaming)
                await gone.wait()
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.disconnect":
                gone.set()
            elif not message.get("more_body", False):
                body_read.set()
            return message

        async def app_send(message: Message) -> None:
            nonlocal answered
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                answered = True

        async def listen() -> None:
            await body_read.wait()
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    if not answered:  # after the answer, a disconnect is the normal end
                        gone.set()
                    return

        work = asyncio.ensure_future(self.app(scope, app_receive, app_send))
        listener = asyncio.ensure_future(listen())
        try:
            await asyncio.wait((work, listener), return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:  # the server itself is cancelling this request
            work.cancel()
            listener.cancel()
            raise
        if gone.is_set() and not work.done():
            work.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await work
            log.info("client went away: %s %s cancelled", scope.get("method"), scope.get("path"))
            return
        listener.cancel()
        await work
