"""Persisted queries over HTTP: GET with the hash alone (cacheable by URL), and the
status codes of the protocol's errors."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import orjson
from starlette.testclient import TestClient

from spacerace.schema.protocols import ProtocolSettings
from spacerace.store.settings import Settings
from tests.http.conftest import _client

QUERY = "query Flights($slug: String!) { person(slug: $slug) { name } }"
SHA = hashlib.sha256(QUERY.encode()).hexdigest()
EXTENSIONS = orjson.dumps({"persistedQuery": {"version": 1, "sha256Hash": SHA}}).decode()
VARIABLES = '{"slug": "alexey-leonov"}'


def by_hash(client: TestClient, **headers: str) -> Any:
    return client.get(
        "/graphql", params={"extensions": EXTENSIONS, "variables": VARIABLES}, headers=headers
    )


def test_get_with_the_hash_alone(api: TestClient) -> None:
    unknown = by_hash(api, accept="application/graphql-response+json")
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    legacy = by_hash(api, accept="application/json")
    assert legacy.status_code == 200
    assert legacy.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    registered = api.post(
        "/graphql",
        json={
            "query": QUERY,
            "variables": json.loads(VARIABLES),
            "extensions": json.loads(EXTENSIONS),
        },
    )
    assert registered.json()["data"] == {"person": {"name": "Alexey Leonov"}}
    found = by_hash(api)
    assert found.status_code == 200
    assert found.json() == registered.json()
    assert found.headers["etag"] == registered.headers["etag"]
    assert found.headers["cache-control"] == "public, max-age=60"
    etag = found.headers["etag"]
    assert by_hash(api, **{"if-none-match": etag}).status_code == 304


def test_a_hash_mismatch_is_400_whatever_the_media_type(transport: TestClient) -> None:
    for accept in ("application/json", "application/graphql-response+json"):
        response = transport.post(
            "/graphql",
            json={"query": "{ __typename }", "extensions": json.loads(EXTENSIONS)},
            headers={"accept": accept},
        )
        assert response.status_code == 400
        code = response.json()["errors"][0]["extensions"]["code"]
        assert code == "PERSISTED_QUERY_HASH_MISMATCH"


def test_outside_the_trusted_documents_is_403(tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({SHA: QUERY}))
    with _client(Settings(), protocols=ProtocolSettings(trusted_documents=path)) as client:
        assert by_hash(client).json()["data"] == {"person": {"name": "Alexey Leonov"}}
        for accept in ("application/json", "application/graphql-response+json"):
            refused = client.post(
                "/graphql", json={"query": "{ __typename }"}, headers={"accept": accept}
            )
            assert refused.status_code == 403
            assert "data" not in refused.json()
            code = refused.json()["errors"][0]["extensions"]["code"]
            assert code == "PERSISTED_QUERY_NOT_IN_LIST"
