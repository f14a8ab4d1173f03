"""JSON seed files: the same folders and shapes as the YAML ones, read with orjson."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml

from spacerace.loaders.pipeline import prepare, read
from spacerace.loaders.problems import LoadError, Problem
from spacerace.loaders.seeds import SeedLoader

SOURCES = {
    "example-archive": {
        "title": "An example archive",
        "publisher": "Example Press",
        "url": "https://example.org/archive",
    }
}
PROGRAM = {
    "slug": "zarya",
    "name": "Zarya",
    "nativeName": "Заря",
    "country": "SU",
    "crewCapacity": 2,
    "sources": ["example-archive"],
}
PERSON = {
    "slug": "ivan-petrov",
    "name": "Ivan Petrov",
    "nativeName": "Петров Иван Сергеевич",
    "country": "SU",
    "occupations": ["cosmonaut"],
    "birthDate": "1934-05",
    "sources": ["example-archive"],
}
MISSION = {
    "slug": "zarya-1",
    "name": "Zarya 1",
    "program": "zarya",
    "country": "SU",
    "crewed": True,
    "status": "SUCCESS",
    "launchDate": "1965-03-18",
    "launchTime": "1965-03-18T07:00:00Z",
    "crew": [{"person": "ivan-petrov", "role": "Pilot"}],
    "outcomes": [
        {
            "kind": "FIRST",
            "summary": "An invented first.",
            "people": ["ivan-petrov"],
            "sources": ["example-archive"],
        }
    ],
    "sources": ["example-archive"],
}
EVENT = {
    "slug": "zarya-announced",
    "title": "Zarya announced",
    "kind": "PROGRAM",
    "date": "1963",
    "summary": "An invented announcement.",
    "programs": ["zarya"],
    "sources": ["example-archive"],
}


def write_seeds(root: Path, suffix: str, missions: list[dict[str, Any]]) -> Path:
    """A seeds folder whose files are all JSON or all YAML."""

    def dump(data: Any) -> bytes:
        if suffix == ".json":
            return orjson.dumps(data, option=orjson.OPT_INDENT_2)
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()

    content = {
        "sources": SOURCES,
        "programs": [PROGRAM],
        "persons": [PERSON],
        "missions": missions,
        "events": [EVENT],
    }
    for folder, data in content.items():
        (root / folder).mkdir(parents=True)
        (root / folder / f"test{suffix}").write_bytes(dump(data))
    return root


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(LoadError) as caught:
        prepare(read([str(path)]))
    return caught.value.problems


def test_a_json_seeds_folder_loads(tmp_path: Path) -> None:
    docs = prepare(read([str(write_seeds(tmp_path, ".json", [MISSION]))]))
    assert {name: [d["_id"] for d in items] for name, items in docs.items()} == {
        "programs": ["zarya"],
        "missions": ["zarya-1"],
        "persons": ["ivan-petrov"],
        "events": ["zarya-announced"],
        "launch_sites": [],
    }
    mission = docs["missions"][0]
    assert mission["crew"] == [{"person": "ivan-petrov", "role": "Pilot"}]
    assert mission["sources"][0]["title"] == "An example archive"
    assert mission["launchTime"].isoformat() == "1965-03-18T07:00:00+00:00"
    assert "petrov ivan sergeevich" in docs["persons"][0]["_names"]


def test_json_and_yaml_files_mix_in_one_folder(seeds: Path) -> None:
    extra = {**PERSON, "slug": "ivan-petrov-json", "sources": ["wikipedia-space-race"]}
    (seeds / "persons" / "extra.json").write_bytes(orjson.dumps([extra]))
    docs = prepare(read([str(seeds)]))
    slugs = {d["_id"] for d in docs["persons"]}
    assert {"ivan-petrov-json", "alexey-leonov"} <= slugs


def test_a_single_json_file_is_accepted_inside_a_seeds_folder(tmp_path: Path) -> None:
    root = write_seeds(tmp_path, ".json", [MISSION])
    loader = SeedLoader()
    assert loader.accepts(str(root / "persons" / "test.json"))
    assert not loader.accepts(str(tmp_path / "test.json"))
    raw = read([str(root / "persons" / "test.json")])
    assert [r.slug for r in raw.records] == ["ivan-petrov"]
    assert raw.records[0].file.endswith("persons/test.json")


def test_invalid_json_is_reported_with_the_file_and_line(tmp_path: Path) -> None:
    root = write_seeds(tmp_path, ".json", [MISSION])
    (root / "persons" / "broken.json").write_text('[\n  {"slug": "x",}\n]\n')
    [problem] = problems_of(root)
    assert problem.file.endswith("persons/broken.json")
    assert problem.line == 2
    assert problem.message.startswith("is not valid JSON: ")
    assert "line 2 column" in str(problem)


def test_json_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    root = write_seeds(tmp_path, ".json", [MISSION])
    (root / "events" / "latin1.json").write_bytes('[{"title": "Léonov"}]'.encode("latin-1"))
    [problem] = problems_of(root)
    assert problem.file.endswith("events/latin1.json")
    assert problem.message.startswith("is not UTF-8")


def test_json_of_the_wrong_shape_is_reported(tmp_path: Path) -> None:
    root = write_seeds(tmp_path, ".json", [MISSION])
    (root / "sources" / "list.json").write_text('["not", "a", "mapping"]')
    (root / "programs" / "map.json").write_text('{"slug": "x"}')
    (root / "persons" / "scalar.json").write_text('[{"slug": "ivan-petrov-2"}, 5]')
    problems = {(Path(p.file).name, p.record, p.field, p.message) for p in problems_of(root)}
    assert ("list.json", "", "", "must be a mapping of source keys") in problems
    assert ("map.json", "", "", "must be a list of programs records") in problems
    assert ("scalar.json", "record 2", "", "is not a mapping") in problems
    assert ("scalar.json", "record 1 (ivan-petrov-2)", "name", "is required") in problems


def test_a_bad_json_record_is_reported_like_a_yaml_one(tmp_path: Path) -> None:
    bad = {
        **MISSION,
        "slug": "zarya-2",
        "status": "MOSTLY_FINE",
        "crew": [{"person": "ivan-petrv", "role": "Pilot"}],
        "launchDate": "1965-02-30",
        "sources": ["no-such-source"],
    }
    from_json = problems_of(write_seeds(tmp_path / "json", ".json", [MISSION, bad]))
    from_yaml = problems_of(write_seeds(tmp_path / "yaml", ".yaml", [MISSION, bad]))

    def described(problems: list[Problem]) -> list[tuple[str, str, str, str]]:
        return [(Path(p.file).name, p.record, p.field, p.message) for p in problems]

    assert [p.line for p in from_json] == [0] * len(from_json)
    assert all(p.line > 0 for p in from_yaml)
    assert described(from_json) == [
        (name.replace(".yaml", ".json"), record, field, message)
        for name, record, field, message in described(from_yaml)
    ]
    fields = {p.field for p in from_json}
    assert {"status", "crew[0].person", "launchDate", "sources[0]"} <= fields
    assert all(p.record == "record 2 (zarya-2)" for p in from_json)
    assert all(p.file.endswith("missions/test.json") for p in from_json)
    assert (
        "missions/test.json: record 2 (zarya-2): field crew[0].person: "
        "unknown person 'ivan-petrv'" in "\n".join(map(str, from_json))
    )
