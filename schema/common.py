"""Small types shared by every domain: sources, claims, pages."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

Document = dict[str, Any]


@strawberry.type(description="Where a fact comes from.")
class Source:
    title: str = strawberry.field(description="The title of the work or page.")
    publisher: str | None = strawberry.field(description="Who published it.")
    url: str | None = strawberry.field(description="Where to read it.")

    @classmethod
    def from_doc(cls, doc: Document) -> Source:
        return cls(title=doc["title"], publisher=doc.get("publisher"), url=doc.get("url"))


def sources(docs: list[Document]) -> list[Source]:
    return [Source.from_doc(doc) for doc in docs]


@strawberry.type(
    description="One value of a fact as one set of sources gives it. Where sources disagree, "
    "each value is a separate claim with the same topic, side by side."
)
class Claim:
    topic: str = strawberry.field(
        description="What the claim is about, as a slug, e.g. landing-miss-distance."
    )
    value: str = strawberry.field(description="The value these sources give.")
    sources: list[Source] = strawberry.field(description="The sources that give this value.")

    @classmethod
    def from_doc(cls, doc: Document) -> Claim:
        return cls(topic=doc["topic"], value=doc["value"], sources=sources(doc["sources"]))


def claims(docs: list[Document]) -> list[Claim]:
    return [Claim.from_doc(doc) for doc in docs]


@strawberry.type(description="Where a page of a list stands in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more items follow this page.")
    has_previous_page: bool = strawberry.field(
        description="Whether items come before this page (true when `after` was given)."
    )
    start_cursor: str | None = strawberry.field(description="The cursor of the first item.")
    end_cursor: str | None = strawberry.field(
        description="The cursor of the last item: pass it as `after` for the next page."
    )


SlugArg = Annotated[
    str, strawberry.argument(description="A slug: its own, or the slug of another of its names.")
]
