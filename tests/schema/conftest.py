"""Schema tests run every operation through the gate, once per executor: the compiled
one and graphql-core, the reference."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from spacerace.schema import schema
from spacerace.schema.gate import Answer, Gate, GateSettings, Request
from spacerace.store.aio import AsyncStore
from spacerace.store.reads import Reader

Execute = Callable[..., Answer]


@pytest.fixture
def gate(executor: str) -> Gate:
    return Gate(schema._schema, GateSettings(executor=executor))


@pytest.fixture
def execute(open_store: Callable[[], AsyncStore], gate: Gate) -> Execute:
    """Runs an operation through the gate with variables, as the API does."""

    def run(query: str, **variables: Any) -> Answer:
        async def main() -> Answer:
            store = open_store()
            try:
                return await gate.run(Request(query, variables), Reader(store))
            finally:
                await store.close()

        return asyncio.run(main())

    return run


def data(answer: Answer) -> Any:
    assert answer.errors == [], answer.errors
    return answer.data
