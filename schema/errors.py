"""GraphQL errors with a machine-readable `extensions.code`."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

BAD_USER_INPUT = "BAD_USER_INPUT"


def bad_input(argument: str, problem: str) -> GraphQLError:
    """An error for a bad argument value, naming the argument."""
    return GraphQLError(
        f"Argument '{argument}' {problem}.",
        extensions={"code": BAD_USER_INPUT, "argument": argument},
    )


class ErrorCodes(SchemaExtension):
    """Give every error a code: parse and validation failures, bad variables, and
    unexpected errors (whose details are not shown to clients)."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = result.errors if result is not None else self.execution_context.pre_execution_errors
        for error in errors or []:
            if error.extensions and "code" in error.extensions:
                continue
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
