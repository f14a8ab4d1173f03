"""The bundled dataset: whole, sourced, in our own words, and right on the facts it
takes from the source document."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from spacerace.loaders.pipeline import prepare, read
from spacerace.store.settings import BUNDLED_SEEDS

SOURCE_DOCUMENT = (
    Path(__file__).resolve().parents[3] / "shared" / "sources" / "000_f1ca75b453a11347.txt"
)
Docs = dict[str, dict[str, dict[str, Any]]]


@pytest.fixture(scope="module")
def docs() -> Docs:
    """Every document, by collection and slug; prepare() raises on any broken rule,
    unknown reference, impossible date, missing source or encoding fault."""
    prepared = prepare(read([str(BUNDLED_SEEDS)]))
    return {name: {d["_id"]: d for d in items} for name, items in prepared.items()}


def test_every_record_outcome_and_claim_has_a_source(docs: Docs) -> None:
    for collection in docs.values():
        for doc in collection.values():
            assert doc["sources"], doc["_id"]
            for item in doc.get("outcomes", []) + doc["claims"]:
                assert item["sources"], doc["_id"]


def test_every_crewed_flight_1961_to_1975(docs: Docs) -> None:
    crewed = sorted(
        slug
        for slug, m in docs["missions"].items()
        if m["crewed"] and m["launchDate"] and "1961" <= m["launchDate"][:4] <= "1975"
    )
    expected = {
        *(f"vostok-{n}" for n in range(1, 7)),
        "freedom-7",
        "liberty-bell-7",
        "friendship-7",
        "aurora-7",
        "sigma-7",
        "faith-7",
        "voskhod-1",
        "voskhod-2",
        "gemini-3",
        "gemini-4",
        "gemini-5",
        "gemini-7",
        "gemini-6a",
        "gemini-8",
        "gemini-9a",
        "gemini-10",
        "gemini-11",
        "gemini-12",
        *(f"apollo-{n}" for n in range(7, 18)),
        "soyuz-1",
        *(f"soyuz-{n}" for n in range(3, 20)),
        "soyuz-18a",
        "skylab-2",
        "skylab-3",
        "skylab-4",
        "apollo-soyuz",
    }
    assert set(crewed) == expected
    assert len(crewed) == 58
    for slug in crewed:
        mission = docs["missions"][slug]
        assert mission["crew"], slug
        assert mission["landingDate"], slug
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", mission["launchDate"]), slug


def test_apollo_1_is_there_with_its_crew_and_the_fire(docs: Docs) -> None:
    apollo_1 = docs["missions"]["apollo-1"]
    assert [c["person"] for c in apollo_1["crew"]] == ["gus-grissom", "ed-white", "roger-chaffee"]
    fatality = next(o for o in apollo_1["outcomes"] if o["kind"] == "FATALITY")
    assert fatality["date"] == "1967-01-27"


def test_facts_from_the_source_document(docs: Docs) -> None:
    events = list(docs["events"].values())

    def event_on(date: str, *people: str) -> dict[str, Any]:
        found = [e for e in events if e["date"] == date and set(people) <= set(e["people"])]
        assert found, f"no event on {date} with {people}"
        return found[0]

    event_on("1963-09-20", "john-f-kennedy")
    assert event_on("1963-11-22", "john-f-kennedy")["kind"] == "DEATH"
    event_on("1963-11-29", "lyndon-johnson")
    assert event_on("1964-10-14", "nikita-khrushchev", "leonid-brezhnev")["endDate"] == "1964-10-16"
    assert event_on("1966-01-14", "sergei-korolev")["kind"] == "DEATH"
    event_on("1997-10-02", "sergei-khrushchev")
    assert any(e["date"] == "1962-01" and "gemini" in e["programs"] for e in events)

    voskhod_1 = docs["missions"]["voskhod-1"]
    assert voskhod_1["launchDate"] == "1964-10-12"
    assert len(voskhod_1["crew"]) == 3
    voskhod_2 = docs["missions"]["voskhod-2"]
    assert voskhod_2["launchDate"] == "1965-03-18"
    distances = [c for c in voskhod_2["claims"] if c["topic"] == "landing-miss-distance"]
    assert any(
        "386" in c["value"] and any(s["key"] == "wikipedia-space-race" for s in c["sources"])
        for c in distances
    )
    assert docs["missions"]["voskhod-3"]["status"] == "CANCELLED"
    assert docs["missions"]["voskhod-4"]["status"] == "CANCELLED"
    assert docs["persons"]["sergei-korolev"]["deathDate"] == "1966-01-14"
    assert any(
        c["topic"] == "judgement-of-korolev" for c in docs["persons"]["asif-siddiqi"]["claims"]
    )
    zond, n1 = docs["programs"]["zond"], docs["programs"]["n1-l3"]
    # The ship that flew came from OKB-1; Chelomey's OKB-52 built its Proton rocket.
    assert zond["organization"].startswith("OKB-1")
    assert "OKB-52" in zond["organization"]
    assert zond["crewCapacity"] == 2
    assert any("OKB-52" in c["value"] for c in zond["claims"])
    assert {"person": "vladimir-chelomey", "role": zond["people"][0]["role"]} in zond["people"]
    n1_launches = [
        m
        for m in docs["missions"].values()
        if m["program"] == "n1-l3" and m["_id"].startswith("n1-launch")
    ]
    assert len(n1_launches) == 4
    assert all(m["status"] == "FAILURE" for m in n1_launches)
    assert {"person": "sergei-korolev", "role": "Chief Designer"} in n1["people"]


def test_milestones(docs: Docs) -> None:
    assert docs["missions"]["sputnik-1"]["launchDate"] == "1957-10-04"
    apollo_11 = docs["missions"]["apollo-11"]
    assert [c["person"] for c in apollo_11["crew"]] == [
        "neil-armstrong",
        "michael-collins",
        "buzz-aldrin",
    ]
    assert any(o["date"] == "1969-07-20" for o in apollo_11["outcomes"])


def _shingles(text: str, size: int = 8) -> set[tuple[str, ...]]:
    text = re.sub(r"[\"“][^\"”]*[\"”]", " ", text)  # quotations, marked and attributed, are fine
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


@pytest.mark.skipif(not SOURCE_DOCUMENT.exists(), reason="shared/sources is not beside the repo")
def test_no_sentence_is_copied_from_the_source_document(docs: Docs) -> None:
    source = _shingles(SOURCE_DOCUMENT.read_text(encoding="utf-8"))
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
