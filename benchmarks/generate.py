"""A deterministic generator of realistic seed data at scale, for benchmarks.

`generate(missions, out, seed)` writes a seeds folder of JSON files (sources/,
programs/, missions/, persons/, events/) that the seed loader reads like the
curated YAML: the same record shapes, and about the same proportions as the
curated dataset (per mission: 0.5 persons, 0.28 events, 1.5 outcomes; 2 crew per
crewed flight; at most 100 missions per program). The same (missions, seed)
always gives byte-identical files.

Everything is invented: the names are plausible, the facts are not, and every
source is an example.org page. Never load it next to real data.
"""

from __future__ import annotations

import gc
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

import orjson

from spacerace.store.layout import SEEDS, of_sources
from spacerace.store.text import slugify
from spacerace.store.vocabulary import EventKind, MissionStatus, OutcomeKind

Record = dict[str, Any]
T = TypeVar("T")

MISSIONS_PER_PROGRAM = 100
"""So that `programs(first: 100) { missions(first: 100) }` is the whole tree
up to 10,000 missions."""
RECORDS_PER_FILE = 10_000
SOURCE_COUNT = 50

ERA_START = date(1957, 1, 1)
ERA_END = date(1975, 12, 31)
TODAY = date(2024, 12, 31)
"""The latest death date the generator writes."""

_COUNTRY_ADJECTIVE = {"SU": "Soviet", "US": "American"}
_FLYER = {"SU": "cosmonaut", "US": "astronaut"}

# Program names, with a native spelling for Soviet ones. Past the end of a
# list, names repeat with a number: "Zarya 2", "Pathfinder 3".
_SU_PROGRAMS = [
    ("Zarya", "Заря"),
    ("Rassvet", "Рассвет"),
    ("Polyot", "Полёт"),
    ("Orbita", "Орбита"),
    ("Luch", "Луч"),
    ("Raduga", "Радуга"),
    ("Strela", "Стрела"),
    ("Kometa", "Комета"),
    ("Sokol", "Сокол"),
    ("Berkut", "Беркут"),
    ("Yastreb", "Ястреб"),
    ("Zvezda", "Звезда"),
    ("Iskra", "Искра"),
    ("Mayak", "Маяк"),
    ("Vympel", "Вымпел"),
    ("Signal", "Сигнал"),
]
_US_PROGRAMS = [
    "Pathfinder",
    "Horizon",
    "Frontier",
    "Liberty",
    "Constellation",
    "Trailblazer",
    "Sentinel",
    "Pioneer",
    "Vanguard",
    "Endeavor",
    "Columbia",
    "Eagle",
    "Falcon",
    "Atlas Star",
    "Beacon",
    "Courier",
]
_ORGANIZATIONS = {
    "SU": ["OKB-1", "OKB-52", "OKB-586", "TsKBEM", "OKB-456", "NPO Lavochkin"],
    "US": [
        "NASA",
        "US Air Force",
        "NASA / Jet Propulsion Laboratory",
        "NASA / Marshall Space Flight Center",
        "US Navy",
    ],
}
_LAUNCH_VEHICLES = {
    "SU": [
        "Vostok-K (8K72K)",
        "Voskhod (11A57)",
        "Soyuz (11A511)",
        "Proton-K (8K82K)",
        "Kosmos-2 (63S1)",
        "Tsiklon-2 (11K69)",
        "Molniya (8K78)",
    ],
    "US": [
        "Atlas LV-3B",
        "Titan II GLV",
        "Saturn IB",
        "Saturn V",
        "Thor-Agena",
        "Delta",
        "Redstone",
        "Scout",
    ],
}
_US_BLOCKS = ["Block I", "Block II", "Block III", "Mark 1", "Mark 2"]
_PROGRAM_ROLES = {
    "SU": [
        "Chief Designer",
        "General Designer",
        "Deputy Chief Designer",
        "Head of cosmonaut training",
        "Chairman of the State Commission",
    ],
    "US": [
        "Program Director",
        "Program Manager",
        "Director of Flight Operations",
        "NASA Administrator",
        "Chief of the Astronaut Office",
    ],
}
_CREW_ROLES = {
    "SU": {1: ["Pilot"], 2: ["Commander", "Flight Engineer"]},
    "US": {1: ["Pilot"], 2: ["Command Pilot", "Pilot"]},
}
_CREW_ROLES["SU"][3] = ["Commander", "Flight Engineer", "Research Engineer"]
_CREW_ROLES["US"][3] = ["Commander", "Command Module Pilot", "Lunar Module Pilot"]

# People. Soviet names carry their Cyrillic spelling; surnames take "-a" for women.
_SU_MEN = [
    ("Alexey", "Алексей"),
    ("Andrei", "Андрей"),
    ("Anatoly", "Анатолий"),
    ("Boris", "Борис"),
    ("Vladimir", "Владимир"),
    ("Valery", "Валерий"),
    ("Viktor", "Виктор"),
    ("Vitaly", "Виталий"),
    ("Vasily", "Василий"),
    ("Gennady", "Геннадий"),
    ("Georgy", "Георгий"),
    ("Dmitry", "Дмитрий"),
    ("Yevgeny", "Евгений"),
    ("Ivan", "Иван"),
    ("Igor", "Игорь"),
    ("Konstantin", "Константин"),
    ("Leonid", "Леонид"),
    ("Mikhail", "Михаил"),
    ("Nikolai", "Николай"),
    ("Oleg", "Олег"),
    ("Pavel", "Павел"),
    ("Pyotr", "Пётр"),
    ("Sergei", "Сергей"),
    ("Stepan", "Степан"),
    ("Fyodor", "Фёдор"),
    ("Yuri", "Юрий"),
    ("Yakov", "Яков"),
    ("Arkady", "Аркадий"),
    ("Grigory", "Григорий"),
    ("Lev", "Лев"),
    ("Roman", "Роман"),
    ("Semyon", "Семён"),
    ("Vadim", "Вадим"),
    ("Vyacheslav", "Вячеслав"),
    ("Gleb", "Глеб"),
    ("Kirill", "Кирилл"),
]
_SU_WOMEN = [
    ("Valentina", "Валентина"),
    ("Irina", "Ирина"),
    ("Tatyana", "Татьяна"),
    ("Zhanna", "Жанна"),
    ("Lyudmila", "Людмила"),
    ("Galina", "Галина"),
    ("Natalya", "Наталья"),
    ("Yelena", "Елена"),
    ("Svetlana", "Светлана"),
    ("Olga", "Ольга"),
]
_SU_SURNAMES = [
    ("Petrov", "Петров"),
    ("Ivanov", "Иванов"),
    ("Smirnov", "Смирнов"),
    ("Kuznetsov", "Кузнецов"),
    ("Popov", "Попов"),
    ("Sokolov", "Соколов"),
    ("Lebedev", "Лебедев"),
    ("Kozlov", "Козлов"),
    ("Novikov", "Новиков"),
    ("Morozov", "Морозов"),
    ("Volkov", "Волков"),
    ("Solovyov", "Соловьёв"),
    ("Vasilyev", "Васильев"),
    ("Zaitsev", "Зайцев"),
    ("Pavlov", "Павлов"),
    ("Semyonov", "Семёнов"),
    ("Golubev", "Голубев"),
    ("Vinogradov", "Виноградов"),
    ("Bogdanov", "Богданов"),
    ("Vorobyov", "Воробьёв"),
    ("Fyodorov", "Фёдоров"),
    ("Mikhailov", "Михайлов"),
    ("Tarasov", "Тарасов"),
    ("Belov", "Белов"),
    ("Orlov", "Орлов"),
    ("Kiselyov", "Киселёв"),
    ("Makarov", "Макаров"),
    ("Andreyev", "Андреев"),
    ("Kovalyov", "Ковалёв"),
    ("Ilyin", "Ильин"),
    ("Gusev", "Гусев"),
    ("Yegorov", "Егоров"),
    ("Nikitin", "Никитин"),
    ("Sorokin", "Сорокин"),
    ("Zakharov", "Захаров"),
    ("Borisov", "Борисов"),
    ("Romanov", "Романов"),
    ("Gromov", "Громов"),
    ("Danilov", "Данилов"),
    ("Zhukov", "Жуков"),
    ("Frolov", "Фролов"),
    ("Tikhonov", "Тихонов"),
    ("Kalinin", "Калинин"),
    ("Baranov", "Баранов"),
    ("Kulikov", "Куликов"),
    ("Stepanov", "Степанов"),
    ("Yakovlev", "Яковлев"),
    ("Sergeyev", "Сергеев"),
]
_SU_PATRONYMICS = [
    ("Иванович", "Ивановна"),
    ("Петрович", "Петровна"),
    ("Сергеевич", "Сергеевна"),
    ("Алексеевич", "Алексеевна"),
    ("Николаевич", "Николаевна"),
    ("Владимирович", "Владимировна"),
    ("Михайлович", "Михайловна"),
    ("Васильевич", "Васильевна"),
    ("Фёдорович", "Фёдоровна"),
    ("Григорьевич", "Григорьевна"),
    ("Андреевич", "Андреевна"),
    ("Степанович", "Степановна"),
    ("Павлович", "Павловна"),
    ("Борисович", "Борисовна"),
    ("Викторович", "Викторовна"),
    ("Дмитриевич", "Дмитриевна"),
    ("Юрьевич", "Юрьевна"),
    ("Леонидович", "Леонидовна"),
    ("Георгиевич", "Георгиевна"),
    ("Яковлевич", "Яковлевна"),
]
_SU_SPELLINGS = {
    "Alexey": ["Alexei", "Aleksei"],
    "Andrei": ["Andrey"],
    "Anatoly": ["Anatoli"],
    "Valery": ["Valeri", "Valerii"],
    "Vitaly": ["Vitali"],
    "Vasily": ["Vasili", "Vasiliy"],
    "Gennady": ["Gennadi"],
    "Georgy": ["Georgi"],
    "Dmitry": ["Dmitri"],
    "Yevgeny": ["Evgeny", "Yevgeni"],
    "Nikolai": ["Nikolay"],
    "Pyotr": ["Petr"],
    "Sergei": ["Sergey"],
    "Fyodor": ["Fedor"],
    "Yuri": ["Yury", "Iurii"],
    "Yakov": ["Iakov"],
    "Arkady": ["Arkadi"],
    "Grigory": ["Grigori"],
    "Semyon": ["Semen"],
    "Vyacheslav": ["Viacheslav"],
    "Tatyana": ["Tatiana"],
    "Natalya": ["Natalia"],
    "Yelena": ["Elena"],
    "Lyudmila": ["Ludmila"],
}
_US_MEN = [
    "John",
    "James",
    "Robert",
    "William",
    "Charles",
    "Thomas",
    "Richard",
    "Donald",
    "Edward",
    "Walter",
    "Frank",
    "Paul",
    "Harold",
    "George",
    "Raymond",
    "Joseph",
    "David",
    "Michael",
    "Ronald",
    "Kenneth",
    "Gordon",
    "Alan",
    "Scott",
    "Neil",
    "Stuart",
    "Russell",
    "Eugene",
    "Vance",
    "Elliot",
    "Theodore",
    "Henry",
    "Bruce",
    "Philip",
    "Roger",
    "Gerald",
    "Owen",
]
_US_WOMEN = ["Mary", "Patricia", "Barbara", "Margaret", "Janet", "Ruth", "Joan", "Carol"]
_US_SURNAMES = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Anderson",
    "Taylor",
    "Moore",
    "Martin",
    "Jackson",
    "Thompson",
    "Harris",
    "Clark",
    "Lewis",
    "Walker",
    "Hall",
    "Allen",
    "Young",
    "King",
    "Wright",
    "Hill",
    "Green",
    "Adams",
    "Baker",
    "Nelson",
    "Carter",
    "Mitchell",
    "Roberts",
    "Turner",
    "Phillips",
    "Campbell",
    "Parker",
    "Evans",
    "Edwards",
    "Collins",
    "Stewart",
    "Morris",
    "Rogers",
    "Reed",
    "Cook",
    "Morgan",
    "Bell",
    "Murphy",
    "Bailey",
    "Cooper",
    "Howard",
    "Ward",
    "Peterson",
    "Gray",
    "Hughes",
    "Price",
    "Fisher",
    "Hayes",
    "Myers",
    "Ford",
    "Hamilton",
    "Graham",
    "Sullivan",
    "Wallace",
    "Cole",
    "West",
    "Reynolds",
    "Ellis",
    "Harrison",
    "Gibson",
    "McDonald",
    "Schirra",
]
_US_NICKNAMES = {
    "Robert": "Bob",
    "William": "Bill",
    "Charles": "Chuck",
    "Thomas": "Tom",
    "Richard": "Dick",
    "Edward": "Ed",
    "Donald": "Don",
    "Walter": "Wally",
    "Joseph": "Joe",
    "David": "Dave",
    "Michael": "Mike",
    "Ronald": "Ron",
    "Kenneth": "Ken",
    "Theodore": "Ted",
    "Henry": "Hank",
    "James": "Jim",
    "John": "Jack",
    "Patricia": "Pat",
    "Margaret": "Peggy",
}
_EXTRA_OCCUPATIONS = {
    "SU": [("pilot", 45), ("engineer", 30), ("test pilot", 10), ("physician", 5)],
    "US": [("test pilot", 30), ("engineer", 25), ("naval aviator", 15), ("physician", 5)],
}
_STAFF_OCCUPATIONS = ["engineer", "rocket designer", "politician", "physician", "scientist"]

_S, _O, _E = MissionStatus, OutcomeKind, EventKind
_STATUSES = (
    [_S.SUCCESS.value, _S.PARTIAL_FAILURE.value, _S.FAILURE.value, _S.CANCELLED.value],
    [69, 12, 16, 3],
)
_OUTCOME_COUNTS = ([0, 1, 2, 3], [12, 35, 38, 15])
_OUTCOME_KINDS = {
    _S.SUCCESS.value: ([_O.FIRST.value, _O.ACHIEVEMENT.value, _O.ANOMALY.value], [35, 55, 10]),
    _S.PARTIAL_FAILURE.value: (
        [_O.ACHIEVEMENT.value, _O.ANOMALY.value, _O.FAILURE.value],
        [35, 50, 15],
    ),
    _S.FAILURE.value: ([_O.FAILURE.value, _O.ANOMALY.value, _O.FATALITY.value], [72, 25, 3]),
}
_EVENT_KINDS = ([kind.value for kind in EventKind], [38, 27, 23, 12])

_OUTCOME_TEXT = {
    _O.FIRST.value: [
        "First {adjective} flight to {feat}.",
        "The {spacecraft} became the first spacecraft of its type to {feat}.",
        "The programme's first attempt to {feat} succeeded on this flight.",
    ],
    _O.ACHIEVEMENT.value: [
        "The flight managed to {feat} as planned.",
        "The {spacecraft} reached its planned orbit on the first attempt.",
        "Controllers confirmed that the {spacecraft} could {feat}.",
    ],
    _O.ANOMALY.value: [
        "A {system} fault forced controllers to change the flight plan.",
        "The {system} misbehaved during the flight and was switched to its backup.",
        "Reentry came {minutes} minutes late after a {system} problem.",
    ],
    _O.FAILURE.value: [
        "The {vehicle} failed {seconds} seconds after liftoff and the flight was lost.",
        "A {system} failure ended the mission before its main objective.",
        "The spacecraft could not {feat} and the attempt was abandoned.",
    ],
    _O.FATALITY.value: [
        "The crew were killed when the cabin lost pressure during reentry.",
        "The crew died after a {system} failure during the descent.",
    ],
}
_FEATS = [
    "stay in orbit for more than a day",
    "change its own orbit",
    "dock with another spacecraft",
    "broadcast live television from orbit",
    "land under a new parachute system",
    "rendezvous with a second craft",
    "return film from orbit",
    "make a controlled reentry",
    "test a new life support system",
    "fly with a crew in shirt sleeves",
]
_SYSTEMS = [
    "guidance",
    "attitude control",
    "power supply",
    "life support",
    "parachute",
    "telemetry",
    "thruster",
    "hatch seal",
    "radio",
    "heat shield",
]
_MISSION_SENTENCES = [
    "Ground stations tracked the spacecraft on every pass over their territory.",
    "The flight tested guidance, life support and communications in orbit.",
    "Engineers used its telemetry to plan the next flight.",
    "Recovery forces reached the capsule shortly after it came down.",
    "Its results fed directly into the design of later spacecraft.",
    "The launch had been put back twice by weather and a valve fault.",
    "Medical sensors recorded heart rate and breathing throughout.",
    "Cameras aboard returned film of cloud systems and the horizon.",
    "The plan called for a series of orbital manoeuvres.",
    "Controllers shortened the flight after a minor power problem.",
    "Newspapers on both sides of the race covered the flight closely.",
    "A backup spacecraft stood ready on a second pad.",
    "The mission carried biological samples and radiation counters.",
    "It was the last flight before a long pause for modifications.",
    "Tracking ships in two oceans relayed voice and telemetry.",
    "The landing area had been moved shortly before launch.",
    "Its flight profile was kept secret until after landing.",
    "A new tracking network was used for the first time.",
    "The spacecraft carried an improved heat shield.",
    "Weather in the recovery area was poor but within limits.",
]
_PERSON_SENTENCES = [
    "Before selection {he} served in a flight test unit.",
    "Later {he} trained new crews.",
    "{He} went on to work on spacecraft design.",
    "A town and a school were later named after {him}.",
    "{He} held several national awards.",
    "{He} retired from the programme in the following decade.",
    "{His} memoirs describe the selection and training years.",
    "{He} studied engineering at a military academy.",
    "{He} took part in the design reviews of {his} spacecraft.",
    "Colleagues remembered {him} as careful and quiet.",
]
_STAFF_SENTENCES = [
    "{He} joined the programme from a design bureau.",
    "{He} sat on the commission that approved each flight.",
    "{His} papers are kept in a state archive.",
    "{He} argued for more test flights before crews flew.",
    "{He} later wrote a history of the programme.",
    "{He} received several state prizes for the work.",
    "Colleagues remembered {him} as demanding but fair.",
]


def _pronouns(bank: list[str], female: bool) -> list[str]:
    words = ("she", "She", "her", "Her", "her") if female else ("he", "He", "his", "His", "him")
    return [
        s.format(**dict(zip(("he", "He", "his", "His", "him"), words, strict=True))) for s in bank
    ]


_PERSON_TEXT = {
    (flyer, female): _pronouns(_PERSON_SENTENCES if flyer else _STAFF_SENTENCES, female)
    for flyer in (True, False)
    for female in (True, False)
}
_EVENT_SENTENCES = [
    "The decision shaped the schedule of the following years.",
    "Newspapers on both sides reported it prominently.",
    "Budgets for the next year were adjusted accordingly.",
    "Engineers had argued for the change for some time.",
    "It was announced at a press conference the same week.",
    "The rival programme answered within a few months.",
]
_CLAIM_TOPICS = ["flight-duration", "orbit-count", "apogee", "perigee", "landing-miss-distance"]
_SOURCE_TOPICS = [
    "Crewed flight records",
    "Launch vehicle histories",
    "Programme budgets",
    "Recovery operations",
    "Tracking network logs",
    "Press archive",
    "Biographies of flight crews",
    "Design bureau papers",
    "Mission reports",
    "Chronology of the space race",
]
_PUBLISHERS = [
    "Example Space Archive",
    "Example Flight Records Office",
    "Example Historical Society",
    "Example Encyclopedia",
    "Example Press",
]
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(eq=False)
class _Person:
    record: Record
    country: str
    birth: date
    female: bool
    flyer: bool
    occupations: list[str]
    flights: list[date] = field(default_factory=list)
    died: str | None = None
    roles: list[tuple[str, str]] = field(default_factory=list)
    """(role, program name) for people on a program's staff."""
    seat: int = 0
    """Where in its pool (flyers or staff of its country) the person is."""

    @property
    def slug(self) -> str:
        return str(self.record["slug"])


@dataclass(eq=False)
class _Program:
    record: Record
    country: str
    window: tuple[date, date]
    """The days its missions may launch on."""
    code: str
    """For mission aliases: "ZAR-4"."""

    @property
    def slug(self) -> str:
        return str(self.record["slug"])


@dataclass(eq=False)
class _Mission:
    record: Record
    program: _Program
    day: date | None
    """The launch day behind the written (maybe less precise) launchDate."""
    landing: date | None

    @property
    def slug(self) -> str:
        return str(self.record["slug"])


SITES_PER_COUNTRY = 3


def counts_for(missions: int) -> dict[str, int]:
    """How many records of each kind `generate(missions, ...)` writes."""
    return {
        "sources": SOURCE_COUNT,
        "programs": max(12, math.ceil(missions / MISSIONS_PER_PROGRAM)),
        "missions": missions,
        "persons": max(20, (missions + 1) // 2),
        "events": max(5, (28 * missions + 50) // 100),
        "launch_sites": 2 * SITES_PER_COUNTRY,
    }


def generate(missions: int, out: Path, seed: int = 0) -> dict[str, int]:
    """Write a seeds folder of `missions` missions (and proportionate programs,
    persons, events and sources) into `out`, which must be empty or not exist.
    Returns the number of records of each kind."""
    if missions < 0:
        raise ValueError(f"missions must not be negative, got {missions}")
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise FileExistsError(f"{out} is not an empty folder")
    # Millions of small, acyclic objects: the cyclic garbage collector would only
    # rescan them again and again (a third of the time at 100,000 missions).
    collecting = gc.isenabled()
    gc.disable()
    try:
        sources, records_of = _Generator(missions, random.Random(seed), seed).run()
    finally:
        if collecting:
            gc.enable()
    for folder in ("sources", *of_sources({SEEDS})):
        (out / folder).mkdir(parents=True, exist_ok=True)
    (out / "sources" / "generated.json").write_bytes(
        orjson.dumps(sources, option=orjson.OPT_INDENT_2) + b"\n"
    )
    for collection in of_sources({SEEDS}):
        records = records_of[collection]
        chunks = max(1, math.ceil(len(records) / RECORDS_PER_FILE))
        for chunk in range(chunks):
            part = records[chunk * RECORDS_PER_FILE : (chunk + 1) * RECORDS_PER_FILE]
            path = out / collection / f"{collection}-{chunk + 1:04d}.json"
            path.write_bytes(_json_list(part))
    return {
        "sources": len(sources),
        **{name: len(records_of[name]) for name in of_sources({SEEDS})},
    }


def _json_list(records: list[Record]) -> bytes:
    """A JSON list with one record per line: greppable, and small."""
    if not records:
        return b"[]\n"
    return b"[\n" + b",\n".join(orjson.dumps(r) for r in records) + b"\n]\n"


class _Generator:
    def __init__(self, missions: int, rng: random.Random, seed: int = 0) -> None:
        self.rng = rng
        # Launch sites draw from a stream of their own, so that adding them left
        # every other record of a given seed as it was.
        self.site_rng = random.Random(f"launch-sites:{seed}")
        self.counts = counts_for(missions)
        self.source_keys: list[str] = []
        self.persons: list[_Person] = []
        self.flyers: dict[str, list[_Person]] = {"SU": [], "US": []}
        self.staff: dict[str, list[_Person]] = {"SU": [], "US": []}
        self.programs: list[_Program] = []
        self.missions: list[_Mission] = []
        self.killed_in: dict[str, _Mission] = {}
        self.by_slug: dict[str, _Person] = {}
        self.sites: dict[str, list[str]] = {"SU": [], "US": []}

    def run(self) -> tuple[dict[str, Record], dict[str, list[Record]]]:
        """The sources, and the records of each collection."""
        sources = self._sources()
        self._persons()
        sites = self._launch_sites()
        self._programs()
        self._missions()
        self._crews_and_outcomes()
        self._finish_persons()
        events = self._events()
        return sources, {
            "programs": [p.record for p in self.programs],
            "missions": [m.record for m in self.missions],
            "persons": [p.record for p in self.persons],
            "events": events,
            "launch_sites": sites,
        }

    # -- helpers --------------------------------------------------------------

    def _cite(self, low: int = 1, high: int = 3) -> list[str]:
        return self.rng.sample(self.source_keys, self.rng.randint(low, high))

    def _weighted(self, choices: tuple[list[T], list[int]]) -> T:
        return self.rng.choices(choices[0], choices[1])[0]

    def _day(self, first: date, last: date) -> date:
        return date.fromordinal(self.rng.randint(first.toordinal(), last.toordinal()))

    def _partial(self, day: date, day_share: float = 0.90, month_share: float = 0.07) -> str:
        """A date written as precisely as the (imagined) sources give it."""
        r = self.rng.random()
        if r < day_share:
            return day.isoformat()
        if r < day_share + month_share:
            return day.isoformat()[:7]
        return day.isoformat()[:4]

    def _summary(self, opening: str, bank: Sequence[str], low: int, high: int) -> str:
        """`opening` plus sentences from `bank`, `low` to `high` words in all
        (every bank sentence is short enough that this always ends)."""
        sentences = [opening]
        words = len(opening.split())
        target = self.rng.randint(low, high)
        for _ in range(100):
            if words >= target:
                break
            sentence = self.rng.choice(bank)
            count = len(sentence.split())
            if sentence in sentences or words + count > high:
                if words >= low:
                    break
                continue
            sentences.append(sentence)
            words += count
        return " ".join(sentences)

    def _claims(self, share: float) -> list[Record]:
        if self.rng.random() >= share:
            return []
        topic = self.rng.choice(_CLAIM_TOPICS)
        values = [self._claim_value(topic) for _ in range(self.rng.choice([1, 1, 2]))]
        return [{"topic": topic, "value": v, "sources": self._cite(1, 1)} for v in values]

    def _claim_value(self, topic: str) -> str:
        r = self.rng
        if topic == "flight-duration":
            return f"{r.randint(1, 400)} hours {r.randint(0, 59)} minutes"
        if topic == "orbit-count":
            return f"{r.randint(1, 250)} orbits"
        if topic == "apogee":
            return f"{r.randint(180, 900)} km"
        if topic == "perigee":
            return f"{r.randint(140, 300)} km"
        return f"{r.randint(1, 400)} km"

    # -- sources --------------------------------------------------------------

    def _launch_sites(self) -> list[Record]:
        """A few invented ranges per country, some renamed once."""
        r = self.site_rng
        records = []
        for country, adjective in _COUNTRY_ADJECTIVE.items():
            for n in range(1, SITES_PER_COUNTRY + 1):
                name = f"{adjective} Range {_roman(n)}"
                slug = slugify(name)
                renamed = r.random() < 0.5
                opened = f"{r.randint(1946, 1956)}"
                names: list[Record] = [
                    {
                        "name": name,
                        "from": opened,
                        "to": None,
                        "sources": r.sample(self.source_keys, 1),
                    }
                ]
                if renamed:
                    later = f"{r.randint(1960, 1974)}-{r.randint(1, 12):02d}"
                    names = [
                        {**names[0], "name": f"{adjective} Test Site {n}", "to": later},
                        {
                            "name": name,
                            "from": later,
                            "to": None,
                            "sources": r.sample(self.source_keys, 1),
                        },
                    ]
                records.append(
                    {
                        "slug": slug,
                        "name": name,
                        "country": country,
                        "latitude": round(r.uniform(-60, 60), 4),
                        "longitude": round(r.uniform(-179, 179), 4),
                        "names": names,
                        "summary": f"An invented launch range of the {adjective} programmes.",
                        "claims": [],
                        "sources": r.sample(self.source_keys, r.randint(1, 3)),
                    }
                )
                self.sites[country].append(slug)
        return records

    def _sources(self) -> dict[str, Record]:
        sources: dict[str, Record] = {}
        for n in range(1, SOURCE_COUNT + 1):
            topic = _SOURCE_TOPICS[(n - 1) % len(_SOURCE_TOPICS)]
            publisher = _PUBLISHERS[(n - 1) // len(_SOURCE_TOPICS) % len(_PUBLISHERS)]
            key = f"example-{slugify(topic)}-{n:02d}"
            sources[key] = {
                "title": f"{topic}, part {n}",
                "publisher": publisher,
                "url": f"https://example.org/spacerace/{key}",
            }
        self.source_keys = list(sources)
        return sources

    # -- persons --------------------------------------------------------------

    def _persons(self) -> None:
        slugs = _Slugs()
        for i in range(self.counts["persons"]):
            country = "SU" if i % 2 == 0 else "US"
            flyer = i % 10 < 8
            female = self.rng.random() < 0.04
            person = self._person(country, flyer, female, slugs)
            self.persons.append(person)
            self.by_slug[person.slug] = person
            pool = (self.flyers if flyer else self.staff)[country]
            person.seat = len(pool)
            pool.append(person)

    def _person(self, country: str, flyer: bool, female: bool, slugs: _Slugs) -> _Person:
        r = self.rng
        aliases: list[str] = []
        native: str | None = None
        if country == "SU":
            first, first_native = r.choice(_SU_WOMEN if female else _SU_MEN)
            last, last_native = r.choice(_SU_SURNAMES)
            if female:
                last, last_native = last + "a", last_native + "а"
            patronymic = r.choice(_SU_PATRONYMICS)[1 if female else 0]
            name = f"{first} {last}"
            native = f"{last_native} {first_native} {patronymic}"
            aliases = [f"{v} {last}" for v in _SU_SPELLINGS.get(first, [])]
            if last.endswith(("yov", "yova")):
                aliases.append(f"{first} {last.replace('yov', 'yev')}")
        else:
            first = r.choice(_US_WOMEN if female else _US_MEN)
            last = r.choice(_US_SURNAMES)
            initial = chr(ord("A") + r.randrange(26))
            full = f"{first} {initial}. {last}"
            name = full if r.random() < 0.3 else f"{first} {last}"
            if first in _US_NICKNAMES:
                aliases.append(f"{_US_NICKNAMES[first]} {last}")
            if name != full:
                aliases.append(full)
        aliases = r.sample(aliases, min(len(aliases), r.randint(0, 2)))
        slug = slugs.unique(slugify(f"{first} {last}"))
        if flyer:
            occupations = [_FLYER[country]]
            extras = _EXTRA_OCCUPATIONS[country]
            for occupation, percent in extras:
                if len(occupations) < 3 and r.random() * 100 < percent:
                    occupations.append(occupation)
            birth = self._day(date(1915, 1, 1), date(1942, 12, 31))
        else:
            occupations = r.sample(_STAFF_OCCUPATIONS, r.randint(1, 2))
            birth = self._day(date(1895, 1, 1), date(1930, 12, 31))
        record: Record = {"slug": slug, "name": name}
        if native:
            record["nativeName"] = native
        record |= {
            "aliases": aliases,
            "country": country,
            "occupations": occupations,
            "birthDate": self._partial(birth, 0.96, 0.03),
        }
        return _Person(record, country, birth, female, flyer, occupations)

    # -- programs -------------------------------------------------------------

    def _programs(self) -> None:
        r = self.rng
        for i in range(self.counts["programs"]):
            country = "SU" if i % 2 == 0 else "US"
            names = _SU_PROGRAMS if country == "SU" else [(n, "") for n in _US_PROGRAMS]
            base, base_native = names[(i // 2) % len(names)]
            round_ = (i // 2) // len(names)
            suffix = f" {round_ + 1}" if round_ else ""
            name = base + suffix
            start_year = r.randint(1955, 1971)
            end_year = min(1975, max(1958, start_year + r.randint(1, 8)))
            ongoing = r.random() < 0.15
            window = (
                max(ERA_START, date(start_year, 1, 1)),
                ERA_END if ongoing else date(end_year, 12, 31),
            )
            organization = r.choice(_ORGANIZATIONS[country])
            capacity = r.randint(1, 3)
            if country == "SU":
                spacecraft = [
                    f"{name} ({r.randint(1, 11)}K{letter})"
                    for letter in r.sample("ABDLMTV", r.randint(1, 3))
                ]
            else:
                spacecraft = [f"{name} {block}" for block in r.sample(_US_BLOCKS, r.randint(1, 3))]
            vehicles = r.sample(_LAUNCH_VEHICLES[country], r.randint(1, 2))
            staff = self.staff[country]
            people = []
            for person in r.sample(staff, min(len(staff), r.randint(0, 2))):
                role = r.choice(_PROGRAM_ROLES[country])
                person.roles.append((role, name))
                people.append({"person": person.slug, "role": role})
            adjective = _COUNTRY_ADJECTIVE[country]
            when = f"from {start_year}" if ongoing else f"from {start_year} to {end_year}"
            opening = (
                f"The {adjective} {name} programme, run by {organization} {when}, "
                f"flew {_crew_words(capacity)} spacecraft on {vehicles[0]} launchers."
            )
            record: Record = {"slug": slugify(name), "name": name}
            if base_native:
                record["nativeName"] = base_native + suffix
            record |= {
                "aliases": r.sample([f"{name} programme", f"{name} program"], r.randint(0, 2)),
                "country": country,
                "organization": organization,
                "summary": self._summary(opening, _EVENT_SENTENCES, 20, 40),
                "startDate": str(start_year),
            }
            if not ongoing:
                record["endDate"] = str(end_year)
            record |= {
                "crewCapacity": capacity,
                "spacecraft": spacecraft,
                "launchVehicles": vehicles,
                "people": people,
                "claims": self._claims(0.05),
                "sources": self._cite(),
            }
            code = base[:3].upper() + (str(round_ + 1) if round_ else "")
            self.programs.append(_Program(record, country, window, code))

    # -- missions -------------------------------------------------------------

    def _missions(self) -> None:
        counts = _split(self.counts["missions"], len(self.programs), MISSIONS_PER_PROGRAM, self.rng)
        for program, count in zip(self.programs, counts, strict=True):
            days = sorted(self._day(*program.window) for _ in range(count))
            for n, day in enumerate(days, start=1):
                self.missions.append(self._mission(program, n, day))

    def _mission(self, program: _Program, n: int, day: date) -> _Mission:
        r = self.rng
        p = program.record
        status = self._weighted(_STATUSES)
        crewed = r.random() < 0.8
        name = f"{p['name']} {n}"
        record: Record = {"slug": f"{program.slug}-{n}", "name": name}
        if "nativeName" in p:
            record["nativeName"] = f"{p['nativeName']}-{n}"
        aliases = [f"{p['name']}-{_roman(n)}", f"{program.code}-{n}"]
        record |= {
            "aliases": r.sample(aliases, r.randint(0, 2)),
            "program": program.slug,
            "country": program.country,
            "crewed": crewed,
            "status": status,
        }
        landing: date | None = None
        spacecraft = r.choice(p["spacecraft"])
        vehicle = r.choice(p["launchVehicles"])
        kind = "crewed" if crewed else "uncrewed"
        if status == _S.CANCELLED.value:
            launch: date | None = None
            opening = (
                f"{name} was a planned {kind} flight of the {p['name']} programme, "
                f"to have flown on a {vehicle} rocket."
            )
        else:
            launch = day
            written = self._partial(day)
            record["launchDate"] = written
            opening = (
                f"{name} was a {kind} flight of the {p['name']} programme, launched "
                f"{_date_words(written)} on a {vehicle} rocket."
            )
            if len(written) == 10 and r.random() < 0.8:
                record["launchTime"] = (
                    f"{written}T{r.randrange(24):02d}:{r.randrange(60):02d}:{r.randrange(60):02d}Z"
                )
            if (crewed and status != _S.FAILURE.value) or r.random() < 0.35:
                landing = day + timedelta(days=_duration(r, crewed))
                if len(written) == 10:
                    record["landingDate"] = landing.isoformat()
                elif len(written) == 7 and r.random() < 0.5:
                    record["landingDate"] = landing.isoformat()[:7]
        bank = _MISSION_SENTENCES if launch else _CANCELLED_SENTENCES
        record |= {
            "spacecraft": spacecraft,
            "launchVehicle": vehicle,
            "launchSite": self.site_rng.choice(self.sites[program.country]),
            "launchPad": f"Pad {self.site_rng.randint(1, 40)}",
            "summary": self._summary(opening, bank, 20, 40),
            "crew": [],
            "outcomes": [],
            "claims": self._claims(0.08),
            "sources": self._cite(),
        }
        return _Mission(record, program, launch, landing)

    def _crews_and_outcomes(self) -> None:
        """In launch order, so nobody flies after the flight that killed them."""
        launched = sorted(
            (m for m in self.missions if m.day is not None),
            key=lambda m: (m.day, m.slug),
        )
        for mission in launched:
            crew = self._crew(mission) if mission.record["crewed"] else []
            mission.record["crew"] = crew
            mission.record["outcomes"] = self._outcomes(mission, crew)

    def _crew(self, mission: _Mission) -> list[Record]:
        r = self.rng
        assert mission.day is not None
        country = mission.program.country
        alive = self.flyers[country]
        capacity = int(mission.program.record["crewCapacity"])
        size = max(1, capacity - 1) if r.random() < 0.1 else capacity
        size = min(size, len(alive))
        chosen: list[_Person] = []
        while len(chosen) < size:
            for _ in range(10):
                person = r.choice(alive)
                if person not in chosen and person.birth.year <= mission.day.year - 23:
                    break
            else:  # nobody old enough at hand: anyone not yet aboard
                candidates = r.sample(alive, min(len(alive), len(chosen) + 1))
                person = next(p for p in candidates if p not in chosen)
            chosen.append(person)
        roles = _CREW_ROLES[country][len(chosen)] if chosen else []
        for person in chosen:
            person.flights.append(mission.day)
        return [{"person": p.slug, "role": role} for p, role in zip(chosen, roles, strict=True)]

    def _outcomes(self, mission: _Mission, crew: list[Record]) -> list[Record]:
        r = self.rng
        assert mission.day is not None
        record = mission.record
        status = record["status"]
        crew_slugs = [c["person"] for c in crew]
        outcomes: list[Record] = []
        for _ in range(self._weighted(_OUTCOME_COUNTS)):
            kind = self._weighted(_OUTCOME_KINDS[status])
            if kind == _O.FATALITY.value and not self._may_kill(mission, crew_slugs, outcomes):
                kind = _O.FAILURE.value
            outcome: Record = {"kind": kind}
            template = r.choice(_OUTCOME_TEXT[kind])
            outcome["summary"] = template.format(
                adjective=_COUNTRY_ADJECTIVE[record["country"]],
                feat=r.choice(_FEATS),
                spacecraft=record["spacecraft"],
                vehicle=record["launchVehicle"],
                system=r.choice(_SYSTEMS),
                minutes=r.randint(2, 40),
                seconds=r.randint(5, 300),
            )
            written = record["launchDate"]
            if kind == _O.FATALITY.value:
                day = mission.landing or mission.day
                outcome["date"] = day.isoformat() if len(written) == 10 else written
            elif len(written) < 10:
                if r.random() < 0.5:
                    outcome["date"] = written
            elif r.random() < 0.85:
                last = mission.landing or mission.day
                outcome["date"] = self._day(mission.day, last).isoformat()
            if kind == _O.FATALITY.value:
                people = list(crew_slugs)
            elif crew_slugs and r.random() < 0.8:
                picked = r.sample(crew_slugs, r.randint(1, len(crew_slugs)))
                people = [s for s in crew_slugs if s in picked]
            else:
                people = []
            outcome["people"] = people
            sources = record["sources"]
            outcome["sources"] = r.sample(sources, min(len(sources), r.randint(1, 2)))
            outcomes.append(outcome)
            if kind == _O.FATALITY.value:
                self._kill(mission, outcome)
        return outcomes

    def _may_kill(self, mission: _Mission, crew: list[str], outcomes: list[Record]) -> bool:
        """A fatality needs a crew, only one per flight, and enough people left to fly."""
        alive = self.flyers[mission.program.country]
        return (
            bool(crew)
            and not any(o["kind"] == _O.FATALITY.value for o in outcomes)
            and (len(alive) - len(crew) >= 6)
        )

    def _kill(self, mission: _Mission, outcome: Record) -> None:
        alive = self.flyers[mission.program.country]
        for slug in outcome["people"]:
            person = self.by_slug[slug]
            person.died = outcome["date"]
            self.killed_in[slug] = mission
            last = alive.pop()  # the last one takes the dead one's seat
            if last is not person:
                alive[person.seat] = last
                last.seat = person.seat

    # -- persons, once the flights are known ----------------------------------

    def _finish_persons(self) -> None:
        r = self.rng
        for person in self.persons:
            record = person.record
            if person.died is None and r.random() < 0.75:
                # Not before their selection (flyers) or their programmes (staff),
                # nor within a year of their last flight.
                earliest = max(
                    person.birth + timedelta(days=365 * 35),
                    date(1962, 1, 1) if person.flyer else date(1966, 1, 1),
                    *(flight + timedelta(days=365) for flight in person.flights),
                )
                if earliest <= TODAY:
                    person.died = self._partial(self._day(earliest, TODAY), 0.92, 0.06)
            if person.died is not None:
                record["deathDate"] = person.died
            record["summary"] = self._person_summary(person)
            record["claims"] = self._claims(0.03)
            record["sources"] = self._cite()

    def _person_summary(self, person: _Person) -> str:
        adjective = _COUNTRY_ADJECTIVE[person.country]
        occupation = " and ".join(person.occupations[:2])
        if person.flyer and person.flights:
            first, last = min(person.flights).year, max(person.flights).year
            count = len(person.flights)
            flights = "one flight" if count == 1 else f"{count} flights"
            span = f"in {first}" if first == last else f"between {first} and {last}"
            opening = f"{adjective} {occupation} who made {flights} {span}."
            if person.slug in self.killed_in:
                opening += f" Killed on {self.killed_in[person.slug].record['name']}."
        elif person.flyer:
            opening = f"{adjective} {occupation} selected for flight training who never flew."
        elif person.roles:
            role, program = person.roles[0]
            opening = f"{adjective} {occupation} who served as {role} of the {program} programme."
        else:
            opening = f"{adjective} {occupation} who advised the space programme."
        return self._summary(opening, _PERSON_TEXT[person.flyer, person.female], 15, 35)

    # -- events ---------------------------------------------------------------

    def _events(self) -> list[Record]:
        r = self.rng
        slugs = _Slugs()
        dead = [p for p in self.persons if p.died and p.died[:4] <= "1975"]
        launched = [m for m in self.missions if m.day is not None]
        events: list[Record] = []
        for _ in range(self.counts["events"]):
            kind = self._weighted(_EVENT_KINDS)
            if kind == _E.DEATH.value and not dead:
                kind = _E.POLITICAL.value
            if kind == _E.OTHER.value and not launched:
                kind = _E.PROGRAM.value
            if kind == _E.DEATH.value:
                event = self._death_event(r.choice(dead))
            elif kind == _E.OTHER.value:
                event = self._mission_event(r.choice(launched))
            elif kind == _E.PROGRAM.value:
                event = self._program_event(r.choice(self.programs))
            else:
                event = self._political_event()
            events.append(
                {
                    "slug": slugs.unique(slugify(event["title"])),
                    **event,
                    "claims": self._claims(0.05),
                    "sources": self._cite(),
                }
            )
        return events

    def _event(
        self,
        title: str,
        kind: str,
        day: str,
        opening: str,
        *,
        end: str | None = None,
        people: list[str] | None = None,
        programs: list[str] | None = None,
        missions: list[str] | None = None,
    ) -> Record:
        return {
            "title": title,
            "kind": kind,
            "date": day,
            "endDate": end,
            "summary": self._summary(opening, _EVENT_SENTENCES, 15, 30),
            "people": people or [],
            "programs": programs or [],
            "missions": missions or [],
        }

    def _death_event(self, person: _Person) -> Record:
        name = person.record["name"]
        assert person.died is not None
        mission = self.killed_in.get(person.slug)
        if mission:
            opening = f"{name} died with the crew of {mission.record['name']}."
        else:
            opening = f"{name}, {_COUNTRY_ADJECTIVE[person.country]} {person.occupations[0]}, died."
        return self._event(
            f"Death of {name}",
            _E.DEATH.value,
            person.died,
            opening,
            people=[person.slug],
            missions=[mission.slug] if mission else [],
            programs=[mission.program.slug] if mission else [],
        )

    def _mission_event(self, mission: _Mission) -> Record:
        r = self.rng
        assert mission.day is not None
        name = mission.record["name"]
        start = (mission.landing or mission.day) + timedelta(days=r.randint(1, 40))
        end = start + timedelta(days=r.randint(1, 12)) if r.random() < 0.3 else None
        title = r.choice(
            [f"{name} crew welcomed home", f"{name} results released", f"{name} film shown"]
        )
        return self._event(
            title,
            _E.OTHER.value,
            start.isoformat(),
            f"Weeks after {name}, its results and crew were presented to the public.",
            end=end.isoformat() if end else None,
            people=[c["person"] for c in mission.record["crew"]],
            programs=[mission.program.slug],
            missions=[mission.slug],
        )

    def _program_event(self, program: _Program) -> Record:
        r = self.rng
        p = program.record
        day = self._day(
            max(date(1955, 1, 1), program.window[0] - timedelta(days=700)), program.window[0]
        )
        title, opening = r.choice(
            [
                (
                    f"{p['name']} programme announced",
                    f"{p['organization']} announced the {p['name']} programme.",
                ),
                (
                    f"{p['name']} flights suspended for a review",
                    f"Flights of {p['name']} were halted while a board reviewed the design.",
                ),
                (
                    f"{p['organization']} takes over {p['name']}",
                    f"Responsibility for {p['name']} passed to {p['organization']}.",
                ),
            ]
        )
        if "suspended" in title:
            day = self._day(*program.window)
        return self._event(
            title,
            _E.PROGRAM.value,
            self._partial(day, 0.6, 0.3),
            opening,
            people=[x["person"] for x in p["people"]],
            programs=[program.slug],
        )

    def _political_event(self) -> Record:
        r = self.rng
        country = r.choice(["SU", "US"])
        day = self._day(date(1955, 1, 1), ERA_END)
        programs = r.sample(self.programs, min(len(self.programs), r.randint(0, 2)))
        staff = self.staff[country]
        people = r.sample(staff, min(len(staff), r.randint(0, 2)))
        topic = r.choice(["space budget", "Moon goal", "space cooperation", "satellite policy"])
        body = "The Politburo" if country == "SU" else "Congress"
        span = r.randint(1, 10) if r.random() < 0.15 else 0
        return self._event(
            f"{body} debates the {topic}",
            _E.POLITICAL.value,
            self._partial(day, 0.85, 0.1),
            f"{body} took up the {topic} in {day.year}.",
            end=(day + timedelta(days=span)).isoformat() if span else None,
            people=[p.slug for p in people],
            programs=[p.slug for p in programs],
        )


_CANCELLED_SENTENCES = [
    "It was cancelled before launch when plans changed.",
    "The spacecraft was built but never flown.",
    "Its crew had been named and had begun training.",
    "Its objectives passed to a later flight of the programme.",
    "Budget cuts ended the flight in the planning stage.",
    "The hardware later went to a museum.",
    "Work stopped after a review of the programme.",
]


class _Slugs:
    """Unique slugs: "ivan-petrov", then "ivan-petrov-2", "ivan-petrov-3", ..."""

    def __init__(self) -> None:
        self._taken: set[str] = set()
        self._next: dict[str, int] = {}

    def unique(self, base: str) -> str:
        n = self._next.get(base, 1)
        slug = base if n == 1 else f"{base}-{n}"
        while slug in self._taken:
            n += 1
            slug = f"{base}-{n}"
        self._next[base] = n + 1
        self._taken.add(slug)
        return slug


def _split(total: int, parts: int, cap: int, rng: random.Random) -> list[int]:
    """`total` shared out over `parts` unevenly, none above `cap`."""
    weights = [rng.uniform(0.4, 1.6) for _ in range(parts)]
    whole = sum(weights)
    counts = [min(cap, math.floor(total * w / whole)) for w in weights]
    order = sorted(range(parts), key=lambda i: (-weights[i], i))
    left = total - sum(counts)
    while left > 0:
        for i in order:
            if left and counts[i] < cap:
                counts[i] += 1
                left -= 1
    return counts


def _duration(rng: random.Random, crewed: bool) -> int:
    """Days from launch to landing."""
    if not crewed:
        return rng.randint(0, 30)
    low, high = rng.choices([(0, 0), (1, 5), (6, 14), (15, 30)], [20, 50, 25, 5])[0]
    return rng.randint(low, high)


def _crew_words(capacity: int) -> str:
    return {1: "one-person", 2: "two-person", 3: "three-person"}[capacity]


def _date_words(written: str) -> str:
    parts = written.split("-")
    if len(parts) == 3:
        return f"on {int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"in {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return f"in {parts[0]}"


def _roman(n: int) -> str:
    numerals = [(100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX")]
    numerals += [(5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in numerals:
        while n >= value:
            out += letters
            n -= value
    return out
