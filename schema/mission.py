"""Mission: one flight, crewed or not, or one that never flew."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from spacerace.schema.common import Claim, Document, SlugArg, Source, claims, sources
from spacerace.schema.connection import Connection, check_cursor, connection, page_size
from spacerace.schema.context import Info
from spacerace.schema.crew import CrewMember, crew_of
from spacerace.schema.enums import MissionOrder, MissionStatus, OutcomeKind
from spacerace.schema.node import Node, global_id
from spacerace.schema.outcome import Outcome, outcomes_of
from spacerace.schema.scalars import PartialDate
from spacerace.store import filters
from spacerace.store.paging import BY_DATE, BY_DATE_DESC, BY_NAME, Order

if TYPE_CHECKING:
    from spacerace.schema.program import Program


@strawberry.type(
    description="A space flight of the era, crewed or not, or one that was planned and never flew."
)
class Mission(Node):
    slug: str = strawberry.field(description='Its stable key, e.g. "voskhod-2".')
    name: str = strawberry.field(description="Its common English name.")
    native_name: str | None = strawberry.field(
        description="Its name in its own script, e.g. Восход-2."
    )
    aliases: list[str] = strawberry.field(
        description="Other names the mission is known by, e.g. MA-6 for Friendship 7."
    )
    country: str = strawberry.field(
        description="ISO 3166-1 alpha-2 code of the country that flew it; "
        '"SU" for the Soviet Union.'
    )
    crewed: bool = strawberry.field(description="Whether it carried (or was to carry) a crew.")
    status: MissionStatus = strawberry.field(description="How it went.")
    launch_date: PartialDate | None = strawberry.field(
        description="When it launched, as precisely as known."
    )
    launch_time: datetime | None = strawberry.field(
        description="UTC launch time, where known to the minute."
    )
    landing_date: PartialDate | None = strawberry.field(
        description="When it landed or ended, as precisely as known."
    )
    spacecraft: str | None = strawberry.field(description="The spacecraft it flew.")
    launch_vehicle: str | None = strawberry.field(description="The rocket that launched it.")
    summary: str | None = strawberry.field(description="What it was and did, in brief.")
    claims: list[Claim] = strawberry.field(
        description="Facts given with their own sources; conflicting values appear side by side."
    )
    sources: list[Source] = strawberry.field(description="Where its facts come from.")
    doc: strawberry.Private[Document]

    @classmethod
    def from_doc(cls, doc: Document) -> Mission:
        return cls(
            id=global_id("Mission", doc["_id"]),
            slug=doc["_id"],
            name=doc["name"],
            native_name=doc.get("nativeName"),
            aliases=doc["aliases"],
            country=doc["country"],
            crewed=doc["crewed"],
            status=MissionStatus(doc["status"]),
            launch_date=doc.get("launchDate"),
            launch_time=doc.get("launchTime"),
            landing_date=doc.get("landingDate"),
            spacecraft=doc.get("spacecraft"),
            launch_vehicle=doc.get("launchVehicle"),
            summary=doc.get("summary"),
            claims=claims(doc["claims"]),
            sources=sources(doc["sources"]),
            doc=doc,
        )

    @strawberry.field(description="The program it belonged to.")
    async def program(
        self, info: Info
    ) -> Annotated[Program, strawberry.lazy("spacerace.schema.program")] | None:
        from spacerace.schema.program import Program

        slug = self.doc.get("program")
        doc = await info.context.programs.load(slug) if slug else None
        return Program.from_doc(doc) if doc else None

    @strawberry.field(
        description="Who launched aboard this mission's spacecraft, in crew order. Crew who "
        "moved between craft in flight appear on the mission they launched on; the move is an "
        "outcome."
    )
    def crew(self) -> list[CrewMember]:
        return crew_of(self.doc)

    @strawberry.field(description="What it achieved or suffered, optionally of one kind only.")
    def outcomes(
        self,
        kind: Annotated[
            OutcomeKind | None, strawberry.argument(description="Only outcomes of this kind.")
        ] = None,
    ) -> list[Outcome]:
        return outcomes_of(self.doc, kind)


@strawberry.input(description="Conditions a mission must meet; all given ones apply.")
class MissionFilter:
    program: str | None = strawberry.field(default=None, description="Program slug.")
    country: str | None = strawberry.field(
        default=None, description='ISO 3166-1 alpha-2 code, e.g. "SU" or "US".'
    )
    crewed: bool | None = strawberry.field(default=None, description="Crewed or not.")
    status: MissionStatus | None = strawberry.field(default=None, description="How it went.")
    crew_member: str | None = strawberry.field(
        default=None, description="Person slug: missions with this person in the crew."
    )
    launched_from: PartialDate | None = strawberry.field(
        default=None,
        description="Launched on or after the start of this date. A mission known only to the "
        "month or year matches when its whole span lies inside the range.",
    )
    launched_to: PartialDate | None = strawberry.field(
        default=None, description="Launched on or before the end of this date."
    )
    name_contains: str | None = strawberry.field(
        default=None, description="Part of its name or an alias; case- and accent-insensitive."
    )

    def to_store(self) -> filters.MissionFilter:
        return filters.MissionFilter(
            program=self.program,
            country=self.country,
            crewed=self.crewed,
            status=self.status.name if self.status else None,
            crew_member=self.crew_member,
            launched_from=self.launched_from,
            launched_to=self.launched_to,
            name_contains=self.name_contains,
        )


MISSION_ORDERS: dict[MissionOrder, Order] = {
    MissionOrder.LAUNCH_DATE_ASC: BY_DATE,
    MissionOrder.LAUNCH_DATE_DESC: BY_DATE_DESC,
    MissionOrder.NAME_ASC: BY_NAME,
}

FirstArg = Annotated[
    int | None, strawberry.argument(description="Page size: default 20, at most 100.")
]
AfterArg = Annotated[
    str | None, strawberry.argument(description="Start after this cursor (an `endCursor`).")
]
MissionFilterArg = Annotated[
    MissionFilter | None, strawberry.argument(description="Only missions that match.")
]
MissionOrderArg = Annotated[
    MissionOrder | None,
    strawberry.argument(description="The order of the list; default LAUNCH_DATE_ASC."),
]


def mission_order(order_by: MissionOrder | None) -> Order:
    return MISSION_ORDERS[order_by or MissionOrder.LAUNCH_DATE_ASC]


@strawberry.type
class MissionQuery:
    @strawberry.field(description="A mission by its slug or the slug of one of its other names.")
    async def mission(self, info: Info, slug: SlugArg) -> Mission | None:
        doc = await info.context.reader.by_slug("missions", slug)
        return Mission.from_doc(doc) if doc else None

    @strawberry.field(description="Missions, filtered and ordered, a page at a time.")
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
        reader = info.context.reader
        page = await reader.page("missions", query, order, size, after)
        return connection(
            page.documents,
            has_next=page.has_next,
            after=after,
            order=order,
            make=Mission.from_doc,
            count=lambda: reader.count("missions", query),
        )
