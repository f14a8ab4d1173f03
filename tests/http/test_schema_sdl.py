"""GET /schema.graphql serves the committed SDL."""

from __future__ import annotations

import gzip
from pathlib import Path

from starlette.testclient import TestClient

COMMITTED = (Path(__file__).resolve().parents[2] / "schema.graphql").read_text(encoding="utf-8")


def test_the_sdl_is_the_committed_file(transport: TestClient) -> None:
    response = transport.get("/schema.graphql")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == COMMITTED
    assert response.headers["cache-control"] == "public, max-age=60"


def test_the_sdl_is_compressed_and_revalidated(transport: TestClient) -> None:
    with transport.stream("GET", "/schema.graphql", headers={"accept-encoding": "gzip"}) as got:
        assert got.headers["content-encoding"] == "gzip"
        assert gzip.decompress(b"".join(got.iter_raw())).decode() == COMMITTED
        etag = got.headers["etag"]
    assert transport.get("/schema.graphql", headers={"if-none-match": etag}).status_code == 304
    head = transport.head("/schema.graphql", headers={"accept-encoding": "identity"})
    assert head.status_code == 200
    assert head.content == b""
    assert int(head.headers["content-length"]) == len(COMMITTED.encode())


def test_only_get_and_head(transport: TestClient) -> None:
    response = transport.post("/schema.graphql")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, OPTIONS"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
