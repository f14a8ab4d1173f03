"""The GraphQL schema: one module per domain type, composed here."""

from __future__ import annotations

import strawberry
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig

from schema.errors import ErrorCodes
from schema.event import Event
from schema.mission import Mission
from schema.person import Person
from schema.program import Program
from schema.query import Query
from schema.scalars import SCALARS

schema = strawberry.Schema(
    query=Query,
    types=[Program, Mission, Person, Event],
    config=StrawberryConfig(scalar_map=SCALARS),
    extensions=[
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        ErrorCodes,
    ],
)

__all__ = ["schema"]
