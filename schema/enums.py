"""The enumerations of the API: the data's vocabularies, and the orders lists come in."""

from __future__ import annotations

from enum import Enum

import strawberry

from spacerace.store.paging import BY_DATE, BY_DATE_DESC, BY_NAME, Order
from spacerace.store.vocabulary import MEANINGS, VOCABULARIES, EventKind, MissionStatus, OutcomeKind


def _served(vocabulary: type[Enum]) -> None:
    """Serve a vocabulary of the data as a GraphQL enum, each value described by
    what it means."""
    strawberry.enum(vocabulary, description=vocabulary.__doc__)
    definition = vocabulary.__strawberry_definition__  # type: ignore[attr-defined]
    for value in definition.values:
        value.description = MEANINGS[vocabulary(value.value)]


for _vocabulary in VOCABULARIES:
    _served(_vocabulary)


@strawberry.enum(description="The order of a list of missions.")
class MissionOrder(Enum):
    LAUNCH_DATE_ASC = strawberry.enum_value(
        "LAUNCH_DATE_ASC", description="Oldest launch first; missions that never launched last."
    )
    LAUNCH_DATE_DESC = strawberry.enum_value(
        "LAUNCH_DATE_DESC", description="Newest launch first; missions that never launched first."
    )
    NAME_ASC = strawberry.enum_value("NAME_ASC", description="By name, A to Z.")


MISSION_ORDERS: dict[MissionOrder, Order] = {
    MissionOrder.LAUNCH_DATE_ASC: BY_DATE,
    MissionOrder.LAUNCH_DATE_DESC: BY_DATE_DESC,
    MissionOrder.NAME_ASC: BY_NAME,
}

__all__ = ["MISSION_ORDERS", "EventKind", "MissionOrder", "MissionStatus", "OutcomeKind"]
