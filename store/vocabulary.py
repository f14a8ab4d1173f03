"""The closed sets of values the data uses, each defined once with what it means.

The stored documents' rules accept exactly these values, the GraphQL enums are
made from these classes, and the generator of benchmark data draws from them.
"""

from __future__ import annotations

from enum import Enum


class MissionStatus(Enum):
    """How a mission went."""

    SUCCESS = "SUCCESS"
    PARTIAL_FAILURE = "PARTIAL_FAILURE"
    FAILURE = "FAILURE"
    CANCELLED = "CANCELLED"
    PLANNED = "PLANNED"


class OutcomeKind(Enum):
    """What kind of result an outcome records."""

    FIRST = "FIRST"
    ACHIEVEMENT = "ACHIEVEMENT"
    ANOMALY = "ANOMALY"
    FAILURE = "FAILURE"
    FATALITY = "FATALITY"


class EventKind(Enum):
    """What kind of event it was."""

    POLITICAL = "POLITICAL"
    PROGRAM = "PROGRAM"
    DEATH = "DEATH"
    OTHER = "OTHER"


MEANINGS: dict[Enum, str] = {
    MissionStatus.SUCCESS: "It met its primary objectives.",
    MissionStatus.PARTIAL_FAILURE: "Some primary objectives were missed, or the craft was "
    "lost with the crew safe.",
    MissionStatus.FAILURE: "Its primary objective was not met, or its crew was lost.",
    MissionStatus.CANCELLED: "It was planned, then cancelled.",
    MissionStatus.PLANNED: "It is planned and has not flown.",
    OutcomeKind.FIRST: "A world first, e.g. the first spacewalk.",
    OutcomeKind.ACHIEVEMENT: "A goal the mission achieved.",
    OutcomeKind.ANOMALY: "Something went wrong but the mission went on.",
    OutcomeKind.FAILURE: "The mission or a part of it failed.",
    OutcomeKind.FATALITY: "Someone died.",
    EventKind.POLITICAL: "A political act: a speech, a decree, a change of leader.",
    EventKind.PROGRAM: "A decision or milestone of a space program.",
    EventKind.DEATH: "The death of a person of the era.",
    EventKind.OTHER: "Any other event.",
}
"""What each value means, for people reading the API or the seed files."""

VOCABULARIES: tuple[type[Enum], ...] = (MissionStatus, OutcomeKind, EventKind)


def values(vocabulary: type[Enum]) -> list[str]:
    """The stored values of a vocabulary, in order."""
    return [member.value for member in vocabulary]
