"""The compiled executor answers only what the type descriptions declare; everything
else goes to graphql-core, never to a wrong answer."""

import asyncio
from collections import deque
from collections.abc import Callable, Iterator
from typing import Annotated, Any

import pytest
import strawberry
from graphql import (
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
    is_object_type,
)
from pymongo.database import Database
from strawberry.schema.config import StrawberryConfig

from spacerace.schema import Schema, bind, compiled, fields, schema
from spacerace.schema.arguments import SLUG
from spacerace.schema.common import Node, Source
from spacerace.schema.fields import Arg, Embedded, ItemMatch, spec_of
from spacerace.schema.gate import Answer, Gate, GateSettings, Request
from spacerace.schema.scalars import SCALARS
from spacerace.store.aio import EmbeddedStore
from spacerace.store.layout import MISSIONS
from spacerace.store.reads import Reader

SAMPLE_ARGUMENTS = {
    "slug": '"voskhod-2"',
    "id": '"TWlzc2lvbjp2b3NraG9kLTI="',
    "date": '"1965"',
    "query": '"Leonov"',
    "representations": "[]",
}
"""Values for the required arguments of the served schema."""


def declared(graphql_field: GraphQLField) -> bool:
    """Whether the compiled executor can answer the field: it has a spec of a kind the
    executor handles, and the spec declares every argument the field takes."""
    spec = spec_of(graphql_field)
    if spec is None or type(spec) not in compiled.HANDLERS:
        return False
    names = {fields.graphql_name(arg.name) for arg in spec.args}
    return set(graphql_field.args) <= names


def paths_to_every_field(graphql_schema: GraphQLSchema) -> Iterator[tuple[str, str, str]]:
    """(type, field, a query selecting that field) for every field of every object type
    reachable from Query."""
    query_type = graphql_schema.query_type
    assert query_type is not None
    # The shortest selection reaching each type: wrap(inner) puts `inner` there.
    routes: dict[str, Callable[[str], str]] = {query_type.name: lambda inner: "{ " + inner + " }"}
    queue: deque[GraphQLObjectType] = deque([query_type])
    while queue:
        type_ = queue.popleft()
        for name, graphql_field in type_.fields.items():
            yield type_.name, name, routes[type_.name](selection(name, graphql_field))
            for target in concrete(graphql_schema, graphql_field):
                if target.name not in routes:
                    routes[target.name] = reach(routes[type_.name], name, graphql_field, target)
                    queue.append(target)


def concrete(graphql_schema: GraphQLSchema, graphql_field: GraphQLField) -> list[GraphQLObjectType]:
    named = get_named_type(graphql_field.type)
    if is_object_type(named):
        return [named]  # type: ignore[list-item]
    if is_abstract_type(named):
        return list(graphql_schema.get_possible_types(named))  # type: ignore[arg-type]
    return []


def reach(
    outer: Callable[[str], str], name: str, graphql_field: GraphQLField, target: GraphQLObjectType
) -> Callable[[str], str]:
    abstract = is_abstract_type(get_named_type(graphql_field.type))

    def wrap(inner: str) -> str:
        body = f"... on {target.name} {{ {inner} }}" if abstract else inner
        return outer(f"{name}{arguments(graphql_field)} {{ __typename {body} }}")

    return wrap


def selection(name: str, graphql_field: GraphQLField) -> str:
    if is_leaf_type(get_named_type(graphql_field.type)):
        return f"{name}{arguments(graphql_field)}"
    return f"{name}{arguments(graphql_field)} {{ __typename }}"


def arguments(graphql_field: GraphQLField) -> str:
    required = [
        f"{name}: {SAMPLE_ARGUMENTS[name]}"
        for name, arg in graphql_field.args.items()
        if isinstance(arg.type, GraphQLNonNull)
    ]
    return f"({', '.join(required)})" if required else ""


def run(gate: Gate, db: Database[dict[str, Any]], query: str) -> Answer:
    async def main() -> Answer:
        return await gate.run(Request(query), Reader(EmbeddedStore(db)))

    return asyncio.run(main())


def test_every_field_is_declared_or_falls_back(loaded_embedded: Database[dict[str, Any]]) -> None:
    gate = Gate(schema._schema, GateSettings(executor="compiled"))
    reference = Gate(schema._schema, GateSettings(executor="reference"))
    walked = 0
    for type_name, name, query in paths_to_every_field(schema._schema):
        graphql_field = schema._schema.get_type(type_name).fields[name]  # type: ignore[union-attr]
        answer = run(gate, loaded_embedded, query)
        expected = "compiled" if declared(graphql_field) else "reference"
        assert answer.executor == expected, (type_name, name, query, answer.errors)
        assert answer.formatted() == run(reference, loaded_embedded, query).formatted(), query
        walked += 1
    every = sum(
        len(type_.fields)
        for type_ in schema._schema.type_map.values()
        if isinstance(type_, GraphQLObjectType) and not type_.name.startswith("__")
    )
    assert walked == every


# -- a maintainer declares an argument without teaching the compiled path ---------------


class PublisherSources(Embedded):
    """A list kind with a new argument, applied by its own `items`: the compiled
    executor has no handler for this kind, so it must leave the field to graphql-core."""

    def items(self, data: dict[str, Any], args: dict[str, Any]) -> list[Any]:
        wanted = (args.get("publisher") or "").lower()
        return [s for s in data[self.key] if wanted in (s["publisher"] or "").lower()]


@pytest.fixture
def extended() -> Iterator[GraphQLSchema]:
    """A schema with a mission type whose `sources` take a `publisher` argument, through
    a kind of its own, and whose `roles` are a plain hand-written resolver."""

    @strawberry.type(description="A mission, for this test.")
    @fields.entity(MISSIONS)
    class TestMission(Node):
        slug: str = fields.slug("Its slug.")
        sources: list[Source] = PublisherSources(
            "sources",
            (
                ItemMatch(
                    "publisher",
                    Annotated[str | None, strawberry.argument(description="Part of it.")],
                    item_key="publisher",
                ),
            ),
        ).field("Its sources.")

        @strawberry.field(description="Roles, by a resolver with no spec.")
        def roles(self, root: strawberry.Parent[Any]) -> list[str]:
            return [seat["role"] for seat in root.data["crew"]]

    @strawberry.type
    class TestQuery:
        test_mission: TestMission | None = fields.lookup("A mission.", args=[SLUG])

    test_schema = Schema(query=TestQuery, config=StrawberryConfig(scalar_map=SCALARS))
    bind(test_schema)
    try:
        yield test_schema._schema
    finally:
        fields._TYPES.pop("TestMission")


@pytest.mark.parametrize(
    ("selection", "answered_by"),
    [
        ("slug", "compiled"),
        ('sources(publisher: "wiki") { publisher }', "reference"),
        ("roles", "reference"),
    ],
)
def test_what_the_compiled_path_cannot_apply_goes_to_graphql_core(
    extended: GraphQLSchema,
    loaded_embedded: Database[dict[str, Any]],
    selection: str,
    answered_by: str,
) -> None:
    query = f'{{ testMission(slug: "voskhod-2") {{ {selection} }} }}'
    compiled_answer = run(Gate(extended, GateSettings(executor="compiled")), loaded_embedded, query)
    reference_answer = run(
        Gate(extended, GateSettings(executor="reference")), loaded_embedded, query
    )
    assert compiled_answer.executor == answered_by
    assert compiled_answer.errors == reference_answer.errors == []
    assert compiled_answer.data == reference_answer.data
    mission = compiled_answer.data["testMission"]  # type: ignore[index]
    if "sources" in mission:
        assert mission["sources"]
        assert all("wiki" in s["publisher"].lower() for s in mission["sources"])


def test_an_argument_a_kind_cannot_apply_is_refused_when_the_schema_is_built() -> None:
    @strawberry.type(description="A mission, for this test.")
    @fields.entity(MISSIONS)
    class BrokenMission(Node):
        slug: str = fields.slug("Its slug.")
        sources: list[Source] = Embedded(
            "sources",
            (Arg("publisher", Annotated[str | None, strawberry.argument(description="?")]),),  # type: ignore[arg-type]
        ).field("Its sources.")

    @strawberry.type
    class BrokenQuery:
        broken: BrokenMission | None = fields.lookup("A mission.", args=[SLUG])

    try:
        broken = Schema(query=BrokenQuery, config=StrawberryConfig(scalar_map=SCALARS))
        with pytest.raises(TypeError, match="cannot apply the Arg argument 'publisher'"):
            bind(broken)
    finally:
        fields._TYPES.pop("BrokenMission")
