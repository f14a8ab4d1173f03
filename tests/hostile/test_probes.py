"""Every hostile probe is refused fast and clearly, whichever executor is configured:
the right HTTP status, a GraphQL JSON error with the right `extensions.code`, no
data, and well within a second."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
from starlette.testclient import TestClient

from benchmarks.hostile import GRAPHQL_RESPONSE, PROBES, PRODUCTION, Probe
from spacerace.api.app import create_app
from spacerace.schema.gate import GateSettings
from spacerace.store.settings import Settings

FAST = 1.0
"""Seconds: a guard generous enough for a busy CI machine (the benchmarks measure)."""


EXECUTORS = ("compiled", "reference")
CASES = [
    (executor, probe) for executor in EXECUTORS for probe in PROBES if executor in probe.executors
]


@pytest.fixture(scope="module")
def clients() -> Iterator[dict[str, TestClient]]:
    """The API on the embedded store, with the production switches, per executor."""
    with ExitStack() as stack:
        yield {
            executor: stack.enter_context(
                TestClient(
                    create_app(
                        Settings(),
                        GateSettings.from_env({"SPACERACE_EXECUTOR": executor, **PRODUCTION}),
                    )
                )
            )
            for executor in EXECUTORS
        }


def send(client: TestClient, probe: Probe) -> tuple[float, Any]:
    """The seconds the answer took, and the answer (the body is built beforehand)."""
    headers = {"accept": GRAPHQL_RESPONSE}
    body = probe.body()
    if probe.method == "GET":
        start = time.perf_counter()
        response = client.get("/graphql", params={"query": body.decode()}, headers=headers)
        return time.perf_counter() - start, response
    headers["content-type"] = probe.content_type
    chunks = [body[i : i + 65_536] for i in range(0, len(body), 65_536)]
    start = time.perf_counter()
    response = client.post(
        "/graphql", content=iter(chunks) if probe.chunked else body, headers=headers
    )
    return time.perf_counter() - start, response


@pytest.mark.parametrize(("executor", "probe"), CASES, ids=[f"{e}-{p.name}" for e, p in CASES])
def test_a_hostile_request_is_refused_fast_and_clearly(
    clients: dict[str, TestClient], executor: str, probe: Probe
) -> None:
    elapsed, response = send(clients[executor], probe)
    assert response.status_code == probe.status, response.text[:500]
    assert response.headers["content-type"].startswith(("application/json", GRAPHQL_RESPONSE))
    body = response.json()
    assert "data" not in body
    error = body["errors"][0]
    assert error["extensions"]["code"] == probe.code, error
    assert error["message"]
    if "setting" in error["extensions"]:
        assert error["extensions"]["setting"] in error["message"]
    assert elapsed < FAST, f"{probe.name}: {elapsed:.2f} s"


def test_every_probe_is_sent() -> None:
    assert len({p.name for p in PROBES}) == len(PROBES)
    codes = {p.code for p in PROBES}
    assert {
        "QUERY_TOO_COMPLEX",
        "QUERY_TOO_DEEP",
        "QUERY_TOO_LONG",
        "TOO_MANY_ALIASES",
        "TOO_MANY_TOKENS",
        "TOO_MANY_DIRECTIVES",
        "TOO_MANY_REPEATED_FIELDS",
        "TOO_MANY_ROOT_FIELDS",
        "SEARCH_TOO_LONG",
        "VARIABLES_TOO_LARGE",
        "PAYLOAD_TOO_LARGE",
        "INTROSPECTION_DISABLED",
        "BAD_REQUEST",
    } <= codes
