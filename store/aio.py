"""The async side of the data-access layer, used by the API.

`AsyncStore` gives the readers one small interface over two backends: a real
server through pymongo's `AsyncMongoClient`, and the embedded mongomock
database (in memory, so its calls never wait on I/O). Both count the database
commands they send, so tests can prove that batching works.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from typing import Any, Protocol

import pymongo
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.database import Database
from pymongo.errors import (
    ConnectionFailure,
    ExecutionTimeout,
    PyMongoError,
    ServerSelectionTimeoutError,
)

from spacerace.store.connection import Document, StoreUnavailable, client_options, database_name
from spacerace.store.generations import DATASET, META
from spacerace.store.settings import Settings

Filter = Mapping[str, Any]
FIRST_BATCH = 100_000
Sort = Sequence[tuple[str, int]]


class AsyncStore(Protocol):
    """What the readers need from a database."""

    round_trips: int
    in_batch: int | None

    async def find(
        self,
        collection: str,
        query: Filter,
        *,
        projection: Mapping[str, Any] | None = None,
        sort: Sort | None = None,
        limit: int = 0,
    ) -> list[Document]: ...

    async def count(self, collection: str, query: Filter) -> int: ...

    async def estimated_count(self, collection: str) -> int: ...

    async def dataset_version(self) -> str | None:
        """The version of the loaded dataset (see `store.writer.version_of`)."""
        ...

    async def dataset(self) -> Document | None:
        """The pointer document: the version and where each collection lives now
        (see `store.generations`); None before any load."""
        ...

    async def ping(self) -> None: ...

    async def close(self) -> None: ...


_DEADLINE: ContextVar[float | None] = ContextVar("spacerace_store_deadline", default=None)


class Deadline:
    """Every database call made inside it (in this task and the tasks it starts) tells
    the server the time left as `maxTimeMS`, so the server stops working on it when
    the time is up, and fails at once when none is left. None: no deadline.

    The caller stops waiting itself (the gate cancels the request at its deadline):
    pymongo's own `pymongo.timeout()` would also do that, but it makes server
    selection wait for the whole time left too, so a database that is down would
    take the full deadline to report rather than MONGODB_TIMEOUT_MS. The embedded
    store's calls never wait, so it ignores the deadline."""

    __slots__ = ("_token", "seconds")

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._token: Token[float | None] | None = None

    def __enter__(self) -> None:
        if self.seconds is not None:
            self._token = _DEADLINE.set(time.monotonic() + self.seconds)

    def __exit__(self, *exc: object) -> None:
        if self._token is not None:
            _DEADLINE.reset(self._token)
            self._token = None


deadline = Deadline


def _time_left_ms() -> dict[str, Any]:
    """`maxTimeMS` for a call under a deadline (nothing without one)."""
    at = _DEADLINE.get()
    if at is None:
        return {}
    left = at - time.monotonic()
    if left <= 0:
        raise StoreUnavailable("the database did not answer in time")
    return {"maxTimeMS": max(1, int(left * 1000))}


@asynccontextmanager
async def _reachable() -> AsyncIterator[None]:
    """Driver failures that mean "the database is not answering", as one error that
    names no host (the driver's messages list the whole topology)."""
    try:
        yield
    except (ServerSelectionTimeoutError, ExecutionTimeout) as error:
        raise StoreUnavailable("the database did not answer in time") from error
    except ConnectionFailure as error:
        if error.timeout:
            raise StoreUnavailable("the database did not answer in time") from error
        raise StoreUnavailable("the connection to the database failed") from error
    except PyMongoError as error:
        if error.timeout:  # past a deadline (see `deadline`)
            raise StoreUnavailable("the database did not answer in time") from error
        raise


@dataclass
class ServerStore:
    """A real MongoDB server through `AsyncMongoClient`."""

    client: AsyncMongoClient[Document]
    db: AsyncDatabase[Document]
    in_batch: int | None = None
    round_trips: int = field(default=0)
    close_timeout: float = 2.0
    """Seconds `close` may take: it tells the server to end the client's sessions,
    which a server that does not answer would make wait (10 s, seen on SIGTERM)."""

    @classmethod
    def open(cls, settings: Settings, **options: Any) -> ServerStore:
        client: AsyncMongoClient[Document] = AsyncMongoClient(
            settings.mongodb_uri, **client_options(settings), **options
        )
        return cls(
            client,
            client[database_name(settings)],
            settings.in_batch,
            close_timeout=settings.timeout_ms / 1000,
        )

    async def find(
        self,
        collection: str,
        query: Filter,
        *,
        projection: Mapping[str, Any] | None = None,
        sort: Sort | None = None,
        limit: int = 0,
    ) -> list[Document]:
        self.round_trips += 1
        # One reply for the whole answer where it fits in a message (16 MB), rather
        # than a first batch of 101 documents and then getMore round trips.
        cursor = self.db[collection].find(
            query, projection, sort=sort, limit=limit, batch_size=limit or FIRST_BATCH
        )
        time_left = _time_left_ms()
        if time_left:
            cursor = cursor.max_time_ms(time_left["maxTimeMS"])
        async with _reachable():
            return await cursor.to_list()

    async def count(self, collection: str, query: Filter) -> int:
        self.round_trips += 1
        async with _reachable():
            return await self.db[collection].count_documents(query, **_time_left_ms())

    async def estimated_count(self, collection: str) -> int:
        self.round_trips += 1
        async with _reachable():
            return await self.db[collection].estimated_document_count(**_time_left_ms())

    async def dataset_version(self) -> str | None:
        found = await self.dataset()
        return str(found["version"]) if found and found.get("version") else None

    async def dataset(self) -> Document | None:
        async with _reachable():
            return await self.db[META].find_one({"_id": DATASET})

    async def ping(self) -> None:
        async with _reachable():
            await self.client.admin.command("ping")

    async def close(self) -> None:
        with pymongo.timeout(self.close_timeout):
            await self.client.close()


@dataclass
class EmbeddedStore:
    """The in-process mongomock database of the embedded default."""

    db: Database[Document]
    in_batch: int | None = None
    round_trips: int = field(default=0)

    async def find(
        self,
        collection: str,
        query: Filter,
        *,
        projection: Mapping[str, Any] | None = None,
        sort: Sort | None = None,
        limit: int = 0,
    ) -> list[Document]:
        self.round_trips += 1
        cursor = self.db[collection].find(query, projection, limit=limit)
        if sort:
            cursor = cursor.sort(list(sort))
        return list(cursor)

    async def count(self, collection: str, query: Filter) -> int:
        self.round_trips += 1
        return self.db[collection].count_documents(query)

    async def estimated_count(self, collection: str) -> int:
        self.round_trips += 1
        return int(self.db[collection].estimated_document_count())

    async def dataset_version(self) -> str | None:
        found = await self.dataset()
        return str(found["version"]) if found and found.get("version") else None

    async def dataset(self) -> Document | None:
        found: Document | None = self.db[META].find_one({"_id": DATASET})
        return found

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        return None
