"""What a client gets when something goes wrong on our side: GraphQL JSON with an
`extensions.code`, never a host, a credential or a traceback; details in the log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from spacerace.api import app as app_module
from spacerace.api.app import create_app
from spacerace.schema.gate import GateSettings
from spacerace.schema.limits import LimitSettings
from spacerace.store.aio import AsyncStore
from spacerace.store.connection import StoreUnavailable
from spacerace.store.settings import Settings
from tests.slow_store import SlowStore

QUERY = '{ mission(slug: "voskhod-2") { name crew { person { name } } } }'
DOWN = Settings(
    mongodb_uri="mongodb://admin:s3cr3tPW@127.0.0.1:9/?directConnection=true", timeout_ms=200
)


@pytest.fixture
def down(executor: str) -> Iterator[TestClient]:
    """The API, its database unreachable."""
    with TestClient(create_app(DOWN, GateSettings(executor=executor))) as client:
        yield client


def no_secrets(text: str) -> None:
    for secret in ("127.0.0.1", ":9", "s3cr3tPW", "admin", "Traceback", "topology"):
        assert secret not in text


@pytest.mark.parametrize("accept", ["application/json", "application/graphql-response+json"])
def test_the_database_down_is_503_over_post(down: TestClient, accept: str) -> None:
    response = down.post("/graphql", json={"query": QUERY}, headers={"accept": accept})
    assert response.status_code == 503
    assert response.headers["content-type"].startswith(accept)
    (error, *_) = response.json()["errors"]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert "database" in error["message"]
    no_secrets(response.text)


def test_the_database_down_is_503_over_get(down: TestClient) -> None:
    response = down.get("/graphql", params={"query": QUERY})
    assert response.status_code == 503
    assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    no_secrets(response.text)


def test_readiness_says_what_is_wrong_without_the_topology(down: TestClient) -> None:
    response = down.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "reason": "the database did not answer in time",
    }
    no_secrets(response.text)


class Broken:
    """A store whose reads fail in a way nobody planned for."""

    def __init__(self, inner: AsyncStore) -> None:
        self.inner = inner
        self.in_batch = None
        self.round_trips = 0

    async def find(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("mongodb://admin:s3cr3tPW@127.0.0.1:9 said no, with details")

    async def ping(self) -> None:
        raise RuntimeError("topology: mongodb://admin:s3cr3tPW@127.0.0.1:9 is in a bad mood")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@pytest.fixture
def broken(monkeypatch: pytest.MonkeyPatch, executor: str) -> Iterator[TestClient]:
    opened = app_module.open_store
    monkeypatch.setattr(
        app_module, "open_store", lambda settings, *observers: Broken(opened(settings, *observers))
    )
    with TestClient(create_app(Settings(), GateSettings(executor=executor))) as client:
        yield client


def test_an_unexpected_error_is_internal_with_a_request_id(
    broken: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    response = broken.post("/graphql", json={"query": QUERY})
    errors = response.json()["errors"]
    assert errors
    for error in errors:
        assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
        request_id = error["extensions"]["requestId"]
        assert error["message"] == f"Internal server error (request {request_id})."
    no_secrets(response.text)
    logged = "\n".join(r.getMessage() + str(r.exc_info) for r in caplog.records)
    assert request_id in logged
    assert "said no, with details" in logged  # the details are in the log


def test_readiness_hides_an_unexpected_failure(broken: TestClient) -> None:
    response = broken.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "reason": "the database check failed (RuntimeError)",
    }
    no_secrets(response.text)


def test_past_the_deadline_is_503_over_http(monkeypatch: pytest.MonkeyPatch, executor: str) -> None:
    opened = app_module.open_store
    monkeypatch.setattr(
        app_module,
        "open_store",
        lambda settings, *observers: SlowStore(opened(settings, *observers), 5),
    )
    limits = LimitSettings().but(request_timeout_ms=100)
    with TestClient(
        create_app(Settings(), GateSettings(executor=executor, limits=limits))
    ) as client:
        response = client.get("/graphql", params={"query": QUERY})
        assert client.get("/healthz").status_code == 200
    assert response.status_code == 503
    error = response.json()["errors"][0]
    assert error["extensions"] == {
        "code": "SERVICE_UNAVAILABLE",
        "limit": 100,
        "setting": "SPACERACE_REQUEST_TIMEOUT_MS",
        "reason": "DEADLINE_EXCEEDED",
    }


class GoesDown:
    """A store that answers until `down` is set, then is unreachable."""

    def __init__(self, inner: AsyncStore) -> None:
        self.inner = inner
        self.down = False

    async def find(self, *args: Any, **kwargs: Any) -> Any:
        if self.down:
            raise StoreUnavailable("the database did not answer in time")
        return await self.inner.find(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_with_the_database_down_cached_answers_are_still_served(
    monkeypatch: pytest.MonkeyPatch, executor: str
) -> None:
    """An answer already in the answer cache is the answer for the dataset version
    last seen, and is served; a query not in it is 503 (README, "When things fail")."""
    stores: list[GoesDown] = []
    opened = app_module.open_store

    def open_store(settings: Settings, *observers: Any) -> GoesDown:
        stores.append(GoesDown(opened(settings, *observers)))
        return stores[-1]

    monkeypatch.setattr(app_module, "open_store", open_store)
    with TestClient(create_app(Settings(), GateSettings(executor=executor))) as client:
        before = client.post("/graphql", json={"query": QUERY})
        assert before.status_code == 200
        stores[0].down = True
        cached = client.post("/graphql", json={"query": QUERY})
        other = client.post("/graphql", json={"query": '{ person(slug: "yuri-gagarin") { name } }'})
    assert cached.status_code == 200
    assert cached.content == before.content
    assert other.status_code == 503
    assert other.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
