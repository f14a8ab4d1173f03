"""The GraphQL schema: one module per domain type, composed here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import strawberry
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from spacerace.schema import fast
from spacerace.schema.context import Context
from spacerace.schema.errors import label
from spacerace.schema.event import Event
from spacerace.schema.mission import Mission
from spacerace.schema.person import Person
from spacerace.schema.program import Program
from spacerace.schema.query import Query
from spacerace.schema.scalars import SCALARS


class Schema(strawberry.Schema):
    """Strawberry's schema, answering the queries it can with the compiled executor
    (`schema.fast`) and the rest with graphql-core, with an `extensions.code` on
    every error."""

    compiled = True

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        if self.compiled and query is not None and isinstance(context_value, Context):
            try:
                data = await fast.execute(
                    self._schema, query, variable_values, operation_name, context_value.reader
                )
            except fast.Unsupported:
                pass
            else:
                return ExecutionResult(data=data, errors=None)
        result = await super().execute(
            query,
            variable_values=variable_values,
            context_value=context_value,
            root_value=root_value,
            operation_name=operation_name,
            allowed_operation_types=allowed_operation_types,
            operation_extensions=operation_extensions,
        )
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
