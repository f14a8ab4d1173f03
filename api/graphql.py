"""The GraphQL endpoint: queries over GET and POST, GraphiQL for browsers."""

from __future__ import annotations

from collections.abc import Callable

import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from spacerace.api import graphiql
from spacerace.schema import fast, schema
from spacerace.schema.context import Context
from spacerace.store.aio import AsyncStore
from spacerace.store.reads import Reader


class GraphQLEndpoint(GraphQL[Context, None]):
    """Strawberry's ASGI view with our context, a fast JSON encoder and a GraphiQL that
    opens on an example query."""

    def __init__(self, store: Callable[[], AsyncStore]) -> None:
        super().__init__(schema, graphql_ide="graphiql", allow_queries_via_get=True)
        self._store = store

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return Context.for_request(Reader(self._store()))

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """A JSON POST that the compiled executor answers skips the generic request
        machinery; everything else (GET, GraphiQL, errors) is Strawberry's."""
        if schema.compiled and scope["type"] == "http" and scope["method"] == "POST":
            request = Request(scope, receive)
            if request.headers.get("content-type", "").startswith("application/json"):
                body = await request.body()
                answer = await self._compiled_answer(body)
                if answer is not None:
                    await Response(answer, media_type="application/json")(scope, receive, send)
                    return
                receive = _replay(body, receive)
        await super().__call__(scope, receive, send)

    async def _compiled_answer(self, body: bytes) -> bytes | None:
        try:
            payload = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
        if not isinstance(payload, dict):
            return None
        query, variables = payload.get("query"), payload.get("variables")
        operation = payload.get("operationName")
        if not (
            isinstance(query, str)
            and isinstance(variables, dict | None)
            and isinstance(operation, str | None)
        ):
            return None
        try:
            data = await fast.execute(
                schema._schema, query, variables, operation, Reader(self._store())
            )
        except fast.Unsupported:
            return None
        return orjson.dumps({"data": data})

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return graphiql.response()


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands over the already-read body once, then the real one."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
