"""The Soviet side of the bundled dataset: the facts that matter most, as entered."""

from __future__ import annotations

from typing import Any

import pytest

from spacerace.loaders.pipeline import prepare, read
from spacerace.store.settings import BUNDLED_SEEDS

Docs = dict[str, dict[str, dict[str, Any]]]


@pytest.fixture(scope="module")
def docs() -> Docs:
    prepared = prepare(read([str(BUNDLED_SEEDS)]))
    return {name: {d["_id"]: d for d in items} for name, items in prepared.items()}


def firsts(mission: dict[str, Any]) -> list[dict[str, Any]]:
    return [o for o in mission["outcomes"] if o["kind"] == "FIRST"]


def source_keys(item: dict[str, Any]) -> set[str]:
    return {s["key"] for s in item["sources"]}


def test_every_soviet_mission_has_a_known_launch_site(docs: Docs) -> None:
    soviet = [m for m in docs["missions"].values() if m["country"] == "SU"]
    assert len(soviet) > 100
    missing = [m["_id"] for m in soviet if m.get("launchSite") not in docs["launch_sites"]]
    assert missing == []


def test_baikonur_names_run_oldest_first(docs: Docs) -> None:
    baikonur = docs["launch_sites"]["baikonur"]
    assert baikonur["country"] == "SU"
    assert [n["name"] for n in baikonur["names"]] == ["NIIP-5 (Tyuratam)", "Baikonur"]
    assert baikonur["names"][0]["from"] == "1955-06-02"
    assert baikonur["names"][0]["to"] == baikonur["names"][1]["from"] == "1961-04"
    assert baikonur["names"][-1]["to"] is None
    assert all(n["sources"] for n in baikonur["names"])
    assert 45 < baikonur["latitude"] < 46
    assert 63 < baikonur["longitude"] < 64


def test_pads_of_gagarins_start_and_the_n1(docs: Docs) -> None:
    missions = docs["missions"]
    for slug in ("sputnik-1", "vostok-1", "luna-2", "voskhod-2", "soyuz-19"):
        assert missions[slug]["launchPad"] == "Site 1/5", slug
    assert missions["luna-9"]["launchPad"] == "Site 31/6"
    assert missions["kosmos-133"]["launchPad"] == "Site 31/6"
    pads = [missions[f"n1-launch-{n}"]["launchPad"] for n in range(1, 5)]
    assert pads == ["Site 110/38", "Site 110/38", "Site 110/37", "Site 110/37"]
    assert missions["voskhod-3"]["launchSite"] == "baikonur"
    assert missions["voskhod-3"].get("launchDate") is None


def test_luna_2_hit_the_moon_first(docs: Docs) -> None:
    luna_2 = docs["missions"]["luna-2"]
    assert luna_2["launchDate"] == "1959-09-12"
    assert luna_2["launchTime"].isoformat().startswith("1959-09-12T06:39:42")
    [first] = firsts(luna_2)
    assert first["date"] == "1959-09-13"
    assert "surface of the Moon" in first["summary"]
    # The impact time is given in two versions, side by side.
    impact = [c for c in luna_2["claims"] if c["topic"] == "impact-time"]
    assert len(impact) == 2
    assert len({c["value"] for c in impact}) == 2


@pytest.mark.parametrize(
    ("slug", "date", "words"),
    [
        ("luna-1", "1959-01-02", "escape velocity"),
        ("luna-1", "1959-01-04", "pass close to the Moon"),
        ("luna-3", "1959-10-07", "far side"),
        ("luna-9", "1966-02-03", "soft landing on the Moon"),
        ("luna-10", "1966-04-03", "satellite of the Moon"),
        ("luna-16", "1970-09-24", "return a sample"),
        ("luna-17", "1970-11-17", "rover"),
        ("venera-3", "1966-03-01", "surface of another planet"),
        ("venera-4", "1967-10-18", "atmosphere of another planet"),
        ("venera-7", "1970-12-15", "land softly on another planet"),
        ("venera-9", "1975-10-22", "images taken on the surface"),
        ("mars-2", "1971-11-27", "surface of Mars"),
        ("mars-3", "1971-12-02", "soft landing on Mars"),
        ("korabl-sputnik-2", "1960-08-20", "brought back alive from orbit"),
        ("sputnik-2", "1957-11-03", "first animal to orbit"),
    ],
)
def test_robotic_and_animal_firsts(docs: Docs, slug: str, date: str, words: str) -> None:
    matching = [o for o in firsts(docs["missions"][slug]) if words in o["summary"]]
    assert matching, slug
    assert matching[0]["date"] == date
    assert matching[0]["sources"]


def test_venera_7_landed_and_venera_9_photographed(docs: Docs) -> None:
    venera_7 = docs["missions"]["venera-7"]
    assert (venera_7["launchDate"], venera_7["landingDate"]) == ("1970-08-17", "1970-12-15")
    assert venera_7["status"] == "SUCCESS"
    assert venera_7["launchVehicle"] == "Molniya-M (8K78M)"
    venera_9 = docs["missions"]["venera-9"]
    assert venera_9["launchVehicle"] == "Proton-K/D"
    assert venera_9["landingDate"] == "1975-10-22"


def test_the_failures_behind_the_firsts_are_there(docs: Docs) -> None:
    missions = docs["missions"]
    failed = {
        "luna-1958a": "1958-09-23",
        "luna-1958b": "1958-10-11",
        "luna-1958c": "1958-12-04",
        "luna-4": "1963-04-02",
        "luna-8": "1965-12-03",
        "luna-15": "1969-07-13",
        "mars-1960a": "1960-10-10",
        "tyazhely-sputnik": "1961-02-04",
        "sputnik-1958a": "1958-04-27",
        "vostok-1k-no-1": "1960-07-28",
        "korabl-sputnik-3": "1960-12-01",
        "dos-2": "1972-07-29",
        "kosmos-557": "1973-05-11",
        "salyut-2": "1973-04-03",
    }
    for slug, date in failed.items():
        assert missions[slug]["status"] == "FAILURE", slug
        assert missions[slug]["launchDate"] == date, slug
        assert any(o["kind"] == "FAILURE" for o in missions[slug]["outcomes"]), slug


def test_soyuz_11_dates_agree_in_utc(docs: Docs) -> None:
    soyuz_11 = docs["missions"]["soyuz-11"]
    [fatality] = [o for o in soyuz_11["outcomes"] if o["kind"] == "FATALITY"]
    event = docs["events"]["soyuz-11-crew-death"]
    crew = [c["person"] for c in soyuz_11["crew"]]
    dates = {fatality["date"], event["date"], soyuz_11["landingDate"]}
    dates |= {docs["persons"][p]["deathDate"] for p in crew}
    assert dates == {"1971-06-29"}
    for item in (soyuz_11, event, *(docs["persons"][p] for p in crew)):
        assert any("30 June 1971" in c["value"] for c in item["claims"]), item["_id"]


def test_zond_ship_came_from_korolevs_bureau(docs: Docs) -> None:
    zond = docs["programs"]["zond"]
    assert zond["organization"].startswith("OKB-1")
    assert "OKB-52 (Proton" in zond["organization"]
    people = {p["person"] for p in zond["people"]}
    assert {"vladimir-chelomey", "sergei-korolev", "vasily-mishin"} <= people
    developer = [c for c in zond["claims"] if c["topic"] == "developer"]
    assert any("OKB-52" in c["value"] for c in developer)


def test_voskhod_3_and_4_lapsed_after_korolev(docs: Docs) -> None:
    missions = docs["missions"]
    for slug in ("voskhod-3", "voskhod-4"):
        mission = missions[slug]
        assert mission["status"] == "CANCELLED"
        assert "together with Korolev" not in mission["summary"]
        assert "1966" in mission["summary"]
        topics = [c for c in mission["claims"] if c["topic"] == "cancellation"]
        assert len({c["value"] for c in topics}) >= 2, slug
    assert missions["kosmos-110"]["launchDate"] == "1966-02-22"
    assert missions["voskhod-2"]["launchDate"] < "1965-03-23"
    for text in (
        docs["programs"]["voskhod"]["summary"],
        docs["persons"]["leonid-brezhnev"]["summary"],
    ):
        assert "Voskhod 3 and 4" not in text or "lapsed" in text
        assert "Mishin" in text or "Korolev's death" in text


def test_voskhod_2_flew_five_days_before_gemini_3(docs: Docs) -> None:
    voskhod_2 = docs["missions"]["voskhod-2"]
    assert "about a week" not in voskhod_2["summary"]
    assert all("about a week" not in o["summary"] for o in voskhod_2["outcomes"])
    assert docs["missions"]["gemini-3"]["launchDate"] == "1965-03-23"
    lead = [c for c in voskhod_2["claims"] if c["topic"] == "lead-over-gemini-3"]
    assert any("Five days" in c["value"] for c in lead)
    assert any("wikipedia-space-race" in source_keys(c) for c in lead)


def test_sputnik_programme_covers_its_three_satellites(docs: Docs) -> None:
    sputnik = docs["programs"]["sputnik"]
    assert sputnik["spacecraft"] == ["PS-1", "PS-2", "Object D"]
    assert sputnik["launchVehicles"] == ["Sputnik (8K71PS)", "Sputnik (8A91)"]
    members = [m for m in docs["missions"].values() if m["program"] == "sputnik"]
    assert {m["_id"] for m in members} == {"sputnik-1", "sputnik-2", "sputnik-1958a", "sputnik-3"}
    for mission in members:
        assert sputnik["startDate"] <= mission["launchDate"][:4] <= sputnik["endDate"]
        assert mission["spacecraft"] in sputnik["spacecraft"]
        assert mission["launchVehicle"] in sputnik["launchVehicles"]


def test_programmes_span_their_missions(docs: Docs) -> None:
    for program in docs["programs"].values():
        if program["country"] != "SU":
            continue
        for mission in docs["missions"].values():
            if mission["program"] != program["_id"] or not mission.get("launchDate"):
                continue
            year = mission["launchDate"][:4]
            assert program["startDate"] <= year, (program["_id"], mission["_id"])
            assert not program.get("endDate") or year <= program["endDate"][:4], mission["_id"]


def test_soyuz_began_before_its_first_flight(docs: Docs) -> None:
    soyuz = docs["programs"]["soyuz"]
    kosmos_133 = docs["missions"]["kosmos-133"]
    assert kosmos_133["program"] == "soyuz"
    assert kosmos_133["launchDate"] == "1966-11-28"
    assert soyuz["startDate"] < "1966"
    assert "devoted to research" not in docs["missions"]["soyuz-13"]["summary"]


def test_khrushchev_ouster_keeps_the_name_as_a_claim(docs: Docs) -> None:
    event = docs["events"]["khrushchev-deposed"]
    assert "Wednesday" not in event["title"]
    assert "alexei-kosygin" in event["people"]
    [claim] = [c for c in event["claims"] if c["topic"] == "name-of-the-ouster"]
    assert "Wednesday conspiracy" in claim["value"]
    assert source_keys(claim) == {"wikipedia-space-race"}


def test_soviet_events_of_the_era(docs: Docs) -> None:
    events = docs["events"]
    assert events["nedelin-catastrophe"]["date"] == "1960-10-24"
    assert {"mitrofan-nedelin", "mikhail-yangel"} <= set(events["nedelin-catastrophe"]["people"])
    assert events["bondarenko-death"]["date"] == "1961-03-23"
    assert events["bondarenko-death"]["kind"] == "DEATH"
    assert events["glushko-replaces-mishin"]["date"] == "1974-05"
    assert events["n1-l3-cancelled"]["date"] == "1976"
    assert "n1-l3" in events["n1-l3-cancelled"]["programs"]
    assert docs["programs"]["n1-l3"]["endDate"] == "1976"


def test_new_soviet_people_are_linked(docs: Docs) -> None:
    linked: set[str] = set()
    for program in docs["programs"].values():
        linked |= {p["person"] for p in program["people"]}
    for event in docs["events"].values():
        linked |= set(event["people"])
    people = {
        "alexei-kosygin": "1904-02-21",
        "dmitry-ustinov": "1908-10-30",
        "mstislav-keldysh": "1911-02-10",
        "sergey-afanasyev": "1918-08-30",
        "georgy-babakin": "1914-11-13",
        "mitrofan-nedelin": "1902-11-09",
        "mikhail-yangel": "1911-11-07",
        "konstantin-bushuyev": "1914-05-23",
        "valentin-bondarenko": "1937-02-16",
    }
    for slug, born in people.items():
        assert docs["persons"][slug]["birthDate"] == born, slug
        assert docs["persons"][slug]["country"] == "SU", slug
        assert slug in linked, slug
    assert docs["persons"]["mitrofan-nedelin"]["deathDate"] == "1960-10-24"
    assert docs["persons"]["valentin-bondarenko"]["deathDate"] == "1961-03-23"


def test_robotic_programmes_name_their_bureaus(docs: Docs) -> None:
    for slug in ("luna", "venera", "mars"):
        program = docs["programs"][slug]
        assert "OKB-1" in program["organization"]
        assert "Lavochkin" in program["organization"]
        assert "georgy-babakin" in {p["person"] for p in program["people"]}
    assert docs["missions"]["luna-9"]["program"] == "luna"
    assert docs["missions"]["korabl-sputnik-5"]["program"] == "vostok"
