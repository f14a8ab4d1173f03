"""The benchmark data generator: deterministic, proportionate, and valid seed input."""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import mongomock
import pytest

from benchmarks import generate as generator
from benchmarks.generate import counts_for, generate
from spacerace.api.cli import main
from spacerace.loaders.pipeline import load, prepare, read
from spacerace.store.dates import span
from spacerace.store.generations import live

ROOT = Path(__file__).resolve().parents[1]
Records = dict[str, list[dict[str, Any]]]


def files(root: Path) -> dict[str, bytes]:
    return {str(f.relative_to(root)): f.read_bytes() for f in sorted(root.rglob("*.json"))}


def records(root: Path) -> Records:
    raw = read([str(root)])
    assert raw.problems == []
    by: Records = {"programs": [], "missions": [], "persons": [], "events": [], "launch_sites": []}
    for record in raw.records:
        by[record.collection].append(record.data)
    return by


@pytest.fixture(scope="module")
def thousand(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    out = tmp_path_factory.mktemp("generated") / "seeds"
    return out, generate(1000, out, seed=0)


@pytest.fixture(scope="module")
def data(thousand: tuple[Path, dict[str, int]]) -> Records:
    return records(thousand[0])


def test_the_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    generate(300, tmp_path / "a", seed=5)
    generate(300, tmp_path / "b", seed=5)
    generate(300, tmp_path / "c", seed=6)
    a, b, c = (files(tmp_path / name) for name in "abc")
    assert list(a) == [
        "events/events-0001.json",
        "launch_sites/launch_sites-0001.json",
        "missions/missions-0001.json",
        "persons/persons-0001.json",
        "programs/programs-0001.json",
        "sources/generated.json",
    ]
    assert a == b
    assert a["missions/missions-0001.json"] != c["missions/missions-0001.json"]
    assert a["persons/persons-0001.json"] != c["persons/persons-0001.json"]


def test_the_output_does_not_depend_on_string_hashing(tmp_path: Path) -> None:
    """Nothing may follow the order of a set: runs with other hash seeds agree."""
    for hash_seed in ("1", "2"):
        code = (
            "import sys; from pathlib import Path; from benchmarks.generate import generate; "
            "generate(200, Path(sys.argv[1]), seed=3)"
        )
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = tmp_path / hash_seed
        subprocess.run([sys.executable, "-c", code, str(out)], cwd=ROOT, env=env, check=True)
    assert files(tmp_path / "1") == files(tmp_path / "2")


def test_counts_follow_the_curated_proportions(
    thousand: tuple[Path, dict[str, int]], data: Records
) -> None:
    _, counts = thousand
    assert counts == {
        "sources": 50,
        "programs": 12,
        "missions": 1000,
        "persons": 500,
        "events": 280,
        "launch_sites": 6,
    }
    assert {name: len(items) for name, items in data.items()} == {
        name: counts[name] for name in data
    }
    assert counts_for(10) == {**counts_for(0), "missions": 10}
    assert counts_for(0) == {
        "sources": 50,
        "programs": 12,
        "missions": 0,
        "persons": 20,
        "events": 5,
        "launch_sites": 6,
    }
    assert counts_for(100_000)["programs"] == 1000
    assert counts_for(100_000)["persons"] == 50_000
    assert counts_for(100_000)["events"] == 28_000


def test_no_program_has_more_than_100_missions(data: Records) -> None:
    per_program = Counter(m["program"] for m in data["missions"])
    assert set(per_program) == {p["slug"] for p in data["programs"]}
    assert max(per_program.values()) <= 100
    countries = {p["slug"]: p["country"] for p in data["programs"]}
    assert [p["country"] for p in data["programs"]][:4] == ["SU", "US", "SU", "US"]
    assert all(m["country"] == countries[m["program"]] for m in data["missions"])


@pytest.mark.parametrize("missions", [10_000, 9_999, 12_345, 100_000])
def test_up_to_10000_missions_fit_one_page_of_programs(missions: int) -> None:
    programs = counts_for(missions)["programs"]
    shares = generator._split(missions, programs, 100, random.Random(missions))
    assert sum(shares) == missions
    assert max(shares) <= 100
    if missions <= 10_000:
        assert programs <= 100


def test_missions_look_like_the_curated_ones(data: Records) -> None:
    missions = data["missions"]
    assert len({m["slug"] for m in missions}) == len(missions)
    statuses = Counter(m["status"] for m in missions)
    assert statuses["SUCCESS"] > 0.6 * len(missions)
    assert statuses["FAILURE"] > 0
    assert statuses["PARTIAL_FAILURE"] > 0
    assert 0 < statuses["CANCELLED"] < 0.06 * len(missions)
    assert 0.75 <= sum(m["crewed"] for m in missions) / len(missions) <= 0.85

    launched = [m for m in missions if m["status"] != "CANCELLED"]
    assert all("launchDate" not in m for m in missions if m["status"] == "CANCELLED")
    assert all("1957" <= m["launchDate"][:4] <= "1975" for m in launched)
    precision = Counter(len(m["launchDate"]) for m in launched)
    assert 0.86 <= precision[10] / len(launched) <= 0.94
    assert 0.04 <= precision[7] / len(launched) <= 0.10
    assert 0.01 <= precision[4] / len(launched) <= 0.06
    by_day = [m for m in launched if len(m["launchDate"]) == 10]
    timed = [m for m in by_day if "launchTime" in m]
    assert 0.7 <= len(timed) / len(by_day) <= 0.9
    assert all(m["launchTime"].startswith(m["launchDate"] + "T") for m in timed)
    for m in launched:
        if "landingDate" in m:
            assert span(m["landingDate"])[1] >= span(m["launchDate"])[0]

    words = [len(m["summary"].split()) for m in missions]
    assert min(words) >= 20
    assert max(words) <= 40

    flown = [m for m in launched if m["crewed"]]
    assert 1.8 <= statistics.mean(len(m["crew"]) for m in flown) <= 2.2
    for m in missions:
        crew = [c["person"] for c in m["crew"]]
        assert len(set(crew)) == len(crew) <= 3
        assert crew == [] or (m["crewed"] and m["status"] != "CANCELLED")
        for outcome in m["outcomes"]:
            assert set(outcome["people"]) <= set(crew)
            assert 1 <= len(outcome["sources"]) <= 3
    assert 1.35 <= statistics.mean(len(m["outcomes"]) for m in missions) <= 1.65
    assert any(m["claims"] for m in missions)


def test_persons_look_like_the_curated_ones(data: Records) -> None:
    persons = data["persons"]
    assert Counter(p["country"] for p in persons) == {"SU": 250, "US": 250}
    for person in persons:
        assert len(person["aliases"]) <= 2
        assert person["occupations"]
        if person["country"] == "SU":
            assert any("\u0400" <= c <= "\u04ff" for c in person["nativeName"])
        else:
            assert "nativeName" not in person
    occupations = Counter(o for p in persons for o in p["occupations"])
    assert all(occupations[o] > 0 for o in ("cosmonaut", "astronaut", "engineer", "pilot"))
    births = Counter(len(p["birthDate"]) for p in persons)
    assert births[10] > 0.9 * len(persons)
    assert births[7] + births[4] > 0
    assert 0.5 < sum("deathDate" in p for p in persons) / len(persons) < 0.95
    flew = {c["person"] for m in data["missions"] for c in m["crew"]}
    assert len(flew) > 0.6 * len(persons)


def test_events_and_sources(thousand: tuple[Path, dict[str, int]], data: Records) -> None:
    kinds = Counter(e["kind"] for e in data["events"])
    assert set(kinds) == {"POLITICAL", "PROGRAM", "DEATH", "OTHER"}
    assert any(e["endDate"] for e in data["events"])
    assert any(e["missions"] for e in data["events"])
    everything = [r for items in data.values() for r in items]
    cited = [r["sources"] for r in everything]
    cited += [x["sources"] for r in everything for x in r.get("outcomes", []) + r["claims"]]
    assert all(1 <= len(keys) <= 3 for keys in cited)
    assert len({key for keys in cited for key in keys}) == 50


def test_the_output_passes_validation_and_loads(
    thousand: tuple[Path, dict[str, int]],
) -> None:
    out, counts = thousand
    docs = prepare(read([str(out)]))
    assert {name: len(items) for name, items in docs.items()} == {
        name: counts[name] for name in docs
    }
    db = mongomock.MongoClient(tz_aware=True)["x"]
    report = load(db, [str(out)])
    assert {name: c.inserted for name, c in report.counts.items()} == {
        name: counts[name] for name in docs
    }
    assert 0 < live(db, "missions").count_documents({"program": "zarya"}) <= 100


def test_large_collections_are_split_into_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generator, "RECORDS_PER_FILE", 40)
    counts = generate(100, tmp_path / "seeds", seed=1)
    names = sorted(f.name for f in (tmp_path / "seeds" / "missions").iterdir())
    assert names == ["missions-0001.json", "missions-0002.json", "missions-0003.json"]
    assert len(list((tmp_path / "seeds" / "persons").iterdir())) == 2
    docs = prepare(read([str(tmp_path / "seeds")]))
    assert len(docs["missions"]) == counts["missions"] == 100


def test_small_and_edge_sizes_are_valid(tmp_path: Path) -> None:
    for missions in (0, 1, 13):
        out = tmp_path / str(missions)
        counts = generate(missions, out, seed=missions)
        docs = prepare(read([str(out)]))
        assert len(docs["missions"]) == missions
        assert len(docs["persons"]) == counts["persons"] == 20
    with pytest.raises(ValueError, match="negative"):
        generate(-1, tmp_path / "negative")


def test_a_non_empty_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(FileExistsError):
        generate(10, tmp_path)
    assert [f.name for f in tmp_path.iterdir()] == ["notes.txt"]


def test_the_generate_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench"
    assert main(["generate", "--missions", "120", "--seed", "4", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"to {out}" in printed
    assert "missions        120" in printed
    assert "persons          60" in printed
    assert "events           34" in printed
    assert files(out) == files_of_generate(tmp_path / "direct", 120, 4)

    assert main(["generate", "--missions", "120", "--out", str(out)]) == 1
    assert "is not an empty folder" in capsys.readouterr().err

    assert main(["load", "--dry-run", str(out)]) == 0
    assert "232 documents would change." in capsys.readouterr().out


def files_of_generate(out: Path, missions: int, seed: int) -> dict[str, bytes]:
    generate(missions, out, seed=seed)
    return files(out)


def test_the_generate_command_checks_its_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["generate", "--missions", "0", "--out", "x"])
    assert exited.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["generate", "--help"])
    out = capsys.readouterr().out
    assert all(option in out for option in ("--missions N", "--seed S", "--out DIR"))
