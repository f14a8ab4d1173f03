"""A load is atomic across collections: wherever it stops, readers see the previous
dataset or the new one, never a mix, and the next load cleans up after it.

On the wire server the loader is a real `spacerace load` process, stopped at a
phase by the test-only hook SPACERACE_TEST_PAUSE_AT (see `store.writer.checkpoint`)
and killed with SIGKILL; on the embedded store, where the data lives in the
process, the same phases raise instead.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from pymongo.database import Database

from spacerace.loaders.pipeline import load
from spacerace.loaders.problems import LoadError
from spacerace.schema import schema
from spacerace.schema.gate import Request
from spacerace.store import generations, writer
from spacerace.store.aio import EmbeddedStore, ServerStore
from spacerace.store.dataset import Snapshot
from spacerace.store.generations import Pointer, live, live_names
from spacerace.store.layout import BY_NAME
from spacerace.store.reads import Reader
from spacerace.store.settings import Settings
from spacerace.store.writer import LoadFailed
from tests.wire_server import WireServer

Document = dict[str, Any]
SPACERACE = str(Path(sys.executable).with_name("spacerace"))

QUESTION = """{
  voskhod2: mission(slug: "voskhod-2") { summary crew { role person { slug name } } }
  added: mission(slug: "test-flight") { crew { person { slug name } } }
  newcomer: person(slug: "test-cosmonaut") { name flights { mission { slug } } }
  event: event(slug: "nedelin-catastrophe") { title }
}"""


def snapshot(db: Database[Document]) -> dict[str, list[Document]]:
    return {name: list(live(db, name).find().sort("_id")) for name in BY_NAME}


def change_across_collections(seeds: Path) -> None:
    """The next dataset: voskhod-2 edited, a person and a mission that flies them
    added, an event removed (missions, persons and events change together)."""
    missions = seeds / "missions" / "voskhod.yaml"
    data = yaml.safe_load(missions.read_text(encoding="utf-8"))
    next(m for m in data if m["slug"] == "voskhod-2")["summary"] = "The next dataset's summary."
    missions.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    (seeds / "persons" / "test.yaml").write_text(
        "- slug: test-cosmonaut\n  name: Test Cosmonaut\n  sources: [wikipedia-space-race]\n"
    )
    (seeds / "missions" / "test.yaml").write_text(
        "- slug: test-flight\n  name: Test Flight\n  country: SU\n  crewed: true\n"
        "  status: SUCCESS\n  launchDate: '1965-05-01'\n  landingDate: '1965-05-02'\n"
        "  crew: [{person: test-cosmonaut, role: Pilot}]\n  sources: [wikipedia-space-race]\n"
    )
    events = next(
        f for f in (seeds / "events").glob("*.yaml") if "nedelin-catastrophe" in f.read_text()
    )
    kept = [
        e for e in yaml.safe_load(events.read_text("utf-8")) if e["slug"] != "nedelin-catastrophe"
    ]
    events.write_text(yaml.safe_dump(kept, allow_unicode=True, sort_keys=False), "utf-8")


def assert_old_dataset(answer: dict[str, Any]) -> None:
    voskhod2 = answer["voskhod2"]
    assert voskhod2["summary"] != "The next dataset's summary."
    assert [c["person"]["slug"] for c in voskhod2["crew"]] == ["pavel-belyayev", "alexey-leonov"]
    assert answer["added"] is None
    assert answer["newcomer"] is None
    assert answer["event"] is not None


def assert_new_dataset(answer: dict[str, Any]) -> None:
    assert answer["voskhod2"]["summary"] == "The next dataset's summary."
    assert all(c["person"] for c in answer["voskhod2"]["crew"])
    assert answer["added"]["crew"] == [
        {"person": {"slug": "test-cosmonaut", "name": "Test Cosmonaut"}}
    ]
    assert answer["newcomer"]["flights"] == [{"mission": {"slug": "test-flight"}}]
    assert answer["event"] is None


def ask(store: Any, snapshot: Snapshot | None = None) -> dict[str, Any]:
    async def main() -> dict[str, Any]:
        try:
            answer = await schema.gate.run(Request(QUESTION), Reader(store, snapshot))
        finally:
            await store.close()
        assert not answer.errors, answer.errors
        assert answer.data is not None
        return answer.data

    return asyncio.run(main())


def assert_right_changes(report: writer.LoadReport) -> None:
    counts = report.counts
    assert (counts["missions"].updated, counts["missions"].inserted) == (1, 1)
    assert counts["persons"].inserted == 1
    assert counts["events"].deleted == 1
    assert report.changes == 4


# -- on the wire server: a real process, killed ---------------------------------------


def start_paused(uri: str, seeds: Path, phase: str, marker: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "MONGODB_URI": uri,
        writer.PAUSE_AT: phase,
        writer.PAUSE_FILE: str(marker),
    }
    process = subprocess.Popen(
        [SPACERACE, "load", str(seeds)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            out, err = process.communicate()
            pytest.fail(f"the loader never reached {phase}: {out.decode()} {err.decode()}")
        time.sleep(0.02)
    return process


def kill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL


@pytest.fixture
def loaded(wire_server: WireServer, wire_db: Database[Document], seeds: Path) -> str:
    """The bundled seeds loaded into a fresh wire database; its URI."""
    load(wire_db, [str(seeds)])
    return wire_server.uri.replace("/?", f"/{wire_db.name}?")


@pytest.mark.wire
@pytest.mark.parametrize("phase", ["validate", "insert", "indexes", "flip"])
def test_a_loader_killed_in_a_phase_leaves_the_old_dataset_whole(
    phase: str, loaded: str, wire_db: Database[Document], seeds: Path, tmp_path: Path
) -> None:
    settings = Settings(mongodb_uri=loaded)
    before, version = snapshot(wire_db), writer.dataset_version(wire_db)
    assert_old_dataset(ask(ServerStore.open(settings)))
    change_across_collections(seeds)

    process = start_paused(loaded, seeds, phase, tmp_path / "paused")
    assert_old_dataset(ask(ServerStore.open(settings)))  # while it is stopped there
    kill(process)

    assert writer.dataset_version(wire_db) == version
    assert snapshot(wire_db) == before
    assert_old_dataset(ask(ServerStore.open(settings)))
    if phase in ("insert", "indexes", "flip"):
        left = set(wire_db.list_collection_names()) - set(live_names(wire_db).values())
        assert {"missions__g2", "persons__g2", "events__g2"} & left

    # The re-run needs no clean-up by hand, and reports what the dataset changes.
    report = load(wire_db, [str(seeds)])
    assert_right_changes(report)
    assert_new_dataset(ask(ServerStore.open(settings)))
    orphans = set(wire_db.list_collection_names()) - set(live_names(wire_db).values())
    assert orphans <= {"meta", "missions__g1", "persons__g1", "events__g1"}  # retired, in grace


@pytest.mark.wire
def test_a_loader_killed_just_after_the_flip_leaves_the_new_dataset_whole(
    loaded: str, wire_db: Database[Document], seeds: Path, tmp_path: Path
) -> None:
    change_across_collections(seeds)
    kill(start_paused(loaded, seeds, "flipped", tmp_path / "paused"))
    assert_new_dataset(ask(ServerStore.open(Settings(mongodb_uri=loaded))))
    report = load(wire_db, [str(seeds)])
    assert report.changes == 0
    assert not report.written


@pytest.mark.wire
def test_one_load_at_a_time(
    loaded: str, wire_db: Database[Document], seeds: Path, tmp_path: Path
) -> None:
    change_across_collections(seeds)
    marker = tmp_path / "paused"
    process = start_paused(loaded, seeds, "insert", marker)
    try:
        started = time.monotonic()
        with pytest.raises(LoadFailed, match="another load is writing this database"):
            load(wire_db, [str(seeds)])
        assert time.monotonic() - started < 5
        assert any(n.endswith("__g2") for n in wire_db.list_collection_names())  # untouched
        marker.unlink()  # let it go on: it finishes, alone
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert b"4 documents changed." in out
    finally:
        if process.poll() is None:
            kill(process)
    assert_new_dataset(ask(ServerStore.open(Settings(mongodb_uri=loaded))))


@pytest.mark.wire
def test_a_step_past_its_deadline_is_a_message_and_nothing_changes(
    loaded: str,
    wire_db: Database[Document],
    seeds: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from spacerace.api.cli import main

    before = snapshot(wire_db)
    change_across_collections(seeds)
    monkeypatch.setattr(writer, "INDEX_TIMEOUT", 0.001)
    monkeypatch.setenv("MONGODB_URI", loaded)
    assert main(["load", str(seeds)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("spacerace: building the indexes of missions__g2: not finished within")
    assert "Traceback" not in err
    assert "127.0.0.1" not in err
    assert snapshot(wire_db) == before
    monkeypatch.undo()
    assert_right_changes(load(wire_db, [str(seeds)]))


# -- on the embedded store: the same phases, raising -----------------------------------


class Stopped(Exception):
    """Stands for the process dying at a phase."""


@pytest.mark.parametrize("phase", ["validate", "insert", "indexes", "flip"])
def test_an_embedded_load_stopped_in_a_phase_leaves_the_old_dataset_whole(
    phase: str, db: Database[Document], seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(db, [str(seeds)])
    before, version = snapshot(db), writer.dataset_version(db)
    change_across_collections(seeds)

    def stop_at(reached: str) -> None:
        if reached == phase:
            raise Stopped(reached)

    monkeypatch.setattr(writer, "checkpoint", stop_at)
    with pytest.raises(Stopped):
        load(db, [str(seeds)])
    assert snapshot(db) == before
    assert writer.dataset_version(db) == version
    assert_old_dataset(ask(EmbeddedStore(db)))
    monkeypatch.undo()

    report = load(db, [str(seeds)])
    assert_right_changes(report)
    assert_new_dataset(ask(EmbeddedStore(db)))


def test_a_request_that_began_before_the_flip_reads_the_old_dataset_to_the_end(
    db: Database[Document], seeds: Path
) -> None:
    load(db, [str(seeds)])
    began = Snapshot.of(generations.read_pointer(db))
    change_across_collections(seeds)
    load(db, [str(seeds)])
    assert_old_dataset(ask(EmbeddedStore(db), began))  # the retired generation, still whole
    assert_new_dataset(ask(EmbeddedStore(db)))

    # Past the grace period the next load drops the retired generations.
    (seeds / "persons" / "test.yaml").write_text(
        "- slug: test-cosmonaut\n  name: Test Cosmonaut II\n  sources: [wikipedia-space-race]\n"
    )
    report = writer_load(db, seeds, grace=0)
    assert sorted(report.dropped) == ["events__g1", "missions__g1", "persons__g1"]
    assert [r["collection"] for r in Pointer.read(db).retired] == ["persons__g2"]


def writer_load(db: Database[Document], seeds: Path, *, grace: float) -> writer.LoadReport:
    real = writer.write

    def write(*args: Any, **kwargs: Any) -> writer.LoadReport:
        return real(*args, **{**kwargs, "grace": grace})

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(writer, "write", write)
        return load(db, [str(seeds)])


def test_a_stale_lease_of_a_dead_process_is_taken_over_at_once(db: Database[Document]) -> None:
    held = generations.Lease(db, renew=False)
    held.acquire()
    with pytest.raises(generations.LoadRunning, match="another load is writing"):
        generations.Lease(db, renew=False).acquire()
    # A process of this host that no longer exists holds it: taken over.
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    db["meta"].update_one({"_id": "load"}, {"$set": {"pid": int(dead.stdout)}})
    taker = generations.Lease(db, renew=False)
    taker.acquire()
    taker.release()
    assert db["meta"].find_one({"_id": "load"}) is None


def test_a_yaml_alias_bomb_is_a_clear_error(seeds: Path, db: Database[Document]) -> None:
    lol = '["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'
    levels = ["  a: &a " + lol] + [
        f"  {chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]"
        for i in range(9)
    ]
    bomb = "- slug: bomb\n" + "\n".join(levels) + "\n"
    assert len(bomb.encode()) < 600  # about the size of the one that took 4.2 GB
    (seeds / "missions" / "bomb.yaml").write_text(bomb)
    started = time.monotonic()
    with pytest.raises(LoadError) as caught:
        load(db, [str(seeds)])
    assert time.monotonic() - started < 10
    (problem,) = caught.value.problems
    assert problem.file.endswith("missions/bomb.yaml")
    assert "aliases expand" in problem.message
    assert "alias bomb" in problem.message


def test_ordinary_yaml_aliases_still_load(seeds: Path, db: Database[Document]) -> None:
    (seeds / "persons" / "aliased.yaml").write_text(
        "- slug: aliased-one\n  name: Aliased One\n  sources: &s [wikipedia-space-race]\n"
        "- slug: aliased-two\n  name: Aliased Two\n  sources: *s\n"
    )
    load(db, [str(seeds)])
    assert live(db, "persons").find_one({"_id": "aliased-two"})["sources"][0]["key"] == (
        "wikipedia-space-race"
    )


def test_the_watch_reads_the_pointer_into_its_snapshot(db: Database[Document], seeds: Path) -> None:
    """The API's DatasetWatch: the version HTTP caches key on, and every collection's
    physical name, read from the pointer in one call."""
    from spacerace.store.dataset import DatasetWatch

    load(db, [str(seeds)])

    async def refreshed() -> Snapshot:
        watch = DatasetWatch(EmbeddedStore(db))
        assert not watch.current.known
        return await watch.refresh()

    snapshot = asyncio.run(refreshed())
    assert snapshot.known
    assert snapshot.version == writer.dataset_version(db)
    assert snapshot.physical("missions") == live_names(db)["missions"] == "missions__g1"
    assert snapshot.physical("mission_hours") == "mission_hours"  # never loaded: its own name
