"""Every read the API makes, each one database command however many keys it is given."""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from collections.abc import Collection as Fields_
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spacerace.store.aio import AsyncStore
from spacerace.store.connection import Document
from spacerace.store.dataset import UNKNOWN, Snapshot
from spacerace.store.documents import ALWAYS, HIDDEN
from spacerace.store.filters import Where
from spacerace.store.layout import BY_NAME, KINDS, Collection
from spacerace.store.paging import Order, after
from spacerace.store.text import fold

Fields = Fields_[str] | None
"""The document fields a caller will read; None for all (but the hidden ones)."""

SCAN_AT_LEAST = 100
"""Lists of fewer keys are always looked up with `$in`."""
SCAN_SHARE = 0.5
"""A list of keys at least this share of the collection is read with a scan instead."""
PACE = 2_000
"""Documents handled in Python between two yields to the event loop, so that sorting
out a large reply does not hold up the worker's other requests."""


def projection(fields: Fields, *also: str) -> dict[str, int]:
    """Only `fields` (and what the query itself needs), or everything but HIDDEN."""
    if fields is None:
        return dict.fromkeys(HIDDEN, 0)
    return dict.fromkeys(sorted({*ALWAYS, *fields, *also}), 1)


@dataclass
class DocumentPage:
    """One page of a keyset-paginated list."""

    documents: list[Document]
    has_next: bool


class Reader:
    """The queries behind the GraphQL schema, for one request."""

    def __init__(self, store: AsyncStore, snapshot: Snapshot | None = None) -> None:
        self.store = store
        self.snapshot = snapshot or UNKNOWN
        self._sizes: dict[str, int] = {}
        self._pointer: asyncio.Future[Document | None] | None = None

    async def resolve(self) -> Snapshot:
        """The snapshot this reader reads through. An unknown one (none given, or the
        API's watch has not read the pointer yet) is read here, once: concurrent
        reads of one request share that one read, so they see one dataset."""
        if not self.snapshot.known:
            if self._pointer is None:
                self._pointer = asyncio.ensure_future(self.store.dataset())
            pointer = await self._pointer
            if not self.snapshot.known:
                self.snapshot = Snapshot.of(pointer)
        return self.snapshot

    def _physical(self, collection: str) -> str:
        return self.snapshot.physical(collection)

    async def by_keys(
        self, kind: Collection, keys: Sequence[str], fields: Fields = None
    ) -> list[Document | None]:
        """Documents by slug, in the order asked, None where there is none."""
        await self.resolve()
        found = await self._find_in(kind, "_id", keys, fields=fields)
        by_id = {doc["_id"]: doc for doc in found}
        return [by_id.get(key) for key in keys]

    async def by_slug(self, kind: Collection, slug: str, fields: Fields = None) -> Document | None:
        """A document by its slug or by the slug of one of its other names."""
        await self.resolve()
        found = await self.store.find(
            self._physical(kind.name), {"_slugs": slug}, projection=projection(fields), limit=2
        )
        return next((doc for doc in found if doc["_id"] == slug), found[0] if found else None)

    async def page(
        self,
        where: Where,
        order: Order,
        first: int,
        cursor: str | None,
        fields: Fields = None,
    ) -> DocumentPage:
        """A page of the documents that match, in `order`, after `cursor`."""
        await self.resolve()
        query = where.query
        if cursor is not None:
            query = {"$and": [query, after(order, cursor)]} if query else after(order, cursor)
        found = await self.store.find(
            self._physical(where.collection),
            query,
            projection=projection(fields),
            sort=order.sort,
            limit=first + 1,
        )
        return DocumentPage(found[:first], has_next=len(found) > first)

    async def count(self, where: Where) -> int:
        await self.resolve()
        return await self.store.count(self._physical(where.collection), where.query)

    async def referencing(
        self,
        where: Where,
        via: str,
        keys: Sequence[str],
        order: Order,
        fields: Fields = None,
    ) -> list[list[Document]]:
        """For each key, the matching documents whose field `via` (`program`,
        `crew.person`) holds it, in `order`; a document holding several keys is
        under each."""
        await self.resolve()
        kind = BY_NAME[where.collection]
        found = await self._find_in(kind, via, keys, where.query, order.sort, fields)
        groups: dict[str, list[Document]] = defaultdict(list)
        for start in range(0, len(found), PACE):
            if start:
                await asyncio.sleep(0)
            for doc in found[start : start + PACE]:
                for owner in dict.fromkeys(_values(doc, via)):
                    groups[owner].append(doc)
        return [groups.get(key, []) for key in keys]

    async def search(self, text: str, limit: int) -> list[tuple[Collection, Document]]:
        """Documents whose names, aliases or summary contain `text`, best matches first."""
        await self.resolve()
        folded = fold(text)
        if not folded or limit == 0:
            return []
        pattern = re.escape(folded)
        ranked: list[tuple[tuple[int, str, str], Collection, Document]] = []
        for kind in KINDS:
            if not kind.searchable:
                continue
            found = await self.store.find(
                self._physical(kind.name),
                {"_search": {"$regex": pattern}},
                projection={"_hash": 0, "_slugs": 0},
            )
            for doc in found:
                rank = _rank(folded, doc.pop("_names"), doc.pop("_search"))
                ranked.append(((rank, doc["_sortName"], doc["_id"]), kind, doc))
        ranked.sort(key=lambda item: item[0])
        return [(kind, doc) for _, kind, doc in ranked[:limit]]

    async def _find_in(
        self,
        kind: Collection,
        field: str,
        values: Sequence[str],
        query: dict[str, Any] | None = None,
        sort: Sequence[tuple[str, int]] | None = None,
        fields: Fields = None,
    ) -> list[Document]:
        """Documents whose `field` is one of `values`: one command, or one per
        `in_batch` values where the store sets a cap (merged back in order)."""
        distinct = list(dict.fromkeys(values))
        if not distinct:
            return []
        shown = projection(fields, field.split(".")[0])
        if len(distinct) >= SCAN_AT_LEAST and len(distinct) >= SCAN_SHARE * await self._size(
            kind.target_of(field)
        ):
            # The keys are most of all there are, so most documents are wanted: one
            # scan beats a long `$in` on any server.
            wanted = set(distinct)
            scanned = await self.store.find(
                self._physical(kind.name), query or {}, projection=shown
            )
            found = []
            for start in range(0, len(scanned), PACE):
                if start:
                    await asyncio.sleep(0)
                chunk = scanned[start : start + PACE]
                found += [doc for doc in chunk if wanted.intersection(_values(doc, field))]
            return _ordered(found, sort)
        size = self.store.in_batch or len(distinct)
        chunks = [distinct[start : start + size] for start in range(0, len(distinct), size)]
        replies = await asyncio.gather(
            *(
                self.store.find(
                    self._physical(kind.name),
                    {**(query or {}), field: {"$in": chunk}},
                    projection=dict(shown),
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
            self._sizes[collection] = await self.store.estimated_count(self._physical(collection))
        return self._sizes[collection]


def _ordered(docs: list[Document], sort: Sequence[tuple[str, int]] | None) -> list[Document]:
    """Lists read whole are ordered here rather than by the server: cheap in Python,
    and a server-side sort is not free everywhere."""
    for name, direction in reversed(sort or []):
        docs.sort(key=lambda doc: doc[name], reverse=direction < 0)
    return docs


def _values(doc: Document, path: str) -> list[Any]:
    """The values at a dotted path, descending into lists ("crew.person")."""
    if "." not in path:  # the common case, on every document of a relation
        value = doc.get(path)
        return value if isinstance(value, list) else ([] if value is None else [value])
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
