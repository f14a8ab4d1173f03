"""The per-request context of the reference executor: the reader and the DataLoaders
that batch its reads, one per kind of read, made on first use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from strawberry.dataloader import DataLoader
from strawberry.types import Info as StrawberryInfo

from spacerace.store.connection import Document
from spacerace.store.filters import Where
from spacerace.store.layout import Collection
from spacerace.store.paging import Order
from spacerace.store.reads import Reader


@dataclass
class Context:
    """Everything a resolver needs, made fresh for each request."""

    reader: Reader
    _loaders: dict[Any, DataLoader[str, Any]] = field(default_factory=dict)

    def by_key(self, kind: Collection) -> DataLoader[str, Document | None]:
        """Documents of `kind` by slug."""
        key = ("by_key", kind.name)
        if key not in self._loaders:

            async def load(keys: list[str]) -> list[Document | None]:
                return await self.reader.by_keys(kind, keys)

            self._loaders[key] = DataLoader(load_fn=load)
        return self._loaders[key]

    def referencing(self, where: Where, via: str, order: Order) -> DataLoader[str, list[Document]]:
        """For a slug, the documents matching `where` whose `via` names it: one loader
        per condition and order, so sibling objects share one query."""
        key = ("referencing", where, via, order)
        if key not in self._loaders:

            async def load(keys: list[str]) -> list[list[Document]]:
                return await self.reader.referencing(where, via, keys, order)

            self._loaders[key] = DataLoader(load_fn=load)
        return self._loaders[key]


Info = StrawberryInfo[Context, None]
