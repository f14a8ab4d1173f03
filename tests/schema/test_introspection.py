"""What GraphiQL, codegen tools and gateways ask first: the full introspection query,
through the gate, answered without an error under both executors."""

from __future__ import annotations

from graphql import (
    GraphQLNonNull,
    GraphQLObjectType,
    build_client_schema,
    get_introspection_query,
    print_schema,
)

from spacerace.schema import schema
from tests.schema.conftest import Execute

# GraphiQL 3 asks for all of these.
FULL = get_introspection_query(
    descriptions=True,
    specified_by_url=True,
    directive_is_repeatable=True,
    schema_description=True,
    input_value_deprecation=True,
)


def test_the_full_introspection_query_answers(execute: Execute) -> None:
    answer = execute(FULL)
    assert answer.errors == []
    assert answer.data is not None
    rebuilt = build_client_schema(answer.data)  # type: ignore[arg-type]
    assert print_schema(rebuilt) == print_schema(schema._schema)


def test_required_arguments_have_no_default() -> None:
    """A non-null argument with `null` as its default breaks introspection (its
    `defaultValue` cannot be printed) and lets a client leave it out (found: GraphiQL
    could not load the schema)."""
    wrong = [
        f"{type_.name}.{field_name}({arg_name})"
        for type_ in schema._schema.type_map.values()
        if isinstance(type_, GraphQLObjectType)
        for field_name, field in type_.fields.items()
        for arg_name, arg in field.args.items()
        if isinstance(arg.type, GraphQLNonNull) and arg.default_value is None
    ]
    assert wrong == []


def test_a_required_argument_left_out_is_named(execute: Execute) -> None:
    answer = execute("{ mission { name } }")
    assert answer.data is None
    (error,) = answer.errors
    assert error.extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}
    assert "mission(slug:)" in error.message
    assert "required" in error.message
