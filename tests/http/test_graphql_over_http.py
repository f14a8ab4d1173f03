"""GraphQL over HTTP, to the letter: media types, status codes, methods, and every
failure a GraphQL JSON error with a code. (The spec's own audit runs in
tests/protocols/test_audit.py.)"""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from starlette.testclient import TestClient

from spacerace.store.settings import Settings
from tests.http.conftest import _client

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"
MISSION = '{ mission(slug: "voskhod-2") { name } }'


def post(client: TestClient, body: Any, accept: str | None = None, **headers: str) -> Any:
    if accept is not None:
        headers["accept"] = accept
    content = body if isinstance(body, bytes) else orjson.dumps(body)
    return client.post("/graphql", content=content, headers={"content-type": JSON, **headers})


def error_code(response: Any) -> str:
    (error,) = response.json()["errors"]
    assert error["message"]
    code: str = error["extensions"]["code"]
    return code


# -- media types ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (JSON, JSON),
        ("*/*", JSON),
        (None, JSON),
        ("application/*", JSON),
        (f"{GRAPHQL_RESPONSE}, {JSON};q=0.9", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=0.5, {JSON}", JSON),
        (f"{JSON}, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        ("text/html,application/xhtml+xml,*/*;q=0.8", JSON),
    ],
)
def test_the_media_type_follows_accept(
    transport: TestClient, accept: str | None, media: str
) -> None:
    response = post(transport, {"query": MISSION}, accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == media
    assert response.json()["data"] == {"mission": {"name": "Voskhod 2"}}


def test_a_client_accepting_neither_media_type_gets_406(transport: TestClient) -> None:
    response = post(transport, {"query": MISSION}, "text/plain")
    assert response.status_code == 406
    assert response.headers["content-type"] == JSON
    assert error_code(response) == "NOT_ACCEPTABLE"
    refused = post(transport, {"query": MISSION}, f"{GRAPHQL_RESPONSE};q=0, {JSON};q=0")
    assert refused.status_code == 406


# -- status codes ----------------------------------------------------------------


REQUEST_ERRORS = [
    ({"query": "{ missions { nodes { slug }"}, "GRAPHQL_PARSE_FAILED"),
    ({"query": "{ missions { nodes { rocket } } }"}, "GRAPHQL_VALIDATION_FAILED"),
    (
        {"query": "query($s: String!) { mission(slug: $s) { name } }", "variables": {"s": None}},
        "BAD_USER_INPUT",
    ),
    ({"query": "query A { __typename }", "operationName": "B"}, "OPERATION_RESOLUTION_FAILURE"),
    ({"query": "query A { __typename } query B { __typename }"}, "OPERATION_RESOLUTION_FAILURE"),
]


@pytest.mark.parametrize(("body", "code"), REQUEST_ERRORS)
def test_request_errors_are_400_without_data_in_graphql_response_json(
    api: TestClient, body: dict[str, Any], code: str
) -> None:
    response = post(api, body, GRAPHQL_RESPONSE)
    assert response.status_code == 400
    assert response.headers["content-type"] == GRAPHQL_RESPONSE
    assert "data" not in response.json()
    assert error_code(response) == code


@pytest.mark.parametrize(("body", "code"), REQUEST_ERRORS)
def test_request_errors_are_200_without_data_in_plain_json(
    transport: TestClient, body: dict[str, Any], code: str
) -> None:
    response = post(transport, body, JSON)
    assert response.status_code == 200
    assert "data" not in response.json()
    assert error_code(response) == code


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE, JSON])
def test_field_errors_are_200_with_data(api: TestClient, accept: str) -> None:
    response = post(api, {"query": "{ missions(first: 1000) { totalCount } }"}, accept)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["path"] == ["missions"]


NOT_GRAPHQL_REQUESTS = [
    b'{"notquery": "{ __typename }"}',
    b'{"query": {"obj": "ect"}}',
    b'{"query": 0}',
    b'{"query": ["array"]}',
    b'{"query": "{ __typename }", "variables": "string"}',
    b'{"query": "{ __typename }", "variables": ["array"]}',
    b'{"query": "{ __typename }", "operationName": 0}',
    b'{"query": "{ __typename }", "extensions": false}',
    b'[{"query": "{ __typename }"}]',
    b'"{ __typename }"',
    b"17",
    b"null",
    b'{ "not a JSON',
    b"",
    b'{"query": "{ __typename }\xff"}',
    b"[" * 2000 + b"]" * 2000,
]


@pytest.mark.parametrize("body", NOT_GRAPHQL_REQUESTS)
@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE, JSON])
def test_what_is_not_a_graphql_request_is_400_bad_request(
    transport: TestClient, body: bytes, accept: str
) -> None:
    response = post(transport, body, accept)
    assert response.status_code == 400
    assert response.headers["content-type"] == accept
    assert "data" not in response.json()
    assert error_code(response) == "BAD_REQUEST"


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1"],
)
def test_a_body_in_another_media_type_is_415(
    transport: TestClient, content_type: str | None
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = transport.post("/graphql", content=b'{"query": "{ __typename }"}', headers=headers)
    assert response.status_code == 415
    assert response.headers["content-type"] == JSON
    assert error_code(response) == "UNSUPPORTED_MEDIA_TYPE"


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "application/json"])
def test_utf8_json_bodies_are_accepted(transport: TestClient, content_type: str) -> None:
    body = '{"query": "{ search(query: \\"Леонов\\") { __typename } }"}'.encode()
    response = transport.post("/graphql", content=body, headers={"content-type": content_type})
    assert response.status_code == 200
    assert response.json()["data"]["search"][0]["__typename"] == "Person"


# -- methods ---------------------------------------------------------------------


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE, JSON, None])
def test_a_mutation_over_get_is_405_with_allow(transport: TestClient, accept: str | None) -> None:
    headers = {"accept": accept} if accept else {}
    response = transport.get(
        "/graphql", params={"query": "mutation { __typename }"}, headers=headers
    )
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert "data" not in response.json()
    assert error_code(response) == "METHOD_NOT_ALLOWED"
    named = transport.get(
        "/graphql",
        params={"query": "query Q { __typename } mutation M { x }", "operationName": "M"},
    )
    assert named.status_code == 405


def test_a_mutation_over_post_is_a_validation_error(transport: TestClient) -> None:
    response = post(transport, {"query": "mutation { __typename }"}, GRAPHQL_RESPONSE)
    assert response.status_code == 400
    assert error_code(response) == "GRAPHQL_VALIDATION_FAILED"


def test_get_takes_variables_operation_name_and_extensions(api: TestClient) -> None:
    response = api.get(
        "/graphql",
        params={
            "query": "query A { __typename } query B($s: String!) { person(slug: $s) { name } }",
            "operationName": "B",
            "variables": '{"s": "alexey-leonov"}',
            "extensions": '{"some": "value"}',
        },
        headers={"accept": GRAPHQL_RESPONSE},
    )
    assert response.status_code == 200
    assert response.json()["data"] == {"person": {"name": "Alexey Leonov"}}


@pytest.mark.parametrize(
    "params",
    [
        {"query": "{ __typename }", "variables": "{not json"},
        {"query": "{ __typename }", "extensions": "[1"},
        {"query": "{ __typename }", "variables": "[1]"},
        [("query", "{ __typename }"), ("query", "{ x }")],
        {},
    ],
)
def test_bad_query_strings_are_400(transport: TestClient, params: Any) -> None:
    response = transport.get("/graphql", params=params, headers={"accept": JSON})
    assert response.status_code == 400
    assert error_code(response) == "BAD_REQUEST"


def test_head_answers_like_get_without_a_body(transport: TestClient) -> None:
    params = {"query": MISSION}
    got = transport.get("/graphql", params=params)
    head = transport.head("/graphql", params=params)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    for name in ("content-type", "content-length", "etag", "cache-control", "vary"):
        assert head.headers[name] == got.headers[name], name
    refused = transport.head("/graphql", params={"query": "mutation { __typename }"})
    assert refused.status_code == 405
    assert refused.content == b""


def test_options_lists_the_methods(transport: TestClient) -> None:
    response = transport.options("/graphql")
    assert response.status_code == 204
    assert response.headers["allow"] == "GET, HEAD, POST, OPTIONS"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "TRACE"])
def test_other_methods_are_405_json_with_allow(transport: TestClient, method: str) -> None:
    response = transport.request(method, "/graphql")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST, OPTIONS"
    assert response.headers["content-type"] == JSON
    assert error_code(response) == "METHOD_NOT_ALLOWED"


def test_other_urls_and_methods_are_json_errors_too(transport: TestClient) -> None:
    missing = transport.get("/nothing-here")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == JSON
    assert error_code(missing) == "NOT_FOUND"
    wrong = transport.post("/healthz")
    assert wrong.status_code == 405
    assert wrong.headers["content-type"] == JSON
    assert "GET" in wrong.headers["allow"]
    assert error_code(wrong) == "METHOD_NOT_ALLOWED"


def test_the_database_down_is_503_service_unavailable() -> None:
    settings = Settings(mongodb_uri="mongodb://127.0.0.1:9/?directConnection=true", timeout_ms=200)
    with _client(settings) as client:
        for accept in (GRAPHQL_RESPONSE, JSON):
            response = post(client, {"query": MISSION}, accept)
            assert response.status_code == 503
            assert response.headers["content-type"] == accept
            assert response.headers["cache-control"] == "no-store"
            assert "etag" not in response.headers
            assert error_code(response) == "SERVICE_UNAVAILABLE"
