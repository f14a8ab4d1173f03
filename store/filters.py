"""Filters in the API's terms, turned into MongoDB queries here and nowhere else.

User text never reaches MongoDB as an operator or a pattern: it is folded to
lowercase ASCII words and escaped before it becomes a regular expression.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spacerace.store.dates import span
from spacerace.store.text import fold

Query = dict[str, Any]


def _contains(field: str, text: str | None) -> Query:
    """Folded `field` contains folded `text`; text with no letters or digits matches nothing."""
    if text is None or not text.strip():
        return {}
    folded = fold(text)
    return {field: {"$regex": re.escape(folded)}} if folded else {"_id": {"$in": []}}


def _within(start_field: str, end_field: str, start: str | None, end: str | None) -> Query:
    """Documents whose whole date span lies inside start..end (partial dates)."""
    query: Query = {}
    if start:
        query[start_field] = {"$gte": span(start)[0]}
    if end:
        query[end_field] = {"$lte": span(end)[1]}
    return query


def _overlapping(start_field: str, end_field: str, start: str | None, end: str | None) -> Query:
    """Documents whose date span shares at least a day with start..end."""
    query: Query = {}
    if start:
        query[end_field] = {"$gte": span(start)[0]}
    if end:
        query[start_field] = {"$lte": span(end)[1]}
    return query


def _equals(**fields: Any) -> Query:
    return {field: value for field, value in fields.items() if value is not None}


@dataclass(frozen=True)
class ProgramFilter:
    country: str | None = None
    name_contains: str | None = None

    def query(self) -> Query:
        country = self.country.upper() if self.country else None
        return {**_equals(country=country), **_contains("_names", self.name_contains)}


@dataclass(frozen=True)
class MissionFilter:
    program: str | None = None
    country: str | None = None
    crewed: bool | None = None
    status: str | None = None
    crew_member: str | None = None
    launched_from: str | None = None
    launched_to: str | None = None
    name_contains: str | None = None

    def query(self) -> Query:
        country = self.country.upper() if self.country else None
        return {
            **_equals(
                program=self.program, country=country, crewed=self.crewed, status=self.status
            ),
            **({"crew.person": self.crew_member} if self.crew_member is not None else {}),
            **_within("_launchStart", "_launchEnd", self.launched_from, self.launched_to),
            **_contains("_names", self.name_contains),
        }


@dataclass(frozen=True)
class PersonFilter:
    country: str | None = None
    occupation: str | None = None
    name_contains: str | None = None

    def query(self) -> Query:
        country = self.country.upper() if self.country else None
        occupation = self.occupation.strip().lower() if self.occupation else None
        return {
            **_equals(country=country, occupations=occupation),
            **_contains("_names", self.name_contains),
        }


@dataclass(frozen=True)
class EventFilter:
    kind: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    person: str | None = None
    program: str | None = None

    def query(self) -> Query:
        return {
            **_equals(kind=self.kind, people=self.person, programs=self.program),
            **_overlapping("_dateStart", "_dateEnd", self.date_from, self.date_to),
        }
