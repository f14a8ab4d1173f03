"""The per-request context: the reader and the DataLoaders that batch its queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strawberry.dataloader import DataLoader
from strawberry.types import Info as StrawberryInfo

from spacerace.store.connection import Document
from spacerace.store.paging import Order
from spacerace.store.reads import Reader

MaybeDocument = Document | None


@dataclass
class Context:
    """Everything a resolver needs, made fresh for each request."""

    reader: Reader
    programs: DataLoader[str, MaybeDocument]
    missions: DataLoader[str, MaybeDocument]
    persons: DataLoader[str, MaybeDocument]
    events: DataLoader[str, MaybeDocument]
    flights: DataLoader[str, list[Document]]
    outcome_missions: DataLoader[str, list[Document]]
    _program_missions: dict[tuple[str, Order], DataLoader[str, list[Document]]] = field(
        default_factory=dict
    )

    @classmethod
    def for_request(cls, reader: Reader) -> Context:
        def by_id(collection: str) -> DataLoader[str, MaybeDocument]:
            async def load(ids: list[str]) -> list[MaybeDocument]:
                return await reader.by_ids(collection, ids)

            return DataLoader(load_fn=load)

        return cls(
            reader=reader,
            programs=by_id("programs"),
            missions=by_id("missions"),
            persons=by_id("persons"),
            events=by_id("events"),
            flights=DataLoader(load_fn=reader.flights_of),
            outcome_missions=DataLoader(load_fn=reader.missions_with_outcomes_of),
        )

    def program_missions(
        self, query: dict[str, Any], order: Order
    ) -> DataLoader[str, list[Document]]:
        """One loader per distinct filter and order, so sibling programs share one query."""
        key = (repr(sorted(query.items())), order)
        if key not in self._program_missions:

            async def load(programs: list[str]) -> list[list[Document]]:
                return await self.reader.missions_of_programs(programs, query, order)

            self._program_missions[key] = DataLoader(load_fn=load)
        return self._program_missions[key]


Info = StrawberryInfo[Context, None]
