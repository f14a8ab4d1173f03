"""Program: a national space program, e.g. Voskhod or Gemini."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from spacerace.schema.common import Claim, Document, SlugArg, Source, claims, sources
from spacerace.schema.connection import Connection, check_cursor, connection, page_size
from spacerace.schema.context import Info
from spacerace.schema.mission import (
    AfterArg,
    FirstArg,
    Mission,
    MissionFilterArg,
    MissionOrderArg,
    mission_order,
)
from spacerace.schema.node import Node, global_id
from spacerace.schema.scalars import PartialDate
from spacerace.store import filters
from spacerace.store.paging import BY_DATE, slice_after

if TYPE_CHECKING:
    from spacerace.schema.person import Person


@strawberry.type(description="A person's part in a program.")
class ProgramRole:
    role: str = strawberry.field(description="e.g. Chief Designer.")
    person_slug: strawberry.Private[str]

    @strawberry.field(description="Who.")
    async def person(
        self, info: Info
    ) -> Annotated[Person, strawberry.lazy("spacerace.schema.person")]:
        from spacerace.schema.person import referenced_person

        return await referenced_person(info, self.person_slug)


@strawberry.type(
    description="A national space program: its spacecraft, rockets, people and missions."
)
class Program(Node):
    slug: str = strawberry.field(description='Its stable key, e.g. "voskhod" or "n1-l3".')
    name: str = strawberry.field(description="Its common English name.")
    native_name: str | None = strawberry.field(description="Its name in its own script.")
    aliases: list[str] = strawberry.field(description="Other names it is known by.")
    country: str = strawberry.field(
        description='ISO 3166-1 alpha-2 code of the country that ran it; "SU" for the Soviet Union.'
    )
    organization: str | None = strawberry.field(
        description="The agency or design bureau that ran it, e.g. NASA, OKB-1, OKB-52."
    )
    summary: str | None = strawberry.field(description="What it was for and what it did.")
    start_date: PartialDate | None = strawberry.field(description="When it began.")
    end_date: PartialDate | None = strawberry.field(description="When it ended.")
    crew_capacity: int | None = strawberry.field(
        description="Crew size of its spacecraft, where it has one."
    )
    spacecraft: list[str] = strawberry.field(description="The spacecraft it built or flew.")
    launch_vehicles: list[str] = strawberry.field(description="The rockets it launched on.")
    claims: list[Claim] = strawberry.field(
        description="Facts given with their own sources; conflicting values appear side by side."
    )
    sources: list[Source] = strawberry.field(description="Where its facts come from.")
    doc: strawberry.Private[Document]

    @classmethod
    def from_doc(cls, doc: Document) -> Program:
        return cls(
            id=global_id("Program", doc["_id"]),
            slug=doc["_id"],
            name=doc["name"],
            native_name=doc.get("nativeName"),
            aliases=doc["aliases"],
            country=doc["country"],
            organization=doc.get("organization"),
            summary=doc.get("summary"),
            start_date=doc.get("startDate"),
            end_date=doc.get("endDate"),
            crew_capacity=doc.get("crewCapacity"),
            spacecraft=doc["spacecraft"],
            launch_vehicles=doc["launchVehicles"],
            claims=claims(doc["claims"]),
            sources=sources(doc["sources"]),
            doc=doc,
        )

    @strawberry.field(description="People with a role in it, e.g. its Chief Designer.")
    def people(self) -> list[ProgramRole]:
        return [ProgramRole(role=p["role"], person_slug=p["person"]) for p in self.doc["people"]]

    @strawberry.field(description="Its missions, filtered and ordered, a page at a time.")
    async def missions(
        self,
        info: Info,
        first: FirstArg = None,
        after: AfterArg = None,
        filter: MissionFilterArg = None,
        order_by: MissionOrderArg = None,
    ) -> Connection[Mission]:
        size, order = page_size(first), mission_order(order_by)
        check_cursor(order, after)
        query = filter.to_store().query() if filter else {}
        everything = await info.context.program_missions(query, order).load(self.slug)
        rest = slice_after(order, everything, after)

        async def count() -> int:
            return len(everything)

        return connection(
            rest[:size],
            has_next=len(rest) > size,
            after=after,
            order=order,
            make=Mission.from_doc,
            count=count,
        )


@strawberry.input(description="Conditions a program must meet; all given ones apply.")
class ProgramFilter:
    country: str | None = strawberry.field(
        default=None, description='ISO 3166-1 alpha-2 code, e.g. "SU" or "US".'
    )
    name_contains: str | None = strawberry.field(
        default=None, description="Part of its name or an alias; case- and accent-insensitive."
    )


@strawberry.type
class ProgramQuery:
    @strawberry.field(description="A program by its slug or the slug of one of its other names.")
    async def program(self, info: Info, slug: SlugArg) -> Program | None:
        doc = await info.context.reader.by_slug("programs", slug)
        return Program.from_doc(doc) if doc else None

    @strawberry.field(description="Programs, oldest first, a page at a time.")
    async def programs(
        self,
        info: Info,
        first: FirstArg = None,
        after: AfterArg = None,
        filter: Annotated[
            ProgramFilter | None, strawberry.argument(description="Only programs that match.")
        ] = None,
    ) -> Connection[Program]:
        size = page_size(first)
        check_cursor(BY_DATE, after)
        query = (
            filters.ProgramFilter(filter.country, filter.name_contains).query() if filter else {}
        )
        reader = info.context.reader
        page = await reader.page("programs", query, BY_DATE, size, after)
        return connection(
            page.documents,
            has_next=page.has_next,
            after=after,
            order=BY_DATE,
            make=Program.from_doc,
            count=lambda: reader.count("programs", query),
        )
