"""GraphQL errors with a machine-readable `extensions.code`."""

from __future__ import annotations

from graphql import GraphQLError

BAD_USER_INPUT = "BAD_USER_INPUT"


def bad_input(argument: str, problem: str) -> GraphQLError:
    """An error for a bad argument value, naming the argument."""
    return GraphQLError(
        f"Argument '{argument}' {problem}.",
        extensions={"code": BAD_USER_INPUT, "argument": argument},
    )


def label(errors: list[GraphQLError] | None) -> None:
    """Give every error a code: parse and validation failures, bad variables, and
    unexpected errors."""
    for error in errors or []:
        if not (error.extensions and "code" in error.extensions):
            error.extensions = {**(error.extensions or {}), "code": _code(error)}


def _code(error: GraphQLError) -> str:
    message = error.message
    if message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    if message.startswith("Variable '$") or "got invalid value" in message:
        return BAD_USER_INPUT
    if error.path is None:
        return "GRAPHQL_VALIDATION_FAILED"
    return "INTERNAL_SERVER_ERROR"
