"""Event: a dated happening of the era that is not a mission."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from spacerace.schema import fields
from spacerace.schema.arguments import PAGE, SLUG
from spacerace.schema.common import CLAIMS, Claim, Connection, Node, Source
from spacerace.schema.enums import EventKind
from spacerace.schema.fields import Filters, entity
from spacerace.schema.scalars import PartialDate
from spacerace.store.layout import EVENTS
from spacerace.store.paging import BY_DATE

if TYPE_CHECKING:
    from spacerace.schema.mission import Mission
    from spacerace.schema.person import Person
    from spacerace.schema.program import Program


@strawberry.type(
    description="A dated event of the era that is not a mission: a speech, a decision, a death."
)
@entity(EVENTS)
class Event(Node):
    slug: str = fields.slug('Its stable key, e.g. "kennedy-assassination".')
    title: str = fields.key("title", "A one-line headline.")
    kind: EventKind = fields.key("kind", "What kind of event it was.")
    date: PartialDate = fields.key("date", "When it happened (or began).")
    end_date: PartialDate | None = fields.key(
        "endDate", "For events that span days, e.g. 1964-10-16 for 14–16 October 1964."
    )
    summary: str = fields.key("summary", "What happened, in brief.")
    people: list[Annotated[Person, strawberry.lazy("spacerace.schema.person")]] = fields.reference(
        "people", "The people it involved."
    )
    programs: list[Annotated[Program, strawberry.lazy("spacerace.schema.program")]] = (
        fields.reference("programs", "The programs it concerned.")
    )
    missions: list[Annotated[Mission, strawberry.lazy("spacerace.schema.mission")]] = (
        fields.reference("missions", "The missions it concerned.")
    )
    claims: list[Claim] = fields.embedded("claims", CLAIMS)
    sources: list[Source] = fields.embedded("sources", "Where its facts come from.")


@strawberry.input(description="Conditions an event must meet; all given ones apply.")
class EventFilter:
    kind: EventKind | None = strawberry.field(default=None, description="Its kind.")
    from_: PartialDate | None = strawberry.field(
        default=None,
        name="from",
        description="Events on or after the start of this date (an event spanning the date "
        "counts).",
        metadata={"store": "from_date"},
    )
    to: PartialDate | None = strawberry.field(
        default=None,
        description="Events on or before the end of this date.",
        metadata={"store": "to_date"},
    )
    person: str | None = strawberry.field(default=None, description="Person slug it involves.")
    program: str | None = strawberry.field(default=None, description="Program slug it concerns.")


EVENT_FILTER = Filters(
    "filter",
    Annotated[EventFilter | None, strawberry.argument(description="Only events that match.")],
    input_type=EventFilter,
)


@strawberry.type
class EventQuery:
    event: Event | None = fields.lookup("An event by its slug.", args=[SLUG])
    timeline: Connection[Event] = fields.listing(
        "Events in date order.", args=[*PAGE, EVENT_FILTER], order=BY_DATE
    )
