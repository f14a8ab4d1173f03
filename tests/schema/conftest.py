from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from strawberry.types import ExecutionResult

from spacerace.schema import schema
from spacerace.schema.context import Context
from spacerace.store.aio import AsyncStore
from spacerace.store.reads import Reader

Execute = Callable[..., ExecutionResult]


@pytest.fixture
def execute(open_store: Callable[[], AsyncStore]) -> Execute:
    """Runs an operation through `schema.execute` with variables, as the API does."""

    def run(query: str, **variables: Any) -> ExecutionResult:
        async def main() -> ExecutionResult:
            store = open_store()
            try:
                return await schema.execute(
                    query,
                    variable_values=variables,
                    context_value=Context.for_request(Reader(store)),
                )
            finally:
                await store.close()

        return asyncio.run(main())

    return run


def data(result: ExecutionResult) -> Any:
    assert result.errors is None, result.errors
    return result.data
