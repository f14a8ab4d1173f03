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
