"""Queries generated from the served schema, with arguments drawn from the bundled data.

Two sources of queries, because each finds what the other misses:
- `hypothesis-graphql` builds broad, mostly shallow queries from the schema;
  their argument values are then swapped for real ones (slugs, cursors, dates);
- `deep_queries` builds selections several levels down through references,
  lists and connections, with aliases, inline and named fragments, which is
  where two executors are most likely to part ways.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import graphql
from graphql import (
    ArgumentNode,
    BooleanValueNode,
    DocumentNode,
    EnumValueNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    IntValueNode,
    ListValueNode,
    NullValueNode,
    ObjectFieldNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
    is_object_type,
    print_ast,
)
from hypothesis import strategies as st
from pymongo.database import Database

from spacerace.schema.fields import entities
from spacerace.schema.ids import global_id
from spacerace.store.generations import live
from spacerace.store.paging import BY_DATE, BY_DATE_DESC, BY_NAME, encode_cursor

Draw = Callable[[st.SearchStrategy[Any]], Any]
DATES = ["1957", "1961-04", "1963", "1964-10-12", "1965-03", "1969-07-20", "1975", "1980"]
FIRSTS = st.one_of(st.integers(0, 6), st.sampled_from([None, 20, 100, 101, -1]))


@dataclass
class Values:
    """Real values of the bundled data, by the argument or input field that takes them."""

    strings: dict[str, list[str]] = field(default_factory=dict)
    """Argument or input-field name → strings it may take (slugs, dates, text)."""

    @classmethod
    def of(cls, db: Database[dict[str, Any]]) -> Values:
        slugs: list[str] = []
        ids: list[str] = []
        cursors: list[str] = []
        names: list[str] = []
        by_collection: dict[str, list[str]] = {}
        for spec in entities():
            kind, entity = spec.collection, spec.name
            assert kind is not None
            shown = {"_id": 1, "_slugs": 1, "_sortDate": 1, "_sortName": 1, "name": 1, "title": 1}
            docs = list(live(db, kind.name).find({}, shown))
            by_collection[kind.name] = [d["_id"] for d in docs]
            slugs += [s for d in docs for s in d["_slugs"]]
            ids += [global_id(entity, d["_id"]) for d in docs[:40]]
            for order in (BY_DATE, BY_DATE_DESC, BY_NAME):
                cursors += [encode_cursor(order, d) for d in docs[:: max(1, len(docs) // 6)]]
            names += [str(d.get("name") or d.get("title")) for d in docs]
        fragments = sorted({word[:5] for name in names for word in name.split() if len(word) > 3})
        dates = DATES
        strings = {
            "slug": [*slugs, "nobody", "cape-kennedy", "ma-6", "alexei-leonov"],
            "id": [*ids, "bm9wZQ==", "not base64!"],
            "after": [*cursors, "forged"],
            "query": [*fragments[:200], "Леонов", "Léonov", "", ".*"],
            "nameContains": [*fragments[:200], "СОЮЗ", "gemini"],
            "program": by_collection["programs"],
            "person": by_collection["persons"],
            "crewMember": by_collection["persons"],
            "launchSite": by_collection["launch_sites"],
            "country": ["SU", "US", "su", "XX"],
            "occupation": ["cosmonaut", "astronaut", "engineer", "politician", "Cosmonaut"],
            "date": dates,
            "from": dates,
            "to": dates,
            "launchedFrom": dates,
            "launchedTo": dates,
        }
        return cls(strings)


def value(values: Values, draw: Draw, name: str, type_: GraphQLInputType) -> ValueNode:
    """A value node for an argument or input field called `name` of `type_`."""
    nullable = not isinstance(type_, GraphQLNonNull)
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if nullable and draw(st.integers(0, 9)) == 0:
        return NullValueNode()
    if isinstance(inner, GraphQLList):
        items = draw(st.integers(0, 2))
        return ListValueNode(
            values=[value(values, draw, name, inner.of_type) for _ in range(items)]
        )
    if isinstance(inner, GraphQLEnumType):
        return EnumValueNode(value=draw(st.sampled_from(sorted(inner.values))))
    if isinstance(inner, GraphQLInputObjectType):
        chosen = draw(st.lists(st.sampled_from(sorted(inner.fields)), max_size=3, unique=True))
        return ObjectValueNode(
            fields=tuple(
                ObjectFieldNode(
                    name=graphql.NameNode(value=f),
                    value=value(values, draw, f, inner.fields[f].type),
                )
                for f in chosen
            )
        )
    assert isinstance(inner, GraphQLScalarType)
    if inner.name == "Int":
        first = draw(FIRSTS)
        return NullValueNode() if first is None else IntValueNode(value=str(first))
    if inner.name == "Boolean":
        return BooleanValueNode(value=draw(st.booleans()))
    pool = values.strings.get(name)
    text = draw(st.sampled_from(pool)) if pool else draw(st.text(max_size=6))
    return StringValueNode(value=text)


def arguments(values: Values, draw: Draw, graphql_field: GraphQLField) -> list[ArgumentNode]:
    chosen = [
        name
        for name, arg in graphql_field.args.items()
        if isinstance(arg.type, GraphQLNonNull) or draw(st.integers(0, 2)) == 0
    ]
    return [
        ArgumentNode(
            name=graphql.NameNode(value=name),
            value=value(values, draw, name, graphql_field.args[name].type),
        )
        for name in chosen
    ]


class DeepQueries:
    """Builds query text several levels deep, with aliases and fragments."""

    def __init__(self, schema: GraphQLSchema, values: Values, depth: int) -> None:
        self.schema = schema
        self.values = values
        self.depth = depth

    def query(self, draw: Draw) -> str:
        self.fragments: list[str] = []
        query_type = self.schema.query_type
        assert query_type is not None
        body = self.selections(draw, query_type, self.depth, root=True)
        return "\n".join([f"query Generated {{ {body} }}", *self.fragments])

    def selections(
        self, draw: Draw, type_: GraphQLObjectType, depth: int, root: bool = False
    ) -> str:
        names = sorted(n for n in type_.fields if not n.startswith("_"))
        chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=4, unique=True))
        parts = ["__typename"] if draw(st.booleans()) else []
        for name in chosen:
            graphql_field = type_.fields[name]
            count = 2 if draw(st.integers(0, 4)) == 0 else 1
            for copy in range(count):
                alias = f"{name}_{copy} : " if count > 1 or draw(st.integers(0, 4)) == 0 else ""
                parts.append(alias + self.field(draw, name, graphql_field, depth))
        if not root and draw(st.integers(0, 5)) == 0:
            inner = self.selections(draw, type_, max(0, depth - 1))
            fragment = f"F{len(self.fragments)}"
            self.fragments.append(f"fragment {fragment} on {type_.name} {{ {inner} }}")
            parts.append(f"...{fragment}")
        return " ".join(parts)

    def field(self, draw: Draw, name: str, graphql_field: GraphQLField, depth: int) -> str:
        args = arguments(self.values, draw, graphql_field)
        text = name
        if args:
            text += "(" + ", ".join(print_ast(arg) for arg in args) + ")"
        named = get_named_type(graphql_field.type)
        if is_leaf_type(named):
            return text
        if depth <= 0:
            return text + " { __typename }"
        if is_object_type(named):
            return text + " { " + self.selections(draw, named, depth - 1) + " }"  # type: ignore[arg-type]
        assert is_abstract_type(named)
        possible = sorted(self.schema.get_possible_types(named), key=lambda t: t.name)  # type: ignore[arg-type]
        picked = draw(st.lists(st.sampled_from(possible), min_size=1, max_size=2, unique=True))
        inner = " ".join(
            f"... on {t.name} {{ {self.selections(draw, t, depth - 1)} }}" for t in picked
        )
        return text + " { __typename " + inner + " }"


def real_arguments(
    document: DocumentNode, values: Values, draw: Draw, schema: GraphQLSchema
) -> str:
    """A hypothesis-graphql query with its argument values swapped for real ones."""
    type_info = graphql.TypeInfo(schema)

    class Swap(graphql.Visitor):
        def enter_argument(self, node: ArgumentNode, *_: Any) -> ArgumentNode | None:
            argument = type_info.get_argument()
            if argument is None:
                return None
            swapped = value(values, draw, node.name.value, argument.type)
            return ArgumentNode(name=node.name, value=swapped)

    return print_ast(graphql.visit(document, graphql.TypeInfoVisitor(type_info, Swap())))
