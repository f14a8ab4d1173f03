"""Every database command the API sends, told to whoever watches (metrics, traces).

Two sources, one interface (`CommandObserver`):

- the server store: a pymongo `CommandListener` (`CommandMonitor`), so what is
  counted is what goes over the wire (each `find`, `getMore`, `aggregate`, ...),
  timed by the driver;
- the embedded store: mongomock sends nothing, so `MonitoredStore` wraps the
  store and times each call as the command a real server would have been sent.

Only this package imports the driver; the observers live in `api/`.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from pymongo import monitoring

from spacerace.store.aio import AsyncStore, Filter
from spacerace.store.connection import Document
from spacerace.store.generations import parse_generation

log = logging.getLogger("spacerace.store")

COMMANDS = frozenset(
    {
        "find",
        "getMore",
        "aggregate",
        "count",
        "distinct",
        "ping",
        "insert",
        "update",
        "delete",
        "findAndModify",
        "killCursors",
        "endSessions",
        "listCollections",
        "listIndexes",
        "createIndexes",
    }
)
"""Command names reported as they are; any other is reported as `other`, so that the
names a watcher sees (and a metric's labels) stay a small fixed set."""


def command_label(name: str) -> str:
    return name if name in COMMANDS else "other"


@functools.lru_cache(maxsize=256)
def logical(collection: str) -> str:
    """The collection as the product names it: `missions` for any generation of it
    (`missions__g7`), so that spans keep their names from one load to the next.
    Cached: it runs for every database command, on a handful of names."""
    parsed = parse_generation(collection)
    return parsed[0] if parsed else collection


class CommandObserver(Protocol):
    """Told about each database command. `started` is called as it is sent, in the
    task that sends it (so a tracer sees the request's span as current); whatever it
    returns comes back to `finished`."""

    def started(self, command: str, collection: str | None) -> Any: ...

    def finished(self, command: str, token: Any, seconds: float, failure: str | None) -> None:
        """`failure` is None for a command that succeeded, else a short reason (the
        server's error code name or the exception's type, never the command)."""


class CommandMonitor(monitoring.CommandListener):
    """Reports the server store's commands, as the driver publishes them. Pass it to
    `ServerStore.open(settings, event_listeners=[monitor])`."""

    def __init__(self, observers: Sequence[CommandObserver]) -> None:
        self.observers = tuple(observers)
        self._pending: dict[tuple[int, Any], tuple[str, list[Any]]] = {}

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        command = command_label(event.command_name)
        target = event.command.get(event.command_name)
        collection = logical(target) if isinstance(target, str) else None
        tokens = [self._safely(o.started, command, collection) for o in self.observers]
        self._pending[(event.request_id, event.connection_id)] = (command, tokens)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        self._finish(event, None)

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        failure = event.failure.get("codeName") if isinstance(event.failure, Mapping) else None
        self._finish(event, str(failure or "error"))

    def _finish(
        self,
        event: monitoring.CommandSucceededEvent | monitoring.CommandFailedEvent,
        failure: str | None,
    ) -> None:
        pending = self._pending.pop((event.request_id, event.connection_id), None)
        if pending is None:
            return
        command, tokens = pending
        seconds = event.duration_micros / 1_000_000
        for observer, token in zip(self.observers, tokens, strict=True):
            self._safely(observer.finished, command, token, seconds, failure)

    @staticmethod
    def _safely(call: Any, *args: Any) -> Any:
        """An observer's bug must not fail the command it watches."""
        try:
            return call(*args)
        except Exception:
            log.exception("a database command observer failed")
            return None


class MonitoredStore:
    """The embedded store (or any store), each call timed and reported as the
    command a MongoDB server would have been sent. Everything else is the inner
    store's."""

    # find: `find`; count_documents: an `aggregate` with $count; an estimated count: `count`.
    def __init__(self, inner: AsyncStore, observers: Sequence[CommandObserver]) -> None:
        self.inner = inner
        self.observers = tuple(observers)

    @property
    def round_trips(self) -> int:
        return self.inner.round_trips

    @round_trips.setter
    def round_trips(self, value: int) -> None:
        self.inner.round_trips = value

    @property
    def in_batch(self) -> int | None:
        return self.inner.in_batch

    @in_batch.setter
    def in_batch(self, value: int | None) -> None:
        self.inner.in_batch = value

    @contextmanager
    def _command(self, command: str, collection: str | None) -> Iterator[None]:
        if collection is not None:
            collection = logical(collection)
        tokens = [CommandMonitor._safely(o.started, command, collection) for o in self.observers]
        failure: str | None = None
        started = time.perf_counter()
        try:
            yield
        except BaseException as error:
            failure = type(error).__name__
            raise
        finally:
            seconds = time.perf_counter() - started
            for observer, token in zip(self.observers, tokens, strict=True):
                CommandMonitor._safely(observer.finished, command, token, seconds, failure)

    async def find(self, collection: str, query: Filter, **options: Any) -> list[Document]:
        with self._command("find", collection):
            return await self.inner.find(collection, query, **options)

    async def count(self, collection: str, query: Filter, **options: Any) -> int:
        with self._command("aggregate", collection):
            return await self.inner.count(collection, query, **options)

    async def estimated_count(self, collection: str, **options: Any) -> int:
        with self._command("count", collection):
            return await self.inner.estimated_count(collection, **options)

    async def dataset_version(self) -> str | None:
        with self._command("find", "meta"):
            return await self.inner.dataset_version()

    async def ping(self) -> None:
        with self._command("ping", None):
            await self.inner.ping()

    async def close(self) -> None:
        await self.inner.close()

    def __getattr__(self, name: str) -> Any:
        # Anything the store protocol gains later still reaches the inner store.
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)
