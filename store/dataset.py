"""Which dataset the API is reading: its version, and where its collections are.

A load writes each changed collection into a new generation and then flips the
pointer document `meta/dataset`: the dataset's version and the physical
collection of every collection (see `store.generations`). The API keeps a
`DatasetWatch` per process that re-reads that document every `interval`
seconds, and each request reads through the `Snapshot` that was current when it
began, so one request never mixes two datasets and resolving a collection's
generation costs a dictionary look-up, not a database call. The version is what
HTTP caching keys answers on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from spacerace.store.aio import AsyncStore
from spacerace.store.connection import StoreUnavailable
from spacerace.store.generations import physical_names

log = logging.getLogger("spacerace.dataset")


@dataclass(frozen=True)
class Snapshot:
    """The loaded dataset as one request sees it."""

    version: str | None
    names: Mapping[str, str] = field(default_factory=dict)
    """Collection → the physical collection that holds it now (itself if absent)."""
    known: bool = True
    """False until the pointer has been read: a reader given an unknown snapshot
    reads the pointer itself before its first query (see `store.reads.Reader`)."""

    def physical(self, collection: str) -> str:
        return self.names.get(collection, collection)

    @classmethod
    def of(cls, pointer: Mapping[str, Any] | None) -> Snapshot:
        """The snapshot a pointer document describes (None: nothing loaded yet, or a
        database from before generations: every collection under its own name)."""
        version = pointer.get("version") if pointer else None
        return cls(str(version) if version else None, physical_names(pointer))


UNKNOWN = Snapshot(None, known=False)


class DatasetWatch:
    """The current snapshot, refreshed in the background every `interval` seconds."""

    def __init__(self, store: AsyncStore, interval: float = 1.0) -> None:
        self.store = store
        self.interval = interval
        self.current = UNKNOWN
        self.listeners: list[Callable[[Snapshot], None]] = []
        """Called with the new snapshot each time the version changes (the answer
        cache drops what it holds of the old one)."""
        self._task: asyncio.Task[None] | None = None

    async def refresh(self) -> Snapshot:
        previous, self.current = self.current, Snapshot.of(await self.store.dataset())
        if self.current.version != previous.version:
            for listener in self.listeners:
                listener(self.current)
        return self.current

    async def start(self) -> None:
        """Read the snapshot once (a database that is down leaves it unknown), then
        keep it fresh until `stop`."""
        with contextlib.suppress(StoreUnavailable):
            await self.refresh()
        self._task = asyncio.create_task(self._poll())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.refresh()
            except StoreUnavailable as error:
                log.warning("cannot read the dataset version: %s", error)
