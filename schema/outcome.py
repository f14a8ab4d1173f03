"""Outcome: what a mission achieved or suffered."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from spacerace.schema.common import Document, Source, sources
from spacerace.schema.context import Info
from spacerace.schema.enums import OutcomeKind
from spacerace.schema.scalars import PartialDate

if TYPE_CHECKING:
    from spacerace.schema.mission import Mission
    from spacerace.schema.person import Person


@strawberry.type(
    description="A result of a mission: a first, an achievement, an anomaly, a "
    "failure or a death, with the people involved and its sources."
)
class Outcome:
    kind: OutcomeKind = strawberry.field(description="What kind of result it is.")
    summary: str = strawberry.field(description="What happened, in a sentence or two.")
    date: PartialDate | None = strawberry.field(description="When it happened, where known.")
    sources: list[Source] = strawberry.field(description="Where this outcome is documented.")
    doc: strawberry.Private[Document]
    mission_doc: strawberry.Private[Document]

    @classmethod
    def from_doc(cls, doc: Document, mission: Document) -> Outcome:
        return cls(
            kind=OutcomeKind(doc["kind"]),
            summary=doc["summary"],
            date=doc.get("date"),
            sources=sources(doc["sources"]),
            doc=doc,
            mission_doc=mission,
        )

    @strawberry.field(description="The mission it belongs to.")
    def mission(self) -> Annotated[Mission, strawberry.lazy("spacerace.schema.mission")] | None:
        from spacerace.schema.mission import Mission

        return Mission.from_doc(self.mission_doc)

    @strawberry.field(description="The people it involves.")
    async def people(
        self, info: Info
    ) -> list[Annotated[Person, strawberry.lazy("spacerace.schema.person")]]:
        from spacerace.schema.person import Person

        docs = await info.context.persons.load_many(self.doc["people"])
        return [Person.from_doc(doc) for doc in docs if doc]


def outcomes_of(mission: Document, kind: OutcomeKind | None = None) -> list[Outcome]:
    return [
        Outcome.from_doc(doc, mission)
        for doc in mission["outcomes"]
        if kind is None or doc["kind"] == kind.value
    ]
