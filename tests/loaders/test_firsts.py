"""The firsts the Space Race is remembered for: who achieved each one, on which date,
recorded as a world FIRST, and the other side's first attempt and first success
where the dataset has them. Every row pins a mission slug, a date and a kind, so a
wrong date, a first moved to another mission or a world first demoted (or a
national first promoted) fails here."""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from spacerace.loaders.pipeline import prepare, read
from spacerace.store.settings import BUNDLED_SEEDS

Docs = dict[str, dict[str, dict[str, Any]]]


@pytest.fixture(scope="module")
def docs() -> Docs:
    prepared = prepare(read([str(BUNDLED_SEEDS)]))
    return {name: {d["_id"]: d for d in items} for name, items in prepared.items()}


class Mark(NamedTuple):
    """One dated outcome of one mission: its kind and words its summary contains."""

    mission: str
    kind: str
    date: str
    words: str


def outcome(docs: Docs, mark: Mark) -> dict[str, Any]:
    mission = docs["missions"][mark.mission]
    found = [
        o
        for o in mission["outcomes"]
        if o["kind"] == mark.kind and mark.words.lower() in o["summary"].lower()
    ]
    assert found, f"{mark.mission}: no {mark.kind} outcome saying {mark.words!r}"
    assert found[0]["sources"], mark.mission
    return found[0]


class Attempt(NamedTuple):
    """A mission that tried first: its launch date and status."""

    mission: str
    launch: str
    status: str


# first: (the world first, [later firsts and successes, the other side's included],
#         [first attempts, ...]). Partial or precursor firsts that came earlier are in
# PRECURSORS below.
FIRSTS: dict[str, tuple[Mark, list[Mark], list[Attempt]]] = {
    "satellite": (
        Mark("sputnik-1", "FIRST", "1957-10-04", "first artificial satellite"),
        [
            Mark(
                "explorer-1",
                "ACHIEVEMENT",
                "1958-02-01",
                "first satellite launched by the United States",
            )
        ],
        [Attempt("vanguard-tv-3", "1957-12-06", "FAILURE")],
    ),
    "animal in orbit": (
        Mark("sputnik-2", "FIRST", "1957-11-03", "first animal to orbit"),
        [
            Mark(
                "mercury-atlas-5",
                "ACHIEVEMENT",
                "1961-11-29",
                "first primate launched by the United States",
            )
        ],
        [Attempt("discoverer-3", "1959-06-03", "FAILURE")],
    ),
    "animals recovered from orbit": (
        Mark("korabl-sputnik-2", "FIRST", "1960-08-20", "brought back alive from orbit"),
        [Mark("mercury-atlas-5", "ACHIEVEMENT", "1961-11-29", "to orbit the Earth")],
        [
            Attempt("vostok-1k-no-1", "1960-07-28", "FAILURE"),
            Attempt("discoverer-3", "1959-06-03", "FAILURE"),
        ],
    ),
    "human in space and in orbit": (
        Mark("vostok-1", "FIRST", "1961-04-12", "first human in space and the first to orbit"),
        [
            Mark("freedom-7", "ACHIEVEMENT", "1961-05-05", "first American to fly into space"),
            Mark("friendship-7", "ACHIEVEMENT", "1962-02-20", "first American to orbit"),
        ],
        [],
    ),
    "woman in space": (
        Mark("vostok-6", "FIRST", "1963-06-16", "first woman to fly in space"),
        [],
        [],
    ),
    "multi-person crew": (
        Mark("voskhod-1", "FIRST", "1964-10-12", "crew of three"),
        [
            Mark(
                "gemini-3",
                "ACHIEVEMENT",
                "1965-03-23",
                "first American spaceflight with a two-person crew",
            )
        ],
        [],
    ),
    "spacewalk": (
        Mark("voskhod-2", "FIRST", "1965-03-18", "first extravehicular activity"),
        [Mark("gemini-4", "ACHIEVEMENT", "1965-06-03", "first American spacewalk")],
        [],
    ),
    "rendezvous": (
        Mark("gemini-6a", "FIRST", "1965-12-15", "first rendezvous of two crewed spacecraft"),
        [
            Mark("kosmos-186", "FIRST", "1967-10-30", "first fully automatic docking"),
            Mark("soyuz-3", "ACHIEVEMENT", "1968-10-26", "first Soviet crewed rendezvous"),
        ],
        [],
    ),
    "docking": (
        Mark("gemini-8", "FIRST", "1966-03-16", "first docking of two spacecraft"),
        [
            Mark("kosmos-186", "FIRST", "1967-10-30", "first fully automatic docking"),
            Mark("soyuz-4", "FIRST", "1969-01-16", "first docking of two crewed spacecraft"),
        ],
        [Attempt("kosmos-133", "1966-11-28", "FAILURE")],
    ),
    "crewed lunar orbit": (
        Mark("apollo-8", "FIRST", "1968-12-24", "first crewed spacecraft to orbit the Moon"),
        [],
        [],
    ),
    "crewed Moon landing": (
        Mark("apollo-11", "FIRST", "1969-07-20", "first crewed landing on the Moon"),
        [],
        [Attempt("n1-launch-1", "1969-02-21", "FAILURE")],
    ),
    "probe to escape the Earth": (
        Mark("luna-1", "FIRST", "1959-01-02", "escape velocity"),
        [
            Mark(
                "pioneer-4",
                "ACHIEVEMENT",
                "1959-03-03",
                "first US spacecraft to reach escape velocity",
            )
        ],
        [
            Attempt("pioneer-0", "1958-08-17", "FAILURE"),
            Attempt("luna-1958a", "1958-09-23", "FAILURE"),
        ],
    ),
    "lunar flyby": (
        Mark("luna-1", "FIRST", "1959-01-04", "pass close to the Moon"),
        [Mark("pioneer-4", "FAILURE", "1959-03-04", "passed the Moon on 4 March")],
        [Attempt("pioneer-3", "1958-12-06", "FAILURE")],
    ),
    "lunar impact": (
        Mark("luna-2", "FIRST", "1959-09-13", "reach the surface of the Moon"),
        [
            Mark(
                "ranger-4",
                "ACHIEVEMENT",
                "1962-04-26",
                "first American spacecraft to reach the Moon",
            )
        ],
        [
            Attempt("luna-1958a", "1958-09-23", "FAILURE"),
            Attempt("ranger-3", "1962-01-26", "FAILURE"),
        ],
    ),
    "far side of the Moon photographed": (
        Mark("luna-3", "FIRST", "1959-10-07", "first images of the far side"),
        [],
        [],
    ),
    "lunar soft landing": (
        Mark("luna-9", "FIRST", "1966-02-03", "first soft landing on the Moon"),
        [
            Mark(
                "surveyor-1",
                "ACHIEVEMENT",
                "1966-06-02",
                "first US spacecraft to make a soft landing",
            )
        ],
        [Attempt("luna-e-6-no-2", "1963-01-04", "FAILURE")],
    ),
    "lunar orbit": (
        Mark("luna-10", "FIRST", "1966-04-03", "first artificial satellite of the Moon"),
        [
            Mark(
                "lunar-orbiter-1",
                "ACHIEVEMENT",
                "1966-08-14",
                "first US spacecraft to orbit the Moon",
            )
        ],
        [
            Attempt("pioneer-0", "1958-08-17", "FAILURE"),
            Attempt("kosmos-111", "1966-03-01", "FAILURE"),
        ],
    ),
    "lunar sample return": (
        Mark("apollo-11", "FIRST", "1969-07-24", "first samples of another world"),
        [Mark("luna-16", "FIRST", "1970-09-24", "return a sample")],
        [Attempt("luna-e-8-5-no-402", "1969-06-14", "FAILURE")],
    ),
    "rover on another world": (
        Mark("luna-17", "FIRST", "1970-11-17", "first robotic rover"),
        [Mark("apollo-15", "FIRST", "1971-07-31", "Lunar Roving Vehicle")],
        [Attempt("luna-e-8-no-201", "1969-02-19", "FAILURE")],
    ),
    "Venus flyby": (
        Mark("venera-1", "FIRST", "1961-05-19", "first to pass Venus"),
        [Mark("mariner-2", "FIRST", "1962-12-14", "first spacecraft to make a successful flyby")],
        [
            Attempt("tyazhely-sputnik", "1961-02-04", "FAILURE"),
            Attempt("mariner-1", "1962-07-22", "FAILURE"),
        ],
    ),
    "Venus atmosphere entry": (
        Mark("venera-4", "FIRST", "1967-10-18", "inside the atmosphere of another planet"),
        [
            Mark(
                "mariner-5",
                "ACHIEVEMENT",
                "1967-10-19",
                "probed its atmosphere by radio occultation",
            )
        ],
        [],
    ),
    "Venus landing": (
        Mark(
            "venera-7", "FIRST", "1970-12-15", "first spacecraft to land softly on another planet"
        ),
        [],
        [Attempt("venera-3", "1965-11-16", "FAILURE")],
    ),
    "images from the surface of Venus": (
        Mark("venera-9", "FIRST", "1975-10-22", "first images taken on the surface"),
        [],
        [],
    ),
    "Mars flyby": (
        Mark("mariner-4", "FIRST", "1965-07-15", "first successful flyby of Mars"),
        [],
        [
            Attempt("mars-1960a", "1960-10-10", "FAILURE"),
            Attempt("mariner-3", "1964-11-05", "FAILURE"),
        ],
    ),
    "Mars orbit": (
        Mark("mariner-9", "FIRST", "1971-11-14", "first spacecraft to orbit another planet"),
        [Mark("mars-2", "ACHIEVEMENT", "1971-11-27", "entered Mars orbit")],
        [
            Attempt("mariner-8", "1971-05-09", "FAILURE"),
            Attempt("kosmos-419", "1971-05-10", "FAILURE"),
        ],
    ),
    "Mars landing": (
        Mark("mars-3", "FIRST", "1971-12-02", "first soft landing on Mars"),
        [
            Mark(
                "viking-1",
                "FIRST",
                "1976-07-20",
                "first spacecraft to land on Mars and carry out its mission",
            )
        ],
        [
            Attempt("mars-2", "1971-05-19", "PARTIAL_FAILURE"),
            Attempt("viking-1", "1975-08-20", "SUCCESS"),
        ],
    ),
    "space station": (
        Mark("salyut-1", "FIRST", "1971-04-19", "first space station"),
        [
            Mark("soyuz-11", "FIRST", "1971-06-07", "first crew to occupy a space station"),
            Mark("skylab-1", "ACHIEVEMENT", "1973-05-14", "first American space station"),
        ],
        [],
    ),
    "crew deaths in flight": (
        Mark("soyuz-1", "FATALITY", "1967-04-24", "first person to die during a spaceflight"),
        [Mark("soyuz-11", "FATALITY", "1971-06-29", "only people to have died in space")],
        [],
    ),
    "international crewed mission": (
        Mark(
            "apollo-soyuz",
            "FIRST",
            "1975-07-17",
            "first docking of spacecraft from two different nations",
        ),
        [
            Mark(
                "soyuz-19",
                "FIRST",
                "1975-07-17",
                "first joint flight and docking of spacecraft from two nations",
            )
        ],
        [],
    ),
}


# Earlier, partial firsts on the way to a first: (first, the partial first).
PRECURSORS: list[tuple[str, Mark]] = [
    (
        "crewed lunar orbit",
        Mark("zond-5", "FIRST", "1968-09-18", "fly around the Moon and return safely"),
    ),
    (
        "Venus landing",
        Mark("venera-3", "FIRST", "1966-03-01", "reach the surface of another planet"),
    ),
    ("Mars flyby", Mark("mars-1", "FIRST", "1963-06-19", "fly past Mars")),
    (
        "Mars landing",
        Mark(
            "mars-2", "FIRST", "1971-11-27", "first human-made object to reach the surface of Mars"
        ),
    ),
]


@pytest.mark.parametrize(("first", "mark"), PRECURSORS)
def test_partial_firsts_came_before(docs: Docs, first: str, mark: Mark) -> None:
    assert outcome(docs, mark)["date"] == mark.date, mark.mission
    assert mark.date < FIRSTS[first][0].date, (first, mark.mission)


@pytest.mark.parametrize("first", list(FIRSTS))
def test_the_first_and_who_achieved_it(docs: Docs, first: str) -> None:
    world_first, others, attempts = FIRSTS[first]
    assert outcome(docs, world_first)["date"] == world_first.date, first
    for mark in others:
        assert outcome(docs, mark)["date"] == mark.date, (first, mark.mission)
        # Nothing that came after the first can be dated before it.
        assert mark.date >= world_first.date, (first, mark.mission)
    for attempt in attempts:
        mission = docs["missions"][attempt.mission]
        assert (mission["launchDate"], mission["status"]) == (attempt.launch, attempt.status), (
            first,
            attempt.mission,
        )


def test_the_firsts_belong_to_their_side(docs: Docs) -> None:
    country = {slug: m["country"] for slug, m in docs["missions"].items()}
    soviet = {
        "satellite",
        "woman in space",
        "spacewalk",
        "lunar impact",
        "lunar soft landing",
        "Venus landing",
        "Mars landing",
        "space station",
        "crew deaths in flight",
    }
    american = {
        "rendezvous",
        "docking",
        "crewed lunar orbit",
        "crewed Moon landing",
        "Mars flyby",
        "Mars orbit",
        "lunar sample return",
    }
    for first in soviet:
        assert country[FIRSTS[first][0].mission] == "SU", first
    for first in american:
        assert country[FIRSTS[first][0].mission] == "US", first


def test_national_firsts_are_achievements_not_world_firsts(docs: Docs) -> None:
    # A "first American/US/Soviet" is a national first: never a FIRST outcome.
    for mission in docs["missions"].values():
        for o in mission["outcomes"]:
            if o["kind"] == "FIRST":
                text = o["summary"]
                for national in (
                    "first American",
                    "first US ",
                    "first Soviet",
                    "first United States",
                ):
                    assert national not in text, (mission["_id"], text)


def test_the_earliest_attempts_came_before_the_firsts(docs: Docs) -> None:
    missions = docs["missions"]
    # Pioneer 0 was the first attempt by anyone to leave Earth orbit, five weeks before Luna 1958A.
    assert missions["pioneer-0"]["launchDate"] < missions["luna-1958a"]["launchDate"]
    # Kosmos 111 tried for lunar orbit a month before Luna 10 succeeded.
    assert missions["kosmos-111"]["launchDate"] < missions["luna-10"]["launchDate"]
    # Kosmos 419 was launched the day after Mariner 8 was lost, both aiming to orbit Mars first.
    assert (missions["mariner-8"]["launchDate"], missions["kosmos-419"]["launchDate"]) == (
        "1971-05-09",
        "1971-05-10",
    )
    # Discoverer 3 tried to orbit animals more than two years before Enos flew.
    assert missions["discoverer-3"]["launchDate"] < missions["mercury-atlas-5"]["launchDate"]
