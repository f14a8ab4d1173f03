"""The GraphQL schema: a Strawberry type per domain, answered through one gate.

`schema.execute(...)` is Strawberry's entry point, kept for tests and tools; it
runs the request through the same `Gate` as HTTP does.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import strawberry.federation
from graphql import GraphQLObjectType
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from spacerace.schema import federation
from spacerace.schema.context import Context
from spacerace.schema.fields import spec_of
from spacerace.schema.gate import Gate, GateSettings, Request
from spacerace.schema.protocols import Protocols, ProtocolSettings
from spacerace.schema.query import ENTITIES, Query
from spacerace.schema.scalars import SCALARS
from spacerace.store.reads import Reader


class Schema(strawberry.federation.Schema):
    """Strawberry's schema (its federation flavour: `@link`, `@key`, `_Any`), with every
    request going through `gate`."""

    gate: Gate

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
        """Run `query` through the gate; `context_value` is a `Context` or a `Reader`."""
        reader = context_value.reader if isinstance(context_value, Context) else context_value
        if not isinstance(reader, Reader):
            raise TypeError("schema.execute needs a Context or a Reader as context_value")
        answer = await self.gate.run(
            Request(query, variable_values, operation_name, operation_extensions), reader
        )
        return ExecutionResult(data=answer.data, errors=answer.errors or None)


def bind(schema: Schema) -> None:
    """Tell every field's spec where it sits, checking each fits its field."""
    for type_ in schema._schema.type_map.values():
        if isinstance(type_, GraphQLObjectType) and not type_.name.startswith("__"):
            for name, graphql_field in type_.fields.items():
                spec = spec_of(graphql_field)
                if spec is not None:
                    try:
                        spec.bind(type_.name, graphql_field)
                    except (TypeError, KeyError) as error:
                        raise TypeError(f"{type_.name}.{name}: {error}") from error


schema = Schema(
    query=Query,
    types=list(ENTITIES),
    config=StrawberryConfig(scalar_map=SCALARS),
    scalar_overrides=federation.ANY,
    federation_version=federation.FEDERATION_VERSION,
)
bind(schema)
federation.publish(schema._schema, schema.as_str())
# The defaults, not the environment: importing the schema reads no setting (the app
# builds its own gate from the environment, and the CLI checks every setting first).
schema.gate = Gate(schema._schema, GateSettings(), Protocols(ProtocolSettings()))

__all__ = ["Schema", "bind", "schema"]
