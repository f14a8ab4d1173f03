"""Person: a cosmonaut, astronaut, designer, leader or historian of the era."""

from __future__ import annotations

from typing import Annotated

import strawberry

from spacerace.schema import fields
from spacerace.schema.arguments import PAGE, SLUG
from spacerace.schema.common import CLAIMS, Claim, Connection, Node, Source
from spacerace.schema.crew import CrewMember
from spacerace.schema.fields import Filters, entity
from spacerace.schema.outcome import Outcome
from spacerace.schema.scalars import PartialDate
from spacerace.store.layout import PERSON_HOURS, PERSONS
from spacerace.store.paging import BY_DATE, BY_NAME


@strawberry.type(
    description="A person of the space race: who flew, who built, who decided, "
    "who wrote its history."
)
@entity(PERSONS)
class Person(Node):
    slug: str = fields.slug('Their stable key, e.g. "alexey-leonov".')
    name: str = fields.key("name", "Their name as the sources spell it in English.")
    native_name: str | None = fields.key(
        "nativeName", "The name in its own script, e.g. Леонов Алексей Архипович."
    )
    aliases: list[str] = fields.key("aliases", "Other spellings and names.")
    country: str | None = fields.key(
        "country",
        'ISO 3166-1 alpha-2 code of the country they served; "SU" for the Soviet Union.',
    )
    occupations: list[str] = fields.key(
        "occupations", "e.g. cosmonaut, astronaut, engineer, politician, historian."
    )
    birth_date: PartialDate | None = fields.key("birthDate", "When they were born.")
    death_date: PartialDate | None = fields.key("deathDate", "When they died.")
    summary: str | None = fields.key("summary", "Who they were, in brief.")
    flights: list[CrewMember] = fields.items_referencing(
        "Every mission this person launched on, oldest first.",
        match="person",
        where={"launched": True},
        order=BY_DATE,
    )
    career_hours: float | None = fields.related(
        PERSON_HOURS,
        "careerHours",
        "Hours in space over the whole career, flights after 1975 included, as the "
        "Astronaut database (Stavnichuk & Corlett 2020) gives them; null for people it "
        "does not list.",
    )
    outcomes: list[Outcome] = fields.items_referencing(
        "Every mission outcome that involves this person, oldest first.",
        match="people",
        where={},
        order=BY_DATE,
    )
    claims: list[Claim] = fields.related(
        PERSON_HOURS,
        "claims",
        CLAIMS + " The curated record's own come first, then those where the Astronaut "
        "database disagrees with it (each value with its sources).",
        own="claims",
    )
    sources: list[Source] = fields.embedded("sources", "Where their facts come from.")


@strawberry.input(description="Conditions a person must meet; all given ones apply.")
class PersonFilter:
    country: str | None = strawberry.field(
        default=None, description='ISO 3166-1 alpha-2 code, e.g. "SU" or "US".'
    )
    occupation: str | None = strawberry.field(
        default=None, description="One of their occupations, e.g. cosmonaut."
    )
    name_contains: str | None = strawberry.field(
        default=None,
        description="Part of their name, an alias or their native name; case-, accent- and "
        "script-insensitive.",
    )


PERSON_FILTER = Filters(
    "filter",
    Annotated[PersonFilter | None, strawberry.argument(description="Only people who match.")],
    input_type=PersonFilter,
)


@strawberry.type
class PersonQuery:
    person: Person | None = fields.lookup(
        "A person by slug, or by the slug of another spelling.", args=[SLUG]
    )
    people: Connection[Person] = fields.listing(
        "People, by name, a page at a time.", args=[*PAGE, PERSON_FILTER], order=BY_NAME
    )
