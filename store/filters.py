"""Filters in the data's own terms, turned into MongoDB queries here and nowhere else.

Each collection names the filters it offers (`Collection.filters`); callers ask
for them by name with plain values (`MISSIONS.where(country="SU")`) and get a
`Where`, an opaque, hashable condition that only the readers turn into a query.

User text never reaches MongoDB as an operator or a pattern: it is folded to
lowercase ASCII words and escaped before it becomes a regular expression.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import orjson

from spacerace.store.dates import span
from spacerace.store.text import fold

Query = dict[str, Any]
NOTHING: Query = {"_id": {"$in": []}}


class Filter:
    """One condition on one stored field, given a value."""

    def __init__(self, field: str) -> None:
        self.field = field

    def query(self, value: Any) -> Query:
        raise NotImplementedError


class Equals(Filter):
    """The field (or, for a list, one of its items) equals the value."""

    def __init__(self, field: str, normalize: Callable[[Any], Any] | None = None) -> None:
        super().__init__(field)
        self.normalize = normalize

    def query(self, value: Any) -> Query:
        return {self.field: self.normalize(value) if self.normalize else value}


class Contains(Filter):
    """Folded text of the field contains folded `value`; text with no letters or
    digits matches nothing, blank text everything."""

    def query(self, value: Any) -> Query:
        if not str(value).strip():
            return {}
        folded = fold(str(value))
        return {self.field: {"$regex": re.escape(folded)}} if folded else dict(NOTHING)


class From(Filter):
    """The field (a full date) is on or after the first day of a partial date."""

    def query(self, value: Any) -> Query:
        return {self.field: {"$gte": span(value)[0]}}


class Until(Filter):
    """The field (a full date) is on or before the last day of a partial date."""

    def query(self, value: Any) -> Query:
        return {self.field: {"$lte": span(value)[1]}}


class Present(Filter):
    """True: the field has a value; False: it has none."""

    def query(self, value: Any) -> Query:
        return {self.field: {"$ne": None}} if value else {self.field: None}


def upper(value: Any) -> str:
    return str(value).strip().upper()


def lower(value: Any) -> str:
    return str(value).strip().lower()


@dataclass(frozen=True)
class Where:
    """A condition on one collection's documents: all of its parts hold."""

    collection: str
    parts: tuple[Query, ...] = ()
    key: str = field(default="", compare=False)

    @property
    def query(self) -> Query:
        if not self.parts:
            return {}
        if len(self.parts) == 1:
            return dict(self.parts[0])
        merged: Query = {}
        for part in self.parts:
            if merged.keys() & part.keys():
                return {"$and": [dict(p) for p in self.parts]}
            merged.update(part)
        return merged

    def __and__(self, other: Where) -> Where:
        if other.collection != self.collection:
            raise ValueError(f"cannot combine {self.collection} and {other.collection} filters")
        return make_where(self.collection, (*self.parts, *other.parts))

    def __hash__(self) -> int:
        return hash((self.collection, self.key))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Where) and (self.collection, self.key) == (
            other.collection,
            other.key,
        )


def make_where(collection: str, parts: tuple[Query, ...]) -> Where:
    key = orjson.dumps(parts, option=orjson.OPT_SORT_KEYS, default=str).decode()
    return Where(collection, parts, key)


def where(collection: str, filters: Mapping[str, Filter], values: Mapping[str, Any]) -> Where:
    """The condition for `values` (filter name → value; None means not given)."""
    parts: list[Query] = []
    for name, value in values.items():
        if value is None:
            continue
        rule = filters.get(name)
        if rule is None:
            known = ", ".join(sorted(filters))
            raise ValueError(f"{collection} has no filter {name!r} (it has {known})")
        part = rule.query(value.value if isinstance(value, Enum) else value)
        if part:
            parts.append(part)
    return make_where(collection, tuple(parts))
