"""Person: a cosmonaut, astronaut, designer, leader or historian of the era."""

from __future__ import annotations

from typing import Annotated

import strawberry

from spacerace.schema.common import Claim, Document, SlugArg, Source, claims, sources
from spacerace.schema.connection import Connection, check_cursor, connection, page_size
from spacerace.schema.context import Info
from spacerace.schema.crew import CrewMember
from spacerace.schema.mission import AfterArg, FirstArg
from spacerace.schema.node import Node, global_id
from spacerace.schema.outcome import Outcome
from spacerace.schema.scalars import PartialDate
from spacerace.store import filters
from spacerace.store.paging import BY_NAME


@strawberry.type(
    description="A person of the space race: who flew, who built, who decided, "
    "who wrote its history."
)
class Person(Node):
    slug: str = strawberry.field(description='Their stable key, e.g. "alexey-leonov".')
    name: str = strawberry.field(description="Their name as the sources spell it in English.")
    native_name: str | None = strawberry.field(
        description="The name in its own script, e.g. Леонов Алексей Архипович."
    )
    aliases: list[str] = strawberry.field(description="Other spellings and names.")
    country: str | None = strawberry.field(
        description='ISO 3166-1 alpha-2 code of the country they served; "SU" for the Soviet Union.'
    )
    occupations: list[str] = strawberry.field(
        description="e.g. cosmonaut, astronaut, engineer, politician, historian."
    )
    birth_date: PartialDate | None = strawberry.field(description="When they were born.")
    death_date: PartialDate | None = strawberry.field(description="When they died.")
    summary: str | None = strawberry.field(description="Who they were, in brief.")
    claims: list[Claim] = strawberry.field(
        description="Facts given with their own sources; conflicting values appear side by side."
    )
    sources: list[Source] = strawberry.field(description="Where their facts come from.")
    doc: strawberry.Private[Document]

    @classmethod
    def from_doc(cls, doc: Document) -> Person:
        return cls(
            id=global_id("Person", doc["_id"]),
            slug=doc["_id"],
            name=doc["name"],
            native_name=doc.get("nativeName"),
            aliases=doc["aliases"],
            country=doc.get("country"),
            occupations=doc["occupations"],
            birth_date=doc.get("birthDate"),
            death_date=doc.get("deathDate"),
            summary=doc.get("summary"),
            claims=claims(doc["claims"]),
            sources=sources(doc["sources"]),
            doc=doc,
        )

    @strawberry.field(description="Every mission this person launched on, oldest first.")
    async def flights(self, info: Info) -> list[CrewMember]:
        missions = await info.context.flights.load(self.slug)
        return [
            CrewMember.from_doc(seat, mission)
            for mission in missions
            for seat in mission["crew"]
            if seat["person"] == self.slug
        ]

    @strawberry.field(description="Every mission outcome that involves this person, oldest first.")
    async def outcomes(self, info: Info) -> list[Outcome]:
        missions = await info.context.outcome_missions.load(self.slug)
        return [
            Outcome.from_doc(outcome, mission)
            for mission in missions
            for outcome in mission["outcomes"]
            if self.slug in outcome["people"]
        ]


async def referenced_person(info: Info, slug: str) -> Person:
    """The person a crew seat or program role names."""
    doc = await info.context.persons.load(slug)
    if doc is None:  # the loaders check every reference; this is a broken database
        raise LookupError(f"person {slug!r} is referenced but missing")
    return Person.from_doc(doc)


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


@strawberry.type
class PersonQuery:
    @strawberry.field(description="A person by slug, or by the slug of another spelling.")
    async def person(self, info: Info, slug: SlugArg) -> Person | None:
        doc = await info.context.reader.by_slug("persons", slug)
        return Person.from_doc(doc) if doc else None

    @strawberry.field(description="People, by name, a page at a time.")
    async def people(
        self,
        info: Info,
        first: FirstArg = None,
        after: AfterArg = None,
        filter: Annotated[
            PersonFilter | None, strawberry.argument(description="Only people who match.")
        ] = None,
    ) -> Connection[Person]:
        size = page_size(first)
        check_cursor(BY_NAME, after)
        query = (
            filters.PersonFilter(filter.country, filter.occupation, filter.name_contains).query()
            if filter
            else {}
        )
        reader = info.context.reader
        page = await reader.page("persons", query, BY_NAME, size, after)
        return connection(
            page.documents,
            has_next=page.has_next,
            after=after,
            order=BY_NAME,
            make=Person.from_doc,
            count=lambda: reader.count("persons", query),
        )
