"""Search across programs, missions, people and events."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import strawberry

from spacerace.schema.common import Document
from spacerace.schema.connection import page_size
from spacerace.schema.context import Info
from spacerace.schema.event import Event
from spacerace.schema.mission import Mission
from spacerace.schema.person import Person
from spacerace.schema.program import Program

SearchResult = Annotated[
    Program | Mission | Person | Event,
    strawberry.union("SearchResult", description="Anything search can find."),
]

_MAKERS: dict[str, Callable[[Document], Program | Mission | Person | Event]] = {
    "programs": Program.from_doc,
    "missions": Mission.from_doc,
    "persons": Person.from_doc,
    "events": Event.from_doc,
}


@strawberry.type
class SearchQuery:
    @strawberry.field(
        description="Case- and accent-insensitive search over names, aliases and summaries. "
        "Latin and Cyrillic spellings match each other (leonov, Léonov, Леонов). Best matches "
        "first: exact names, then names that start with the text, then other matches."
    )
    async def search(
        self,
        info: Info,
        query: Annotated[str, strawberry.argument(description="The text to look for.")],
        first: Annotated[
            int | None,
            strawberry.argument(description="How many results: default 20, at most 100."),
        ] = None,
    ) -> list[SearchResult]:
        found = await info.context.reader.search(query, page_size(first))
        return [_MAKERS[collection](doc) for collection, doc in found]
