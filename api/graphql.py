"""The GraphQL endpoint: queries over GET and POST, GraphiQL for browsers."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from schema import schema
from schema.context import Context
from store.aio import AsyncStore
from store.reads import Reader

GRAPHIQL_QUERY = Path(__file__).resolve().parent.parent / "docs" / "queries" / "voskhod-2.graphql"


class GraphQLEndpoint(GraphQL[Context, None]):
    """Strawberry's ASGI view with our context, a fast JSON encoder and a GraphiQL that
    opens on an example query."""

    def __init__(self, store: Callable[[], AsyncStore]) -> None:
        super().__init__(schema, graphql_ide="graphiql", allow_queries_via_get=True)
        self._store = store
        self._graphiql_html = _graphiql_with(GRAPHIQL_QUERY.read_text(encoding="utf-8"))

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return Context.for_request(Reader(self._store()))

    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse(self._graphiql_html)


def _graphiql_with(query: str) -> str:
    html = GraphQL(schema).graphql_ide_html
    start = html.index("const EXAMPLE_QUERY = `")
    end = html.index("`;", start) + 2
    return html[:start] + f"const EXAMPLE_QUERY = {json.dumps(query)};" + html[end:]
