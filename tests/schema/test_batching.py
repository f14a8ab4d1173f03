"""Round trips are bounded by the depth of the query, not by how many objects it returns."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import mongomock
import pytest
import yaml
from pymongo import MongoClient, monitoring

from spacerace.loaders.pipeline import load
from spacerace.schema.gate import Gate, Request
from spacerace.store.aio import AsyncStore, EmbeddedStore, ServerStore
from spacerace.store.dataset import Snapshot
from spacerace.store.reads import Reader
from spacerace.store.settings import BUNDLED_SEEDS, Settings
from tests.wire_server import WireServer

TREE = """
{
  programs(first: 100) {
    nodes {
      slug
      missions(first: 100) {
        totalCount
        nodes {
          slug
          crew { role person { slug flights { mission { slug } } } }
          outcomes { kind people { slug } }
        }
      }
    }
  }
}
"""
# The tree is six object levels deep: programs > missions > crew > person >
# flights > mission. Round trips may not exceed that, however many objects.
DEPTH_BOUND = 6


def seeds_with_extra_missions(target: Path, extra: int) -> Path:
    """The bundled seeds plus `extra` made-up crewed missions spread over every program."""
    seeds = Path(shutil.copytree(BUNDLED_SEEDS, target))
    programs = [
        p["slug"]
        for f in (seeds / "programs").glob("*.yaml")
        for p in yaml.safe_load(f.read_text())
    ]
    people = [
        p["slug"] for f in (seeds / "persons").glob("*.yaml") for p in yaml.safe_load(f.read_text())
    ]
    missions = [
        {
            "slug": f"test-flight-{i}",
            "name": f"Test Flight {i}",
            "program": programs[i % len(programs)],
            "country": "SU",
            "crewed": True,
            "status": "SUCCESS",
            "launchDate": f"{1961 + i % 15}-0{1 + i % 9}",
            "crew": [
                {"person": people[i % len(people)], "role": "Commander"},
                {"person": people[(i * 7 + 3) % len(people)], "role": "Pilot"},
            ],
            "outcomes": [
                {
                    "kind": "ACHIEVEMENT",
                    "summary": "Made up for a test.",
                    "people": [people[i % len(people)]],
                    "sources": ["wikipedia-space-race"],
                }
            ],
            "sources": ["wikipedia-space-race"],
        }
        for i in range(extra)
    ]
    (seeds / "missions" / "test-flights.yaml").write_text(yaml.safe_dump(missions))
    return seeds


class CommandCounter(monitoring.CommandListener):
    def __init__(self) -> None:
        self.commands: list[str] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        # The pointer (`meta`) is read by the DatasetWatch, not by requests.
        if event.command_name in {"find", "count", "aggregate", "getMore"} and (
            event.command.get(event.command_name) != "meta"
        ):
            self.commands.append(event.command_name)

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        return None

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        return None


def run_tree(store: AsyncStore, gate: Gate) -> dict[str, Any]:
    async def main() -> dict[str, Any]:
        # As the API does: the snapshot (where each collection lives) is read
        # beforehand by the process's DatasetWatch, not by the request.
        snapshot = Snapshot.of(await store.dataset())
        answer = await gate.run(Request(TREE), Reader(store, snapshot))
        assert answer.errors == [], answer.errors
        assert answer.executor == gate.settings.executor
        assert answer.data is not None
        await store.close()
        return answer.data

    return asyncio.run(main())


def objects_in(data: dict[str, Any]) -> int:
    return sum(
        1 + len(m["crew"]) + len(m["outcomes"])
        for p in data["programs"]["nodes"]
        for m in p["missions"]["nodes"]
    )


def test_embedded_round_trips_do_not_grow_with_the_data(tmp_path: Path, gate: Gate) -> None:
    trips, sizes = [], []
    for extra in (0, 400):
        db = mongomock.MongoClient(tz_aware=True)["spacerace"]
        load(db, [str(seeds_with_extra_missions(tmp_path / f"seeds-{extra}", extra))])
        store = EmbeddedStore(db)
        sizes.append(objects_in(run_tree(store, gate)))
        trips.append(store.round_trips)
    assert sizes[1] > sizes[0] + 1000
    assert max(trips) <= DEPTH_BOUND


@pytest.mark.wire
def test_wire_commands_do_not_grow_with_the_data(
    tmp_path: Path, wire_server: WireServer, gate: Gate
) -> None:
    commands, sizes = [], []
    for extra in (0, 400):
        name = f"batching{extra}"
        with MongoClient(wire_server.uri) as client:
            load(client[name], [str(seeds_with_extra_missions(tmp_path / name, extra))])
        counter = CommandCounter()
        uri = wire_server.uri.replace("/?", f"/{name}?")
        store = ServerStore.open(Settings(mongodb_uri=uri), event_listeners=[counter])
        sizes.append(objects_in(run_tree(store, gate)))
        commands.append(len(counter.commands))
    assert sizes[1] > sizes[0] + 1000
    assert max(commands) <= DEPTH_BOUND
