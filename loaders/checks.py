"""Checks that look across records: references, date order, text encoding."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from spacerace.loaders.records import Record
from spacerace.store.dates import span

Finding = tuple[str, str]
"""(field path, message)"""

# Where each collection points at another: (field path pattern, target collection).
REFERENCES: dict[str, list[tuple[str, str]]] = {
    "programs": [("people[].person", "persons")],
    "missions": [
        ("program", "programs"),
        ("crew[].person", "persons"),
        ("outcomes[].people[]", "persons"),
        ("launchSite", "launch_sites"),
    ],
    "persons": [],
    "events": [("people[]", "persons"), ("programs[]", "programs"), ("missions[]", "missions")],
    "launch_sites": [],
}
_SINGULAR = {
    "persons": "person",
    "programs": "program",
    "missions": "mission",
    "launch_sites": "launch site",
}

# Pairs of dates where the first may not come after the second.
DATE_ORDER: dict[str, list[tuple[str, str]]] = {
    "programs": [("startDate", "endDate")],
    "missions": [("launchDate", "landingDate")],
    "persons": [("birthDate", "deathDate")],
    "events": [("date", "endDate")],
    "launch_sites": [],
}


def references(record: Record, known: dict[str, set[str]]) -> Iterator[Finding]:
    """Every slug the record names that no record of the target collection has."""
    for pattern, target in REFERENCES[record.collection]:
        for path, value in _walk(record.data, pattern.split(".")):
            if isinstance(value, str) and value not in known[target]:
                yield path, f"unknown {_SINGULAR[target]} {value!r}"


def date_order(record: Record) -> Iterator[Finding]:
    for first, second in DATE_ORDER[record.collection]:
        a, b = record.data.get(first), record.data.get(second)
        if not (isinstance(a, str) and isinstance(b, str)):
            continue
        try:
            if span(a)[0] > span(b)[1]:
                yield second, f"{b!r} is before {first} {a!r}"
        except ValueError:
            continue  # reported where the dates are parsed


def launch_time_agrees(record: Record) -> Iterator[Finding]:
    day, time = record.data.get("launchDate"), record.data.get("launchTime")
    if isinstance(day, str) and isinstance(time, str) and not time.startswith(day):
        yield "launchTime", f"{time!r} is not on launchDate {day!r}"


def dated_names(record: Record) -> Iterator[Finding]:
    """Names over time: each ends after it starts, and each begins where the one before
    it ended or later (oldest first, no overlaps)."""
    names = record.data.get("names")
    if not isinstance(names, list):
        return
    previous_end: str | None = None
    for i, item in enumerate(names):
        if not isinstance(item, dict):
            continue
        start, end = item.get("from"), item.get("to")
        try:
            if isinstance(start, str) and isinstance(end, str) and span(start)[0] >= span(end)[0]:
                yield f"names[{i}].to", f"{end!r} is not after from {start!r}"
            if isinstance(start, str) and previous_end and span(start)[0] < span(previous_end)[0]:
                yield f"names[{i}].from", f"{start!r} is before the previous name ended"
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


def _walk(data: Any, parts: list[str], path: str = "") -> Iterator[tuple[str, Any]]:
    if not parts:
        yield path, data
        return
    head, rest = parts[0], parts[1:]
    name, is_list = head.removesuffix("[]"), head.endswith("[]")
    if not isinstance(data, dict) or name not in data:
        return
    value = data[name]
    here = f"{path}.{name}" if path else name
    if not is_list:
        yield from _walk(value, rest, here)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, rest, f"{here}[{i}]")
