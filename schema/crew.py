"""CrewMember: a person's seat on a mission."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from spacerace.schema.common import Document
from spacerace.schema.context import Info
from spacerace.schema.outcome import Outcome

if TYPE_CHECKING:
    from spacerace.schema.mission import Mission
    from spacerace.schema.person import Person


@strawberry.type(description="A person who launched on a mission, and their role aboard.")
class CrewMember:
    role: str = strawberry.field(
        description="e.g. Commander, Pilot, Flight Engineer, Research Engineer."
    )
    person_slug: strawberry.Private[str]
    mission_doc: strawberry.Private[Document]

    @classmethod
    def from_doc(cls, seat: Document, mission: Document) -> CrewMember:
        return cls(role=seat["role"], person_slug=seat["person"], mission_doc=mission)

    @strawberry.field(description="Who.")
    async def person(
        self, info: Info
    ) -> Annotated[Person, strawberry.lazy("spacerace.schema.person")]:
        from spacerace.schema.person import referenced_person

        return await referenced_person(info, self.person_slug)

    @strawberry.field(description="The mission.")
    def mission(self) -> Annotated[Mission, strawberry.lazy("spacerace.schema.mission")]:
        from spacerace.schema.mission import Mission

        return Mission.from_doc(self.mission_doc)

    @strawberry.field(description="The outcomes of this mission that involve this person.")
    def outcomes(self) -> list[Outcome]:
        return [
            Outcome.from_doc(doc, self.mission_doc)
            for doc in self.mission_doc["outcomes"]
            if self.person_slug in doc["people"]
        ]


def crew_of(mission: Document) -> list[CrewMember]:
    return [CrewMember.from_doc(seat, mission) for seat in mission["crew"]]
