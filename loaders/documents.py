"""Turning validated-shape records into the documents `store` writes."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import orjson

from spacerace.loaders.records import Record
from spacerace.store.dates import span, utc_time
from spacerace.store.text import fold, slugify

Document = dict[str, Any]
UNKNOWN_DATE = "9999-12-31"
"""Where documents without a date sort: after every dated one."""
SourceIndex = Mapping[str, Mapping[str, Any]]

# Optional fields each document always carries, so every document of a
# collection has the same shape.
_DEFAULTS: dict[str, dict[str, Any]] = {
    "programs": {
        "nativeName": None,
        "aliases": [],
        "organization": None,
        "summary": None,
        "startDate": None,
        "endDate": None,
        "crewCapacity": None,
        "spacecraft": [],
        "launchVehicles": [],
        "people": [],
        "claims": [],
    },
    "missions": {
        "nativeName": None,
        "aliases": [],
        "program": None,
        "launchDate": None,
        "launchTime": None,
        "landingDate": None,
        "spacecraft": None,
        "launchVehicle": None,
        "launchSite": None,
        "launchPad": None,
        "summary": None,
        "crew": [],
        "outcomes": [],
        "claims": [],
    },
    "persons": {
        "nativeName": None,
        "aliases": [],
        "country": None,
        "occupations": [],
        "birthDate": None,
        "deathDate": None,
        "summary": None,
        "claims": [],
    },
    "launch_sites": {
        "nativeName": None,
        "aliases": [],
        "latitude": None,
        "longitude": None,
        "names": [],
        "summary": None,
        "claims": [],
    },
    "events": {
        "endDate": None,
        "people": [],
        "programs": [],
        "missions": [],
        "claims": [],
    },
}


def build(record: Record, sources: SourceIndex) -> tuple[Document, list[tuple[str, str]]]:
    """The document for `record`, and the (field, message) problems met on the way."""
    problems: list[tuple[str, str]] = []
    doc: Document = {"_id": record.data.get("slug")}
    doc.update(dict(_DEFAULTS[record.collection].items()))
    doc.update({k: v for k, v in record.data.items() if k != "slug"})
    for key, value in list(doc.items()):
        if isinstance(value, list):
            doc[key] = list(value)
    _resolve_sources(doc, sources, problems)
    _derive(record.collection, doc, problems)
    doc["_hash"] = content_hash(doc)
    return doc, problems


def content_hash(doc: Document) -> str:
    content = {k: v for k, v in doc.items() if k != "_hash"}
    encoded = orjson.dumps(content, option=orjson.OPT_SORT_KEYS, default=str)
    return hashlib.blake2b(encoded, digest_size=16).hexdigest()


def _resolve_sources(doc: Document, sources: SourceIndex, problems: list[tuple[str, str]]) -> None:
    def resolve(keys: Any, path: str) -> Any:
        if not isinstance(keys, list):
            return keys  # the schema reports the wrong type
        resolved: list[Any] = []
        for i, key in enumerate(keys):
            if isinstance(key, str) and key in sources:
                resolved.append({"key": key, **sources[key]})
            else:
                problems.append((f"{path}[{i}]", f"unknown source {key!r}"))
        return resolved

    doc["sources"] = resolve(doc.get("sources"), "sources")
    for list_name in ("outcomes", "claims", "names"):
        items = doc.get(list_name)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if isinstance(item, dict) and "sources" in item:
                items[i] = {
                    **item,
                    "sources": resolve(item["sources"], f"{list_name}[{i}].sources"),
                }


def _derive(collection: str, doc: Document, problems: list[tuple[str, str]]) -> None:
    candidates = (
        [doc.get("name") or doc.get("title"), doc.get("nativeName"), *_strings(doc["aliases"])]
        if "aliases" in doc
        else [doc.get("title")]
    )
    if collection == "launch_sites":
        candidates += [n.get("name") for n in doc["names"] if isinstance(n, dict)]
    names: list[str] = [n for n in candidates if isinstance(n, str)]
    slug = doc["_id"] if isinstance(doc["_id"], str) else ""
    slugs = {slugify(n) for n in names}
    if collection == "persons":
        latin = [doc.get("name"), *_strings(doc["aliases"])]
        slugs |= {short for n in latin if isinstance(n, str) and (short := _first_and_last(n))}
    doc["_slugs"] = sorted({slug, *slugs} - {""})
    doc["_names"] = list(dict.fromkeys(fold(name) for name in names))
    summary = doc.get("summary")
    doc["_search"] = [*doc["_names"], *([fold(summary)] if isinstance(summary, str) else [])]
    doc["_sortName"] = doc["_names"][0] if doc["_names"] else ""
    start: Any = None
    if collection == "missions":
        start, doc["_launchEnd"] = _span(doc, "launchDate", problems)
        doc["_launchStart"] = start
        if isinstance(doc.get("launchTime"), str):
            try:
                doc["launchTime"] = utc_time(doc["launchTime"])
            except ValueError as error:
                problems.append(("launchTime", str(error)))
    elif collection == "events":
        start, end = _span(doc, "date", problems)
        doc["_dateStart"] = start
        doc["_dateEnd"] = _span(doc, "endDate", problems)[1] or end
    elif collection == "programs":
        start = _span(doc, "startDate", problems)[0]
    elif collection == "persons":
        start = _span(doc, "birthDate", problems)[0]
    elif collection == "launch_sites":
        first = doc["names"][0] if doc["names"] and isinstance(doc["names"][0], dict) else {}
        start = _span(first, "from", problems)[0]
    doc["_sortDate"] = start or UNKNOWN_DATE


_SUFFIXES = {"jr", "sr", "ii", "iii"}


def _first_and_last(name: str) -> str | None:
    """ "Virgil Ivan Grissom" and "Edward H. White II" answer to "virgil-grissom" and
    "edward-white" too."""
    words = [w for w in slugify(name).split("-") if w not in _SUFFIXES]
    return f"{words[0]}-{words[-1]}" if len(words) >= 2 else None


def _span(doc: Document, field: str, problems: list[tuple[str, str]]) -> tuple[Any, Any]:
    value = doc.get(field)
    if not isinstance(value, str):
        return None, None
    try:
        return span(value)
    except ValueError as error:
        problems.append((field, str(error)))
        return None, None


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
