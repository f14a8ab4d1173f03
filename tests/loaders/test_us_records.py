"""The American records of the bundled dataset: the facts that matter most, the
corrections, and a launch site for every American mission that flew."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from spacerace.loaders.pipeline import prepare, read
from spacerace.store.settings import BUNDLED_SEEDS

Docs = dict[str, dict[str, dict[str, Any]]]


def _source_document() -> Path | None:
    """The source document, in shared/sources beside the repository or a worktree."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "sources" / "000_f1ca75b453a11347.txt"
        if candidate.exists():
            return candidate
    return None


@pytest.fixture(scope="module")
def docs() -> Docs:
    prepared = prepare(read([str(BUNDLED_SEEDS)]))
    return {name: {d["_id"]: d for d in items} for name, items in prepared.items()}


def _us_missions(docs: Docs) -> list[dict[str, Any]]:
    return [m for m in docs["missions"].values() if m["country"] == "US"]


def _keys(item: dict[str, Any]) -> set[str]:
    return {s["key"] for s in item["sources"]}


def test_every_us_mission_that_flew_has_a_launch_site_and_pad(docs: Docs) -> None:
    flown = [m for m in _us_missions(docs) if m["launchDate"]]
    assert len(flown) >= 95
    for mission in flown:
        assert mission["launchSite"] in docs["launch_sites"], mission["_id"]
    for mission in flown:
        if mission["launchSite"] != "wallops-island":
            assert mission["launchPad"], mission["_id"]


def test_pads_of_the_crewed_programs(docs: Docs) -> None:
    missions = docs["missions"]

    def pad(slug: str) -> tuple[str, str]:
        return missions[slug]["launchSite"], missions[slug]["launchPad"]

    assert pad("freedom-7") == pad("mercury-redstone-2") == ("cape-canaveral", "LC-5")
    assert pad("friendship-7") == pad("mercury-atlas-5") == ("cape-canaveral", "LC-14")
    assert {pad(s) for s in missions if s.startswith("gemini-")} == {("cape-canaveral", "LC-19")}
    assert pad("apollo-7") == ("cape-canaveral", "LC-34")
    assert pad("apollo-5") == ("cape-canaveral", "LC-37B")
    assert pad("apollo-11") == ("kennedy-space-center", "LC-39A")
    assert pad("apollo-10") == ("kennedy-space-center", "LC-39B")
    for slug in ("skylab-2", "skylab-3", "skylab-4", "apollo-soyuz"):
        assert pad(slug) == ("kennedy-space-center", "LC-39B"), slug
    # Apollo 1 never launched; it carries the pad it was to fly from, and no launch date.
    assert missions["apollo-1"]["launchDate"] is None
    assert pad("apollo-1") == ("cape-canaveral", "LC-34")
    assert pad("little-joe-2")[0] == "wallops-island"


def test_cape_canaveral_was_cape_kennedy_from_1963_to_1973(docs: Docs) -> None:
    cape = docs["launch_sites"]["cape-canaveral"]
    assert cape["country"] == "US"
    names = [(n["name"], n["from"], n["to"]) for n in cape["names"]]
    assert names == [
        ("Cape Canaveral", None, "1963-11-29"),
        ("Cape Kennedy", "1963-11-29", "1973-10-09"),
        ("Cape Canaveral", "1973-10-09", None),
    ]
    assert all(n["sources"] for n in cape["names"])
    ksc = docs["launch_sites"]["kennedy-space-center"]
    assert [(n["name"], n["from"]) for n in ksc["names"]] == [
        ("Launch Operations Center", "1962-07-01"),
        ("John F. Kennedy Space Center", "1963-11-29"),
    ]
    assert ksc["names"][-1]["to"] is None
    assert 28 < cape["latitude"] < 29
    assert -81 < cape["longitude"] < -80


def test_the_first_us_satellites_failures_included(docs: Docs) -> None:
    missions = docs["missions"]
    tv3 = missions["vanguard-tv-3"]
    assert (tv3["launchDate"], tv3["status"], tv3["launchPad"]) == (
        "1957-12-06",
        "FAILURE",
        "LC-18A",
    )
    explorer_1 = missions["explorer-1"]
    assert explorer_1["launchDate"] == "1958-02-01"
    assert explorer_1["launchTime"].isoformat().startswith("1958-02-01T03:47")
    assert explorer_1["status"] == "SUCCESS"
    assert any(o["kind"] == "FIRST" and "Van Allen" in o["summary"] for o in explorer_1["outcomes"])
    assert missions["explorer-2"]["status"] == "FAILURE"
    assert missions["vanguard-1"]["launchDate"] == "1958-03-17"
    assert any("oldest" in o["summary"] for o in missions["vanguard-1"]["outcomes"])
    assert docs["programs"]["vanguard"]["organization"] == "Naval Research Laboratory"


def test_lunar_and_planetary_firsts(docs: Docs) -> None:
    missions = docs["missions"]

    def firsts(slug: str) -> list[dict[str, Any]]:
        return [o for o in missions[slug]["outcomes"] if o["kind"] == "FIRST"]

    assert [o["date"] for o in firsts("mariner-2")] == ["1962-12-14"]
    assert [o["date"] for o in firsts("mariner-4")] == ["1965-07-15"]
    assert "Mars" in firsts("mariner-4")[0]["summary"]
    assert [o["date"] for o in firsts("mariner-9")] == ["1971-11-14"]
    assert "orbit another planet" in firsts("mariner-9")[0]["summary"]
    assert missions["mariner-1"]["status"] == "FAILURE"
    # National firsts are achievements, not world firsts.
    for slug in ("ranger-4", "ranger-7", "surveyor-1", "pioneer-4"):
        assert not firsts(slug), slug
        national = ("US ", "American ")
        assert any(w in o["summary"] for o in missions[slug]["outcomes"] for w in national), slug
    for slug in ("pioneer-0", "pioneer-1", "pioneer-2", "pioneer-3"):
        assert missions[slug]["status"] == "FAILURE", slug
    assert missions["surveyor-1"]["launchPad"] == "LC-36A"
    assert missions["viking-1"]["launchDate"] == "1975-08-20"
    assert any(o["date"] == "1976-07-20" for o in missions["viking-1"]["outcomes"])


def test_gemini_3_and_grissom_were_not_the_first_in_space_twice(docs: Docs) -> None:
    gemini_3 = docs["missions"]["gemini-3"]
    for outcome in gemini_3["outcomes"]:
        if outcome["kind"] == "FIRST":
            assert "twice" not in outcome["summary"]
    assert any(o["kind"] == "FIRST" and "orbit" in o["summary"] for o in gemini_3["outcomes"])
    twice = [c for c in gemini_3["claims"] if c["topic"] == "first-person-in-space-twice"]
    assert any("Walker" in c["value"] for c in twice)
    grissom = docs["persons"]["gus-grissom"]["summary"]
    assert "first NASA astronaut" in grissom
    assert "first person to" not in grissom
    walker = docs["persons"]["joe-walker"]
    assert walker["birthDate"] == "1921-02-20"
    flights = {e["date"] for e in docs["events"].values() if "joe-walker" in e["people"]}
    assert {"1963-07-19", "1963-08-22"} <= flights


def test_aurora_7_recovery_and_mattingly_rubella(docs: Docs) -> None:
    anomaly = next(o for o in docs["missions"]["aurora-7"]["outcomes"] if o["kind"] == "ANOMALY")
    assert "three hours" in anomaly["summary"]
    assert "roughly an hour" not in anomaly["summary"]
    mattingly = docs["persons"]["ken-mattingly"]["summary"]
    assert "rubella" in mattingly


def test_doubtful_values_fixed(docs: Docs) -> None:
    docking = [
        c
        for c in docs["missions"]["apollo-soyuz"]["claims"]
        + docs["events"]["apollo-soyuz-docking"]["claims"]
        if c["topic"] == "docking-time"
    ]
    assert docking
    assert all("16:19" in c["value"] and "12:12" not in c["value"] for c in docking)
    gemini = docs["programs"]["gemini"]
    assert "7 December 1961" in gemini["summary"]
    dates = {c["value"][:10] for c in docs["events"]["gemini-announced"]["claims"]}
    assert {"1961-12-07", "1962-01-03"} <= dates
    astp = docs["programs"]["apollo-soyuz"]
    assert "Soviet" in astp["organization"]
    assert any(c["topic"] == "partners" for c in astp["claims"])
    apollo_13 = docs["missions"]["apollo-13"]["outcomes"]
    assert not any("before or since" in o["summary"] for o in apollo_13)
    assert any("as of" in o["summary"] for o in apollo_13)


def test_animal_and_test_flights_before_mercury(docs: Docs) -> None:
    missions = docs["missions"]
    assert missions["jupiter-am-18"]["launchDate"] == "1959-05-28"
    assert missions["jupiter-am-18"]["program"] == "pgm-19-jupiter"
    assert missions["mercury-redstone-1"]["status"] == "FAILURE"
    assert missions["mercury-redstone-2"]["launchDate"] == "1961-01-31"
    assert missions["mercury-atlas-5"]["launchDate"] == "1961-11-29"
    for slug in ("little-joe-2", "mercury-redstone-2", "mercury-atlas-5", "jupiter-am-18"):
        assert not missions[slug]["crewed"], slug
        assert missions[slug]["crew"] == [], slug


def test_leaders_programs_and_events_are_linked(docs: Docs) -> None:
    persons, programs, events = docs["persons"], docs["programs"], docs["events"]
    for slug in ("dwight-d-eisenhower", "richard-nixon", "gerald-ford", "t-keith-glennan"):
        assert persons[slug]["country"] == "US", slug
    assert persons["t-keith-glennan"]["birthDate"] == "1905-09-08"
    roles = {p["person"] for p in programs["apollo-soyuz"]["people"]}
    assert "glynn-lunney" in roles
    assert "william-c-schneider" in {p["person"] for p in programs["skylab"]["people"]}
    deaths = {e["date"]: e for e in events.values() if e["kind"] == "DEATH"}
    assert "theodore-freeman" in deaths["1964-10-31"]["people"]
    assert {"elliot-see", "charles-bassett"} <= set(deaths["1966-02-28"]["people"])
    assert "clifton-williams" in deaths["1967-10-05"]["people"]
    assert events["apollo-20-cancelled"]["date"] == "1970-01-04"
    assert events["apollo-18-and-19-cancelled"]["date"] == "1970-09-02"
    for slug in ("apollo-18", "apollo-19", "apollo-20"):
        assert docs["missions"][slug]["status"] == "CANCELLED", slug


def test_every_american_record_is_sourced(docs: Docs) -> None:
    american = [
        *(_us_missions(docs)),
        *(p for p in docs["programs"].values() if p["country"] == "US"),
        *docs["launch_sites"].values(),
    ]
    for doc in american:
        assert _keys(doc), doc["_id"]
        for item in doc.get("outcomes", []) + doc["claims"] + doc.get("names", []):
            assert _keys(item), doc["_id"]


def _shingles(text: str, size: int = 8) -> set[tuple[str, ...]]:
    text = re.sub(r"[\"“][^\"”]*[\"”]", " ", text)
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


@pytest.mark.skipif(_source_document() is None, reason="shared/sources is not reachable")
def test_no_run_of_eight_words_from_the_source_document(docs: Docs) -> None:
    path = _source_document()
    assert path is not None
    source = _shingles(path.read_text(encoding="utf-8"))
    copied = []
    for collection in docs.values():
        for doc in collection.values():
            texts = [
                doc.get("summary") or "",
                *(o["summary"] for o in doc.get("outcomes", [])),
                *(c["value"] for c in doc["claims"]),
            ]
            copied += [(doc["_id"], " ".join(s)) for t in texts for s in _shingles(t) & source]
    assert copied == []


def test_application_satellite_firsts(docs: Docs) -> None:
    missions = docs["missions"]
    expected = {
        "score": "1958-12-19",
        "tiros-1": "1960-04-01",
        "transit-1b": "1960-04-13",
        "echo-1a": "1960-08-12",
        "discoverer-13": "1960-08-11",
        "discoverer-14": "1960-08-19",
        "syncom-2": "1963-07-26",
        "syncom-3": "1964-08-19",
    }
    for slug, date in expected.items():
        firsts = [o for o in missions[slug]["outcomes"] if o["kind"] == "FIRST"]
        assert [o["date"] for o in firsts] == [date], slug
    for slug in ("transit-1a", "echo-a-10", "syncom-1", "pioneer-p-3", "pioneer-p-31"):
        assert missions[slug]["status"] == "FAILURE", slug
    assert missions["discoverer-13"]["launchSite"] == "vandenberg"
    vandenberg = docs["launch_sites"]["vandenberg"]
    assert [n["from"] for n in vandenberg["names"]][-2:] == ["1958-10-04", "2021-05-14"]
