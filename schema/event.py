"""Event: a dated happening of the era that is not a mission."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from spacerace.schema.common import Claim, Document, SlugArg, Source, claims, sources
from spacerace.schema.connection import Connection, check_cursor, connection, page_size
from spacerace.schema.context import Info
from spacerace.schema.enums import EventKind
from spacerace.schema.mission import AfterArg, FirstArg, Mission
from spacerace.schema.node import Node, global_id
from spacerace.schema.scalars import PartialDate
from spacerace.store import filters
from spacerace.store.paging import BY_DATE

if TYPE_CHECKING:
    from spacerace.schema.person import Person
    from spacerace.schema.program import Program


@strawberry.type(
    description="A dated event of the era that is not a mission: a speech, a decision, a death."
)
class Event(Node):
    slug: str = strawberry.field(description='Its stable key, e.g. "kennedy-assassination".')
    title: str = strawberry.field(description="A one-line headline.")
    kind: EventKind = strawberry.field(description="What kind of event it was.")
    date: PartialDate = strawberry.field(description="When it happened (or began).")
    end_date: PartialDate | None = strawberry.field(
        description="For events that span days, e.g. 1964-10-16 for 14–16 October 1964."
    )
    summary: str = strawberry.field(description="What happened, in brief.")
    claims: list[Claim] = strawberry.field(
        description="Facts given with their own sources; conflicting values appear side by side."
    )
    sources: list[Source] = strawberry.field(description="Where its facts come from.")
    doc: strawberry.Private[Document]

    @classmethod
    def from_doc(cls, doc: Document) -> Event:
        return cls(
            id=global_id("Event", doc["_id"]),
            slug=doc["_id"],
            title=doc["title"],
            kind=EventKind(doc["kind"]),
            date=doc["date"],
            end_date=doc.get("endDate"),
            summary=doc["summary"],
            claims=claims(doc["claims"]),
            sources=sources(doc["sources"]),
            doc=doc,
        )

    @strawberry.field(description="The people it involved.")
    async def people(
        self, info: Info
    ) -> list[Annotated[Person, strawberry.lazy("spacerace.schema.person")]]:
        from spacerace.schema.person import Person

        docs = await info.context.persons.load_many(self.doc["people"])
        return [Person.from_doc(doc) for doc in docs if doc]

    @strawberry.field(description="The programs it concerned.")
    async def programs(
        self, info: Info
    ) -> list[Annotated[Program, strawberry.lazy("spacerace.schema.program")]]:
        from spacerace.schema.program import Program

        docs = await info.context.programs.load_many(self.doc["programs"])
        return [Program.from_doc(doc) for doc in docs if doc]

    @strawberry.field(description="The missions it concerned.")
    async def missions(self, info: Info) -> list[Mission]:
        docs = await info.context.missions.load_many(self.doc["missions"])
        return [Mission.from_doc(doc) for doc in docs if doc]


@strawberry.input(description="Conditions an event must meet; all given ones apply.")
class EventFilter:
    kind: EventKind | None = strawberry.field(default=None, description="Its kind.")
    from_: PartialDate | None = strawberry.field(
        default=None,
        name="from",
        description="Events on or after the start of this date (an event spanning the date "
        "counts).",
    )
    to: PartialDate | None = strawberry.field(
        default=None, description="Events on or before the end of this date."
    )
    person: str | None = strawberry.field(default=None, description="Person slug it involves.")
    program: str | None = strawberry.field(default=None, description="Program slug it concerns.")


@strawberry.type
class EventQuery:
    @strawberry.field(description="An event by its slug.")
    async def event(self, info: Info, slug: SlugArg) -> Event | None:
        doc = await info.context.reader.by_slug("events", slug)
        return Event.from_doc(doc) if doc else None

    @strawberry.field(description="Events in date order.")
    async def timeline(
        self,
        info: Info,
        first: FirstArg = None,
        after: AfterArg = None,
        filter: Annotated[
            EventFilter | None, strawberry.argument(description="Only events that match.")
        ] = None,
    ) -> Connection[Event]:
        size = page_size(first)
        check_cursor(BY_DATE, after)
        query = (
            filters.EventFilter(
                kind=filter.kind.name if filter.kind else None,
                date_from=filter.from_,
                date_to=filter.to,
                person=filter.person,
                program=filter.program,
            ).query()
            if filter
            else {}
        )
        reader = info.context.reader
        page = await reader.page("events", query, BY_DATE, size, after)
        return connection(
            page.documents,
            has_next=page.has_next,
            after=after,
            order=BY_DATE,
            make=Event.from_doc,
            count=lambda: reader.count("events", query),
        )
