"""Arguments several fields share: pages, cursors, slugs."""

from __future__ import annotations

from typing import Annotated

import strawberry

from spacerace.schema.fields import FIRST_DESCRIPTION, Arg, First

FIRST = First("first", Annotated[int | None, strawberry.argument(description=FIRST_DESCRIPTION)])
AFTER = Arg(
    "after",
    Annotated[
        str | None, strawberry.argument(description="Start after this cursor (an `endCursor`).")
    ],
)
PAGE = (FIRST, AFTER)
"""`first` and `after`, for every list that comes a page at a time."""

SLUG = Arg(
    "slug",
    Annotated[
        str,
        strawberry.argument(description="A slug: its own, or the slug of another of its names."),
    ],
)
