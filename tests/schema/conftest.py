from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from pymongo.database import Database
from strawberry.types import ExecutionResult

from schema import schema
from schema.context import Context
from store.aio import AsyncStore, EmbeddedStore, ServerStore
from store.reads import Reader
from store.settings import Settings

Execute = Callable[..., ExecutionResult]


@pytest.fixture(params=["embedded", pytest.param("wire", marks=pytest.mark.wire)])
def open_store(request: pytest.FixtureRequest) -> Callable[[], AsyncStore]:
    """Opens a store on the loaded bundled seeds (call inside the event loop)."""
    if request.param == "embedded":
        db: Database[dict[str, Any]] = request.getfixturevalue("loaded_embedded")
        return lambda: EmbeddedStore(db)
    uri: str = request.getfixturevalue("loaded_wire")
    return lambda: ServerStore.open(Settings(mongodb_uri=uri))


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
