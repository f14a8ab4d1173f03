"""GraphQL errors with a machine-readable `extensions.code`, and what clients may see of them."""

from __future__ import annotations

from graphql import GraphQLError

BAD_REQUEST = "BAD_REQUEST"
"""The request is not a GraphQL request (no query, a body of the wrong shape)."""
PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_USER_INPUT = "BAD_USER_INPUT"
"""An argument or variable value the API cannot use."""
OPERATION_RESOLUTION_FAILURE = "OPERATION_RESOLUTION_FAILURE"
"""No single operation to run: an unknown `operationName`, or several without one."""
SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
"""The database did not answer; try again later."""
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"

# -- transport and protocol codes (issue 9) --------------------------------------
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
"""The HTTP method cannot do this (a mutation over GET, a PUT)."""
NOT_ACCEPTABLE = "NOT_ACCEPTABLE"
"""The client accepts none of the media types this API answers in."""
UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
"""A POST body in a media type other than application/json (or application/graphql)."""
NOT_FOUND = "NOT_FOUND"
"""No such URL."""
NOT_MODIFIED = "NOT_MODIFIED"
"""The client's copy (If-None-Match) is current."""
PRECONDITION_FAILED = "PRECONDITION_FAILED"
"""If-None-Match matched on a POST, which HTTP answers with 412, not 304."""
FORBIDDEN_ORIGIN = "FORBIDDEN_ORIGIN"
"""A CORS preflight from an origin (or for a method) the allow-list does not include."""
PERSISTED_QUERY_NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
"""Automatic persisted queries: this hash is not known; send the query with it."""
PERSISTED_QUERY_NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
"""Automatic persisted queries are switched off."""
PERSISTED_QUERY_HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
"""The sha256Hash sent is not the hash of the query sent with it."""
PERSISTED_QUERY_NOT_IN_LIST = "PERSISTED_QUERY_NOT_IN_LIST"
"""Trusted-documents mode: the operation is not in the manifest of allowed ones."""


def bad_input(argument: str, problem: str) -> GraphQLError:
    """An error for a bad argument value, naming the argument."""
    return GraphQLError(
        f"Argument '{argument}' {problem}.",
        extensions={"code": BAD_USER_INPUT, "argument": argument},
    )


def coded(error: GraphQLError, code: str) -> GraphQLError:
    """`error` with `extensions.code` set, unless it already has one."""
    if not (error.extensions and "code" in error.extensions):
        error.extensions = {**(error.extensions or {}), "code": code}
    return error


def code_of(error: GraphQLError) -> str | None:
    code = (error.extensions or {}).get("code")
    return code if isinstance(code, str) else None
