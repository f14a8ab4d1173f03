"""Keyset pagination: orders, opaque cursors, and the filter that resumes after one.

A cursor holds the order it belongs to, the sort value and the `_id` of the last
document seen. Resuming never uses `skip`, so a cursor stays valid when
documents are inserted before it.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

import orjson

from spacerace.store.connection import Document

MAX_PAGE = 100
DEFAULT_PAGE = 20


class CursorError(ValueError):
    """A cursor that this API did not make for this list."""


@dataclass(frozen=True)
class Order:
    """How a list is sorted: by one derived key, then by `_id` to break ties."""

    name: str
    field: str
    direction: int

    @property
    def sort(self) -> list[tuple[str, int]]:
        return [(self.field, self.direction), ("_id", self.direction)]

    def key(self, doc: Document) -> tuple[Any, Any]:
        return doc[self.field], doc["_id"]


BY_DATE = Order("DATE_ASC", "_sortDate", 1)
BY_DATE_DESC = Order("DATE_DESC", "_sortDate", -1)
BY_NAME = Order("NAME_ASC", "_sortName", 1)


def encode_cursor(order: Order, doc: Document) -> str:
    payload = orjson.dumps([order.name, doc[order.field], doc["_id"]])
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode_cursor(order: Order, cursor: str) -> tuple[str, str]:
    """The (sort value, _id) a cursor points at; CursorError if it is not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, value, slug = orjson.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, TypeError, binascii.Error, UnicodeEncodeError):
        raise CursorError("is not a cursor returned by this API") from None
    if name != order.name:
        raise CursorError(f"is a cursor for another ordering ({name}), not {order.name}")
    if not (isinstance(value, str) and isinstance(slug, str)):
        raise CursorError("is not a cursor returned by this API")
    return value, slug


def after(order: Order, cursor: str) -> dict[str, Any]:
    """The filter for documents strictly after `cursor` in `order`."""
    value, slug = decode_cursor(order, cursor)
    beyond = "$gt" if order.direction > 0 else "$lt"
    return {"$or": [{order.field: {beyond: value}}, {order.field: value, "_id": {beyond: slug}}]}


def check_first(first: int | None) -> int:
    """The page size to use; ValueError for one outside 0..MAX_PAGE."""
    if first is None:
        return DEFAULT_PAGE
    if not 0 <= first <= MAX_PAGE:
        raise ValueError(f"must be between 0 and {MAX_PAGE}, got {first}")
    return first


def slice_after(order: Order, docs: list[Document], cursor: str | None) -> list[Document]:
    """The documents of an already sorted list that come after `cursor` (in memory)."""
    if cursor is None:
        return docs
    value, slug = decode_cursor(order, cursor)
    mark = (value, slug)
    if order.direction > 0:
        return [doc for doc in docs if order.key(doc) > mark]
    return [doc for doc in docs if order.key(doc) < mark]
