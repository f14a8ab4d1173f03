"""gzip and brotli for answers above the threshold, as the client accepts them."""

from __future__ import annotations

import gzip

import brotli
import orjson
import pytest
from starlette.testclient import TestClient

from spacerace.api.negotiation import encoding
from spacerace.api.settings import HTTPSettings
from spacerace.store.settings import Settings
from tests.http.conftest import _client

LARGE = {"query": "{ missions(first: 100) { nodes { slug name summary } } }"}
SMALL = {"query": '{ mission(slug: "voskhod-2") { name } }'}


def raw(
    client: TestClient, body: dict[str, str], accept_encoding: str
) -> tuple[dict[str, str], bytes]:
    """Headers and the body as sent, undecoded."""
    with client.stream(
        "POST", "/graphql", json=body, headers={"accept-encoding": accept_encoding}
    ) as response:
        assert response.status_code == 200
        return dict(response.headers), b"".join(response.iter_raw())


@pytest.mark.parametrize(
    ("accept_encoding", "chosen"),
    [
        ("gzip, deflate, br", "br"),
        ("br;q=0.5, gzip", "gzip"),
        ("gzip", "gzip"),
        ("br", "br"),
        ("*", "br"),
        ("identity", None),
        ("", None),
        ("gzip;q=0, br;q=0", None),
        ("deflate", None),
    ],
)
def test_the_encoding_follows_accept_encoding(accept_encoding: str, chosen: str | None) -> None:
    assert encoding(accept_encoding) == chosen


def test_large_answers_are_compressed(api: TestClient) -> None:
    plain_headers, plain = raw(api, LARGE, "identity")
    assert "content-encoding" not in plain_headers
    assert len(plain) > 10_000
    for name, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        headers, body = raw(api, LARGE, name)
        assert headers["content-encoding"] == name
        assert headers["vary"] == "Accept, Accept-Encoding"
        assert int(headers["content-length"]) == len(body) < len(plain) / 2
        assert decompress(body) == plain
        assert headers["etag"] == plain_headers["etag"]  # a weak ETag: the same answer


def test_small_answers_go_out_as_they_are(transport: TestClient) -> None:
    headers, body = raw(transport, SMALL, "gzip, br")
    assert "content-encoding" not in headers
    assert headers["vary"] == "Accept, Accept-Encoding"
    assert orjson.loads(body)["data"] == {"mission": {"name": "Voskhod 2"}}


def test_the_threshold_is_a_setting() -> None:
    with _client(Settings(), http=HTTPSettings(compress_min_bytes=10)) as client:
        headers, body = raw(client, SMALL, "gzip")
    assert headers["content-encoding"] == "gzip"
    assert orjson.loads(gzip.decompress(body))["data"] == {"mission": {"name": "Voskhod 2"}}


def test_a_cached_answer_is_compressed_once(transport: TestClient) -> None:
    query = {"query": "{ missions(first: 60) { nodes { slug summary } } }"}
    first = raw(transport, query, "br")
    cache = transport.app.state.gate.protocols.answers  # type: ignore[attr-defined]
    before = cache.bytes
    second = raw(transport, query, "br")
    for headers, _ in (first, second):
        del headers["x-request-id"]  # each request has its own
    assert second == first
    assert cache.bytes == before  # the brotli body was kept beside the JSON the first time


def test_errors_are_compressed_too(transport: TestClient) -> None:
    query = {"query": "{ missions { nodes { " + " ".join(f"nope{i}" for i in range(100)) + " } } }"}
    headers, body = raw(transport, query, "gzip")
    assert headers["content-encoding"] == "gzip"
    assert b"GRAPHQL_VALIDATION_FAILED" in gzip.decompress(body)
