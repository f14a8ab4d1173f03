"""OpenTelemetry spans (the otel extra): the request, its execution, each database
command, in one trace that continues the caller's."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from spacerace.api.app import create_app
from spacerace.api.observe import Observe, ObserveSettings
from spacerace.schema.gate import GateSettings
from spacerace.store.settings import Settings
from tests.serving import require

CREW = 'query Crew { mission(slug: "voskhod-2") { name crew { role person { name } } } }'
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def exporter() -> Any:
    require(
        find_spec("opentelemetry") is not None and find_spec("opentelemetry.sdk") is not None,
        "the otel extra is not installed (pip install -c constraints.txt -e '.[otel]')",
    )
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    return InMemorySpanExporter()


@pytest.fixture(params=["embedded", pytest.param("wire", marks=pytest.mark.wire)])
def client(request: pytest.FixtureRequest, exporter: Any, executor: str) -> Iterator[TestClient]:
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor

    from spacerace.api.tracing import Tracing

    settings = (
        Settings()
        if request.param == "embedded"
        else Settings(mongodb_uri=request.getfixturevalue("loaded_wire"))
    )
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    app = create_app(
        settings,
        GateSettings(executor=executor),
        observe=ObserveSettings(),
        tracing=Tracing(provider=provider),
    )
    with TestClient(app) as test_client:
        exporter.clear()  # start-up's reads are no request's
        yield test_client


def test_a_request_is_one_trace_that_continues_the_callers(
    client: TestClient, exporter: Any, executor: str
) -> None:
    response = client.post(
        "/graphql",
        json={"query": CREW},
        headers={"traceparent": PARENT, "x-request-id": "span-1"},
    )
    assert response.status_code == 200
    spans = exporter.get_finished_spans()
    by_name = {span.name: span for span in spans}
    request = by_name["POST /graphql"]
    execution = by_name["query Crew"]
    commands = [s for s in spans if s.name.startswith("find ")]
    assert {s.name for s in commands} >= {"find missions", "find persons"}
    assert len(spans) == 2 + len(commands)  # and nothing else (no dataset polling)
    # One trace: the caller's, then request > execution > each command.
    assert {format(s.context.trace_id, "032x") for s in spans} == {TRACE_ID}
    assert format(request.parent.span_id, "016x") == "00f067aa0ba902b7"
    assert execution.parent.span_id == request.context.span_id
    assert all(s.parent.span_id == execution.context.span_id for s in commands)
    assert request.kind.name == "SERVER"
    assert request.attributes["http.request.method"] == "POST"
    assert request.attributes["http.response.status_code"] == 200
    assert request.attributes["spacerace.request_id"] == "span-1"
    assert request.attributes["graphql.operation.name"] == "Crew"
    assert execution.attributes["spacerace.executor"] == executor
    assert execution.attributes["graphql.operation.name"] == "Crew"
    assert all(s.kind.name == "CLIENT" for s in commands)
    assert all(s.attributes["db.system.name"] == "mongodb" for s in commands)
    assert {s.attributes["db.collection.name"] for s in commands} >= {"missions", "persons"}
    assert all(s.status.is_ok for s in spans)


def test_a_request_without_a_caller_starts_its_own_trace(client: TestClient, exporter: Any) -> None:
    client.get("/healthz")
    client.post("/graphql", json={"query": "{ nope"})
    health, refused = [s for s in exporter.get_finished_spans() if s.kind.name == "SERVER"]
    assert health.name == "GET /healthz"
    assert health.parent is None
    assert refused.context.trace_id != health.context.trace_id
    executions = [s for s in exporter.get_finished_spans() if s.name.startswith("query")]
    assert len(executions) == 1
    assert executions[0].attributes["graphql.error.codes"] == ("GRAPHQL_PARSE_FAILED",)


def test_tracing_is_off_by_default() -> None:
    assert ObserveSettings.from_env({}).tracing == "off"
    app = create_app(Settings(), observe=ObserveSettings())
    (observe,) = [m for m in app.user_middleware if m.cls is Observe]
    assert observe.kwargs["tracer"] is None


CONSOLE = """
from starlette.testclient import TestClient
from spacerace.api.app import create_app
with TestClient(create_app()) as client:
    query = 'query Crew { mission(slug: "voskhod-2") { name } }'
    assert client.post("/graphql", json={"query": query}).status_code == 200
"""


def test_console_tracing_prints_the_spans(exporter: Any) -> None:
    env = {**os.environ, "SPACERACE_TRACING": "console"}
    env.pop("OTEL_SERVICE_NAME", None)
    done = subprocess.run(
        [sys.executable, "-c", CONSOLE],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert '"name": "POST /graphql"' in done.stdout
    assert '"name": "query Crew"' in done.stdout
    assert '"name": "find missions"' in done.stdout
    assert '"service.name": "spacerace"' in done.stdout
