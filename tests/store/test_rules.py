"""The validation rules, checked in Python and enforced by a real server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pymongo.database import Database
from pymongo.errors import WriteError

from spacerace.loaders.pipeline import load
from spacerace.store.generations import live
from spacerace.store.layout import KINDS, MISSIONS, PERSONS
from spacerace.store.rules import _report

Document = dict[str, Any]


def minimal_person(**changes: Any) -> Document:
    person: Document = {
        "_id": "alexey-leonov",
        "name": "Alexey Leonov",
        "nativeName": None,
        "aliases": [],
        "country": "SU",
        "occupations": ["cosmonaut"],
        "birthDate": "1934-05-30",
        "deathDate": None,
        "summary": None,
        "claims": [],
        "sources": [{"key": "k", "title": "T", "publisher": None, "url": None}],
        "_slugs": ["alexey-leonov"],
        "_names": ["alexey leonov"],
        "_search": ["alexey leonov"],
        "_sortName": "alexey leonov",
        "_sortDate": "1934-05-30",
        "_hash": "h",
    }
    person.update(changes)
    return person


def test_a_valid_document_breaks_no_rule() -> None:
    assert list(PERSONS.rules.violations(minimal_person())) == []


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"country": "USSR"}, "country", "does not match"),
        ({"birthDate": "30 May 1934"}, "birthDate", "does not match"),
        ({"sources": []}, "sources", "must not be empty"),
        ({"name": 7}, "name", "is not of type string"),
        ({"height": 1.7}, "height", "is not a known field"),
        ({"occupations": "cosmonaut"}, "occupations", "is not of type array"),
    ],
)
def test_each_broken_rule_names_its_field(change: Document, field: str, message: str) -> None:
    found = dict(PERSONS.rules.violations(minimal_person(**change)))
    assert field in found
    assert message in found[field]


def test_a_missing_field_is_named() -> None:
    person = minimal_person()
    del person["name"]
    assert dict(PERSONS.rules.violations(person)) == {"name": "is required"}


def test_bson_types_are_used_for_the_server() -> None:
    schema = MISSIONS.rules.mongo_validator()["$jsonSchema"]
    assert schema["properties"]["launchTime"]["bsonType"] == ["date", "null"]
    assert "type" not in str(schema).replace("bsonType", "")


@pytest.mark.wire
def test_the_server_enforces_the_same_rules(wire_db: Database[Document], seeds: Path) -> None:
    load(wire_db, [str(seeds)])
    with pytest.raises(WriteError) as caught:
        live(wire_db, "persons").insert_one(minimal_person(_id="someone", country="USSR"))
    assert caught.value.code == 121
    live(wire_db, "persons").insert_one(minimal_person(_id="someone-valid"))


def mutations(doc: Document) -> list[Document]:
    """Each top-level field removed, and each replaced by a value of another type."""
    out = []
    for key in doc:
        removed = dict(doc)
        del removed[key]
        out.append(removed)
        for value in (True, 7, 1.5, "x", "", [], [7], {}, {"title": 1}, None):
            out.append({**doc, key: value})
    return out


def test_the_fast_check_agrees_with_jsonschema(loaded_embedded: Database[Document]) -> None:
    for kind in KINDS:
        for doc in live(loaded_embedded, kind.name).find().limit(15):
            doc.pop("launchTime", None)  # mongomock's datetime is checked separately
            for candidate in [doc, *mutations(doc)]:
                explained = list(_report(kind.rules._explainer, candidate))
                assert kind.rules.passes(candidate) is (explained == []), (kind.name, candidate)
