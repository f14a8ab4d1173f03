"""Types every domain shares: the Node interface, sources, claims, and pages of lists."""

from __future__ import annotations

from typing import Generic, TypeVar

import strawberry

from spacerace.schema import fields
from spacerace.schema.fields import value

T = TypeVar("T")


@strawberry.interface(description="An object with a global ID, resolvable through `node(id:)`.")
class Node:
    id: strawberry.ID = fields.GlobalId().field(
        "The global ID: opaque, stable, and unique across all types."
    )


@strawberry.type(description="Where a fact comes from.")
@value()
class Source:
    title: str = fields.key("title", "The title of the work or page.")
    publisher: str | None = fields.key("publisher", "Who published it.")
    url: str | None = fields.key("url", "Where to read it.")


@strawberry.type(
    description="One value of a fact as one set of sources gives it. Where sources disagree, "
    "each value is a separate claim with the same topic, side by side."
)
@value()
class Claim:
    topic: str = fields.key(
        "topic", "What the claim is about, as a slug, e.g. landing-miss-distance."
    )
    value: str = fields.key("value", "The value these sources give.")
    sources: list[Source] = fields.embedded("sources", "The sources that give this value.")


CLAIMS = "Facts given with their own sources; conflicting values appear side by side."


@strawberry.type(description="Where a page of a list stands in the whole list.")
@value()
class PageInfo:
    has_next_page: bool = fields.key("hasNextPage", "Whether more items follow this page.")
    has_previous_page: bool = fields.key(
        "hasPreviousPage", "Whether items come before this page (true when `after` was given)."
    )
    start_cursor: str | None = fields.key("startCursor", "The cursor of the first item.")
    end_cursor: str | None = fields.key(
        "endCursor", "The cursor of the last item: pass it as `after` for the next page."
    )


@strawberry.type(description="One item of a list, with the cursor that resumes after it.")
class Edge(Generic[T]):
    cursor: str = fields.EdgeCursor().field("Pass as `after` to get the items after this one.")
    node: T = fields.EdgeNode().field("The item.")


@strawberry.type(
    description="A page of a list. `first` (default 20, at most 100) sets its size and "
    "`after` (an `endCursor`) where it starts."
)
class Connection(Generic[T]):
    edges: list[Edge[T]] = fields.PageEdges().field("The items of this page, with cursors.")
    nodes: list[T] = fields.PageNodes().field("The items of this page.")
    page_info: PageInfo = fields.PageInfoOf().field("Where this page stands in the list.")
    total_count: int = fields.PageCount().field(
        "How many items the whole list has, across all pages."
    )
