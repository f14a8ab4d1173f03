"""The astronaut dataset loader: parsing, reconciliation, per-source loads, and the
fields it fills, under both executors."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest
from pymongo.database import Database

from spacerace.api.cli import main
from spacerace.loaders.astronauts import AstronautLoader, read_rows
from spacerace.loaders.pipeline import load
from spacerace.loaders.problems import LoadError
from spacerace.schema import schema
from spacerace.schema.gate import Gate, GateSettings, Request
from spacerace.store.aio import EmbeddedStore
from spacerace.store.generations import live, live_names
from spacerace.store.layout import SEEDS, of_sources
from spacerace.store.reads import Reader
from spacerace.store.settings import BUNDLED_SEEDS
from tests.astronaut_csv import write_csv
from tests.wire_server import WireServer

Document = dict[str, Any]
REPO = Path(__file__).resolve().parents[2]
DATASETS = Path(os.environ.get("SPACERACE_SHARED_DATASETS", REPO.parent / "shared" / "datasets"))
REAL = DATASETS / "astronauts.csv"


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "astronauts.csv")


def seed_collections(db: Database[Document]) -> dict[str, Any]:
    return {
        name: (live_names(db).get(name), list(live(db, name).find().sort("_id")))
        for name in of_sources({SEEDS})
    }


def test_the_csv_is_read_with_its_quoted_line_break_and_native_names(small: Path) -> None:
    rows, problems = read_rows(small, "astronauts.csv")
    assert problems == []
    assert len(rows) == 8
    assert [row.line for row in rows[:3]] == [2, 3, 5]  # row 2 spans lines 3 and 4
    assert rows[1].original_name == "ЛЕОНОВ Алексей Архипович"
    assert (rows[1].eva_hours, rows[6].mission_title) == (0.5, "gemini 4")


def test_it_is_recognised_by_its_header(small: Path, tmp_path: Path) -> None:
    assert AstronautLoader().accepts(str(small))
    other = tmp_path / "other.csv"
    other.write_text("id,name\n1,x\n")
    assert not AstronautLoader().accepts(str(other))
    with pytest.raises(LoadError, match="nor a known dataset"):
        load(_empty(), [str(other)])


def _empty() -> Database[Document]:
    import mongomock

    db: Database[Document] = mongomock.MongoClient(tz_aware=True)["x"]
    return db


def test_the_reconciliation_report(small: Path) -> None:
    report = load(_empty(), [str(BUNDLED_SEEDS), str(small)], dry_run=True)
    notes = "\n".join(report.notes)
    assert "8 rows, 7 of 1961–1975, 1 later" in notes
    assert "matched: 6 rows to 6 of 121 curated crew seats; career hours for 5" in notes
    assert "rows of 1961–1975 matching no curated seat: 1" in notes
    assert "line 10 (Testov, Ivan, Vostok 7 1964): no curated mission has this title" in notes
    assert "curated seats of 1961–1975 with no row: 115" in notes
    assert "freedom-7 / alan-shepard: the dataset has no row for this person at all" in notes
    assert "disagreements (both values kept as claims): 3" in notes
    assert "voskhod-2 / alexey-leonov: EVA 0.5 h (dataset) against 'about 12 minutes'" in notes
    assert "gemini-4: launch year 1966 (dataset) against 1965 (curated launchDate)" in notes
    assert "yuri-gagarin: born 1933 (dataset) against 1934-03-09 (curated)" in notes


def test_loads_are_per_source(db: Database[Document], small: Path) -> None:
    load(db, [str(BUNDLED_SEEDS)])
    seeded = seed_collections(db)

    first = load(db, [str(small)])
    assert set(first.counts) == {"mission_hours", "person_hours"}
    assert (first.counts["mission_hours"].inserted, first.counts["person_hours"].inserted) == (5, 5)
    assert seed_collections(db) == seeded  # the seeds' collections: same generation, same data

    again = load(db, [str(small)])
    assert again.changes == 0
    assert not again.written

    hours = live_names(db)["mission_hours"]
    reseeded = load(db, [str(BUNDLED_SEEDS)])
    assert reseeded.changes == 0
    assert live_names(db)["mission_hours"] == hours  # the dataset's contribution is kept
    assert live(db, "person_hours").find_one({"_id": "john-glenn"})["careerHours"] == 220.0

    text = small.read_text(encoding="utf-8").replace("97.9,97.9", "98.5,98.5")
    small.write_text(text, encoding="utf-8")
    changed = load(db, [str(small)])
    assert (changed.counts["mission_hours"].updated, changed.changes) == (
        1,
        2,
    )  # gemini-4, ed-white
    assert seed_collections(db) == seeded


@pytest.mark.wire
def test_an_identical_second_load_reports_no_change(
    small: Path,
    wire_server: WireServer,
    wire_db: Database[Document],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("MONGODB_URI", wire_server.uri.replace("/?", f"/{wire_db.name}?"))
    assert main(["load", str(BUNDLED_SEEDS)]) == 0
    assert main(["load", str(small)]) == 0
    out = capsys.readouterr().out
    assert "Astronaut database (astronauts.csv): 8 rows" in out
    assert "10 documents changed." in out
    assert main(["load", str(small)]) == 0
    assert "\n0 documents changed.\n" in capsys.readouterr().out
    assert main(["load", str(BUNDLED_SEEDS)]) == 0
    assert "\n0 documents changed.\n" in capsys.readouterr().out
    assert live(wire_db, "mission_hours").count_documents({}) == 5


def test_loading_it_alone_needs_the_curated_data(small: Path) -> None:
    with pytest.raises(LoadError, match="load the seeds first, or with it"):
        load(_empty(), [str(small)])


def test_a_bad_value_names_the_file_line_and_field(small: Path) -> None:
    text = small.read_text(encoding="utf-8").replace(",26.0,170.0,", ",lots,170.0,", 1)
    small.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load(_empty(), [str(BUNDLED_SEEDS), str(small)])
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (3, "hours_mission")
    assert "'lots' is not a number" in problem.message
    assert "nothing was written" in str(caught.value)


HOURS = """{
  voskhod2: mission(slug: "voskhod-2") {
    claims { topic value sources { title } }
    crew { flightHours evaHours person { slug careerHours } }
  }
  gagarin: person(slug: "yuri-gagarin") { careerHours claims { topic value sources { title } } }
  glenn: person(slug: "john-glenn") { careerHours flights { flightHours mission { slug } } }
  missions(first: 100, filter: {crewed: true}) {
    nodes { slug claims { topic value } crew { flightHours evaHours person { careerHours } } }
  }
}"""


@pytest.mark.parametrize("executor", ["compiled", "reference"])
def test_the_api_serves_the_hours_and_the_claims(executor: str, small: Path) -> None:
    db = _empty()
    load(db, [str(BUNDLED_SEEDS), str(small)])

    async def ask() -> Any:
        gate = Gate(schema._schema, GateSettings(executor=executor))
        answer = await gate.run(Request(HOURS), Reader(EmbeddedStore(db)))
        assert answer.errors == [], answer.errors
        assert answer.executor == executor
        return answer.data

    data = asyncio.run(ask())
    voskhod2 = data["voskhod2"]
    assert [(c["person"]["slug"], c["flightHours"], c["evaHours"]) for c in voskhod2["crew"]] == [
        ("pavel-belyayev", 26.0, 0.0),
        ("alexey-leonov", 26.0, 0.2),  # the curated duration wins; both are claims
    ]
    assert voskhod2["crew"][1]["person"]["careerHours"] == 170.0
    eva = [c for c in voskhod2["claims"] if c["topic"] == "eva-duration-alexey-leonov"]
    assert [(c["value"], c["sources"][0]["title"]) for c in eva] == [
        ("0.5 h", "Astronaut database"),
        ("about 12 minutes", "Space Race"),
    ]
    assert voskhod2["claims"][0]["topic"] == "landing-miss-distance"  # its own claims first
    assert data["gagarin"]["careerHours"] == 1.8
    assert [c["value"] for c in data["gagarin"]["claims"] if c["topic"] == "birth-year"] == [
        "1933",
        "1934-03-09",
    ]
    glenn = data["glenn"]
    assert glenn["careerHours"] == 220.0  # the 1998 flight counts toward it
    assert glenn["flights"] == [{"flightHours": 5.0, "mission": {"slug": "friendship-7"}}]
    return


def test_both_executors_agree_on_the_dataset_fields(small: Path) -> None:
    db = _empty()
    load(db, [str(BUNDLED_SEEDS), str(small)])

    async def ask(executor: str) -> Any:
        gate = Gate(schema._schema, GateSettings(executor=executor))
        answer = await gate.run(Request(HOURS), Reader(EmbeddedStore(db)))
        assert answer.executor == executor
        return answer.data, answer.errors

    assert asyncio.run(ask("compiled")) == asyncio.run(ask("reference"))


@pytest.mark.skipif(not REAL.exists(), reason=f"the astronaut dataset is not at {REAL}")
def test_the_real_dataset_matches_or_explains_every_curated_seat(
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = _empty()
    report = load(db, [str(BUNDLED_SEEDS), str(REAL)])
    notes = report.notes
    hours = {doc["_id"]: doc for doc in live(db, "mission_hours").find()}
    missions = [
        m
        for m in live(db, "missions").find({"crewed": True})
        if m["launchDate"] and "1961" <= m["launchDate"][:4] <= "1975"
    ]
    seats = [(m["_id"], c["person"]) for m in missions for c in m["crew"]]
    assert len(seats) == 121
    for mission, person in seats:
        matched = person in {s["person"] for s in hours.get(mission, {}).get("seats", [])}
        explained = [n for n in notes if n.strip().startswith(f"{mission} / {person}: the dataset")]
        assert matched != bool(explained), (mission, person)
    assert "rows of 1961–1975 matching no curated seat: 0" in [n.strip() for n in notes]
    leonov = next(s for s in hours["voskhod-2"]["seats"] if s["person"] == "alexey-leonov")
    assert leonov["evaHours"] == 0.2
    assert {c["value"] for c in hours["voskhod-2"]["claims"]} == {"0.73 h", "about 12 minutes"}
    assert live(db, "person_hours").find_one({"_id": "john-glenn"})["careerHours"] > 200
    print("\n".join(notes))


def test_a_crew_transfer_is_timed_to_the_craft_it_landed_in(tmp_path: Path) -> None:
    """Yeliseyev went up in Soyuz 5 (15 January 1969) and came down in Soyuz 4 (17
    January): 47 hours fits his flight, not Soyuz 5's own landing on the 18th. Without
    the transfer the same hours disagree with the curated dates."""
    seat = (36, "Yeliseyev, Aleksei", "ЕЛИСЕЕВ Алексей Станиславович", 1934, 1969,
            "Soyuz 5/4", "Soyuz 5", 47.0, 214.33, 0.62, 0.62)  # fmt: skip

    def notes(descend: str) -> str:
        path = write_csv(tmp_path / f"{descend}.csv", [seat])
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("Soyuz 5,Soyuz 5,Soyuz 5", f"Soyuz 5,Soyuz 5,{descend}"))
        report = load(_empty(), [str(BUNDLED_SEEDS), str(path)], dry_run=True)
        return "\n".join(report.notes)

    transferred = notes("Soyuz 4")
    assert "matched: 1 rows to 1 of 121 curated crew seats" in transferred
    assert "disagreements (both values kept as claims): 0" in transferred
    stayed = notes("Soyuz 5")
    assert "soyuz-5 / aleksei-yeliseyev: 47 h in flight (dataset) does not fit" in stayed
