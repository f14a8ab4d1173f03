"""The compiled executor answers exactly as graphql-core does, and hands back what it
does not fully understand."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from spacerace.schema import schema
from spacerace.schema.gate import Answer, Gate, GateSettings, Request
from spacerace.schema.limits import LimitSettings
from spacerace.store.aio import AsyncStore
from spacerace.store.reads import Reader

EXECUTORS = ("compiled", "reference")
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "queries"

EVERYTHING = """
fragment Sources on Node { id }
fragment MissionParts on Mission {
  slug name nativeName aliases country crewed status launchDate launchTime landingDate
  spacecraft launchVehicle launchPad summary __typename
  program { slug name }
  launchSite { slug name nameOn(date: "1965") names { name from to sources { url } } country
    latitude longitude missions(first: 3) { totalCount nodes { slug } } }
  crew { role person { slug ...Sources } mission { slug } outcomes { kind } }
  firsts: outcomes(kind: FIRST) { kind summary date people { slug } mission { slug } }
  outcomes { kind sources { title publisher url } }
  claims { topic value sources { title } }
  sources { title publisher url }
}
query Everything($first: Int, $filter: MissionFilter, $order: MissionOrder) {
  programs(first: 100) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { slug } }
    nodes {
      id slug name nativeName aliases country organization summary startDate endDate
      crewCapacity spacecraft launchVehicles
      people { role person { slug name } }
      claims { topic value }
      sources { url }
      missions(first: $first, filter: $filter, orderBy: $order) {
        totalCount
        pageInfo { hasNextPage endCursor startCursor hasPreviousPage }
        edges { cursor node { ...MissionParts } }
        nodes { ... on Mission { slug } }
      }
    }
  }
  people(first: 100, filter: {country: "SU"}) {
    totalCount
    nodes {
      id slug name nativeName aliases country occupations birthDate deathDate summary
      flights { role mission { slug launchDate } outcomes { kind } }
      outcomes { kind mission { name } people { slug } }
      claims { topic value sources { title } }
    }
  }
  timeline(first: 100, filter: {from: "1963", to: "1966"}) {
    totalCount
    edges { cursor node { id slug title kind date endDate summary
      people { slug } programs { slug } missions { slug } sources { title } claims { value } } }
  }
  leonov: search(query: "Леонов", first: 10) {
    __typename
    ... on Person { slug }
    ... on Mission { slug crew { role } }
    ... on Program { slug }
    ... on Event { slug date }
  }
  voskhod: node(id: "TWlzc2lvbjp2b3NraG9kLTI=") { __typename id ... on Mission { name } }
  missing: node(id: "bm9wZQ==") { id }
  mission(slug: "ma-6") { slug }
  sites: launchSites(first: 100) { totalCount pageInfo { endCursor } nodes { id slug name
    nameOn(date: "1970-01") aliases nativeName summary claims { topic } sources { title } } }
  kennedy: launchSite(slug: "cape-kennedy") { slug }
  nobody: person(slug: "nobody") { slug }
  event(slug: "kennedy-assassination") { title }
  program(slug: "gemini") { missions(first: 3, after: null, orderBy: NAME_ASC) { nodes { name } } }
  missions(first: 5, filter: {crewMember: "alexey-leonov"}, orderBy: LAUNCH_DATE_DESC) {
    totalCount nodes { slug }
  }
  __typename
}
"""

VARIABLES: list[dict[str, Any]] = [
    {},
    {"first": 2, "order": "LAUNCH_DATE_DESC"},
    {"first": 100, "filter": {"crewed": True, "launchedFrom": "1965", "launchedTo": "1969-07"}},
    {"first": 5, "filter": {"nameContains": "Союз", "status": "SUCCESS"}, "order": "NAME_ASC"},
]


# EVERYTHING asks for every field at once, pages of 100 included: its estimate
# (1.5 million objects with `first: 100`) is over the default cost limit, which is
# not what these tests are about; nor is the alias limit (cancelled-batch.graphql, a
# generated query, has more than 15).
GATES = {
    name: Gate(
        schema._schema,
        GateSettings(executor=name, limits=LimitSettings().but(max_cost=None, max_aliases=None)),
    )
    for name in EXECUTORS
}


def answer(
    open_store: Callable[[], AsyncStore], query: str, variables: dict[str, Any], executor: str
) -> Answer:
    async def main() -> Answer:
        store = open_store()
        try:
            return await GATES[executor].run(Request(query, variables), Reader(store))
        finally:
            await store.close()

    return asyncio.run(main())


def both(open_store: Callable[[], AsyncStore], query: str, variables: dict[str, Any]) -> Any:
    """The answer, checked to be the same JSON from both executors, each answering."""
    compiled = answer(open_store, query, variables, "compiled")
    reference = answer(open_store, query, variables, "reference")
    assert compiled.executor == "compiled"
    assert reference.executor == "reference"
    assert reference.errors == []
    assert orjson.loads(orjson.dumps(compiled.formatted())) == orjson.loads(
        orjson.dumps(reference.formatted())
    )
    return compiled.data


@pytest.mark.parametrize("variables", VARIABLES)
def test_the_same_answer_as_graphql_core(
    open_store: Callable[[], AsyncStore], variables: dict[str, Any]
) -> None:
    data = both(open_store, EVERYTHING, variables)
    assert data["programs"]["totalCount"] > 10


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.graphql")))
def test_the_examples_get_the_same_answer(
    open_store: Callable[[], AsyncStore], example: str
) -> None:
    both(open_store, (EXAMPLES / example).read_text(encoding="utf-8"), {})


@pytest.mark.parametrize(
    ("query", "answered_by"),
    [
        ("{ __schema { types { name } } }", "reference"),
        ('{ mission(slug: "voskhod-2") { name @include(if: true) } }', "reference"),
        ("{ missions(first: 1000) { totalCount } }", "reference"),
        ('{ missions(after: "forged") { totalCount } }', "reference"),
        ('{ launchSite(slug: "baikonur") { nameOn(date: "1965-02-30") } }', None),
        ("{ missions { nodes { rocket } } }", None),
        ("{ missions { nodes { slug }", None),
        ("query A { __typename } query B { __typename }", None),
    ],
)
def test_what_it_does_not_answer_goes_to_graphql_core(
    open_store: Callable[[], AsyncStore], query: str, answered_by: str | None
) -> None:
    """graphql-core answers (or, for a request that is itself wrong, nobody executes)."""
    found = answer(open_store, query, {}, "compiled")
    assert found.executor == answered_by
    assert found.formatted() == answer(open_store, query, {}, "reference").formatted()


def test_a_batch_shared_with_cancelled_fields_still_answers_the_others(
    open_store: Callable[[], AsyncStore],
) -> None:
    """Found by the generated queries: when an error cancels some fields, graphql-core
    cancels the tasks awaiting a DataLoader batch that other fields still await. The
    reference executor used to let that cancellation escape as CancelledError."""
    query = (Path(__file__).parent / "cancelled-batch.graphql").read_text(encoding="utf-8")
    found = answer(open_store, query, {}, "reference")
    assert found.data is None
    assert [e.extensions["code"] for e in found.errors] == ["BAD_USER_INPUT"]  # type: ignore[index]
    assert found.formatted() == answer(open_store, query, {}, "compiled").formatted()
