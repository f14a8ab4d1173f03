"""Every read the API makes, each one database command however many keys it is given."""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from spacerace.store.aio import AsyncStore
from spacerace.store.connection import Document
from spacerace.store.filters import Query
from spacerace.store.paging import Order, after
from spacerace.store.text import fold

# Derived fields the API never shows: left on the server.
HIDDEN = {"_search": 0, "_names": 0, "_hash": 0, "_slugs": 0}
ALWAYS = ("_id", "_sortDate", "_sortName")

Fields = Collection[str] | None
"""The document fields a caller will read; None for all (but the hidden ones)."""


def projection(fields: Fields, *also: str) -> dict[str, int]:
    """Only `fields` (and what the query itself needs), or everything but HIDDEN."""
    if fields is None:
        return dict(HIDDEN)  # a copy: mongomock reorders the projection it is given
    return dict.fromkeys(sorted({*ALWAYS, *fields, *also}), 1)


SEARCHED = ("programs", "missions", "persons", "events")
SCAN_AT_LEAST = 100
"""Lists of fewer keys are always looked up with `$in`."""
SCAN_SHARE = 0.5
KEYS_FROM = {"program": "programs", "crew.person": "persons", "outcomes.people": "persons"}
"""The collection whose slugs each `$in` field holds."""
"""A list of keys at least this share of the collection is read with a scan instead."""
OLDEST_FIRST = [("_sortDate", 1), ("_id", 1)]
LAUNCHED = {"launchDate": {"$ne": None}}


@dataclass
class Page:
    """One page of a keyset-paginated list."""

    documents: list[Document]
    has_next: bool


class Reader:
    """The queries behind the GraphQL schema."""

    def __init__(self, store: AsyncStore) -> None:
        self.store = store
        self._sizes: dict[str, int] = {}

    async def by_ids(
        self, collection: str, ids: Sequence[str], fields: Fields = None
    ) -> list[Document | None]:
        """Documents by slug, in the order asked, None where there is none."""
        found = await self._find_in(collection, "_id", ids, fields=fields)
        by_id = {doc["_id"]: doc for doc in found}
        return [by_id.get(slug) for slug in ids]

    async def _find_in(
        self,
        collection: str,
        field: str,
        values: Sequence[str],
        query: Query | None = None,
        sort: Sequence[tuple[str, int]] | None = None,
        fields: Fields = None,
    ) -> list[Document]:
        """Documents whose `field` is one of `values`: one command, or one per
        `in_batch` values where the store sets a cap (merged back in order)."""
        distinct = list(dict.fromkeys(values))
        if not distinct:
            return []
        shown = projection(fields, field.split(".")[0])
        keys_from = collection if field == "_id" else KEYS_FROM[field]
        if len(distinct) >= SCAN_AT_LEAST and len(distinct) >= SCAN_SHARE * await self._size(
            keys_from
        ):
            # The keys are most of all there are, so most documents are wanted: one
            # scan beats a long `$in` on any server.
            wanted = set(distinct)
            scanned = await self.store.find(collection, query or {}, projection=shown)
            found = [doc for doc in scanned if wanted.intersection(_values(doc, field))]
            return _ordered(found, sort)
        size = self.store.in_batch or len(distinct)
        chunks = [distinct[start : start + size] for start in range(0, len(distinct), size)]
        replies = await asyncio.gather(
            *(
                self.store.find(
                    collection, {**(query or {}), field: {"$in": chunk}}, projection=dict(shown)
                )
                for chunk in chunks
            )
        )
        found = [doc for reply in replies for doc in reply]
        if len(distinct) > size:
            found = list({doc["_id"]: doc for doc in found}.values())
        return _ordered(found, sort)

    async def _size(self, collection: str) -> int:
        """The collection's approximate size, asked once per request."""
        if collection not in self._sizes:
            self._sizes[collection] = await self.store.estimated_count(collection)
        return self._sizes[collection]

    async def by_slug(self, collection: str, slug: str, fields: Fields = None) -> Document | None:
        """A document by its slug or by the slug of one of its other names."""
        found = await self.store.find(
            collection, {"_slugs": slug}, projection=projection(fields), limit=2
        )
        return next((doc for doc in found if doc["_id"] == slug), found[0] if found else None)

    async def page(
        self,
        collection: str,
        query: Query,
        order: Order,
        first: int,
        cursor: str | None,
        fields: Fields = None,
    ) -> Page:
        if cursor is not None:
            query = {"$and": [query, after(order, cursor)]} if query else after(order, cursor)
        found = await self.store.find(
            collection, query, projection=projection(fields), sort=order.sort, limit=first + 1
        )
        return Page(found[:first], has_next=len(found) > first)

    async def count(self, collection: str, query: Query) -> int:
        return await self.store.count(collection, query)

    async def missions_of_programs(
        self, programs: Sequence[str], query: Query, order: Order, fields: Fields = None
    ) -> list[list[Document]]:
        """Each program's missions matching `query`, in `order`."""
        found = await self._find_in("missions", "program", programs, query, order.sort, fields)
        return _grouped(programs, found, lambda doc: [doc["program"]])

    async def flights_of(
        self, people: Sequence[str], fields: Fields = None
    ) -> list[list[Document]]:
        """Each person's missions (as crew) that launched, oldest first: the crew of
        Apollo 1, lost on the pad, did not fly it."""
        found = await self._find_in(
            "missions", "crew.person", people, LAUNCHED, OLDEST_FIRST, fields
        )
        return _grouped(people, found, lambda doc: [m["person"] for m in doc["crew"]])

    async def missions_with_outcomes_of(
        self, people: Sequence[str], fields: Fields = None
    ) -> list[list[Document]]:
        """Each person's missions with an outcome that names them, oldest first."""
        found = await self._find_in(
            "missions", "outcomes.people", people, sort=OLDEST_FIRST, fields=fields
        )
        return _grouped(
            people, found, lambda doc: [p for o in doc["outcomes"] for p in o["people"]]
        )

    async def search(self, text: str, limit: int) -> list[tuple[str, Document]]:
        """Documents whose names, aliases or summary contain `text`, best matches first."""
        folded = fold(text)
        if not folded or limit == 0:
            return []
        pattern = re.escape(folded)
        ranked: list[tuple[tuple[int, str, str], str, Document]] = []
        for collection in SEARCHED:
            found = await self.store.find(
                collection,
                {"_search": {"$regex": pattern}},
                projection={"_hash": 0, "_slugs": 0},
            )
            for doc in found:
                rank = _rank(folded, doc.pop("_names"), doc.pop("_search"))
                ranked.append(((rank, doc["_sortName"], doc["_id"]), collection, doc))
        ranked.sort(key=lambda item: item[0])
        return [(collection, doc) for _, collection, doc in ranked[:limit]]

    async def ping(self) -> None:
        await self.store.ping()


def _ordered(docs: list[Document], sort: Sequence[tuple[str, int]] | None) -> list[Document]:
    """Lists read whole are ordered here rather than by the server: cheap in Python,
    and a server-side sort is not free everywhere."""
    for name, direction in reversed(sort or []):
        docs.sort(key=lambda doc: doc[name], reverse=direction < 0)
    return docs


def _values(doc: Document, path: str) -> list[Any]:
    """The values at a dotted path, descending into lists ("crew.person")."""
    values: list[Any] = [doc]
    for part in path.split("."):
        next_values: list[Any] = []
        for value in values:
            items = value if isinstance(value, list) else [value]
            next_values += [item[part] for item in items if isinstance(item, dict) and part in item]
        values = next_values
    return [v for value in values for v in (value if isinstance(value, list) else [value])]


def _rank(text: str, names: list[str], searched: list[str]) -> int:
    """0: a name is the text; 1: a name starts with it; 2: a word of a name does;
    3: a name contains it; 4: only the summary does."""
    if text in names:
        return 0
    if any(name.startswith(text) for name in names):
        return 1
    if any(f" {text}" in f" {name}" for name in names):
        return 2
    if any(text in name for name in names):
        return 3
    return 4 if any(text in s for s in searched) else 5


def _grouped(keys: Sequence[str], docs: list[Document], owners: Any) -> list[list[Document]]:
    groups: dict[str, list[Document]] = defaultdict(list)
    for doc in docs:
        for owner in dict.fromkeys(owners(doc)):
            groups[owner].append(doc)
    return [groups.get(key, []) for key in keys]
