"""CrewMember: a person's seat on a mission."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from spacerace.schema import fields
from spacerace.schema.fields import item_of
from spacerace.schema.outcome import Outcome
from spacerace.store.layout import MISSION_HOURS

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
    flight_hours: float | None = fields.related(
        MISSION_HOURS,
        "flightHours",
        "Hours this person spent in flight on this mission, as the Astronaut database "
        "(Stavnichuk & Corlett 2020) gives them; null where it has no row for this seat. "
        "Where the hours do not fit the mission's launch and landing dates, the mission's "
        "`claims` hold both (topic `flight-hours-<person>`).",
        within="seats",
        match="person",
        on="person",
    )
    eva_hours: float | None = fields.related(
        MISSION_HOURS,
        "evaHours",
        "Hours of extravehicular activity on this mission (0 for none), from the Astronaut "
        "database; null where it has no row for this seat. Where a curated outcome states "
        "the spacewalk's duration and the dataset disagrees, this shows the curated "
        "duration (the dataset enriches the curated record, never overrides it) and the "
        "mission's `claims` hold both values with their sources (topic "
        "`eva-duration-<person>`): for Leonov on Voskhod 2, 0.2 here against the "
        "dataset's 0.73.",
        within="seats",
        match="person",
        on="person",
    )
