"""Program: a national space program, e.g. Voskhod or Gemini."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from spacerace.schema import fields
from spacerace.schema.arguments import PAGE, SLUG
from spacerace.schema.common import CLAIMS, Claim, Connection, Node, Source
from spacerace.schema.fields import Filters, entity, value
from spacerace.schema.mission import Mission, missions_pointing_here
from spacerace.schema.scalars import PartialDate
from spacerace.store.layout import PROGRAMS
from spacerace.store.paging import BY_DATE

if TYPE_CHECKING:
    from spacerace.schema.person import Person


@strawberry.type(description="A person's part in a program.")
@value()
class ProgramRole:
    role: str = fields.key("role", "e.g. Chief Designer.")
    person: Annotated[Person, strawberry.lazy("spacerace.schema.person")] = fields.reference(
        "person", "Who."
    )


@strawberry.type(
    description="A national space program: its spacecraft, rockets, people and missions."
)
@entity(PROGRAMS)
class Program(Node):
    slug: str = fields.slug('Its stable key, e.g. "voskhod" or "n1-l3".')
    name: str = fields.key("name", "Its common English name.")
    native_name: str | None = fields.key("nativeName", "Its name in its own script.")
    aliases: list[str] = fields.key("aliases", "Other names it is known by.")
    country: str = fields.key(
        "country",
        'ISO 3166-1 alpha-2 code of the country that ran it; "SU" for the Soviet Union.',
    )
    organization: str | None = fields.key(
        "organization", "The agency or design bureau that ran it, e.g. NASA, OKB-1, OKB-52."
    )
    summary: str | None = fields.key("summary", "What it was for and what it did.")
    start_date: PartialDate | None = fields.key("startDate", "When it began.")
    end_date: PartialDate | None = fields.key("endDate", "When it ended.")
    crew_capacity: int | None = fields.key(
        "crewCapacity", "Crew size of its spacecraft, where it has one."
    )
    spacecraft: list[str] = fields.key("spacecraft", "The spacecraft it built or flew.")
    launch_vehicles: list[str] = fields.key("launchVehicles", "The rockets it launched on.")
    people: list[ProgramRole] = fields.embedded(
        "people", "People with a role in it, e.g. its Chief Designer."
    )
    missions: Connection[Mission] = missions_pointing_here(
        "Its missions, filtered and ordered, a page at a time.",
        via="program",
    )
    claims: list[Claim] = fields.embedded("claims", CLAIMS)
    sources: list[Source] = fields.embedded("sources", "Where its facts come from.")


@strawberry.input(description="Conditions a program must meet; all given ones apply.")
class ProgramFilter:
    country: str | None = strawberry.field(
        default=None, description='ISO 3166-1 alpha-2 code, e.g. "SU" or "US".'
    )
    name_contains: str | None = strawberry.field(
        default=None, description="Part of its name or an alias; case- and accent-insensitive."
    )


PROGRAM_FILTER = Filters(
    "filter",
    Annotated[ProgramFilter | None, strawberry.argument(description="Only programs that match.")],
    input_type=ProgramFilter,
)


@strawberry.type
class ProgramQuery:
    program: Program | None = fields.lookup(
        "A program by its slug or the slug of one of its other names.", args=[SLUG]
    )
    programs: Connection[Program] = fields.listing(
        "Programs, oldest first, a page at a time.", args=[*PAGE, PROGRAM_FILTER], order=BY_DATE
    )
