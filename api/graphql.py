"""The GraphQL endpoint: GraphQL requests over GET and POST, GraphiQL for browsers.

This module only speaks HTTP: it reads a request out of the query string or
the body, hands it to the schema's gate, and writes the gate's answer back.
Every failure, malformed bodies included, is a GraphQL JSON error with an
`extensions.code`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from spacerace.api import graphiql, observe
from spacerace.schema import errors
from spacerace.schema.gate import Answer, Gate
from spacerace.schema.gate import Request as GraphQLRequest
from spacerace.store.reads import Reader

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"


class GraphQLEndpoint:
    """The ASGI app at /graphql."""

    def __init__(self, gate: Gate, reader: Callable[[], Reader]) -> None:
        self.gate = gate
        self.reader = reader

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = await self.respond(request)
        await response(scope, receive, send)

    async def respond(self, request: Request) -> Response:
        media_type = _media_type(request.headers.get("accept", ""))
        if request.method == "GET":
            if "query" not in request.query_params and _wants_html(request):
                return graphiql.response()
            graphql = _from_query_string(request)
        elif request.method == "POST":
            graphql = await _from_body(request)
        else:
            return _error(
                405, "Use GET or POST.", errors.BAD_REQUEST, media_type, allow="GET, POST"
            )
        if isinstance(graphql, str):
            return _error(400, graphql, errors.BAD_REQUEST, media_type)
        # Observability (api/observe.py): the request's id in, the answer's details out.
        graphql.request_id = observe.gate_started(request.scope)
        answer = await self.gate.run(graphql, self.reader())
        observe.gate_answered(request.scope, answer)
        return Response(
            orjson.dumps(answer.formatted()),
            status_code=_status(answer, media_type),
            media_type=media_type,
        )


def _media_type(accept: str) -> str:
    """graphql-response+json for clients that ask for it, else plain JSON."""
    return GRAPHQL_RESPONSE if GRAPHQL_RESPONSE in accept else JSON


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _status(answer: Answer, media_type: str) -> int:
    if answer.unavailable:
        return 503
    if answer.request_error and media_type == GRAPHQL_RESPONSE:
        return 400
    return 200


def _from_query_string(request: Request) -> GraphQLRequest | str:
    params = request.query_params
    variables: Any = None
    if "variables" in params:
        try:
            variables = orjson.loads(params["variables"])
        except orjson.JSONDecodeError:
            return "`variables` is not valid JSON."
    extensions: Any = None
    if "extensions" in params:
        try:
            extensions = orjson.loads(params["extensions"])
        except orjson.JSONDecodeError:
            return "`extensions` is not valid JSON."
    return GraphQLRequest(
        params.get("query"),
        variables,
        params.get("operationName"),
        extensions,
        http_method="GET",
    )


async def _from_body(request: Request) -> GraphQLRequest | str:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if content_type == "application/graphql":
        try:
            return GraphQLRequest(body.decode("utf-8"))
        except UnicodeDecodeError:
            return "The body is not UTF-8."
    if content_type != JSON:
        return "Send the request as application/json."
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return "The body is not valid JSON."
    if not isinstance(payload, dict):
        return "The body must be a JSON object with a `query`."
    return GraphQLRequest(
        payload.get("query"),
        payload.get("variables"),
        payload.get("operationName"),
        payload.get("extensions"),
    )


def _error(
    status: int, message: str, code: str, media_type: str, allow: str | None = None
) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    headers = {"allow": allow} if allow else None
    return Response(orjson.dumps(body), status_code=status, media_type=media_type, headers=headers)
