"""Search across types, and `node(id:)` for every Node type."""

from __future__ import annotations

import base64

import pytest

from tests.schema.conftest import Execute, data

SEARCH = """
query Search($q: String!, $first: Int) {
  search(query: $q, first: $first) {
    __typename
    ... on Person { slug }
    ... on Mission { slug }
    ... on Program { slug }
    ... on Event { slug }
  }
}
"""


@pytest.mark.parametrize("text", ["leonov", "Léonov", "Леонов", "LEONOV"])
def test_search_is_case_accent_and_script_aware(execute: Execute, text: str) -> None:
    results = data(execute(SEARCH, q=text))["search"]
    assert results[0] == {"__typename": "Person", "slug": "alexey-leonov"}
    assert {"__typename": "Mission", "slug": "voskhod-2"} in results


def test_search_finds_aliases(execute: Execute) -> None:
    results = data(execute(SEARCH, q="Friendship 7"))["search"]
    assert results[0] == {"__typename": "Mission", "slug": "friendship-7"}


def test_search_respects_first(execute: Execute) -> None:
    assert len(data(execute(SEARCH, q="soyuz", first=3))["search"]) == 3
    error = execute(SEARCH, q="soyuz", first=101).errors[0]  # type: ignore[index]
    assert error.extensions["code"] == "BAD_USER_INPUT"


NODE = """query($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Mission { slug } ... on Person { slug } ... on Program { slug } ... on Event { slug }
  }
}"""


@pytest.mark.parametrize(
    ("field", "slug", "type_name"),
    [
        ("mission", "voskhod-2", "Mission"),
        ("person", "alexey-leonov", "Person"),
        ("program", "gemini", "Program"),
        ("event", "kennedy-assassination", "Event"),
    ],
)
def test_every_node_type_round_trips(
    execute: Execute, field: str, slug: str, type_name: str
) -> None:
    node_id = data(execute(f'{{ {field}(slug: "{slug}") {{ id }} }}'))[field]["id"]
    node = data(execute(NODE, id=node_id))["node"]
    assert node == {"__typename": type_name, "id": node_id, "slug": slug}


@pytest.mark.parametrize(
    "node_id",
    [
        "nonsense",
        base64.b64encode(b"Mission:voskhod-9").decode(),
        base64.b64encode(b"Rocket:n1").decode(),
        "",
    ],
)
def test_unknown_ids_are_null(execute: Execute, node_id: str) -> None:
    assert data(execute(NODE, id=node_id)) == {"node": None}
