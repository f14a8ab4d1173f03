"""Custom scalars: dates as precise as the sources give them."""

from __future__ import annotations

from typing import NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition

from spacerace.store.dates import span

PartialDate = NewType("PartialDate", str)


def _parse_partial_date(value: object) -> PartialDate:
    if not isinstance(value, str):
        raise ValueError("PartialDate must be a string like 1965, 1965-03 or 1965-03-18")
    span(value)  # raises ValueError with the reason
    return PartialDate(value)


SCALARS: dict[object, ScalarDefinition] = {
    PartialDate: strawberry.scalar(
        name="PartialDate",
        description="An ISO 8601 calendar date of reduced precision, as precise as the sources "
        'allow: "1965", "1965-03" or "1965-03-18".',
        serialize=str,
        parse_value=_parse_partial_date,
    ),
}
