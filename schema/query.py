"""The root Query and the list of every domain type: the one place a new type is added."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Union

import strawberry
from strawberry.tools import merge_types

from spacerace.schema.common import Node
from spacerace.schema.event import Event, EventQuery
from spacerace.schema.federation import federation_query
from spacerace.schema.fields import FIRST_DESCRIPTION, Arg, First, NodeLookup, Search
from spacerace.schema.launch_site import LaunchSite, LaunchSiteQuery
from spacerace.schema.mission import Mission, MissionQuery
from spacerace.schema.person import Person, PersonQuery
from spacerace.schema.program import Program, ProgramQuery

ENTITIES: tuple[type, ...] = (Program, Mission, Person, Event, LaunchSite)
"""The type of each collection: `node` finds them, `search` returns them."""
QUERIES: tuple[type, ...] = (ProgramQuery, MissionQuery, PersonQuery, EventQuery, LaunchSiteQuery)
"""The root fields of each domain."""

if TYPE_CHECKING:
    SearchResult = Any
else:
    SearchResult = Annotated[
        Union[ENTITIES],  # noqa: UP007 - a union of a tuple of types needs the old form
        strawberry.union("SearchResult", description="Anything search can find."),
    ]


@strawberry.type
class CommonQuery:
    node: Node | None = NodeLookup(
        (
            Arg(
                "id",
                Annotated[
                    strawberry.ID,
                    strawberry.argument(description="A global ID from an `id` field."),
                ],
            ),
        )
    ).field("Any object by its global ID; null for an unknown ID.")
    search: list[SearchResult] = Search(
        (
            Arg("query", Annotated[str, strawberry.argument(description="The text to look for.")]),
            First(
                "first",
                Annotated[int | None, strawberry.argument(description=FIRST_DESCRIPTION)],
            ),
        )
    ).field(
        "Case- and accent-insensitive search over names, aliases and summaries. Latin and "
        "Cyrillic spellings match each other (leonov, Léonov, Леонов). Best matches first: "
        "exact names, then names that start with the text, then other matches."
    )


# `_service` and `_entities`, for Apollo Federation gateways (schema/federation.py).
Query = merge_types("Query", (CommonQuery, *QUERIES, federation_query(ENTITIES)))
Query.__strawberry_definition__.description = (  # type: ignore[attr-defined]
    "The space race, 1957–1975: programs, missions, people, events and launch sites, with "
    "their sources."
)
