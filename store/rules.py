"""The dialect of the stored documents' rules, and the parts they share.

Rules are written in MongoDB's `$jsonSchema` dialect (`bsonType`), so the same
dictionaries are installed as collection validators on a real server and
checked in Python by the loaders before anything is written. Each collection's
own rules are part of its description in `store.layout`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from enum import Enum
from typing import Any

from jsonschema import Draft4Validator, ValidationError
from jsonschema.validators import extend

from spacerace.store.vocabulary import OutcomeKind, values

Schema = dict[str, Any]

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
PARTIAL_DATE = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
FULL_DATE = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
COUNTRY = r"^[A-Z]{2}$"


def text(*, nullable: bool = False) -> Schema:
    return {"bsonType": ["string", "null"] if nullable else "string", "minLength": 1}


def pattern(pattern: str, *, nullable: bool = False) -> Schema:
    return {"bsonType": ["string", "null"] if nullable else "string", "pattern": pattern}


def one_of(vocabulary: type[Enum]) -> Schema:
    return {"enum": values(vocabulary)}


def list_of(items: Schema, *, min_items: int = 0) -> Schema:
    return {"bsonType": "array", "items": items, "minItems": min_items}


def record(required: list[str], properties: dict[str, Schema]) -> Schema:
    return {
        "bsonType": "object",
        "required": required,
        "properties": properties,
        "additionalProperties": False,
    }


SOURCE = record(
    ["key", "title"],
    {
        "key": text(),
        "title": text(),
        "publisher": text(nullable=True),
        "url": pattern(r"^https?://\S+$", nullable=True),
    },
)
SOURCES = list_of(SOURCE, min_items=1)
CLAIM = record(
    ["topic", "value", "sources"],
    {"topic": pattern(SLUG), "value": text(), "sources": SOURCES},
)
PERSON_ROLE = record(["person", "role"], {"person": pattern(SLUG), "role": text()})
DATED_NAME = record(
    ["name", "sources"],
    {
        "name": text(),
        "from": pattern(PARTIAL_DATE, nullable=True),
        "to": pattern(PARTIAL_DATE, nullable=True),
        "sources": SOURCES,
    },
)
OUTCOME = record(
    ["kind", "summary", "people", "sources"],
    {
        "kind": one_of(OutcomeKind),
        "summary": text(),
        "date": pattern(PARTIAL_DATE, nullable=True),
        "people": list_of(pattern(SLUG)),
        "sources": SOURCES,
    },
)

# Fields every document has: its slug as `_id`, its summary, claims and sources,
# and the fields the loader derives for lookups: every slug it answers to
# (`_slugs`), its folded names (`_names`) and names plus summary (`_search`),
# its keys for ordering (`_sortName`, `_sortDate`; unknown dates sort as
# 9999-12-31) and a hash of its content (`_hash`).
COMMON: dict[str, Schema] = {
    "_id": pattern(SLUG),
    "summary": text(nullable=True),
    "claims": list_of(CLAIM),
    "sources": SOURCES,
    "_slugs": list_of(pattern(SLUG)),
    "_names": list_of({"bsonType": "string"}),
    "_search": list_of({"bsonType": "string"}),
    "_sortName": {"bsonType": "string"},
    "_sortDate": pattern(FULL_DATE),
    "_hash": text(),
}
NAMED: dict[str, Schema] = {
    "name": text(),
    "nativeName": text(nullable=True),
    "aliases": list_of(text()),
}
DERIVED = ["_slugs", "_names", "_search", "_sortName", "_sortDate", "_hash"]

_BSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "int": (int,),
    "long": (int,),
    "double": (float,),
    "number": (int, float),
    "bool": (bool,),
    "object": (dict,),
    "array": (list,),
    "date": (datetime,),
    "null": (type(None),),
}


def _bson_type(validator: Any, expected: str | list[str], instance: Any, schema: Schema) -> Any:
    names = [expected] if isinstance(expected, str) else expected
    for name in names:
        accepted = _BSON_TYPES[name]
        if isinstance(instance, bool) and bool not in accepted:
            continue
        if isinstance(instance, accepted):
            return
    yield ValidationError(f"{instance!r} is not of type {' or '.join(names)}")


_Validator = extend(Draft4Validator, {"bsonType": _bson_type})  # type: ignore[no-untyped-call]


def compile_schema(schema: Schema) -> Callable[[Any], bool]:
    """A fast yes/no check of the keywords these schemas use. jsonschema explains what
    is wrong; this only says whether anything is, many times faster."""
    checks: list[Callable[[Any], bool]] = []
    if "bsonType" in schema:
        names = [schema["bsonType"]] if isinstance(schema["bsonType"], str) else schema["bsonType"]
        accepted = tuple(t for name in names for t in _BSON_TYPES[name])
        if "bool" in names:
            checks.append(lambda v: isinstance(v, accepted))
        else:
            checks.append(lambda v: isinstance(v, accepted) and v is not True and v is not False)
    if "enum" in schema:
        allowed = schema["enum"]
        checks.append(lambda v: v in allowed)
    if "pattern" in schema:
        search = re.compile(schema["pattern"]).search
        checks.append(lambda v: v.__class__ is not str or search(v) is not None)
    if "minLength" in schema:
        shortest = schema["minLength"]
        checks.append(lambda v: v.__class__ is not str or len(v) >= shortest)
    if "minimum" in schema:
        least = schema["minimum"]
        checks.append(lambda v: not isinstance(v, int | float) or isinstance(v, bool) or v >= least)
    if "maximum" in schema:
        most = schema["maximum"]
        checks.append(lambda v: not isinstance(v, int | float) or isinstance(v, bool) or v <= most)
    if "minItems" in schema:
        fewest = schema["minItems"]
        checks.append(lambda v: v.__class__ is not list or len(v) >= fewest)
    if "items" in schema:
        item = compile_schema(schema["items"])

        def check_items(v: Any) -> bool:
            if v.__class__ is list:
                for x in v:
                    if not item(x):
                        return False
            return True

        checks.append(check_items)
    if "properties" in schema or "required" in schema:
        properties = tuple((k, compile_schema(s)) for k, s in schema.get("properties", {}).items())
        required = tuple(schema.get("required", []))
        closed = schema.get("additionalProperties") is False
        known = frozenset(k for k, _ in properties)

        def check_object(v: Any) -> bool:
            if v.__class__ is not dict:
                return True
            for key in required:
                if key not in v:
                    return False
            if closed and not v.keys() <= known:
                return False
            for key, check in properties:  # noqa: SIM110 - a loop beats all() here
                if key in v and not check(v[key]):
                    return False
            return True

        checks.append(check_object)
    if len(checks) == 1:
        return checks[0]
    first, *rest = checks

    def check_all(v: Any) -> bool:
        if not first(v):
            return False
        for check in rest:  # noqa: SIM110 - a loop beats all() here
            if not check(v):
                return False
        return True

    return check_all


class Rules:
    """One schema, checked fast (yes or no) and, when something is wrong, explained."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.passes = compile_schema(schema)
        self._explainer = _Validator(schema)

    def violations(self, instance: Any) -> Iterator[tuple[str, str]]:
        """Each rule `instance` breaks, as (field path, message)."""
        if not self.passes(instance):
            yield from _report(self._explainer, instance)

    def mongo_validator(self) -> dict[str, Any]:
        """The collection validator to install on a real MongoDB server."""
        return {"$jsonSchema": self.schema}


def _report(validator: Any, instance: Any) -> Iterator[tuple[str, str]]:
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.path))):
        yield _field_path(error), _message(error)


def _field_path(error: ValidationError) -> str:
    path = ""
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    if error.validator == "required":
        missing = error.message.split("'")[1]
        path = f"{path}.{missing}" if path else missing
    if error.validator == "additionalProperties":
        extra = error.message.split("'")[1]
        path = f"{path}.{extra}" if path else extra
    return path or "(record)"


def _message(error: ValidationError) -> str:
    if error.validator == "required":
        return "is required"
    if error.validator == "additionalProperties":
        return "is not a known field"
    if error.validator == "pattern":
        return f"{error.instance!r} does not match {error.validator_value}"
    if error.validator == "enum":
        allowed = error.validator_value if isinstance(error.validator_value, list) else []
        return f"{error.instance!r} is not one of {', '.join(map(str, allowed))}"
    if error.validator == "minItems":
        return "must not be empty"
    if error.validator == "minLength":
        return "must not be empty"
    return error.message
