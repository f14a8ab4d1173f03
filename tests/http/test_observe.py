"""What an operator sees: request ids, access lines, /metrics (one process and
several), and what never shows in a log line."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient

from spacerace.api import logs
from spacerace.api.app import create_app
from spacerace.api.metrics import Metrics, OperationNames
from spacerace.api.observe import ObserveSettings
from spacerace.schema.gate import GateSettings
from spacerace.store.aio import EmbeddedStore
from spacerace.store.settings import Settings, SettingsError

CREW = 'query Crew { mission(slug: "voskhod-2") { name crew { role person { name } } } }'
COUNT = "query HowMany { missions { totalCount } }"
ROOT = Path(__file__).resolve().parents[2]


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a Prometheus text exposition, by name and labels."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, frozenset(labels.items())), 0.0)


@pytest.fixture(params=["embedded", pytest.param("wire", marks=pytest.mark.wire)])
def settings(request: pytest.FixtureRequest) -> Settings:
    if request.param == "embedded":
        return Settings()
    return Settings(mongodb_uri=request.getfixturevalue("loaded_wire"))


@pytest.fixture
def client(settings: Settings, executor: str) -> Iterator[TestClient]:
    app = create_app(settings, GateSettings(executor=executor), observe=ObserveSettings())
    with TestClient(app) as test_client:
        yield test_client


def post(client: TestClient, query: str, **headers: str) -> Any:
    return client.post("/graphql", json={"query": query}, headers=headers)


# -- request ids ----------------------------------------------------------------------


def test_a_sane_request_id_is_kept_and_sent_back(client: TestClient) -> None:
    response = post(client, CREW, **{"x-request-id": "lb-7f3a:42"})
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "lb-7f3a:42"


@pytest.mark.parametrize(
    "incoming",
    ["has spaces", "x" * 129, 'quote"d', "new\\nline", "", "ünïcode"],
)
def test_an_odd_request_id_is_replaced(client: TestClient, incoming: str) -> None:
    response = client.post(
        "/graphql",
        json={"query": CREW},
        headers=[("x-request-id", incoming.encode())],  # type: ignore[list-item]
    )
    given = response.headers["x-request-id"]
    assert given != incoming
    assert len(given) == 32
    assert int(given, 16) >= 0


def test_every_answer_carries_a_request_id_each_its_own(client: TestClient) -> None:
    answers = [
        client.get("/healthz"),
        client.get("/readyz"),
        client.get("/metrics"),
        client.get("/nowhere"),
        post(client, CREW),
        post(client, CREW),
        client.post("/graphql", content=b"{", headers={"content-type": "application/json"}),
    ]
    ids = [answer.headers["x-request-id"] for answer in answers]
    assert all(len(i) == 32 for i in ids)
    assert len(set(ids)) == len(ids)


def test_the_gate_names_the_same_request_id_in_an_internal_error_and_its_log(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(self: EmbeddedStore, collection: str, *args: Any, **kw: Any) -> Any:
        if collection.startswith("missions"):  # any generation of it
            raise RuntimeError("a bug in the store")
        return []

    monkeypatch.setattr(EmbeddedStore, "find", broken)
    app = create_app(Settings(), GateSettings(executor="reference"), observe=ObserveSettings())
    with TestClient(app) as client, caplog.at_level(logging.INFO):
        response = post(client, CREW, **{"x-request-id": "trace-me-1"})
        text = client.get("/metrics").text
    assert response.headers["x-request-id"] == "trace-me-1"
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "trace-me-1"}
    assert "trace-me-1" in error["message"]
    gate_lines = [r for r in caplog.records if r.name == "spacerace.gate"]
    assert gate_lines
    assert all("trace-me-1" in r.getMessage() for r in gate_lines)
    (line,) = [r for r in caplog.records if r.name == logs.ACCESS and "/graphql" in r.getMessage()]
    assert line.access["request_id"] == "trace-me-1"  # type: ignore[attr-defined]
    assert line.access["outcome"] == "server_error"  # type: ignore[attr-defined]
    assert value(text, "spacerace_requests_total", operation_name="Crew", outcome="server_error")


def test_an_exception_that_escapes_the_app_is_a_json_error_with_the_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def boom(request: Request) -> Response:
        raise RuntimeError("unexpected")

    app = create_app(Settings(), observe=ObserveSettings())
    app.router.routes.append(Route("/boom", boom))
    with TestClient(app) as client, caplog.at_level(logging.INFO):
        response = client.get("/boom", headers={"x-request-id": "boom-1"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-request-id"] == "boom-1"
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "boom-1"}
    assert "Traceback" not in response.text
    logged = [r for r in caplog.records if r.name == "spacerace.http"]
    assert logged
    assert logged[0].exc_info is not None
    (line,) = [r for r in caplog.records if r.name == logs.ACCESS]
    assert line.access["status"] == 500  # type: ignore[attr-defined]


# -- metrics -----------------------------------------------------------------------------


def test_metrics_count_known_requests(client: TestClient, executor: str) -> None:
    before = client.get("/metrics").text
    for _ in range(3):
        assert post(client, CREW).status_code == 200
    assert "errors" not in post(client, COUNT).json()
    post(client, "{ mission(slug: ")  # does not parse
    post(client, '{ mission(slug: "voskhod-2") { name } }')  # anonymous
    post(client, "{ missions(first: 1000) { totalCount } }")  # anonymous, bad input
    after = client.get("/metrics")
    assert after.status_code == 200
    assert after.headers["content-type"].startswith("text/plain")
    text = after.text

    def grew(name: str, **labels: str) -> float:
        return value(text, name, **labels) - value(before, name, **labels)

    assert grew("spacerace_requests_total", operation_name="Crew", outcome="ok") == 3
    assert grew("spacerace_requests_total", operation_name="HowMany", outcome="ok") == 1
    assert grew("spacerace_requests_total", operation_name="(none)", outcome="client_error") == 1
    assert grew("spacerace_requests_total", operation_name="(anonymous)", outcome="ok") == 1
    assert (
        grew("spacerace_requests_total", operation_name="(anonymous)", outcome="client_error") == 1
    )
    assert grew("spacerace_request_duration_seconds_count", operation_name="Crew") == 3
    assert grew("spacerace_request_duration_seconds_sum", operation_name="Crew") > 0
    # The first Crew executes; the two after it come from the answer cache.
    assert grew("spacerace_executions_total", operation_name="Crew", executor=executor) == 1
    assert grew("spacerace_executions_total", operation_name="Crew", executor="cache") == 2
    other = "reference" if executor == "compiled" else "compiled"
    assert grew("spacerace_executions_total", operation_name="Crew", executor=other) == 0
    # totalCount is one count_documents: an `aggregate` on the wire, counted as one
    # on the embedded store too; the crew query is at least two finds (once: the
    # answer cache has it after).
    assert grew("spacerace_db_command_duration_seconds_count", command="aggregate") == 1
    assert grew("spacerace_db_command_duration_seconds_count", command="find") >= 2
    assert grew("spacerace_db_command_duration_seconds_sum", command="find") > 0
    assert grew("spacerace_db_command_errors_total", command="find") == 0
    (version,) = [
        dict(labels)["version"]
        for (name, labels), v in samples(text).items()
        if name == "spacerace_dataset_info" and v == 1
    ]
    assert len(version) >= 16
    assert value(text, "spacerace_build_info", version="0.1.0") == 1


def test_a_database_that_is_down_counts_as_unavailable() -> None:
    settings = Settings(mongodb_uri="mongodb://127.0.0.1:9/?directConnection=true", timeout_ms=200)
    with TestClient(create_app(settings, observe=ObserveSettings())) as client:
        response = post(client, CREW)
        text = client.get("/metrics").text
    assert response.status_code == 503
    assert value(text, "spacerace_requests_total", operation_name="Crew", outcome="unavailable")
    sent = [
        v
        for (name, labels), v in samples(text).items()
        if name == "spacerace_db_command_duration_seconds_count"
    ]
    assert sum(sent) == 0  # the driver never reached a server: no command was sent


def test_operation_names_are_bounded() -> None:
    names = OperationNames(2)
    assert names.label("A", True) == "A"
    assert names.label("B", True) == "B"
    assert names.label("C", True) == "(other)"  # over the cap
    assert names.label("A", True) == "A"  # known names stay
    assert names.label(None, True) == "(anonymous)"
    assert names.label(None, False) == "(none)"
    long = OperationNames(100)
    assert long.label("L" * 65, True) == "(other)"
    assert long.label("L" * 64, True) == "L" * 64


def test_the_cap_on_operation_names_holds_over_http() -> None:
    observe = ObserveSettings(max_operations=2)
    with TestClient(create_app(Settings(), observe=observe)) as client:
        for name in ("One", "Two", "Three", "Four", "One"):
            post(client, f"query {name} {{ programs {{ totalCount }} }}")
        text = client.get("/metrics").text
    labels = {
        dict(labels)["operation_name"]
        for (name, labels), _ in samples(text).items()
        if name == "spacerace_requests_total"
    }
    assert labels == {"One", "Two", "(other)"}
    assert value(text, "spacerace_requests_total", operation_name="One", outcome="ok") == 2
    assert value(text, "spacerace_requests_total", operation_name="(other)", outcome="ok") == 2


def test_metrics_answer_json_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    with TestClient(create_app(Settings(), observe=ObserveSettings())) as client:
        wrong = client.post("/metrics")
        monkeypatch.setattr(Metrics, "exposition", _fails)
        failed = client.get("/metrics", headers={"x-request-id": "scrape-1"})
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "GET, HEAD"
    assert wrong.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert failed.status_code == 500
    assert failed.headers["content-type"] == "application/json"
    (error,) = failed.json()["errors"]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "scrape-1"}
    assert "Traceback" not in failed.text
    off = ObserveSettings(metrics=False)
    with TestClient(create_app(Settings(), observe=off)) as client:
        response = client.get("/metrics")
    assert response.status_code == 404
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def _fails(self: Metrics, accept: str) -> tuple[bytes, str]:
    raise OSError("the metrics folder is gone")


def test_metrics_speak_openmetrics_when_asked(client: TestClient) -> None:
    post(client, CREW)
    response = client.get("/metrics", headers={"accept": "application/openmetrics-text"})
    assert response.headers["content-type"].startswith("application/openmetrics-text")
    assert response.text.rstrip().endswith("# EOF")


WORKER = textwrap.dedent(
    """
    import sys
    from starlette.testclient import TestClient
    from spacerace.api.app import create_app
    from spacerace.api.observe import ObserveSettings
    from spacerace.store.settings import Settings

    count = int(sys.argv[1])
    query = 'query Crew { mission(slug: "voskhod-2") { name } }'
    with TestClient(create_app(Settings(), observe=ObserveSettings.from_env())) as client:
        for _ in range(count):
            assert client.post("/graphql", json={"query": query}).status_code == 200
        client.post("/graphql", json={"query": "{ nope"})
    """
)


def test_several_processes_sum_into_one_exposition(tmp_path: Path) -> None:
    """Two processes write into one PROMETHEUS_MULTIPROC_DIR, as uvicorn's workers do;
    the exposition any of them serves is their sum."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(n)], env=env, cwd=ROOT) for n in (3, 5)
    ]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0]
    assert len(list(tmp_path.glob("counter_*.db"))) == 2  # one file each
    text, _ = Metrics(100, str(tmp_path)).exposition("")
    shown = text.decode()
    assert value(shown, "spacerace_requests_total", operation_name="Crew", outcome="ok") == 8
    assert value(shown, "spacerace_request_duration_seconds_count", operation_name="Crew") == 8
    assert (
        value(shown, "spacerace_requests_total", operation_name="(none)", outcome="client_error")
        == 2
    )
    assert value(shown, "spacerace_executions_total", operation_name="Crew", executor="compiled")
    assert value(shown, "spacerace_build_info", version="0.1.0") == 1
    assert "process_cpu_seconds_total" not in shown  # per-process facts would collide


# -- access lines ------------------------------------------------------------------------


def test_the_access_line_in_json(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger=logs.ACCESS):
        post(client, CREW, **{"x-request-id": "json-1"})
        client.get("/healthz")
    first, second = [r for r in caplog.records if r.name == logs.ACCESS]
    line = json.loads(logs.JsonFormatter().format(first))
    assert line["request_id"] == "json-1"
    assert line["method"] == "POST"
    assert line["path"] == "/graphql"
    assert line["status"] == 200
    assert line["operation_name"] == "Crew"
    assert line["executor"] in ("compiled", "reference")
    assert line["outcome"] == "ok"
    assert 0 < line["duration_ms"] < 10_000
    assert line["level"] == "info"
    assert line["logger"] == "spacerace.access"
    assert line["pid"] == os.getpid()
    assert line["time"].endswith("Z")
    assert line["cost"] == {"estimate": 7, "limit": 750_000}  # as in extensions.cost
    health = json.loads(logs.JsonFormatter().format(second))
    assert health["path"] == "/healthz"
    assert "operation_name" not in health


def test_the_access_line_in_text(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger=logs.ACCESS):
        post(client, CREW, **{"x-request-id": "text-1"})
    (record,) = [r for r in caplog.records if r.name == logs.ACCESS]
    line = logs.TextFormatter().format(record)
    assert line.startswith("INFO:     POST /graphql 200 ")
    assert " request_id=text-1" in line
    assert " operation_name=Crew" in line
    assert " outcome=ok" in line


def test_the_access_line_logs_the_cost_once_the_answer_has_one(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The access line has the answer's `extensions.cost`: the mission, its crew's
    bound of 3 seats and their persons."""
    app = create_app(Settings(), observe=ObserveSettings())
    with TestClient(app) as client, caplog.at_level(logging.INFO, logger=logs.ACCESS):
        answer = post(client, CREW).json()
    (record,) = [r for r in caplog.records if r.name == logs.ACCESS]
    cost = json.loads(logs.JsonFormatter().format(record))["cost"]
    assert cost == answer["extensions"]["cost"] == {"estimate": 7, "limit": 750_000}
    assert " cost=7" in logs.TextFormatter().format(record)


def test_access_lines_can_be_turned_off(caplog: pytest.LogCaptureFixture) -> None:
    observe = ObserveSettings(access_log=False)
    app = create_app(Settings(), observe=observe)
    with TestClient(app) as client, caplog.at_level(logging.INFO, logger=logs.ACCESS):
        response = post(client, CREW)
    assert response.headers["x-request-id"]
    assert not [r for r in caplog.records if r.name == logs.ACCESS]


def test_no_password_reaches_a_log_line() -> None:
    secret = "mongodb://reader:s3cr3t@db.example:27017/spacerace?authSource=admin"
    record = logging.LogRecord(
        "spacerace.gate", logging.ERROR, __file__, 1, "cannot reach %s", (secret,), None
    )
    try:
        raise RuntimeError(f"connecting to {secret} failed")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    for formatter in (logs.JsonFormatter(), logs.TextFormatter()):
        line = formatter.format(record)
        assert "s3cr3t" not in line
        assert "mongodb://reader:***@db.example:27017/spacerace" in line
    assert logs.redact("nothing to hide") == "nothing to hide"
    assert (
        logs.redact("mongodb+srv://u:p@cluster.example/x")
        == "mongodb+srv://u:***@cluster.example/x"
    )


# -- settings --------------------------------------------------------------------------


def test_observe_settings_default_and_parse() -> None:
    assert ObserveSettings.from_env({}) == ObserveSettings()
    assert ObserveSettings() == ObserveSettings(
        log_format="text",
        access_log=True,
        metrics=True,
        max_operations=100,
        tracing="off",
        multiprocess_dir=None,
    )
    parsed = ObserveSettings.from_env(
        {
            "SPACERACE_LOG_FORMAT": "JSON",
            "SPACERACE_ACCESS_LOG": "off",
            "SPACERACE_METRICS": "no",
            "SPACERACE_METRICS_MAX_OPERATIONS": "7",
        }
    )
    assert (parsed.log_format, parsed.access_log, parsed.metrics, parsed.max_operations) == (
        "json",
        False,
        False,
        7,
    )


@pytest.mark.parametrize(
    ("variable", "bad"),
    [
        ("SPACERACE_LOG_FORMAT", "xml"),
        ("SPACERACE_ACCESS_LOG", "maybe"),
        ("SPACERACE_METRICS", "2"),
        ("SPACERACE_METRICS_MAX_OPERATIONS", "0"),
        ("SPACERACE_METRICS_MAX_OPERATIONS", "many"),
        ("SPACERACE_METRICS_MAX_OPERATIONS", "10001"),
        ("SPACERACE_TRACING", "zipkin"),
        ("PROMETHEUS_MULTIPROC_DIR", "/nonexistent/metrics"),
    ],
)
def test_bad_observe_settings_name_their_variable(variable: str, bad: str) -> None:
    with pytest.raises(SettingsError) as raised:
        ObserveSettings.from_env({variable: bad})
    message = str(raised.value)
    assert message.startswith(variable)
    assert "\n" not in message


def test_tracing_without_the_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from spacerace.api import tracing

    monkeypatch.setattr(tracing, "_importable", lambda name: False)
    with pytest.raises(SettingsError) as raised:
        ObserveSettings.from_env({"SPACERACE_TRACING": "otlp"})
    assert str(raised.value).startswith("SPACERACE_TRACING=otlp needs the otel extra")
    assert "pip install 'spacerace[otel]'" in str(raised.value)


def test_every_setting_is_in_the_readme_with_its_default() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    defaults = {
        "SPACERACE_LOG_FORMAT": "`text`",
        "SPACERACE_ACCESS_LOG": "`true`",
        "SPACERACE_METRICS": "`true`",
        "SPACERACE_METRICS_MAX_OPERATIONS": f"`{ObserveSettings.max_operations}`",
        "SPACERACE_TRACING": "`off`",
        "PROMETHEUS_MULTIPROC_DIR": "unset",
    }
    for variable, default in defaults.items():
        assert f"| `{variable}` | {default}" in readme, variable
    # A setting added to ObserveSettings must be added here (and to the README).
    assert len(dataclasses.fields(ObserveSettings)) == len(defaults)
