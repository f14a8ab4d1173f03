"""Checks that look across records: references, date order, text encoding."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from spacerace.loaders.records import Record
from spacerace.store import paths
from spacerace.store.dates import span
from spacerace.store.layout import BY_NAME

Finding = tuple[str, str]
"""(field path, message)"""


def references(record: Record, known: dict[str, set[str]]) -> Iterator[Finding]:
    """Every slug the record names that no record of the target collection has."""
    for pattern, target in BY_NAME[record.collection].references.items():
        for path, value in paths.walk(record.data, pattern):
            if isinstance(value, str) and value not in known[target]:
                yield path, f"unknown {BY_NAME[target].singular} {value!r}"


def date_order(record: Record) -> Iterator[Finding]:
    for first, second in BY_NAME[record.collection].date_order:
        a, b = record.data.get(first), record.data.get(second)
        if not (isinstance(a, str) and isinstance(b, str)):
            continue
        try:
            if span(a)[0] > span(b)[1]:
                yield second, f"{b!r} is before {first} {a!r}"
        except ValueError:
            continue  # reported where the dates are parsed


def times_agree(record: Record) -> Iterator[Finding]:
    """A UTC time falls on the date it belongs to."""
    for time_field, date_field in BY_NAME[record.collection].times.items():
        day, time = record.data.get(date_field), record.data.get(time_field)
        if isinstance(day, str) and isinstance(time, str) and not time.startswith(day):
            yield time_field, f"{time!r} is not on {date_field} {day!r}"


def timelines(record: Record) -> Iterator[Finding]:
    """Spans over time (names borne from..to): each ends after it starts, and each
    begins where the one before it ended or later (oldest first, no overlaps)."""
    for list_name in BY_NAME[record.collection].timelines:
        items = record.data.get(list_name)
        if isinstance(items, list):
            yield from _timeline(list_name, items)


def _timeline(list_name: str, items: list[Any]) -> Iterator[Finding]:
    previous_end: str | None = None
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        start, end = item.get("from"), item.get("to")
        try:
            if isinstance(start, str) and isinstance(end, str) and span(start)[0] >= span(end)[0]:
                yield f"{list_name}[{i}].to", f"{end!r} is not after from {start!r}"
            if isinstance(start, str) and previous_end and span(start)[0] < span(previous_end)[0]:
                yield f"{list_name}[{i}].from", f"{start!r} is before the previous one ended"
        except ValueError:
            continue  # reported where the dates are parsed
        previous_end = end if isinstance(end, str) else None


def encoding_faults(value: Any, path: str = "") -> Iterator[Finding]:
    """Text that was decoded with the wrong character set ("â€“" for "–")."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from encoding_faults(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from encoding_faults(item, f"{path}[{i}]")
    elif isinstance(value, str) and (fault := text_fault(value)):
        yield path, fault


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")


def text_fault(text: str) -> str | None:
    if _CONTROL.search(text):
        return "contains a control character"
    if text.isascii():
        return None
    if "\ufffd" in text:
        return "contains U+FFFD, a character lost in decoding"
    try:
        repaired = text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return None
    if repaired != text:
        return f"looks mis-decoded (UTF-8 read as Windows-1252): did you mean {repaired!r}?"
    return None
