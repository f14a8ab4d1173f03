"""Cursor-paginated lists (the Relay connection spec, plus `nodes` and `totalCount`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import strawberry

from spacerace.schema.common import Document, PageInfo
from spacerace.schema.errors import bad_input
from spacerace.store.paging import CursorError, Order, check_first, decode_cursor, encode_cursor

T = TypeVar("T")


@strawberry.type(description="One item of a list, with the cursor that resumes after it.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(description="Pass as `after` to get the items after this one.")
    node: T = strawberry.field(description="The item.")


@strawberry.type(
    description="A page of a list. `first` (default 20, at most 100) sets its size and "
    "`after` (an `endCursor`) where it starts."
)
class Connection(Generic[T]):
    edges: list[Edge[T]] = strawberry.field(description="The items of this page, with cursors.")
    nodes: list[T] = strawberry.field(description="The items of this page.")
    page_info: PageInfo = strawberry.field(description="Where this page stands in the list.")
    count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items the whole list has, across all pages.")
    async def total_count(self) -> int:
        return await self.count()


def page_size(first: int | None) -> int:
    """`first` checked: 20 when absent, a clear error outside 0..100."""
    try:
        return check_first(first)
    except ValueError as error:
        raise bad_input("first", str(error)) from None


def check_cursor(order: Order, after: str | None) -> None:
    if after is not None:
        try:
            decode_cursor(order, after)
        except CursorError as error:
            raise bad_input("after", str(error)) from None


def connection(
    docs: list[Document],
    *,
    has_next: bool,
    after: str | None,
    order: Order,
    make: Callable[[Document], T],
    count: Callable[[], Awaitable[int]],
) -> Connection[T]:
    nodes = [make(doc) for doc in docs]
    cursors = [encode_cursor(order, doc) for doc in docs]
    return Connection(
        edges=[Edge(cursor=c, node=n) for c, n in zip(cursors, nodes, strict=True)],
        nodes=nodes,
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=after is not None,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        ),
        count=count,
    )
