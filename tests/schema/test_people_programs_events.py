"""People, programs and events through `schema.execute`."""

from __future__ import annotations

from tests.schema.conftest import Execute, data

PERSON = """
query Person($slug: String!) {
  person(slug: $slug) {
    slug name nativeName aliases country occupations birthDate deathDate
    flights { role mission { slug launchDate } }
    outcomes { kind mission { slug } }
    sources { title }
  }
}
"""


def test_a_persons_flights_oldest_first_and_outcomes(execute: Execute) -> None:
    leonov = data(execute(PERSON, slug="alexey-leonov"))["person"]
    assert leonov["name"] == "Alexey Leonov"
    assert leonov["nativeName"].startswith("Леонов")
    assert leonov["country"] == "SU"
    assert "cosmonaut" in leonov["occupations"]
    assert [f["mission"]["slug"] for f in leonov["flights"]] == ["voskhod-2", "soyuz-19"]
    assert leonov["flights"][0]["role"] == "Pilot"
    assert "voskhod-2" in {o["mission"]["slug"] for o in leonov["outcomes"]}


def test_another_spelling_finds_the_person(execute: Execute) -> None:
    assert data(execute(PERSON, slug="alexei-leonov"))["person"]["slug"] == "alexey-leonov"


def test_people_filters(execute: Execute) -> None:
    query = """query($f: PersonFilter) {
      people(filter: $f, first: 100) { totalCount nodes { slug country occupations } }
    }"""
    cosmonauts = data(execute(query, f={"occupation": "cosmonaut"}))["people"]
    assert cosmonauts["totalCount"] > 20
    assert all("cosmonaut" in p["occupations"] for p in cosmonauts["nodes"])
    us = data(execute(query, f={"country": "us"}))["people"]["nodes"]
    assert us
    assert all(p["country"] == "US" for p in us)
    leonov = data(execute(query, f={"nameContains": "ЛЕОНОВ"}))["people"]["nodes"]
    assert [p["slug"] for p in leonov] == ["alexey-leonov"]


PROGRAM = """
query Program($slug: String!) {
  program(slug: $slug) {
    slug name country organization crewCapacity spacecraft launchVehicles startDate
    people { role person { slug } }
    missions(first: 100) { totalCount nodes { slug program { slug } } }
  }
}
"""


def test_program_with_its_people_and_missions(execute: Execute) -> None:
    voskhod = data(execute(PROGRAM, slug="voskhod"))["program"]
    assert voskhod["country"] == "SU"
    assert voskhod["crewCapacity"] == 3
    assert any(
        p["role"].startswith("Chief Designer") and p["person"] == {"slug": "sergei-korolev"}
        for p in voskhod["people"]
    )
    slugs = [m["slug"] for m in voskhod["missions"]["nodes"]]
    crewed = [slug for slug in slugs if not slug.startswith("kosmos")]
    assert crewed[:2] == ["voskhod-1", "voskhod-2"]
    assert slugs[0] == "kosmos-47"  # the uncrewed test flight went first
    assert {"voskhod-3", "voskhod-4"} <= set(slugs)
    assert all(m["program"]["slug"] == "voskhod" for m in voskhod["missions"]["nodes"])


def test_zond_and_n1_l3_as_the_source_describes_them(execute: Execute) -> None:
    zond = data(execute(PROGRAM, slug="zond"))["program"]
    # The ship came from Korolev's OKB-1, the rocket from Chelomey's OKB-52.
    assert zond["organization"].startswith("OKB-1")
    assert "OKB-52" in zond["organization"]
    assert zond["crewCapacity"] == 2
    assert any("7K-L1" in s for s in zond["spacecraft"])
    assert any("Proton" in v for v in zond["launchVehicles"])
    n1 = data(execute(PROGRAM, slug="n1-l3"))["program"]
    assert any("N1" in v for v in n1["launchVehicles"])
    assert any("LOK" in s for s in n1["spacecraft"])
    assert any("LK" in s for s in n1["spacecraft"])
    launches = [m["slug"] for m in n1["missions"]["nodes"] if m["slug"].startswith("n1-launch")]
    assert launches == ["n1-launch-1", "n1-launch-2", "n1-launch-3", "n1-launch-4"]


TIMELINE = """
query Timeline($filter: EventFilter) {
  timeline(filter: $filter, first: 100) {
    totalCount nodes { slug kind date endDate people { slug } missions { slug } programs { slug } }
  }
}
"""


def test_timeline_is_in_date_order_and_filters(execute: Execute) -> None:
    events = data(execute(TIMELINE, filter={"from": "1963", "to": "1964"}))["timeline"]["nodes"]
    dates = [e["date"] for e in events]
    assert dates == sorted(dates)
    by_slug = {e["slug"]: e for e in events}
    deposed = next(e for e in events if e["date"] == "1964-10-14")
    assert deposed["endDate"] == "1964-10-16"
    assert "nikita-khrushchev" in [p["slug"] for p in deposed["people"]]
    assert any(e["date"] == "1963-09-20" for e in events)
    assert any(e["date"] == "1963-11-22" and e["kind"] == "DEATH" for e in events)
    assert by_slug
    deaths = data(execute(TIMELINE, filter={"kind": "DEATH", "person": "sergei-korolev"}))
    assert [e["date"] for e in deaths["timeline"]["nodes"]] == ["1966-01-14"]


def test_first_and_last_name_finds_a_person_with_middle_names(execute: Execute) -> None:
    for slug, expected in [
        ("virgil-grissom", "gus-grissom"),
        ("john-kennedy", "john-f-kennedy"),
        ("edward-white", "ed-white"),
    ]:
        assert data(execute(PERSON, slug=slug))["person"]["slug"] == expected


def test_flights_are_the_missions_a_person_launched_on(execute: Execute) -> None:
    grissom = data(execute(PERSON, slug="gus-grissom"))["person"]
    assert [f["mission"]["slug"] for f in grissom["flights"]] == ["liberty-bell-7", "gemini-3"]
    assert "apollo-1" in {o["mission"]["slug"] for o in grissom["outcomes"]}
