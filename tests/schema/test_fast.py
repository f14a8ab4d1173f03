"""The compiled executor answers exactly as graphql-core does, and hands back what it
does not fully understand."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest

from spacerace.schema import fast, schema
from spacerace.schema.context import Context
from spacerace.store.aio import AsyncStore
from spacerace.store.reads import Reader

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "queries"

EVERYTHING = """
fragment Sources on Node { id }
fragment MissionParts on Mission {
  slug name nativeName aliases country crewed status launchDate launchTime landingDate
  spacecraft launchVehicle summary __typename
  program { slug name }
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


def answer(
    open_store: Callable[[], AsyncStore], query: str, variables: dict[str, Any], compiled: bool
) -> Any:
    async def main() -> Any:
        store = open_store()
        try:
            context = Context.for_request(Reader(store))
            if compiled:
                return await fast.execute(schema._schema, query, variables, None, context.reader)
            result = await schema.execute(query, variables, context)
            assert result.errors is None, result.errors
            return result.data
        finally:
            await store.close()

    return orjson.loads(orjson.dumps(asyncio.run(main())))


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "compiled", False)


@pytest.mark.usefixtures("slow")
@pytest.mark.parametrize("variables", VARIABLES)
def test_the_same_answer_as_graphql_core(
    open_store: Callable[[], AsyncStore], variables: dict[str, Any]
) -> None:
    compiled = answer(open_store, EVERYTHING, variables, compiled=True)
    reference = answer(open_store, EVERYTHING, variables, compiled=False)
    assert compiled == reference
    assert compiled["programs"]["totalCount"] > 10


@pytest.mark.usefixtures("slow")
@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.graphql")))
def test_the_examples_get_the_same_answer(
    open_store: Callable[[], AsyncStore], example: str
) -> None:
    query = (EXAMPLES / example).read_text(encoding="utf-8")
    assert answer(open_store, query, {}, compiled=True) == answer(
        open_store, query, {}, compiled=False
    )


@pytest.mark.parametrize(
    "query",
    [
        "{ __schema { types { name } } }",
        '{ mission(slug: "voskhod-2") { name @include(if: true) } }',
        "{ missions(first: 1000) { totalCount } }",
        '{ missions(after: "forged") { totalCount } }',
        "{ missions { nodes { rocket } } }",
        "{ missions { nodes { slug }",
        "query A { __typename } query B { __typename }",
    ],
)
def test_what_it_does_not_answer_goes_to_graphql_core(
    open_store: Callable[[], AsyncStore], query: str
) -> None:
    with pytest.raises(fast.Unsupported):
        answer(open_store, query, {}, compiled=True)
