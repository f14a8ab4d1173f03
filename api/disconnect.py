"""Work stops when the client goes away: ASGI middleware that cancels a request's
work as soon as the server reports `http.disconnect`.

uvicorn tells an app that its client is gone only through `receive()`, which the
app stops calling once it has read the body (or never calls, for a GET). This
middleware reads the messages itself, passing the body on to the app, and if the
disconnect comes before the answer is sent, the request's task is cancelled; the
cancellation reaches every database call in flight (pymongo's async calls are
cancellable, and the deadline the gate set has told the server when to stop).
"""

from __future__ import annotations

import asyncio
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
        request = asyncio.current_task()
        assert request is not None
        gone = False
        answered = False
        inbox: asyncio.Queue[Message | Exception] = asyncio.Queue()

        async def listen() -> None:
            """Pass the body on to the app as it comes, then wait for the disconnect
            (the app need not read the body: a GET is answered without)."""
            nonlocal gone
            try:
                while True:
                    message = await receive()
                    inbox.put_nowait(message)
                    if message["type"] == "http.disconnect":
                        if not answered:  # after the answer, it is the normal end
                            gone = True
                            request.cancel()
                        return
            except Exception as error:  # a body over the cap: the app must see it
                inbox.put_nowait(error)

        async def app_receive() -> Message:
            item = await inbox.get()
            if isinstance(item, Exception):
                raise item
            return item

        async def app_send(message: Message) -> None:
            nonlocal answered
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                answered = True

        listener = asyncio.ensure_future(listen())
        try:
            await self.app(scope, app_receive, app_send)
        except asyncio.CancelledError:
            if gone and request.uncancel() == 0:
                log.info(
                    "client went away: %s %s cancelled", scope.get("method"), scope.get("path")
                )
                return
            raise
        finally:
            listener.cancel()
