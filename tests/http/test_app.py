"""The API over HTTP, through Starlette's TestClient and the app's lifespan."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from spacerace.api.app import create_app
from spacerace.schema.gate import GateSettings, SettingsError
from spacerace.store.settings import Settings

VOSKHOD_2 = (
    '{ mission(slug: "voskhod-2") { name crew { role person { name } } outcomes { kind } } }'
)


@pytest.fixture(params=["embedded", pytest.param("wire", marks=pytest.mark.wire)])
def settings(request: pytest.FixtureRequest) -> Settings:
    if request.param == "embedded":
        return Settings()
    return Settings(mongodb_uri=request.getfixturevalue("loaded_wire"))


@pytest.fixture
def client(settings: Settings, executor: str) -> Iterator[TestClient]:
    with TestClient(create_app(settings, GateSettings(executor=executor))) as test_client:
        yield test_client


def test_post_json(client: TestClient) -> None:
    response = client.post("/graphql", json={"query": VOSKHOD_2})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    mission = response.json()["data"]["mission"]
    assert mission["name"] == "Voskhod 2"
    assert [c["person"]["name"] for c in mission["crew"]] == ["Pavel Belyayev", "Alexey Leonov"]
    assert "FIRST" in {o["kind"] for o in mission["outcomes"]}


def test_post_with_variables(client: TestClient) -> None:
    response = client.post(
        "/graphql",
        json={
            "query": "query($slug: String!) { person(slug: $slug) { name } }",
            "variables": {"slug": "alexey-leonov"},
        },
    )
    assert response.json() == {
        "data": {"person": {"name": "Alexey Leonov"}},
        "extensions": {"cost": {"estimate": 1, "limit": 750_000}},
    }


def test_get_with_a_query_string(client: TestClient) -> None:
    response = client.get("/graphql", params={"query": VOSKHOD_2})
    assert response.status_code == 200
    assert response.json()["data"]["mission"]["name"] == "Voskhod 2"


def test_a_browser_gets_graphiql_opening_on_an_example(client: TestClient) -> None:
    response = client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()
    assert '"tabs": [{"query": "# Voskhod 2' in response.text  # the first tab
    assert client.get("/", follow_redirects=False).headers["location"] == "/graphql"


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready"}


def test_readiness_fails_with_a_reason_when_the_database_is_down() -> None:
    settings = Settings(mongodb_uri="mongodb://127.0.0.1:9/?directConnection=true", timeout_ms=200)
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 200
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["reason"] == "the database did not answer in time"
    assert "127.0.0.1" not in response.text


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ missions { nodes { slug }", "GRAPHQL_PARSE_FAILED"),
        ("{ missions { nodes { rocket } } }", "GRAPHQL_VALIDATION_FAILED"),
        ('{ missions(first: "x") { totalCount } }', "GRAPHQL_VALIDATION_FAILED"),
        ("{ missions(first: 1000) { totalCount } }", "BAD_USER_INPUT"),
        ('{ missions(after: "forged") { totalCount } }', "BAD_USER_INPUT"),
    ],
)
def test_bad_requests_get_coded_errors(client: TestClient, query: str, code: str) -> None:
    response = client.post("/graphql", json={"query": query})
    assert response.status_code in (200, 400)
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == code
    assert error["message"]


def test_the_server_collects_garbage_less_often(client: TestClient) -> None:
    import gc

    from spacerace.api.app import GC_THRESHOLDS

    assert gc.get_threshold() == GC_THRESHOLDS


@pytest.mark.parametrize(
    "payload",
    [
        {"query": VOSKHOD_2},
        {
            "query": "query($s: String!) { person(slug: $s) { name flights { role } } }",
            "variables": {"s": "alexey-leonov"},
        },
        {
            "query": "query A { __typename } query B { programs { totalCount } }",
            "operationName": "B",
        },
        {"query": '{ search(query: "Leonov") { __typename ... on Person { slug } } }'},
    ],
)
def test_both_executors_answer_alike_over_http(
    settings: Settings, payload: dict[str, object]
) -> None:
    answers = []
    for executor in ("compiled", "reference"):
        with TestClient(create_app(settings, GateSettings(executor=executor))) as client:
            answers.append(client.post("/graphql", json=payload))
    compiled, reference = answers
    assert compiled.status_code == reference.status_code == 200
    assert compiled.headers["content-type"] == reference.headers["content-type"]
    assert compiled.json() == reference.json()
    assert "errors" not in compiled.json()


EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "docs" / "queries").glob("*.graphql"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_example_is_answered_over_http(client: TestClient, example: Path) -> None:
    response = client.post("/graphql", json={"query": example.read_text(encoding="utf-8")})
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body
    assert all(value is not None for value in body["data"].values())


def test_the_executor_is_a_setting() -> None:
    assert GateSettings.from_env({}).executor == "compiled"
    assert GateSettings.from_env({"SPACERACE_EXECUTOR": "reference"}).executor == "reference"
    with pytest.raises(
        SettingsError, match="SPACERACE_EXECUTOR must be one of compiled, reference"
    ):
        GateSettings.from_env({"SPACERACE_EXECUTOR": "fast"})


def test_serving_with_the_reference_executor_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SPACERACE_EXECUTOR", "reference")
    with TestClient(create_app(Settings())) as client:
        for example in EXAMPLES:
            body = client.post("/graphql", json={"query": example.read_text("utf-8")}).json()
            assert "errors" not in body, example.name
