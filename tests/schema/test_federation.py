"""Apollo Federation: `_service { sdl }` and `_entities(representations:)` through the
gate, answered alike by both executors, one read per entity type."""

from __future__ import annotations

import asyncio
import re
import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from pymongo import MongoClient, monitoring

from spacerace.loaders.pipeline import load
from spacerace.schema import schema
from spacerace.schema.gate import Answer, Gate, GateSettings, Request
from spacerace.schema.ids import global_id
from spacerace.store.aio import AsyncStore, EmbeddedStore, ServerStore
from spacerace.store.generations import live
from spacerace.store.reads import Reader
from spacerace.store.settings import BUNDLED_SEEDS, Settings
from tests.wire_server import WireServer

ENTITIES = """query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Mission { slug name program { slug } crew { person { name } } }
    ... on Person { slug name }
    ... on Program { slug name }
    ... on Event { slug title }
    ... on LaunchSite { slug name }
    ... on Node { id }
  }
}"""
FLAT = """query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Node { id }
    ... on Mission { name }
  }
}"""
"""Only the entities' own fields: nothing else to read."""


def run(store: AsyncStore, executor: str, query: str, variables: dict[str, Any]) -> Answer:
    gate = Gate(schema._schema, GateSettings(executor=executor))

    async def main() -> Answer:
        try:
            return await gate.run(Request(query, variables), Reader(store))
        finally:
            await store.close()

    return asyncio.run(main())


def both(open_store: Callable[[], AsyncStore], query: str, variables: dict[str, Any]) -> Any:
    """The formatted answer, the same from both executors; the compiled one answers
    successful requests itself."""
    compiled = run(open_store(), "compiled", query, variables)
    reference = run(open_store(), "reference", query, variables)
    if not reference.errors:
        assert compiled.executor == "compiled"
    assert orjson.loads(orjson.dumps(compiled.formatted())) == orjson.loads(
        orjson.dumps(reference.formatted())
    )
    return orjson.loads(orjson.dumps(compiled.formatted()))


def test_service_sdl_is_the_served_schema_with_its_keys(
    open_store: Callable[[], AsyncStore],
) -> None:
    answer = both(open_store, "{ _service { sdl } }", {})
    sdl = answer["data"]["_service"]["sdl"]
    assert sdl == schema.as_str()
    assert '@link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])' in sdl
    for entity in ("Program", "Mission", "Person", "Event", "LaunchSite"):
        assert (
            f'type {entity} implements Node @key(fields: "slug", resolvable: true) '
            '@key(fields: "id", resolvable: true) {'
        ) in sdl


def test_entities_by_slug_and_by_id_in_the_order_asked(
    open_store: Callable[[], AsyncStore],
) -> None:
    representations = [
        {"__typename": "Mission", "slug": "voskhod-2"},
        {"__typename": "Person", "id": global_id("Person", "alexey-leonov")},
        {"__typename": "Program", "slug": "gemini"},
        {"__typename": "Mission", "slug": "no-such-mission"},
        {"__typename": "Event", "slug": "nasa-established"},
        {"__typename": "LaunchSite", "id": global_id("LaunchSite", "baikonur")},
        {"__typename": "Mission", "slug": "voskhod-2"},
    ]
    answer = both(open_store, ENTITIES, {"representations": representations})
    assert "errors" not in answer
    found = answer["data"]["_entities"]
    assert [e and e["__typename"] for e in found] == [
        "Mission",
        "Person",
        "Program",
        None,
        "Event",
        "LaunchSite",
        "Mission",
    ]
    assert found[0]["name"] == "Voskhod 2"
    assert found[0]["program"] == {"slug": "voskhod"}
    assert [c["person"]["name"] for c in found[0]["crew"]] == ["Pavel Belyayev", "Alexey Leonov"]
    assert found[1] == {
        "__typename": "Person",
        "slug": "alexey-leonov",
        "name": "Alexey Leonov",
        "id": global_id("Person", "alexey-leonov"),
    }
    assert found[5]["name"] == "Baikonur Cosmodrome"
    assert found[6] == found[0]


@pytest.mark.parametrize(
    ("representation", "problem"),
    [
        ({"__typename": "Outcome", "slug": "x"}, "no `__typename` of an entity type"),
        ({"slug": "voskhod-2"}, "no `__typename` of an entity type"),
        ({"__typename": "Mission"}, "neither a `slug` nor an `id`"),
        ({"__typename": "Mission", "id": global_id("Person", "alexey-leonov")}, "not the ID of a"),
        ("voskhod-2", "not an object"),
    ],
)
def test_a_bad_representation_is_an_error_at_its_place(
    open_store: Callable[[], AsyncStore], representation: Any, problem: str
) -> None:
    representations = [{"__typename": "Mission", "slug": "voskhod-2"}, representation]
    answer = both(open_store, ENTITIES, {"representations": representations})
    assert answer["data"]["_entities"][0]["slug"] == "voskhod-2"
    assert answer["data"]["_entities"][1] is None
    (error,) = answer["errors"]
    assert error["path"] == ["_entities", 1]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert problem in error["message"]


def every_entity(db: Any) -> list[dict[str, str]]:
    """A representation of every document of every entity collection, twice over."""
    kinds = {
        "programs": "Program",
        "missions": "Mission",
        "persons": "Person",
        "events": "Event",
        "launch_sites": "LaunchSite",
    }
    out = []
    for collection, type_name in kinds.items():
        for doc in live(db, collection).find({}, {"_id": 1}):
            out.append({"__typename": type_name, "slug": doc["_id"]})
            out.append({"__typename": type_name, "id": global_id(type_name, doc["_id"])})
    return out


@pytest.mark.parametrize("executor", ["compiled", "reference"])
@pytest.mark.parametrize("size", [5, None])
def test_one_read_per_type_however_many_representations(
    loaded_embedded: Any, executor: str, size: int | None
) -> None:
    representations = every_entity(loaded_embedded)
    if size is not None:  # a few of each type
        by_type: dict[str, list[dict[str, str]]] = {}
        for r in representations:
            by_type.setdefault(r["__typename"], []).append(r)
        representations = [r for group in by_type.values() for r in group[: size * 2]]
    store = EmbeddedStore(loaded_embedded)
    answer = run(store, executor, FLAT, {"representations": representations})
    assert answer.errors == []
    assert answer.data is not None
    assert len(answer.data["_entities"]) == len(representations)
    assert None not in answer.data["_entities"]
    # One find per type; the reader may also ask a collection's size once, to read most
    # of a collection with a scan rather than a long $in (store/reads.py).
    assert store.round_trips <= 5 * (2 if size is None else 1)


class Commands(monitoring.CommandListener):
    def __init__(self) -> None:
        self.found: Counter[tuple[str, str]] = Counter()

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name in {"find", "getMore", "aggregate", "count"}:
            self.found[(event.command_name, str(event.command.get(event.command_name)))] += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        return None

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        return None


@pytest.mark.wire
@pytest.mark.parametrize("executor", ["compiled", "reference"])
def test_one_find_per_type_on_the_wire(wire_server: WireServer, executor: str) -> None:
    name = f"federation_{uuid.uuid4().hex[:8]}"
    client: MongoClient[dict[str, Any]]
    with MongoClient(wire_server.uri) as client:
        load(client[name], [str(BUNDLED_SEEDS)])
        representations = every_entity(client[name])
        try:
            commands = Commands()
            uri = wire_server.uri.replace("/?", f"/{name}?")
            store = ServerStore.open(Settings(mongodb_uri=uri), event_listeners=[commands])
            answer = run(store, executor, FLAT, {"representations": representations})
            assert answer.errors == []
            assert answer.data is not None
            assert None not in answer.data["_entities"]
        finally:
            client.drop_database(name)
    finds = {
        re.sub(r"__g\d+$", "", collection): n
        for (command, collection), n in commands.found.items()
        if command == "find"
    }
    # A reader with no snapshot from the API's watch reads the dataset's pointer once.
    assert finds.pop("meta", 0) <= 1
    assert finds == dict.fromkeys(("programs", "missions", "persons", "events", "launch_sites"), 1)
    assert not any(command in ("getMore", "aggregate") for command, _ in commands.found)
