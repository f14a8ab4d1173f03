"""The enumerations of the public contract."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="How a mission went.")
class MissionStatus(Enum):
    SUCCESS = strawberry.enum_value("SUCCESS", description="It met its primary objectives.")
    PARTIAL_FAILURE = strawberry.enum_value(
        "PARTIAL_FAILURE",
        description="Some primary objectives were missed, or the craft was lost with the "
        "crew safe.",
    )
    FAILURE = strawberry.enum_value(
        "FAILURE", description="Its primary objective was not met, or its crew was lost."
    )
    CANCELLED = strawberry.enum_value("CANCELLED", description="It was planned, then cancelled.")
    PLANNED = strawberry.enum_value("PLANNED", description="It is planned and has not flown.")


@strawberry.enum(description="What kind of result an outcome records.")
class OutcomeKind(Enum):
    FIRST = strawberry.enum_value("FIRST", description="A world first, e.g. the first spacewalk.")
    ACHIEVEMENT = strawberry.enum_value("ACHIEVEMENT", description="A goal the mission achieved.")
    ANOMALY = strawberry.enum_value(
        "ANOMALY", description="Something went wrong but the mission went on."
    )
    FAILURE = strawberry.enum_value("FAILURE", description="The mission or a part of it failed.")
    FATALITY = strawberry.enum_value("FATALITY", description="Someone died.")


@strawberry.enum(description="What kind of event it was.")
class EventKind(Enum):
    POLITICAL = strawberry.enum_value(
        "POLITICAL", description="A political act: a speech, a decree, a change of leader."
    )
    PROGRAM = strawberry.enum_value(
        "PROGRAM", description="A decision or milestone of a space program."
    )
    DEATH = strawberry.enum_value("DEATH", description="The death of a person of the era.")
    OTHER = strawberry.enum_value("OTHER", description="Any other event.")


@strawberry.enum(description="The order of a list of missions.")
class MissionOrder(Enum):
    LAUNCH_DATE_ASC = strawberry.enum_value(
        "LAUNCH_DATE_ASC", description="Oldest launch first; missions that never launched last."
    )
    LAUNCH_DATE_DESC = strawberry.enum_value(
        "LAUNCH_DATE_DESC", description="Newest launch first; missions that never launched first."
    )
    NAME_ASC = strawberry.enum_value("NAME_ASC", description="By name, A to Z.")
