"""The compiled executor lets other requests run while it builds a large answer."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pymongo.database import Database

from spacerace.schema import compiled, schema
from spacerace.schema.gate import Gate, GateSettings, Request
from spacerace.schema.limits import LimitSettings
from spacerace.store.aio import EmbeddedStore
from spacerace.store.reads import Reader

# Everyone who flew, every flight, everyone on those flights, and their flights again:
# thousands of objects from the bundled data.
LARGE = """{ people(first: 100) { nodes { name flights { role mission { name crew { role
  person { name flights { role mission { name crew { role person { name } } } } } } } } } } }"""


def test_the_compiled_executor_yields_as_it_goes(
    loaded_embedded: Database[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    handled = {"objects": 0}
    pace = compiled.Run._paced

    async def counted(self: compiled.Run, objects: int) -> None:
        handled["objects"] += objects
        await pace(self, objects)

    monkeypatch.setattr(compiled.Run, "_paced", counted)
    monkeypatch.setattr(compiled, "YIELD_EVERY", 100)  # the bundled data is small
    gate = Gate(schema._schema, GateSettings(limits=LimitSettings.off()))

    async def main() -> tuple[int, Any]:
        turns = 0
        done = False

        async def other_request() -> None:
            nonlocal turns
            while not done:
                await asyncio.sleep(0)
                turns += 1

        other = asyncio.create_task(other_request())
        await asyncio.sleep(0)
        turns = 0
        answer = await gate.run(Request(LARGE), Reader(EmbeddedStore(loaded_embedded)))
        done = True
        await other
        return turns, answer

    turns, answer = asyncio.run(main())
    assert answer.executor == "compiled"
    assert answer.errors == []
    assert handled["objects"] > 10 * compiled.YIELD_EVERY
    # The other task ran about once for every YIELD_EVERY objects handled (a relation
    # step counts all its objects before it reads for them all at once).
    assert turns >= handled["objects"] // compiled.YIELD_EVERY // 2
