"""HTTP caching from the dataset version: ETags, Cache-Control, 304, and the answer
cache that serves repeated operations without the database."""

from __future__ import annotations

import shutil
import time
import uuid
from pathlib import Path
from typing import Any

import pymongo
import pytest
from starlette.testclient import TestClient

from spacerace.api.settings import HTTPSettings
from spacerace.loaders.pipeline import load
from spacerace.schema.protocols import ProtocolSettings
from spacerace.store.settings import BUNDLED_SEEDS, Settings
from tests.http.conftest import MakeClient, _client
from tests.wire_server import WireServer

PERSON = "query($slug: String!) { person(slug: $slug) { name flights { role } } }"


def round_trips(client: TestClient) -> int:
    count: int = client.app.state.store.round_trips  # type: ignore[attr-defined]
    return count


def test_a_successful_answer_has_an_etag_and_cache_control(api: TestClient) -> None:
    response = api.post("/graphql", json={"query": PERSON, "variables": {"slug": "yuri-gagarin"}})
    assert response.status_code == 200
    assert response.headers["etag"].startswith('W/"')
    assert response.headers["cache-control"] == "public, max-age=60"
    assert response.headers["vary"] == "Accept, Accept-Encoding"


def test_max_age_is_a_setting() -> None:
    with _client(Settings(), http=HTTPSettings(cache_max_age=3600)) as client:
        response = client.get("/graphql", params={"query": "{ __typename }"})
    assert response.headers["cache-control"] == "public, max-age=3600"


def test_the_etag_is_that_of_the_operation_as_it_runs(transport: TestClient) -> None:
    def etag(body: dict[str, Any]) -> str:
        response = transport.post("/graphql", json=body)
        assert response.status_code == 200, response.text
        tag: str = response.headers["etag"]
        return tag

    plain = etag({"query": '{ person(slug: "yuri-gagarin") { name } }'})
    # Layout, comments and the document's other operations do not change the answer.
    assert plain == etag({"query": '# who\n{\n  person(slug:"yuri-gagarin"){name}\n}'})
    with_fragment = (
        'query A { person(slug: "yuri-gagarin") { ...F } } fragment F on Person { name }'
    )
    assert etag({"query": with_fragment + " query B { __typename }", "operationName": "A"}) == etag(
        {"query": "query C { programs { totalCount } } " + with_fragment, "operationName": "A"}
    )
    # The variables do, once coerced: a default given explicitly is the same request.
    with_default = "query($n: Int = 3) { missions(first: $n) { nodes { slug } } }"
    assert etag({"query": with_default}) == etag({"query": with_default, "variables": {"n": 3}})
    assert etag({"query": with_default}) != etag({"query": with_default, "variables": {"n": 4}})
    assert plain != etag({"query": '{ person(slug: "alexey-leonov") { name } }'})


def test_if_none_match_answers_304_without_running_the_operation(api: TestClient) -> None:
    params = {"query": PERSON, "variables": '{"slug": "alexey-leonov"}'}
    first = api.get("/graphql", params=params)
    etag = first.headers["etag"]
    trips = round_trips(api)
    for held in (etag, etag.removeprefix("W/"), f'"other", {etag}', "*"):
        again = api.get("/graphql", params=params, headers={"if-none-match": held})
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["etag"] == etag
        assert again.headers["cache-control"] == "public, max-age=60"
    head = api.head("/graphql", params=params, headers={"if-none-match": etag})
    assert head.status_code == 304
    changed = api.get("/graphql", params=params, headers={"if-none-match": 'W/"stale"'})
    assert changed.status_code == 200
    assert changed.json() == first.json()
    assert round_trips(api) == trips


def test_if_none_match_on_post_is_412_as_http_says(transport: TestClient) -> None:
    body = {"query": "{ __typename }"}
    etag = transport.post("/graphql", json=body).headers["etag"]
    response = transport.post("/graphql", json=body, headers={"if-none-match": etag})
    assert response.status_code == 412
    assert response.json()["errors"][0]["extensions"]["code"] == "PRECONDITION_FAILED"


def test_errors_are_neither_tagged_nor_cached(api: TestClient) -> None:
    for body in (
        {"query": "{ missions(first: 1000) { totalCount } }"},
        {"query": "{ nope }"},
    ):
        for _ in range(2):
            response = api.post("/graphql", json=body)
            assert "errors" in response.json()
            assert "etag" not in response.headers
            assert response.headers["cache-control"] == "no-store"
    assert len(api.app.state.gate.protocols.answers) == 0  # type: ignore[attr-defined]


def test_a_repeated_operation_is_answered_without_the_database(api: TestClient) -> None:
    body = {"query": PERSON, "variables": {"slug": "valentina-tereshkova"}}
    first = api.post("/graphql", json=body)
    trips = round_trips(api)
    assert trips > 0
    for _ in range(5):
        again = api.post("/graphql", json=body)
        assert again.content == first.content
        assert again.headers["etag"] == first.headers["etag"]
    assert round_trips(api) == trips
    cache = api.app.state.gate.protocols.answers  # type: ignore[attr-defined]
    assert cache.hits >= 5
    other = api.post("/graphql", json={**body, "variables": {"slug": "yuri-gagarin"}})
    assert other.json()["data"]["person"]["name"] == "Yuri Gagarin"
    assert round_trips(api) > trips


def test_the_answer_cache_is_bounded_in_bytes(make_client: MakeClient) -> None:
    with make_client(protocols=ProtocolSettings(answer_cache_bytes=4_000)) as client:
        cache = client.app.state.gate.protocols.answers  # type: ignore[attr-defined]
        for n in range(1, 30):
            query = f"{{ missions(first: {n}) {{ nodes {{ slug name }} }} }}"
            assert client.post("/graphql", json={"query": query}).status_code == 200
            assert cache.bytes <= 4_000
        assert 0 < len(cache) < 29
        # Too large for the cache: answered and tagged, not kept.
        big = client.post(
            "/graphql", json={"query": "{ missions(first: 100) { nodes { summary } } }"}
        )
        assert "etag" in big.headers
        assert cache.bytes <= 4_000


def test_no_answer_cache_when_switched_off(make_client: MakeClient) -> None:
    with make_client(protocols=ProtocolSettings(answer_cache_bytes=0)) as client:
        body = {"query": '{ mission(slug: "vostok-1") { name } }'}
        first = client.post("/graphql", json=body)
        trips = round_trips(client)
        second = client.post("/graphql", json=body)
        assert second.headers["etag"] == first.headers["etag"]
        assert round_trips(client) > trips


# -- a load while the app runs ---------------------------------------------------


@pytest.mark.wire
def test_a_load_is_seen_within_two_seconds_with_a_new_etag(
    wire_server: WireServer, wire_client: pymongo.MongoClient[dict[str, Any]], tmp_path: Path
) -> None:
    """The loader changes the data on the wire server while the app runs: within about
    two seconds (the watch polls every second) the next answer reflects it, under a new
    ETag, and the old ETag no longer revalidates."""
    seeds = Path(shutil.copytree(BUNDLED_SEEDS, tmp_path / "seeds"))
    name = f"test_{uuid.uuid4().hex[:12]}"
    db = wire_client[name]
    load(db, [str(seeds)])
    settings = Settings(mongodb_uri=wire_server.uri.replace("/?", f"/{name}?"))
    params = {"query": '{ mission(slug: "voskhod-2") { name } }'}
    try:
        with _client(settings) as client:
            first = client.get("/graphql", params=params)
            assert first.json()["data"] == {"mission": {"name": "Voskhod 2"}}
            trips = round_trips(client)
            assert client.get("/graphql", params=params).content == first.content
            assert round_trips(client) == trips  # from the answer cache

            file = next(
                p for p in (seeds / "missions").iterdir() if "name: Voskhod 2\n" in p.read_text()
            )
            file.write_text(file.read_text().replace("name: Voskhod 2\n", "name: Voskhod-2\n", 1))
            report = load(db, [str(seeds)])
            assert report.changes == 1
            loaded = time.monotonic()

            while True:
                answer = client.get("/graphql", params=params)
                if answer.json()["data"]["mission"]["name"] == "Voskhod-2":
                    break
                assert time.monotonic() - loaded < 2.5, "the load was not seen in time"
                assert answer.headers["etag"] == first.headers["etag"]
                time.sleep(0.05)
            assert answer.headers["etag"] != first.headers["etag"]
            stale = client.get(
                "/graphql", params=params, headers={"if-none-match": first.headers["etag"]}
            )
            assert stale.status_code == 200
            assert stale.json()["data"]["mission"]["name"] == "Voskhod-2"
            fresh = client.get(
                "/graphql", params=params, headers={"if-none-match": answer.headers["etag"]}
            )
            assert fresh.status_code == 304
    finally:
        wire_client.drop_database(name)
