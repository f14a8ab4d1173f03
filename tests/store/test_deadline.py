"""A deadline reaches the database: each command under it carries the time left as
`maxTimeMS`, and none is sent once the time is up."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from pymongo import monitoring

from spacerace.store.aio import ServerStore, deadline
from spacerace.store.connection import StoreUnavailable
from spacerace.store.settings import Settings

pytestmark = pytest.mark.wire


class Commands(monitoring.CommandListener):
    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name in {"find", "aggregate", "count"}:
            self.seen.append(dict(event.command))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        return None

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        return None


def test_commands_under_a_deadline_carry_the_time_left(loaded_wire: str) -> None:
    commands = Commands()
    store = ServerStore.open(Settings(mongodb_uri=loaded_wire), event_listeners=[commands])

    async def main() -> None:
        try:
            await store.find("missions", {}, limit=1)
            with deadline(5):
                await store.find("missions", {}, limit=1)
                await store.count("missions", {})
                await asyncio.gather(store.find("persons", {}), store.find("programs", {}))
            with deadline(0.001):
                time.sleep(0.01)
                with pytest.raises(StoreUnavailable, match="did not answer in time"):
                    await store.find("missions", {})
        finally:
            await store.close()

    asyncio.run(main())
    first, *timed = commands.seen
    assert "maxTimeMS" not in first
    assert len(timed) == 4  # nothing was sent once the time was up
    for command in timed:
        assert 0 < command["maxTimeMS"] <= 5_000
