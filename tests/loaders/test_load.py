"""The seed loader end to end, on the embedded store and on a wire-protocol server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pymongo.database import Database

from spacerace.loaders import pipeline
from spacerace.loaders.pipeline import load
from spacerace.loaders.problems import LoadError
from spacerace.store import writer
from spacerace.store.generations import Pointer, live, live_names
from spacerace.store.layout import BY_NAME

Document = dict[str, Any]


def snapshot(db: Database[Document]) -> dict[str, list[Document]]:
    """Every document of the live dataset, as readers see it (through the pointer)."""
    return {name: list(live(db, name).find().sort("_id")) for name in BY_NAME}


def edit(path: Path, change: Any) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_first_load_inserts_everything(db: Database[Document], seeds: Path) -> None:
    report = load(db, [str(seeds)])
    counts = report.counts
    assert report.written
    assert counts["missions"].inserted == live(db, "missions").count_documents({}) > 50
    assert counts["persons"].inserted == live(db, "persons").count_documents({}) > 50
    assert all(c.updated == c.deleted == c.unchanged == 0 for c in counts.values())
    assert live(db, "missions").find_one({"_id": "voskhod-2"})["program"] == "voskhod"


def test_second_load_of_the_same_input_changes_nothing(db: Database[Document], seeds: Path) -> None:
    load(db, [str(seeds)])
    before = snapshot(db)
    report = load(db, [str(seeds)])
    assert report.changes == 0
    assert not report.written
    assert sum(c.unchanged for c in report.counts.values()) == sum(map(len, before.values()))
    assert snapshot(db) == before


def test_changing_one_record_changes_only_that_record(db: Database[Document], seeds: Path) -> None:
    load(db, [str(seeds)])
    before = snapshot(db)

    def retitle(missions: list[Document]) -> None:
        voskhod_2 = next(m for m in missions if m["slug"] == "voskhod-2")
        voskhod_2["summary"] = "An edited summary."

    edit(seeds / "missions" / "voskhod.yaml", retitle)
    report = load(db, [str(seeds)])
    assert report.changes == 1
    assert report.counts["missions"].updated == 1
    after = snapshot(db)
    changed = [
        (name, doc["_id"])
        for name in after
        for doc, old in zip(after[name], before[name], strict=True)
        if doc != old
    ]
    assert changed == [("missions", "voskhod-2")]
    assert live(db, "missions").find_one({"_id": "voskhod-2"})["summary"] == "An edited summary."


def test_removed_record_is_deleted(db: Database[Document], seeds: Path) -> None:
    extra = seeds / "missions" / "extra.yaml"
    extra.write_text(
        "- slug: test-flight\n  name: Test Flight\n  country: SU\n  crewed: false\n"
        "  status: PLANNED\n  sources: [wikipedia-space-race]\n"
    )
    load(db, [str(seeds)])
    assert live(db, "missions").find_one({"_id": "test-flight"})["status"] == "PLANNED"
    extra.unlink()
    report = load(db, [str(seeds)])
    assert report.counts["missions"].deleted == 1
    assert report.changes == 1
    assert live(db, "missions").find_one({"_id": "test-flight"}) is None


def test_broken_input_is_rejected_whole_and_previous_data_stays(
    db: Database[Document], seeds: Path
) -> None:
    load(db, [str(seeds)])
    before = snapshot(db)

    def break_voskhod_2(missions: list[Document]) -> None:
        voskhod_2 = next(m for m in missions if m["slug"] == "voskhod-2")
        voskhod_2["crew"][1]["person"] = "alexey-leonv"
        voskhod_2["status"] = "MOSTLY_FINE"
        voskhod_2["launchDate"] = "1965-02-30"
        voskhod_2["summary"] = "Leonov\u00e2\u20ac\u201cBelyayev"
        voskhod_2["lauchVehicle"] = "typo"
        voskhod_2["sources"] = ["no-such-source"]

    edit(seeds / "missions" / "voskhod.yaml", break_voskhod_2)
    with pytest.raises(LoadError) as caught:
        load(db, [str(seeds)])
    messages = [str(p) for p in caught.value.problems]
    by_field = {p.field: p for p in caught.value.problems}
    assert {
        "crew[1].person",
        "status",
        "launchDate",
        "summary",
        "lauchVehicle",
        "sources[0]",
    } <= set(by_field)
    for problem in caught.value.problems:
        assert problem.file.endswith("missions/voskhod.yaml")
        assert "(voskhod-2)" in problem.record
        assert problem.line > 0
    assert "unknown person 'alexey-leonv'" in by_field["crew[1].person"].message
    assert "'MOSTLY_FINE' is not one of" in by_field["status"].message
    assert "did you mean" in by_field["summary"].message
    assert any("unknown source 'no-such-source'" in m for m in messages)
    assert snapshot(db) == before


def test_invalid_yaml_names_the_file_and_line(db: Database[Document], seeds: Path) -> None:
    (seeds / "events" / "broken.yaml").write_text("- slug: x\n  title: [unclosed\n")
    with pytest.raises(LoadError) as caught:
        load(db, [str(seeds)])
    (problem,) = caught.value.problems
    assert problem.file.endswith("events/broken.yaml")
    assert problem.line == 3
    assert "is not valid YAML" in problem.message


def test_duplicate_slug_names_both_places(db: Database[Document], seeds: Path) -> None:
    (seeds / "persons" / "extra.yaml").write_text(
        "- slug: alexey-leonov\n  name: Someone Else\n  sources: [wikipedia-space-race]\n"
    )
    with pytest.raises(LoadError) as caught:
        load(db, [str(seeds)])
    (problem,) = caught.value.problems
    assert problem.field == "slug"
    assert "persons/" in problem.message
    assert "is also" in problem.message


def test_a_load_that_dies_before_the_swap_leaves_previous_data(
    db: Database[Document], seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(db, [str(seeds)])
    before = snapshot(db)
    edit(
        seeds / "missions" / "voskhod.yaml",
        lambda missions: missions[0].update(summary="A change that never lands."),
    )
    staged: list[str] = []
    real_stage = writer._stage

    def stage_then_die(*args: Any) -> None:
        real_stage(*args)
        staged.append(args[1])
        raise KeyboardInterrupt

    monkeypatch.setattr(writer, "_stage", stage_then_die)
    with pytest.raises(KeyboardInterrupt):
        load(db, [str(seeds)])
    assert staged == ["missions"]
    assert snapshot(db) == before
    left = set(db.list_collection_names()) - set(live_names(db).values())
    assert any(name.startswith("missions__g") for name in left)
    monkeypatch.undo()
    report = load(db, [str(seeds)])
    assert report.counts["missions"].updated == 1
    assert report.dropped == sorted(left - {"meta"})
    # What is left beside the live dataset: only the generation the re-run retired,
    # kept readable for requests that began on it.
    extra = set(db.list_collection_names()) - set(live_names(db).values()) - {"meta"}
    assert extra == {"missions__g1"}
    (retired,) = Pointer.read(db).retired
    assert retired["collection"] == "missions__g1"


def test_dry_run_reports_and_writes_nothing(db: Database[Document], seeds: Path) -> None:
    report = load(db, [str(seeds)], dry_run=True)
    assert report.counts["missions"].inserted > 50
    assert not report.written
    assert db.list_collection_names() == []


def test_load_creates_indexes(db: Database[Document], seeds: Path) -> None:
    load(db, [str(seeds)])
    assert "crew_person" in live(db, "missions").index_information()
    assert "date_order" in live(db, "events").index_information()


def test_the_report_times_each_step(db: Database[Document], seeds: Path) -> None:
    report = load(db, [str(seeds)])
    steps = {"read", "validate", "cleanup", "insert", "indexes", "rules", "flip"}
    assert set(report.timings) == steps
    assert all(seconds >= 0 for seconds in report.timings.values())
    assert set(load(db, [str(seeds)]).timings) == {"read", "validate", "cleanup", "rules"}


def test_input_that_changes_during_the_load_is_not_swapped_in(
    db: Database[Document], seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(db, [str(seeds)])
    before = snapshot(db)
    edit(seeds / "missions" / "voskhod.yaml", lambda ms: ms[0].update(summary="First edit."))
    reads = {"count": 0}
    real_documents = pipeline.documents

    def documents(raw: Any, idx: Any, *, check: bool = True) -> Any:
        if not check:  # the streaming pass: someone edits the file in between
            reads["count"] += 1
            edit(
                seeds / "missions" / "voskhod.yaml", lambda ms: ms[0].update(summary="Second edit.")
            )
            raw = pipeline.read([str(seeds / "missions" / "voskhod.yaml")])
        return real_documents(raw, idx, check=check)

    monkeypatch.setattr(pipeline, "documents", documents)
    with pytest.raises(LoadError, match="changed on disk during the load"):
        load(db, [str(seeds)])
    assert reads["count"] == 1
    assert snapshot(db) == before


def test_the_dataset_version_changes_exactly_when_a_load_changes_something(
    db: Database[Document], seeds: Path
) -> None:
    load(db, [str(seeds)])
    first = writer.dataset_version(db)
    assert first is not None
    load(db, [str(seeds)])
    assert writer.dataset_version(db) == first
    edit(
        seeds / "missions" / "voskhod.yaml",
        lambda missions: missions[1].update(summary="Edited for a test."),
    )
    load(db, [str(seeds)])
    assert writer.dataset_version(db) not in (None, first)
