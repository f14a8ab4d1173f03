"""Missions through `schema.execute`, on the embedded store and the wire-protocol server."""

from __future__ import annotations

from tests.schema.conftest import Execute, data

MISSION = """
query Mission($slug: String!) {
  mission(slug: $slug) {
    id slug name aliases country crewed status launchDate launchTime landingDate
    program { slug name }
    crew { role person { slug name } mission { slug } outcomes { kind } }
    outcomes { kind date summary people { slug } mission { slug } sources { title url } }
    firsts: outcomes(kind: FIRST) { kind summary people { slug } }
    claims { topic value sources { title } }
    sources { title publisher url }
  }
}
"""


def test_voskhod_2_crew_outcomes_and_sources(execute: Execute) -> None:
    mission = data(execute(MISSION, slug="voskhod-2"))["mission"]
    assert mission["name"] == "Voskhod 2"
    assert mission["country"] == "SU"
    assert mission["launchDate"] == "1965-03-18"
    assert mission["launchTime"].startswith("1965-03-18T")
    assert mission["program"]["slug"] == "voskhod"
    assert [(c["role"], c["person"]["slug"]) for c in mission["crew"]] == [
        ("Commander", "pavel-belyayev"),
        ("Pilot", "alexey-leonov"),
    ]
    assert any("alexey-leonov" in [p["slug"] for p in f["people"]] for f in mission["firsts"])
    assert {o["kind"] for o in mission["firsts"]} == {"FIRST"}
    assert all(o["mission"]["slug"] == "voskhod-2" for o in mission["outcomes"])
    assert all(o["sources"] for o in mission["outcomes"])
    space_race = "https://en.wikipedia.org/wiki/Space_Race"
    assert any(s["url"] == space_race for o in mission["outcomes"] for s in o["sources"])
    leonov = mission["crew"][1]
    assert leonov["mission"]["slug"] == "voskhod-2"
    assert "FIRST" in [o["kind"] for o in leonov["outcomes"]]


def test_voskhod_2_landing_distance_is_a_sourced_claim(execute: Execute) -> None:
    claims = data(execute(MISSION, slug="voskhod-2"))["mission"]["claims"]
    values = [c["value"] for c in claims if c["topic"] == "landing-miss-distance"]
    assert any("386" in value for value in values)


def test_an_alias_slug_finds_the_mission(execute: Execute) -> None:
    for alias in ("ma-6", "mercury-atlas-6"):
        mission = data(execute(MISSION, slug=alias))["mission"]
        assert mission["slug"] == "friendship-7"
        assert mission["crew"][0]["person"]["slug"] == "john-glenn"


def test_an_unknown_slug_is_null_not_an_error(execute: Execute) -> None:
    assert data(execute(MISSION, slug="voskhod-9")) == {"mission": None}


MISSIONS = """
query Missions($first: Int, $after: String, $filter: MissionFilter, $orderBy: MissionOrder) {
  missions(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { slug } }
    nodes { slug launchDate name }
  }
}
"""


def test_filters_combine(execute: Execute) -> None:
    result = data(
        execute(
            MISSIONS,
            first=100,
            filter={
                "country": "SU",
                "crewed": True,
                "launchedFrom": "1964",
                "launchedTo": "1965",
            },
        )
    )["missions"]
    assert [m["slug"] for m in result["nodes"]] == ["voskhod-1", "voskhod-2"]
    assert result["totalCount"] == 2


def test_partial_dates_compare_by_the_days_they_span(execute: Execute) -> None:
    march = data(
        execute(MISSIONS, filter={"launchedFrom": "1965-03-01", "launchedTo": "1965-03-31"})
    )["missions"]
    assert {"voskhod-2", "gemini-3"} <= {m["slug"] for m in march["nodes"]}
    assert all(m["launchDate"].startswith("1965-03") for m in march["nodes"])


def test_crew_member_filter(execute: Execute) -> None:
    result = data(execute(MISSIONS, filter={"crewMember": "alexey-leonov"}))["missions"]
    assert [m["slug"] for m in result["nodes"]] == ["voskhod-2", "soyuz-19"]


def test_orders(execute: Execute) -> None:
    filter_ = {"program": "gemini", "crewed": True}
    asc = data(execute(MISSIONS, filter=filter_, first=100))["missions"]["nodes"]
    desc = data(execute(MISSIONS, filter=filter_, first=100, orderBy="LAUNCH_DATE_DESC"))[
        "missions"
    ]["nodes"]
    by_name = data(execute(MISSIONS, filter=filter_, first=100, orderBy="NAME_ASC"))["missions"][
        "nodes"
    ]
    dates = [m["launchDate"] for m in asc]
    assert dates == sorted(dates)
    assert desc == asc[::-1]
    assert [m["name"] for m in by_name] == sorted(m["name"] for m in asc)


def test_keyset_pages_cover_the_list_once(execute: Execute) -> None:
    whole = data(execute(MISSIONS, first=100))["missions"]
    seen: list[str] = []
    after = None
    while True:
        page = data(execute(MISSIONS, first=7, after=after))["missions"]
        seen += [m["slug"] for m in page["nodes"]]
        assert [e["node"]["slug"] for e in page["edges"]] == [m["slug"] for m in page["nodes"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        assert page["totalCount"] == whole["totalCount"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]
    assert seen[: len(whole["nodes"])] == [m["slug"] for m in whole["nodes"]]
    assert len(seen) == whole["totalCount"] == len(set(seen))


def test_first_defaults_to_20(execute: Execute) -> None:
    result = data(execute(MISSIONS))["missions"]
    assert len(result["nodes"]) == 20
    assert result["pageInfo"]["hasNextPage"]
