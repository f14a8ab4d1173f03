"""GraphQL JSON errors for requests that never reached execution: every refusal the
HTTP layer makes (a bad body, a method, a missing file) answers in this shape."""

from __future__ import annotations

import orjson
from starlette.responses import Response

from spacerace.api.negotiation import JSON


def error_response(
    status: int,
    message: str,
    code: str,
    media: str = JSON,
    headers: dict[str, str] | None = None,
) -> Response:
    """A GraphQL JSON error that never reached execution: no `data` key."""
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    out = {"cache-control": "no-store", **(headers or {})}
    return Response(orjson.dumps(body), status_code=status, media_type=media, headers=out)
