"""The root Query, composed from the per-domain query classes."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.tools import merge_types

from spacerace.schema.context import Info
from spacerace.schema.event import Event, EventQuery
from spacerace.schema.mission import Mission, MissionQuery
from spacerace.schema.node import Node, parse_global_id
from spacerace.schema.person import Person, PersonQuery
from spacerace.schema.program import Program, ProgramQuery
from spacerace.schema.search import SearchQuery

_NODES = {
    "Program": ("programs", Program.from_doc),
    "Mission": ("missions", Mission.from_doc),
    "Person": ("persons", Person.from_doc),
    "Event": ("events", Event.from_doc),
}


@strawberry.type
class NodeQuery:
    @strawberry.field(description="Any object by its global ID; null for an unknown ID.")
    async def node(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID, strawberry.argument(description="A global ID from an `id` field.")
        ],
    ) -> Node | None:
        parsed = parse_global_id(id)
        if parsed is None:
            return None
        type_name, slug = parsed
        collection, make = _NODES[type_name]
        docs = await info.context.reader.by_ids(collection, [slug])
        return make(docs[0]) if docs[0] else None


Query = merge_types(
    "Query",
    (NodeQuery, ProgramQuery, MissionQuery, PersonQuery, EventQuery, SearchQuery),
)
Query.__strawberry_definition__.description = (  # type: ignore[attr-defined]
    "The space race, 1957–1975: programs, missions, people and events, with their sources."
)
