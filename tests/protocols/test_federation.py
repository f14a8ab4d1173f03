"""Apollo Federation end to end: the served `_service { sdl }` composes with
@apollo/composition beside a second subgraph (tests/protocols/federation.mjs, which
extends Mission by slug), and queries across both run through @apollo/gateway
against the real app under uvicorn."""

from __future__ import annotations

import json

from tests.protocols.conftest import LiveApp, run_node


def test_the_subgraph_composes_and_answers_through_a_gateway(node: str, live_app: LiveApp) -> None:
    output = json.loads(run_node(node, "federation.mjs", f"{live_app.url}/graphql"))
    assert output["hints"] == []
    started_here, listed, started_there = output["results"]
    for result in output["results"]:
        assert "errors" not in result, result
    assert started_here["data"]["mission"] == {
        "name": "Voskhod 2",
        "launchDate": "1965-03-18",
        "note": "note on voskhod-2",
        "crew": [{"person": {"name": "Pavel Belyayev"}}, {"person": {"name": "Alexey Leonov"}}],
    }
    nodes = listed["data"]["missions"]["nodes"]
    assert [n["note"] for n in nodes] == [f"note on {n['slug']}" for n in nodes]
    assert len(nodes) == 3
    # The gateway got these names from this API's _entities, by the slugs the other
    # subgraph returned.
    assert started_there["data"]["featured"] == [
        {
            "slug": "voskhod-2",
            "name": "Voskhod 2",
            "program": {"name": "Voskhod"},
            "note": "note on voskhod-2",
        },
        {
            "slug": "apollo-11",
            "name": "Apollo 11",
            "program": {"name": "Apollo program"},
            "note": "note on apollo-11",
        },
    ]
