"""Paths into documents: `name`, `aliases[]`, `crew[].person`, `names[0].from`.

`[]` walks every item of a list, `[0]` one item. The same path, with the
brackets dropped (`crew.person`), is how MongoDB names the field in a query.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_STEP = re.compile(r"^([^\[\]]+)(\[(\d*)\])?$")


def walk(data: Any, path: str, where: str = "") -> Iterator[tuple[str, Any]]:
    """(concrete path, value) for every value at `path`, e.g. ("crew[1].person", "x")."""
    head, _, rest = path.partition(".")
    match = _STEP.match(head)
    if match is None:
        raise ValueError(f"not a document path: {path!r}")
    name, brackets, index = match.groups()
    if not isinstance(data, dict) or name not in data:
        return
    value = data[name]
    here = f"{where}.{name}" if where else name
    if brackets is None:
        yield from _rest(value, rest, here)
    elif isinstance(value, list):
        positions = range(len(value)) if index == "" else [int(index)]
        for i in positions:
            if i < len(value):
                yield from _rest(value[i], rest, f"{here}[{i}]")


def _rest(value: Any, rest: str, here: str) -> Iterator[tuple[str, Any]]:
    if rest:
        yield from walk(value, rest, here)
    else:
        yield here, value


def values(data: Any, path: str) -> list[Any]:
    """Every value at `path`."""
    return [value for _, value in walk(data, path)]


def first(data: Any, path: str) -> Any:
    """The first value at `path`, or None."""
    return next((value for _, value in walk(data, path)), None)


def query_field(path: str) -> str:
    """The field name MongoDB uses for `path`: `crew[].person` is `crew.person`."""
    return re.sub(r"\[\d*\]", "", path)
