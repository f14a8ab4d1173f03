"""Apollo Federation v2: this API as a subgraph another service's graph can join.

Program, Mission, Person, Event and LaunchSite are entities, keyed by `slug` and
by the global `id` (`@key(fields: "slug") @key(fields: "id")`). A gateway asks
for this subgraph's schema with `_service { sdl }` and for entities with
`_entities(representations:)`; both are field kinds of `schema.fields`
(`ServiceSdl`, `Entities`), answered through the gate like any other query, by
the compiled executor (one read per entity type) or graphql-core.

Why not Strawberry's own federation fields: `strawberry.federation.Schema`
prints the `@link` and `@key` directives and the `_Any` scalar as the spec wants
them, so the schema is built with it; but its `_entities` resolver calls a
`resolve_reference` per representation, one at a time, and is not a spec the
compiled executor can answer. Strawberry uses a query type's own `_service` and
`_entities` when it declares them, so these are declared here.
"""

# No `from __future__ import annotations`: the root fields are made by a function,
# and Strawberry resolves string annotations at module scope only.

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

import strawberry
from graphql import GraphQLEnumType, GraphQLSchema
from strawberry.federation.schema import FederationAny
from strawberry.federation.schema_directives import Key
from strawberry.types.scalar import ScalarDefinition, ScalarWrapper

from spacerace.schema import fields
from spacerace.schema.fields import Arg, Entities, ServiceSdl, spec_of, value

FEDERATION_VERSION: Literal["2.7"] = "2.7"
KEYS = ("slug", "id")

ANY: dict[object, type | ScalarWrapper | ScalarDefinition] = {
    FederationAny: strawberry.scalar(
        name="_Any",
        description="An entity representation from a federation gateway: `__typename` and "
        'a key, e.g. {"__typename": "Mission", "slug": "voskhod-2"}.',
        serialize=lambda value: value,
        parse_value=lambda value: value,
    )
}
"""The `_Any` scalar of the federation spec, described like every other type."""


@strawberry.type(name="_Service", description="This subgraph, as a federation gateway sees it.")
@value()
class _Service:  # the spec's name; type specs go by GraphQL names
    sdl: str = fields.key("sdl", "The subgraph's schema as SDL, federation directives included.")


def federation_query(entities: Sequence[type]) -> type:
    """The root fields a federation gateway uses, for these entity types."""
    for entity in entities:
        definition = entity.__strawberry_definition__  # type: ignore[attr-defined]
        definition.directives = (*definition.directives, *(Key(fields=k) for k in KEYS))  # type: ignore[arg-type]

    if TYPE_CHECKING:
        Entity = Any
    else:
        Entity = Annotated[
            Union[tuple(entities)],  # noqa: UP007 - a union of a tuple of types needs the old form
            strawberry.union(
                "_Entity", description="Every type a gateway may ask for by key (`_entities`)."
            ),
        ]

    @strawberry.type
    class FederationQuery:
        service: _Service = ServiceSdl().field(
            "This subgraph's schema, for a federation gateway.", name="_service"
        )
        entities: list[Entity | None] = Entities(  # type: ignore[valid-type]
            (
                Arg(
                    "representations",
                    Annotated[
                        list[FederationAny],
                        strawberry.argument(
                            description="Each entity's `__typename` and key (`slug` or `id`)."
                        ),
                    ],
                ),
            )
        ).field(
            "Entities by key, in the order asked; null for a key that names nothing. One "
            "database read per type, however many representations.",
            name="_entities",
        )

    return FederationQuery


def publish(schema: GraphQLSchema, sdl: str) -> None:
    """Give `_service` the schema's SDL, and describe the federation spec's own types."""
    query = schema.query_type
    assert query is not None
    spec = spec_of(query.fields["_service"])
    assert isinstance(spec, ServiceSdl)
    spec.sdl = sdl
    for name, description in SPEC_TYPES.items():
        found = schema.type_map.get(name)
        if found is not None and not found.description:
            found.description = description
    purpose = schema.type_map.get("link__Purpose")
    if isinstance(purpose, GraphQLEnumType):
        for name, value_ in purpose.values.items():
            value_.description = value_.description or PURPOSES.get(name)


SPEC_TYPES = {
    "_FieldSet": 'A selection of fields, e.g. "slug", as `@key` takes it.',
    "link__Import": 'What `@link` imports from a specification, e.g. "@key".',
    "link__Purpose": "What a specification `@link` names is for.",
}
"""Descriptions for the federation and link specifications' own types, which introspection
shows (the SDL does not print them)."""
PURPOSES = {
    "SECURITY": "Its directives control access: a gateway must understand them.",
    "EXECUTION": "Its directives change how operations run: a gateway must understand them.",
}
