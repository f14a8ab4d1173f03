"""The GraphQL schema: one module per domain type, composed here."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionResult

from schema.errors import label
from schema.event import Event
from schema.mission import Mission
from schema.person import Person
from schema.program import Program
from schema.query import Query
from schema.scalars import SCALARS


class Schema(strawberry.Schema):
    """Strawberry's schema, with an `extensions.code` on every error it returns."""

    async def execute(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        result = await super().execute(*args, **kwargs)
        label(result.errors)
        return result


schema = Schema(
    query=Query,
    types=[Program, Mission, Person, Event],
    config=StrawberryConfig(scalar_map=SCALARS),
    extensions=[
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
    ],
)

__all__ = ["schema"]
