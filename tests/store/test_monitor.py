"""Every database command is told to the observers: the wire's through pymongo's
command monitoring, the embedded store's by timing each call."""

from __future__ import annotations

import asyncio
from typing import Any

import pymongo
import pytest
from pymongo.database import Database

from spacerace.store.aio import EmbeddedStore, ServerStore
from spacerace.store.generations import live_names
from spacerace.store.monitor import CommandMonitor, MonitoredStore, command_label
from spacerace.store.settings import Settings


class Observer:
    def __init__(self) -> None:
        self.started_: list[tuple[str, str | None]] = []
        self.finished_: list[tuple[str, Any, float, str | None]] = []

    def started(self, command: str, collection: str | None) -> Any:
        self.started_.append((command, collection))
        return len(self.started_)

    def finished(self, command: str, token: Any, seconds: float, failure: str | None) -> None:
        self.finished_.append((command, token, seconds, failure))


class Broken:
    def started(self, command: str, collection: str | None) -> Any:
        raise RuntimeError("observer bug")

    def finished(self, command: str, token: Any, seconds: float, failure: str | None) -> None:
        raise RuntimeError("observer bug")


def test_the_embedded_store_reports_each_call_as_its_command(
    loaded_embedded: Database[dict[str, Any]],
) -> None:
    """Observers see each collection by its product name, whatever its generation."""
    observer = Observer()
    store = MonitoredStore(EmbeddedStore(loaded_embedded), [observer, Broken()])
    names = live_names(loaded_embedded)
    assert names["missions"] != "missions"  # e.g. missions__g1

    async def run() -> None:
        assert len(await store.find(names["missions"], {"_id": "voskhod-2"})) == 1
        assert await store.count(names["missions"], {}) > 100
        assert await store.estimated_count(names["persons"]) > 10
        assert await store.dataset_version()

    asyncio.run(run())
    assert observer.started_ == [
        ("find", "missions"),
        ("aggregate", "missions"),
        ("count", "persons"),
        ("find", "meta"),
    ]
    assert [(c, t, f) for c, t, _, f in observer.finished_] == [
        ("find", 1, None),
        ("aggregate", 2, None),
        ("count", 3, None),
        ("find", 4, None),
    ]
    assert all(seconds > 0 for _, _, seconds, _ in observer.finished_)
    assert store.round_trips == 3  # the inner store's count, through the wrapper
    store.round_trips = 0
    assert store.inner.round_trips == 0


def test_a_failed_call_is_reported_with_its_error_type(
    loaded_embedded: Database[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def fails(self: EmbeddedStore, *args: Any, **kw: Any) -> Any:
        raise ValueError("no")

    monkeypatch.setattr(EmbeddedStore, "find", fails)
    observer = Observer()
    store = MonitoredStore(EmbeddedStore(loaded_embedded), [observer])
    with pytest.raises(ValueError, match="no"):
        asyncio.run(store.find("missions", {}))
    assert [(c, f) for c, _, _, f in observer.finished_] == [("find", "ValueError")]


def test_command_names_are_a_fixed_set() -> None:
    assert command_label("find") == "find"
    assert command_label("getMore") == "getMore"
    assert command_label("someNewCommand") == "other"


@pytest.mark.wire
def test_the_server_store_reports_what_goes_over_the_wire(loaded_wire: str) -> None:
    observer = Observer()
    store = ServerStore.open(
        Settings(mongodb_uri=loaded_wire), event_listeners=[CommandMonitor([observer, Broken()])]
    )

    client: pymongo.MongoClient[dict[str, Any]]
    with pymongo.MongoClient(loaded_wire) as client:
        names = live_names(client.get_default_database())

    async def run() -> None:
        try:
            assert len(await store.find(names["missions"], {"_id": "voskhod-2"})) == 1
            assert await store.count(names["persons"], {}) > 10
            with pytest.raises(Exception):  # noqa: B017, PT011 - the server's own error
                await store.find(names["missions"], {"$bogus": 1})
        finally:
            await store.close()

    asyncio.run(run())
    commands = [(c, col) for c, col in observer.started_ if c != "endSessions"]
    assert commands == [("find", "missions"), ("aggregate", "persons"), ("find", "missions")]
    outcomes = [(c, f) for c, _, _, f in observer.finished_ if c != "endSessions"]
    assert outcomes[:2] == [("find", None), ("aggregate", None)]
    command, failure = outcomes[2]
    assert command == "find"
    assert failure  # the server's code name
    assert all(seconds >= 0 for _, _, seconds, _ in observer.finished_)
