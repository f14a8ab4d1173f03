"""CORS: any origin by default (a public, read-only API), narrowed by an allow-list;
preflights answered with a max-age, refusals as GraphQL JSON errors."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from spacerace.api.settings import HTTPSettings
from spacerace.schema.protocols import SettingsError
from spacerace.store.settings import Settings
from tests.http.conftest import _client

QUERY = {"query": "{ __typename }"}
APP = "https://app.example"


def preflight(client: TestClient, origin: str, method: str = "POST", headers: str = "") -> Any:
    asked = {"origin": origin, "access-control-request-method": method}
    if headers:
        asked["access-control-request-headers"] = headers
    return client.options("/graphql", headers=asked)


@pytest.fixture(scope="module")
def narrowed() -> Iterator[TestClient]:
    settings = HTTPSettings(cors_origins=(APP, "http://localhost:3000"), cors_max_age=600)
    with _client(Settings(), http=settings) as client:
        yield client


def test_any_origin_may_get_and_post_by_default(transport: TestClient) -> None:
    for response in (
        transport.post("/graphql", json=QUERY, headers={"origin": "https://anyone.example"}),
        transport.get("/graphql", params=QUERY, headers={"origin": "null"}),
    ):
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == "*"
        assert response.headers["access-control-expose-headers"] == "ETag"
        assert "access-control-allow-credentials" not in response.headers


def test_a_preflight_is_answered_with_a_max_age(transport: TestClient) -> None:
    response = preflight(
        transport, "https://anyone.example", "POST", "content-type, x-apollo-operation-name"
    )
    assert response.status_code == 204
    headers = response.headers
    assert headers["access-control-allow-origin"] == "*"
    assert headers["access-control-allow-methods"] == "GET, HEAD, POST"
    assert headers["access-control-allow-headers"] == "content-type, x-apollo-operation-name"
    assert headers["access-control-max-age"] == "86400"


def test_a_preflight_for_another_method_is_refused_as_json(transport: TestClient) -> None:
    response = preflight(transport, "https://anyone.example", "DELETE")
    assert response.status_code == 403
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN_ORIGIN"
    assert "access-control-allow-origin" not in response.headers


def test_requests_without_an_origin_get_no_cors_headers(transport: TestClient) -> None:
    response = transport.post("/graphql", json=QUERY)
    assert "access-control-allow-origin" not in response.headers


def test_an_allow_list_echoes_listed_origins(narrowed: TestClient) -> None:
    response = narrowed.post("/graphql", json=QUERY, headers={"origin": APP})
    assert response.headers["access-control-allow-origin"] == APP
    assert "Origin" in response.headers["vary"]
    assert "Accept-Encoding" in response.headers["vary"]
    allowed = preflight(narrowed, "http://localhost:3000", "GET")
    assert allowed.status_code == 204
    assert allowed.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert allowed.headers["access-control-max-age"] == "600"
    assert "Origin" in allowed.headers["vary"]


def test_an_allow_list_leaves_other_origins_out(narrowed: TestClient) -> None:
    response = narrowed.post("/graphql", json=QUERY, headers={"origin": "https://evil.example"})
    assert response.status_code == 200  # answered, but a browser will not show it
    assert "access-control-allow-origin" not in response.headers
    refused = preflight(narrowed, "https://evil.example")
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/json"
    error = refused.json()["errors"][0]
    assert error["extensions"]["code"] == "FORBIDDEN_ORIGIN"
    assert "https://evil.example" in error["message"]


def test_cors_settings_from_the_environment() -> None:
    assert HTTPSettings.from_env({}).cors_origins is None
    assert HTTPSettings.from_env({"SPACERACE_CORS_ORIGINS": "*"}).cors_origins is None
    listed = HTTPSettings.from_env({"SPACERACE_CORS_ORIGINS": f"{APP}/, http://localhost:3000"})
    assert listed.cors_origins == (APP, "http://localhost:3000")
    assert HTTPSettings.from_env({"SPACERACE_CORS_MAX_AGE": "60"}).cors_max_age == 60


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SPACERACE_CORS_ORIGINS": "app.example"}, "SPACERACE_CORS_ORIGINS"),
        ({"SPACERACE_CORS_ORIGINS": "https://app.example/path"}, "SPACERACE_CORS_ORIGINS"),
        ({"SPACERACE_CORS_ORIGINS": "*, https://app.example"}, "SPACERACE_CORS_ORIGINS"),
        ({"SPACERACE_CORS_MAX_AGE": "-1"}, "SPACERACE_CORS_MAX_AGE"),
        ({"SPACERACE_CORS_MAX_AGE": "a day"}, "SPACERACE_CORS_MAX_AGE"),
        ({"SPACERACE_COMPRESS_MIN_BYTES": "1k"}, "SPACERACE_COMPRESS_MIN_BYTES"),
        ({"SPACERACE_CACHE_MAX_AGE": "-5"}, "SPACERACE_CACHE_MAX_AGE"),
    ],
)
def test_bad_http_settings_name_their_variable(env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        HTTPSettings.from_env(env)
