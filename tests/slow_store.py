"""A store that takes its time: for deadline, disconnect and shutdown tests."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from spacerace.store.aio import AsyncStore, Filter, Sort
from spacerace.store.connection import Document


class SlowStore:
    """Wraps a store; every `find` first waits `delay` seconds. Counts the finds that
    were cancelled while they waited, and those that finished."""

    def __init__(self, inner: AsyncStore, delay: float) -> None:
        self.inner = inner
        self.delay = delay
        self.in_batch = inner.in_batch
        self.round_trips = 0
        self.cancelled = 0
        self.finished = 0
        self.started = 0

    async def find(
        self,
        collection: str,
        query: Filter,
        *,
        projection: Mapping[str, Any] | None = None,
        sort: Sort | None = None,
        limit: int = 0,
    ) -> list[Document]:
        self.started += 1
        try:
            await asyncio.sleep(self.delay)
        except asyncio.CancelledError:
            self.cancelled += 1
            raise
        self.finished += 1
        return await self.inner.find(
            collection, query, projection=projection, sort=sort, limit=limit
        )

    async def count(self, collection: str, query: Filter) -> int:
        return await self.inner.count(collection, query)

    async def estimated_count(self, collection: str) -> int:
        return await self.inner.estimated_count(collection)

    async def dataset_version(self) -> str | None:
        return await self.inner.dataset_version()

    async def dataset(self) -> Document | None:
        return await self.inner.dataset()

    async def ping(self) -> None:
        await self.inner.ping()

    async def close(self) -> None:
        await self.inner.close()
