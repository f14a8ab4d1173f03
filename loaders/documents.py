"""Turning records as read into the documents `store` writes.

What is about the input format happens here: source keys become the sources
they name. Everything about the stored form (defaults, derived fields, the
content hash) is `store.documents.build`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from spacerace.loaders.records import Record
from spacerace.store import documents
from spacerace.store.connection import Document
from spacerace.store.documents import Finding
from spacerace.store.layout import BY_NAME

SourceIndex = Mapping[str, Mapping[str, Any]]
CITING_LISTS = ("outcomes", "claims", "names")
"""Lists whose items cite sources of their own."""


def build(record: Record, sources: SourceIndex) -> tuple[Document, list[Finding]]:
    """The document for `record`, and the (field, message) problems met on the way."""
    problems: list[Finding] = []
    data = dict(record.data)
    data["sources"] = _resolve(data.get("sources"), "sources", sources, problems)
    for list_name in CITING_LISTS:
        items = data.get(list_name)
        if not isinstance(items, list):
            continue
        data[list_name] = [
            {
                **item,
                "sources": _resolve(
                    item["sources"], f"{list_name}[{i}].sources", sources, problems
                ),
            }
            if isinstance(item, dict) and "sources" in item
            else item
            for i, item in enumerate(items)
        ]
    doc, derived = documents.build(BY_NAME[record.collection], data)
    return doc, problems + derived


def _resolve(keys: Any, path: str, sources: SourceIndex, problems: list[Finding]) -> Any:
    if not isinstance(keys, list):
        return keys  # the rules report the wrong type
    resolved: list[Any] = []
    for i, key in enumerate(keys):
        if isinstance(key, str) and key in sources:
            resolved.append({"key": key, **sources[key]})
        else:
            problems.append((f"{path}[{i}]", f"unknown source {key!r}"))
    return resolved
