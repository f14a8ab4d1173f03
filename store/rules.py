"""The validation rules of every stored document, in one place.

The schemas are written in MongoDB's `$jsonSchema` dialect (`bsonType`), so the
same dictionaries are installed as collection validators on a real server and
checked in Python by the loaders before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from jsonschema import Draft4Validator, ValidationError
from jsonschema.validators import extend

Schema = dict[str, Any]

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
PARTIAL_DATE = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
FULL_DATE = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
COUNTRY = r"^[A-Z]{2}$"

MISSION_STATUSES = ["SUCCESS", "PARTIAL_FAILURE", "FAILURE", "CANCELLED", "PLANNED"]
OUTCOME_KINDS = ["FIRST", "ACHIEVEMENT", "ANOMALY", "FAILURE", "FATALITY"]
EVENT_KINDS = ["POLITICAL", "PROGRAM", "DEATH", "OTHER"]


def _text(*, nullable: bool = False) -> Schema:
    return {"bsonType": ["string", "null"] if nullable else "string", "minLength": 1}


def _pattern(pattern: str, *, nullable: bool = False) -> Schema:
    return {"bsonType": ["string", "null"] if nullable else "string", "pattern": pattern}


def _list(items: Schema, *, min_items: int = 0) -> Schema:
    return {"bsonType": "array", "items": items, "minItems": min_items}


def _object(required: list[str], properties: dict[str, Schema]) -> Schema:
    return {
        "bsonType": "object",
        "required": required,
        "properties": properties,
        "additionalProperties": False,
    }


SOURCE = _object(
    ["key", "title"],
    {
        "key": _text(),
        "title": _text(),
        "publisher": _text(nullable=True),
        "url": _pattern(r"^https?://\S+$", nullable=True),
    },
)
SOURCES = _list(SOURCE, min_items=1)
CLAIM = _object(
    ["topic", "value", "sources"],
    {"topic": _pattern(SLUG), "value": _text(), "sources": SOURCES},
)
PERSON_ROLE = _object(["person", "role"], {"person": _pattern(SLUG), "role": _text()})
DATED_NAME = _object(
    ["name", "sources"],
    {
        "name": _text(),
        "from": _pattern(PARTIAL_DATE, nullable=True),
        "to": _pattern(PARTIAL_DATE, nullable=True),
        "sources": SOURCES,
    },
)
OUTCOME = _object(
    ["kind", "summary", "people", "sources"],
    {
        "kind": {"enum": OUTCOME_KINDS},
        "summary": _text(),
        "date": _pattern(PARTIAL_DATE, nullable=True),
        "people": _list(_pattern(SLUG)),
        "sources": SOURCES,
    },
)

# Fields every document has: its slug as `_id`, its summary, claims and sources,
# and the fields the loader derives for lookups: every slug it answers to
# (`_slugs`), its folded names (`_names`) and names plus summary (`_search`),
# its keys for ordering (`_sortName`, `_sortDate`; unknown dates sort as
# 9999-12-31) and a hash of its content (`_hash`).
_COMMON: dict[str, Schema] = {
    "_id": _pattern(SLUG),
    "summary": _text(nullable=True),
    "claims": _list(CLAIM),
    "sources": SOURCES,
    "_slugs": _list(_pattern(SLUG)),
    "_names": _list({"bsonType": "string"}),
    "_search": _list({"bsonType": "string"}),
    "_sortName": {"bsonType": "string"},
    "_sortDate": _pattern(FULL_DATE),
    "_hash": _text(),
}
_NAMED: dict[str, Schema] = {
    "name": _text(),
    "nativeName": _text(nullable=True),
    "aliases": _list(_text()),
}
_DERIVED = ["_slugs", "_names", "_search", "_sortName", "_sortDate", "_hash"]

PROGRAM = _object(
    [
        "_id",
        "name",
        "country",
        "aliases",
        "spacecraft",
        "launchVehicles",
        "people",
        "claims",
        "sources",
        *_DERIVED,
    ],
    {
        **_COMMON,
        **_NAMED,
        "country": _pattern(COUNTRY),
        "organization": _text(nullable=True),
        "startDate": _pattern(PARTIAL_DATE, nullable=True),
        "endDate": _pattern(PARTIAL_DATE, nullable=True),
        "crewCapacity": {"bsonType": ["int", "long", "null"], "minimum": 1},
        "spacecraft": _list(_text()),
        "launchVehicles": _list(_text()),
        "people": _list(PERSON_ROLE),
    },
)

MISSION = _object(
    [
        "_id",
        "name",
        "aliases",
        "country",
        "crewed",
        "status",
        "crew",
        "outcomes",
        "claims",
        "sources",
        "_launchStart",
        "_launchEnd",
        *_DERIVED,
    ],
    {
        **_COMMON,
        **_NAMED,
        "program": _pattern(SLUG, nullable=True),
        "country": _pattern(COUNTRY),
        "crewed": {"bsonType": "bool"},
        "status": {"enum": MISSION_STATUSES},
        "launchDate": _pattern(PARTIAL_DATE, nullable=True),
        "launchTime": {"bsonType": ["date", "null"]},
        "landingDate": _pattern(PARTIAL_DATE, nullable=True),
        "spacecraft": _text(nullable=True),
        "launchVehicle": _text(nullable=True),
        "launchSite": _pattern(SLUG, nullable=True),
        "launchPad": _text(nullable=True),
        "crew": _list(PERSON_ROLE),
        "outcomes": _list(OUTCOME),
        # The first and last day the launch date can mean, for range filters
        # and ordering: "1965-03" spans 1965-03-01..1965-03-31.
        "_launchStart": _pattern(FULL_DATE, nullable=True),
        "_launchEnd": _pattern(FULL_DATE, nullable=True),
    },
)

PERSON = _object(
    ["_id", "name", "aliases", "occupations", "claims", "sources", *_DERIVED],
    {
        **_COMMON,
        **_NAMED,
        "country": _pattern(COUNTRY, nullable=True),
        "occupations": _list(_text()),
        "birthDate": _pattern(PARTIAL_DATE, nullable=True),
        "deathDate": _pattern(PARTIAL_DATE, nullable=True),
    },
)

EVENT = _object(
    [
        "_id",
        "title",
        "kind",
        "date",
        "summary",
        "people",
        "programs",
        "missions",
        "claims",
        "sources",
        "_dateStart",
        "_dateEnd",
        *_DERIVED,
    ],
    {
        **_COMMON,
        "title": _text(),
        "summary": _text(),
        "kind": {"enum": EVENT_KINDS},
        "date": _pattern(PARTIAL_DATE),
        "endDate": _pattern(PARTIAL_DATE, nullable=True),
        "people": _list(_pattern(SLUG)),
        "programs": _list(_pattern(SLUG)),
        "missions": _list(_pattern(SLUG)),
        "_dateStart": _pattern(FULL_DATE),
        "_dateEnd": _pattern(FULL_DATE),
    },
)

LAUNCH_SITE = _object(
    ["_id", "name", "aliases", "country", "names", "claims", "sources", *_DERIVED],
    {
        **_COMMON,
        **_NAMED,
        "country": _pattern(COUNTRY),
        "latitude": {"bsonType": ["double", "int", "null"], "minimum": -90, "maximum": 90},
        "longitude": {"bsonType": ["double", "int", "null"], "minimum": -180, "maximum": 180},
        # Every name it has borne, oldest first; `to` is exclusive.
        "names": _list(DATED_NAME, min_items=1),
    },
)

SCHEMAS: dict[str, Schema] = {
    "programs": PROGRAM,
    "missions": MISSION,
    "persons": PERSON,
    "events": EVENT,
    "launch_sites": LAUNCH_SITE,
}

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
_VALIDATORS = {name: _Validator(schema) for name, schema in SCHEMAS.items()}


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


_FAST = {name: compile_schema(schema) for name, schema in SCHEMAS.items()}


def violations(collection: str, document: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Each rule `document` breaks, as (field path, message)."""
    if not _FAST[collection](document):
        yield from _report(_VALIDATORS[collection], document)


def schema_violations(schema: Schema, instance: Any) -> Iterator[tuple[str, str]]:
    """Each rule of `schema` that `instance` breaks, as (field path, message)."""
    yield from _report(_Validator(schema), instance)


def _report(validator: Any, instance: Any) -> Iterator[tuple[str, str]]:
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.path))):
        yield _field_path(error), _message(error)


def mongo_validator(collection: str) -> dict[str, Any]:
    """The collection validator to install on a real MongoDB server."""
    return {"$jsonSchema": SCHEMAS[collection]}


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
