"""The GraphQL endpoint: GraphQL over HTTP (GET, HEAD and POST), GraphiQL for browsers.

This module only speaks HTTP (https://graphql.github.io/graphql-over-http/): it
negotiates the media type, reads a request out of the query string or the body,
hands it to the schema's gate, and writes the gate's answer back with its
status, caching headers and compression. Every failure, malformed bodies
included, is a GraphQL JSON error with an `extensions.code`.

Status codes, as the spec has them:

- `application/graphql-response+json` (asked for in `Accept`): 200 when the
  operation ran, errors or not; 400 when it could not (parse, validation,
  variable or operation-name failures), with no `data` key.
- `application/json` (older clients, `*/*`, no `Accept`): 200 for every
  well-formed GraphQL request, errors or not.
- Either way: 400 for a request that is not a GraphQL request at all, 405 for a
  mutation over GET or an unknown method (with `Allow`), 406 when the client
  accepts neither media type, 415 for a body that is not JSON, 403 for an
  operation outside the trusted documents, 503 when the database is down.

Successful answers carry a weak ETag (the gate's answer tag: dataset version,
operation and variables) and `Cache-Control: public, max-age=…`; a GET or HEAD
whose `If-None-Match` holds that ETag gets 304 without the operation being
run. A POST with a matching `If-None-Match` gets 412, as HTTP says
(RFC 9110 §13.1.2).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from spacerace.api import graphiql, observe
from spacerace.api.compression import compress_async
from spacerace.api.negotiation import GRAPHQL_RESPONSE, JSON, encoding, media_type
from spacerace.api.responses import error_response
from spacerace.api.settings import HTTPSettings
from spacerace.schema import errors
from spacerace.schema.errors import code_of
from spacerace.schema.gate import Answer, Gate
from spacerace.schema.gate import Request as GraphQLRequest
from spacerace.store.reads import Reader

ALLOW = "GET, HEAD, POST, OPTIONS"
VARY = "Accept, Accept-Encoding"
PARAMETERS = ("query", "variables", "operationName", "extensions")

STATUS_BY_CODE = {
    errors.BAD_REQUEST: 400,
    errors.PERSISTED_QUERY_HASH_MISMATCH: 400,
    errors.PERSISTED_QUERY_NOT_IN_LIST: 403,
    errors.METHOD_NOT_ALLOWED: 405,
}
"""Request errors with the same status whatever the media type: the request was not
a GraphQL request this API will run. Other request errors are 400 for
graphql-response+json and 200 for application/json."""


@dataclass(frozen=True)
class Refusal:
    """A request the HTTP layer refuses before the gate sees it."""

    status: int
    message: str
    code: str = errors.BAD_REQUEST


class GraphQLEndpoint:
    """The ASGI app at /graphql."""

    def __init__(
        self,
        gate: Gate,
        reader: Callable[[], Reader],
        settings: HTTPSettings | None = None,
    ) -> None:
        self.gate = gate
        self.reader = reader
        self.settings = settings or HTTPSettings()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = await self.respond(request)
        await response(scope, receive, send)

    async def respond(self, request: Request) -> Response:
        method = request.method
        if method == "OPTIONS":
            return Response(status_code=204, headers={"allow": ALLOW})
        if method not in ("GET", "HEAD", "POST"):
            return error_response(
                405,
                f"{method} is not supported here: send GraphQL requests with GET or POST.",
                errors.METHOD_NOT_ALLOWED,
                headers={"allow": ALLOW},
            )
        if method != "POST" and _wants_graphiql(request):
            # The same URL answers JSON to other clients: caches must key on Accept.
            page = graphiql.response()
            page.headers["vary"] = "Accept"
            return headless(page, method)
        media = media_type(request.headers.get("accept", ""))
        if media is None:
            return error_response(
                406,
                f"This API answers in {GRAPHQL_RESPONSE} or {JSON}; the Accept header "
                "allows neither.",
                errors.NOT_ACCEPTABLE,
            )
        graphql = _from_query_string(request) if method != "POST" else await _from_body(request)
        if isinstance(graphql, Refusal):
            return error_response(graphql.status, graphql.message, graphql.code, media)
        graphql.revalidate = if_none_match(request.headers.get("if-none-match", ""))
        # Observability (api/observe.py): the request's id in, the answer's details out.
        graphql.request_id = observe.gate_started(request.scope)
        answer = await self.gate.run(graphql, self.reader())
        observe.gate_answered(request.scope, answer)
        return headless(await self.answer(answer, media, request), method)

    async def answer(self, answer: Answer, media: str, request: Request) -> Response:
        headers = {"vary": VARY}
        if answer.etag is not None:
            headers["etag"] = f'W/"{answer.etag}"'
            headers["cache-control"] = f"public, max-age={self.settings.cache_max_age}"
        else:
            headers["cache-control"] = "no-store"
        if answer.not_modified:
            if request.method in ("GET", "HEAD"):
                return Response(status_code=304, headers=headers)
            return error_response(
                412,
                "If-None-Match holds this answer's ETag: the answer has not changed. "
                "HTTP answers 304 only to GET and HEAD; revalidate with GET.",
                errors.PRECONDITION_FAILED,
                media,
                headers,
            )
        status = _status(answer, media)
        if status == 405:
            headers["allow"] = "POST"
        body = answer.json()
        chosen = encoding(request.headers.get("accept-encoding", ""))
        if chosen is not None and len(body) >= self.settings.compress_min_bytes:
            kept = answer.encoded
            compressed = kept.derived(chosen) if kept is not None else None
            if compressed is None:
                compressed = await compress_async(body, chosen)
                if kept is not None:
                    kept.keep(chosen, compressed)
            body = compressed
            headers["content-encoding"] = chosen
        return Response(body, status_code=status, media_type=media, headers=headers)


def headless(response: Response, method: str) -> Response:
    """For HEAD: the GET response's status and headers (Content-Length included), no body."""
    if method == "HEAD":
        response.body = b""
    return response


def if_none_match(header: str) -> frozenset[str]:
    """The entity tags of If-None-Match, weak or strong alike (weak comparison), as the
    gate's answer tags; "*" stays "*"."""
    tags = set()
    for part in header.split(","):
        tag = part.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        tags.add(tag.strip('"'))
    tags.discard("")
    return frozenset(tags)


def _wants_graphiql(request: Request) -> bool:
    params = request.query_params
    return (
        "query" not in params
        and "extensions" not in params
        and "text/html" in request.headers.get("accept", "")
    )


def _status(answer: Answer, media: str) -> int:
    if answer.unavailable:
        return 503
    if not answer.request_error:
        return 200
    code = next((code_of(error) for error in answer.errors), None)
    fixed = STATUS_BY_CODE.get(code or "")
    if fixed is not None:
        return fixed
    return 400 if media == GRAPHQL_RESPONSE else 200


def _from_query_string(request: Request) -> GraphQLRequest | Refusal:
    params = request.query_params
    for name in PARAMETERS:
        if len(params.getlist(name)) > 1:
            return Refusal(400, f"`{name}` is given more than once.")
    variables: Any = None
    if "variables" in params:
        try:
            variables = orjson.loads(params["variables"])
        except orjson.JSONDecodeError:
            return Refusal(400, "`variables` is not valid JSON.")
    extensions: Any = None
    if "extensions" in params:
        try:
            extensions = orjson.loads(params["extensions"])
        except orjson.JSONDecodeError:
            return Refusal(400, "`extensions` is not valid JSON.")
    return GraphQLRequest(
        params.get("query"),
        variables,
        params.get("operationName"),
        extensions,
        http_method="GET",
    )


async def _from_body(request: Request) -> GraphQLRequest | Refusal:
    content_type, _, parameters = request.headers.get("content-type", "").partition(";")
    content_type = content_type.strip().lower()
    charset = _charset(parameters)
    if content_type not in (JSON, "application/graphql"):
        return Refusal(
            415,
            "Send the request as application/json: "
            '{"query": ..., "variables": ..., "operationName": ..., "extensions": ...}.',
            errors.UNSUPPORTED_MEDIA_TYPE,
        )
    if charset not in (None, "utf-8", "utf8"):
        return Refusal(
            415, f"Send the request in UTF-8, not {charset}.", errors.UNSUPPORTED_MEDIA_TYPE
        )
    body = await request.body()
    if content_type == "application/graphql":
        try:
            return GraphQLRequest(body.decode("utf-8"))
        except UnicodeDecodeError:
            return Refusal(400, "The body is not UTF-8.")
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError:
        return Refusal(400, "The body is not valid JSON.")
    if not isinstance(payload, dict):
        return Refusal(400, "The body must be a JSON object with a `query`.")
    return GraphQLRequest(
        payload.get("query"),
        payload.get("variables"),
        payload.get("operationName"),
        payload.get("extensions"),
    )


def _charset(parameters: str) -> str | None:
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None
