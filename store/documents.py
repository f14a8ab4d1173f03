"""The stored form of a record: its fields, the defaults, and what is derived for look-ups.

Every document carries, beside its own fields: every slug it answers to
(`_slugs`), its folded names (`_names`) and names plus summary (`_search`), its
keys for ordering (`_sortName`, `_sortDate`), the spans of its partial dates,
and a hash of its content (`_hash`), which tells a load what changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import orjson

from spacerace.store import paths
from spacerace.store.connection import Document
from spacerace.store.dates import span, utc_time
from spacerace.store.layout import UNKNOWN_DATE, Collection
from spacerace.store.text import fold, slugify

Finding = tuple[str, str]
"""(field path, message)"""

HIDDEN = ("_search", "_names", "_hash", "_slugs")
"""Derived fields no reader shows."""
ALWAYS = ("_id", "_sortDate", "_sortName")
"""Fields every read returns: the key, and what cursors are made of."""


def build(kind: Collection, data: Mapping[str, Any]) -> tuple[Document, list[Finding]]:
    """The document to store for a record (`slug` becomes `_id`), and the problems met
    deriving its fields. The rules are checked separately (`kind.rules`)."""
    problems: list[Finding] = []
    doc: Document = {"_id": data.get("slug")}
    doc.update(kind.defaults)
    doc.update({k: v for k, v in data.items() if k != "slug"})
    for key, value in list(doc.items()):
        if isinstance(value, list):
            doc[key] = list(value)
    if kind.lookups:
        _derive(kind, doc, problems)
    doc["_hash"] = content_hash(doc)
    return doc, problems


def content_hash(doc: Document) -> str:
    content = {k: v for k, v in doc.items() if k != "_hash"}
    encoded = orjson.dumps(content, option=orjson.OPT_SORT_KEYS, default=str)
    return hashlib.blake2b(encoded, digest_size=16).hexdigest()


def _derive(kind: Collection, doc: Document, problems: list[Finding]) -> None:
    names = [n for path in kind.names for n in paths.values(doc, path) if isinstance(n, str)]
    slug = doc["_id"] if isinstance(doc["_id"], str) else ""
    slugs = {slugify(n) for n in names}
    if kind.short_slugs:
        latin = [doc.get("name"), *paths.values(doc, "aliases[]")]
        slugs |= {short for n in latin if isinstance(n, str) and (short := _first_and_last(n))}
    doc["_slugs"] = sorted({slug, *slugs} - {""})
    doc["_names"] = list(dict.fromkeys(fold(name) for name in names))
    summary = doc.get("summary")
    doc["_search"] = [*doc["_names"], *([fold(summary)] if isinstance(summary, str) else [])]
    doc["_sortName"] = doc["_names"][0] if doc["_names"] else ""
    for time_field in kind.times:
        if isinstance(doc.get(time_field), str):
            try:
                doc[time_field] = utc_time(doc[time_field])
            except ValueError as error:
                problems.append((time_field, str(error)))
    for derived in kind.spans:
        start, end = _span(doc, derived.date, problems)
        if derived.until is not None:
            end = _span(doc, derived.until, problems)[1] or end
        doc[derived.start], doc[derived.end] = start, end
    start = _span(doc, kind.sort_date, problems)[0] if kind.sort_date else None
    doc["_sortDate"] = start or UNKNOWN_DATE


_SUFFIXES = {"jr", "sr", "ii", "iii"}


def _first_and_last(name: str) -> str | None:
    """ "Virgil Ivan Grissom" and "Edward H. White II" answer to "virgil-grissom" and
    "edward-white" too."""
    words = [w for w in slugify(name).split("-") if w not in _SUFFIXES]
    return f"{words[0]}-{words[-1]}" if len(words) >= 2 else None


def _span(doc: Document, path: str, problems: list[Finding]) -> tuple[Any, Any]:
    found = next(paths.walk(doc, path), None)
    if found is None or not isinstance(found[1], str):
        return None, None
    where, value = found
    try:
        return span(value)
    except ValueError as error:
        problems.append((where, str(error)))
        return None, None
