"""Outcome: what a mission achieved or suffered."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from spacerace.schema import fields
from spacerace.schema.common import Source
from spacerace.schema.enums import OutcomeKind
from spacerace.schema.fields import item_of
from spacerace.schema.scalars import PartialDate

if TYPE_CHECKING:
    from spacerace.schema.mission import Mission
    from spacerace.schema.person import Person


@strawberry.type(
    description="A result of a mission: a first, an achievement, an anomaly, a "
    "failure or a death, with the people involved and its sources."
)
@item_of("Mission", "outcomes")
class Outcome:
    kind: OutcomeKind = fields.key("kind", "What kind of result it is.")
    summary: str = fields.key("summary", "What happened, in a sentence or two.")
    date: PartialDate | None = fields.key("date", "When it happened, where known.")
    mission: Annotated[Mission, strawberry.lazy("spacerace.schema.mission")] | None = fields.parent(
        "The mission it belongs to."
    )
    people: list[Annotated[Person, strawberry.lazy("spacerace.schema.person")]] = fields.reference(
        "people", "The people it involves."
    )
    sources: list[Source] = fields.embedded("sources", "Where this outcome is documented.")
