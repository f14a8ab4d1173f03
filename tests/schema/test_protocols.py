"""The gate's protocol rules: automatic persisted queries, trusted documents, answer
tags and the answer cache, for every transport and both executors."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from spacerace.schema import schema
from spacerace.schema.answers import AnswerCache, Tag
from spacerace.schema.gate import Answer, Gate, GateSettings, Request
from spacerace.schema.protocols import Protocols, ProtocolSettings, SettingsError
from spacerace.store.aio import AsyncStore
from spacerace.store.dataset import Snapshot
from spacerace.store.reads import Reader

QUERY = '{ mission(slug: "voskhod-2") { name } }'
ANSWER = {"mission": {"name": "Voskhod 2"}}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def apq(sha: str, version: Any = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": sha}}


Run = Callable[..., Answer]


@pytest.fixture
def run(open_store: Callable[[], AsyncStore], executor: str) -> Callable[..., Run]:
    """Makes a gate with the given protocol settings; its runner sends requests through
    it, reading a snapshot of `version` (None: unknown)."""

    def make(settings: ProtocolSettings | None = None) -> Run:
        gate = Gate(schema._schema, GateSettings(executor=executor), Protocols(settings))

        def send(request: Request, version: str | None = "v1") -> Answer:
            async def main() -> Answer:
                store = open_store()
                try:
                    # The store's own collections, under the version the test names.
                    found = Snapshot.of(await store.dataset())
                    snapshot = dataclasses.replace(found, version=version)
                    return await gate.run(request, Reader(store, snapshot))
                finally:
                    await store.close()

            return asyncio.run(main())

        send.gate = gate  # type: ignore[attr-defined]
        return send

    return make


def code(answer: Answer) -> str | None:
    (error,) = answer.errors
    found = (error.extensions or {}).get("code")
    return found if isinstance(found, str) else None


# -- automatic persisted queries ---------------------------------------------------


def test_apq_registers_a_query_then_runs_it_by_hash(run: Callable[..., Run]) -> None:
    send = run()
    sha = sha256(QUERY)
    unknown = send(Request(None, extensions=apq(sha)))
    assert unknown.request_error
    assert code(unknown) == "PERSISTED_QUERY_NOT_FOUND"
    assert unknown.errors[0].message == "PersistedQueryNotFound"  # what Apollo clients look for
    registered = send(Request(QUERY, extensions=apq(sha)))
    assert registered.errors == []
    assert registered.data == ANSWER
    by_hash = send(Request(None, extensions=apq(sha.upper())), version="v2")
    assert by_hash.errors == []
    assert by_hash.data == ANSWER
    assert by_hash.etag is not None


def test_apq_checks_the_hash(run: Callable[..., Run]) -> None:
    send = run()
    wrong = send(Request(QUERY, extensions=apq(sha256(QUERY + " "))))
    assert code(wrong) == "PERSISTED_QUERY_HASH_MISMATCH"
    assert send(Request(None, extensions=apq(sha256(QUERY + " ")))).errors[0].message == (
        "PersistedQueryNotFound"
    )


@pytest.mark.parametrize(
    "extensions",
    [
        {"persistedQuery": "abc"},
        {"persistedQuery": {"sha256Hash": "0" * 64}},
        apq("0" * 64, version=2),
        apq("not-a-hash"),
        apq("0" * 63),
    ],
)
def test_a_malformed_persisted_query_is_a_bad_request(
    run: Callable[..., Run], extensions: dict[str, Any]
) -> None:
    answer = run()(Request(None, extensions=extensions))
    assert answer.request_error
    assert code(answer) == "BAD_REQUEST"


def test_an_invalid_document_is_not_registered(run: Callable[..., Run]) -> None:
    send = run()
    invalid = '{ mission(slug: "voskhod-2") { nope } }'
    assert code(send(Request(invalid, extensions=apq(sha256(invalid))))) == (
        "GRAPHQL_VALIDATION_FAILED"
    )
    assert code(send(Request(None, extensions=apq(sha256(invalid))))) == (
        "PERSISTED_QUERY_NOT_FOUND"
    )


def test_the_apq_store_is_bounded_in_bytes(run: Callable[..., Run]) -> None:
    send = run(ProtocolSettings(persisted_query_bytes=1_000))
    queries = [f'{{ m{i}: mission(slug: "voskhod-2") {{ name }} }}' for i in range(20)]
    for query in queries:
        assert send(Request(query, extensions=apq(sha256(query)))).errors == []
    store = send.gate.protocols.persisted  # type: ignore[attr-defined]
    assert store.bytes <= 1_000
    assert 0 < len(store) < 20
    assert send(Request(None, extensions=apq(sha256(queries[-1])))).errors == []
    assert code(send(Request(None, extensions=apq(sha256(queries[0]))))) == (
        "PERSISTED_QUERY_NOT_FOUND"
    )


def test_apq_can_be_switched_off(run: Callable[..., Run]) -> None:
    send = run(ProtocolSettings(persisted_query_bytes=0))
    answer = send(Request(QUERY, extensions=apq(sha256(QUERY))))
    assert code(answer) == "PERSISTED_QUERY_NOT_SUPPORTED"
    assert send(Request(QUERY)).data == ANSWER


# -- trusted documents ---------------------------------------------------------------


TRUSTED = "query Trusted($slug: String!) { person(slug: $slug) { name } }"


def manifest(tmp_path: Path, content: Any) -> Path:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(content))
    return path


def apollo_manifest(*bodies: str) -> dict[str, Any]:
    return {
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [
            {"id": sha256(body), "name": "Trusted", "type": "query", "body": body}
            for body in bodies
        ],
    }


@pytest.mark.parametrize("shape", ["apollo", "plain"])
def test_trusted_documents_run_and_nothing_else(
    run: Callable[..., Run], tmp_path: Path, shape: str
) -> None:
    content = apollo_manifest(TRUSTED) if shape == "apollo" else {sha256(TRUSTED): TRUSTED}
    send = run(ProtocolSettings(trusted_documents=manifest(tmp_path, content)))
    variables = {"slug": "alexey-leonov"}
    expected = {"person": {"name": "Alexey Leonov"}}
    assert send(Request(None, variables, extensions=apq(sha256(TRUSTED)))).data == expected
    assert send(Request(TRUSTED, variables)).data == expected  # its full text is trusted too
    for refused in (
        send(Request(QUERY)),
        send(Request(QUERY, extensions=apq(sha256(QUERY)))),
        send(Request(None, extensions=apq(sha256(QUERY)))),
        send(Request(TRUSTED + " ", variables)),
    ):
        assert refused.request_error
        assert code(refused) == "PERSISTED_QUERY_NOT_IN_LIST"
        assert "trusted documents" in refused.errors[0].message
    # APQ cannot add to the list: the registration above was refused.
    assert code(send(Request(None, extensions=apq(sha256(QUERY))))) == (
        "PERSISTED_QUERY_NOT_IN_LIST"
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ({"0" * 64: TRUSTED}, "does not hash to it"),
        ({"abc": TRUSTED}, "not a sha256"),
        ({}, "lists no documents"),
        ([TRUSTED], "expected an Apollo persisted query manifest"),
        (
            {"format": "apollo-persisted-query-manifest", "version": 2, "operations": []},
            "version 1",
        ),
    ],
)
def test_a_bad_manifest_stops_the_service_naming_the_variable(
    tmp_path: Path, content: Any, problem: str
) -> None:
    path = manifest(tmp_path, content)
    with pytest.raises(SettingsError, match=f"SPACERACE_TRUSTED_DOCUMENTS: .*{problem}"):
        ProtocolSettings.from_env({"SPACERACE_TRUSTED_DOCUMENTS": str(path)})


def test_a_missing_or_broken_manifest_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="SPACERACE_TRUSTED_DOCUMENTS: cannot read"):
        ProtocolSettings.from_env({"SPACERACE_TRUSTED_DOCUMENTS": str(tmp_path / "none.json")})
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    with pytest.raises(SettingsError, match=r"SPACERACE_TRUSTED_DOCUMENTS: .*not valid JSON"):
        ProtocolSettings.from_env({"SPACERACE_TRUSTED_DOCUMENTS": str(broken)})


def test_protocol_settings_from_the_environment() -> None:
    assert ProtocolSettings.from_env({}) == ProtocolSettings()
    settings = ProtocolSettings.from_env(
        {"SPACERACE_ANSWER_CACHE_BYTES": "1_000_000", "SPACERACE_PERSISTED_QUERY_BYTES": "0"}
    )
    assert settings.answer_cache_bytes == 1_000_000
    assert settings.persisted_query_bytes == 0
    for name in ("SPACERACE_ANSWER_CACHE_BYTES", "SPACERACE_PERSISTED_QUERY_BYTES"):
        with pytest.raises(SettingsError, match=name):
            ProtocolSettings.from_env({name: "-1"})
        with pytest.raises(SettingsError, match=name):
            ProtocolSettings.from_env({name: "lots"})


# -- answer tags and the answer cache -------------------------------------------------


def test_answers_are_tagged_and_cached_only_with_a_known_version(run: Callable[..., Run]) -> None:
    send = run()
    unknown = send(Request(QUERY), version=None)
    assert unknown.data == ANSWER
    assert unknown.etag is None
    assert len(send.gate.protocols.answers) == 0  # type: ignore[attr-defined]
    first = send(Request(QUERY))
    assert first.etag is not None
    assert first.executor in ("compiled", "reference")
    again = send(Request(QUERY))
    assert again.executor == "cache"
    assert again.etag == first.etag
    assert again.data == ANSWER  # decoded for callers that want data, not JSON
    assert again.json() == first.json()
    newer = send(Request(QUERY), version="v2")
    assert newer.executor != "cache"
    assert newer.etag != first.etag


def test_revalidation_is_answered_without_executing(run: Callable[..., Run]) -> None:
    send = run()
    etag = send(Request(QUERY)).etag
    assert etag is not None
    held = send(Request(QUERY, revalidate=frozenset({etag})))
    assert held.not_modified
    assert held.data is None
    assert held.etag == etag
    assert not send(Request(QUERY, revalidate=frozenset({"other"}))).not_modified
    assert not send(Request(QUERY, revalidate=frozenset({etag})), version="v2").not_modified


def test_the_answer_cache_evicts_least_recently_used_within_its_bound() -> None:
    cache = AnswerCache(max_bytes=3 * (100 + 256))
    tags = [Tag("v1", f"k{i}") for i in range(4)]
    for tag in tags[:3]:
        cache.put(tag, b"x" * 100)
    assert cache.get(tags[0]) is not None  # k0 is now the most recent
    cache.put(tags[3], b"x" * 100)
    assert cache.get(tags[1]) is None
    assert cache.get(tags[0]) is not None
    assert cache.bytes == 3 * 356
    entry = cache.get(tags[3])
    assert entry is not None
    entry.keep("gzip", b"y" * 300)  # a derived encoding counts too
    assert cache.bytes <= cache.max_bytes
    assert cache.put(Tag("v1", "huge"), b"x" * 10_000).json == b"x" * 10_000
    assert cache.get(Tag("v1", "huge")) is None


def test_the_watch_decides_the_version() -> None:
    cache = AnswerCache(max_bytes=10_000)
    cache.put(Tag("v1", "a"), b"{}")
    cache.observe("v2")
    assert len(cache) == 0
    # A request still reading the old snapshot neither reads nor fills the cache.
    cache.put(Tag("v1", "a"), b"{}")
    assert len(cache) == 0
    assert cache.get(Tag("v1", "a")) is None
    cache.put(Tag("v2", "a"), b"{}")
    assert cache.get(Tag("v2", "a")) is not None
