"""The example operations in docs/queries run and answer what they promise."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.schema.conftest import Execute, data

QUERIES = Path(__file__).resolve().parents[2] / "docs" / "queries"


def voskhod_2(answer: dict[str, Any]) -> None:
    mission = answer["mission"]
    assert mission["launchDate"] == "1965-03-18"
    assert [(c["role"], c["person"]["name"]) for c in mission["crew"]] == [
        ("Commander", "Pavel Belyayev"),
        ("Pilot", "Alexey Leonov"),
    ]
    kinds = {o["kind"] for o in mission["outcomes"]}
    assert {"FIRST", "ANOMALY"} <= kinds


def program_tree(answer: dict[str, Any]) -> None:
    program = answer["program"]
    assert program["organization"] == "OKB-1"
    missions = program["missions"]["nodes"]
    assert [m["name"] for m in missions][:2] == ["Voskhod 1", "Voskhod 2"]
    assert len(missions[0]["crew"]) == 3
    assert {m["status"] for m in missions[2:]} == {"CANCELLED"}


def person_flights(answer: dict[str, Any]) -> None:
    person = answer["person"]
    assert person["birthDate"] == "1934-05-30"
    assert person["deathDate"] == "2019-10-11"
    assert [f["mission"]["name"] for f in person["flights"]] == ["Voskhod 2", "Soyuz 19"]
    assert any(
        o["kind"] == "FIRST" and o["mission"]["name"] == "Voskhod 2" for o in person["outcomes"]
    )


def timeline(answer: dict[str, Any]) -> None:
    events = answer["timeline"]["nodes"]
    dates = [e["date"] for e in events]
    assert dates == sorted(dates)
    assert {"1963-09-20", "1963-11-22", "1963-11-29", "1964-10-14"} <= set(dates)
    assert all(e["sources"] for e in events)


def search(answer: dict[str, Any]) -> None:
    results = answer["search"]
    assert results[0] == {"__typename": "Person", "slug": "alexey-leonov", "name": "Alexey Leonov"}


def astronaut_hours(answer: dict[str, Any]) -> None:
    """Without the Astronaut database loaded the hours are null (the tests of
    `loaders.astronauts` check them with it); the curated claims are there."""
    mission = answer["mission"]
    assert [c["person"]["name"] for c in mission["crew"]] == ["Pavel Belyayev", "Alexey Leonov"]
    for seat in mission["crew"]:
        assert seat["flightHours"] is None or seat["flightHours"] > 0
    assert {"landing-miss-distance"} <= {c["topic"] for c in mission["claims"]}


CHECKS: dict[str, Callable[[dict[str, Any]], None]] = {
    "astronaut-hours.graphql": astronaut_hours,
    "voskhod-2.graphql": voskhod_2,
    "program-tree.graphql": program_tree,
    "person-flights.graphql": person_flights,
    "timeline-1963-1965.graphql": timeline,
    "search.graphql": search,
}


def test_every_example_is_checked() -> None:
    assert sorted(p.name for p in QUERIES.glob("*.graphql")) == sorted(CHECKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_example(execute: Execute, name: str) -> None:
    CHECKS[name](data(execute((QUERIES / name).read_text(encoding="utf-8"))))
