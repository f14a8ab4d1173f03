"""CrewMember: a person's seat on a mission."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from spacerace.schema import fields
from spacerace.schema.fields import item_of
from spacerace.schema.outcome import Outcome

if TYPE_CHECKING:
    from spacerace.schema.mission import Mission
    from spacerace.schema.person import Person


@strawberry.type(description="A person who launched on a mission, and their role aboard.")
@item_of("Mission", "crew")
class CrewMember:
    person: Annotated[Person, strawberry.lazy("spacerace.schema.person")] = fields.reference(
        "person", "Who."
    )
    role: str = fields.key("role", "e.g. Commander, Pilot, Flight Engineer, Research Engineer.")
    mission: Annotated[Mission, strawberry.lazy("spacerace.schema.mission")] = fields.parent(
        "The mission."
    )
    outcomes: list[Outcome] = fields.siblings(
        "The outcomes of this mission that involve this person.", match="people", on="person"
    )
    flight_hours: float | None = fields.key(
        "flightHours", "Hours this person spent in flight on this mission, where a source gives it."
    )
    eva_hours: float | None = fields.key(
        "evaHours", "Hours of extravehicular activity on this mission, where a source gives it."
    )
