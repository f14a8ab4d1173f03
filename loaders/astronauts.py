"""The astronaut dataset loader: "Astronaut database" (Stavnichuk & Corlett 2020).

One CSV row per person and mission, 1961–2020, as TidyTuesday published it
(2020-07-14). The file is recognised by its header. Its rows are matched to the
curated crew seats and persons (`reconcile`), and become two collections of the
dataset's own (`store.layout.MISSION_HOURS`, `PERSON_HOURS`): the hours of each
matched crew seat, each matched person's career hours, and a claim on each side
wherever the dataset and the curated data disagree. The curated records are
never changed.

Which value the plain fields show: `flightHours` and `careerHours` are the
dataset's (the curated data states no hours). `evaHours` is the dataset's too,
except where a curated outcome states that seat's spacewalk duration and the
two disagree: then the curated duration wins (enrich, never overwrite) and both
values stand side by side in `Mission.claims`.
"""

from __future__ import annotations

import csv
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from spacerace.loaders.problems import Problem
from spacerace.loaders.records import Curated, Part, RawDataset, Record, SourceDefinition
from spacerace.store.layout import ASTRONAUT_DATABASE
from spacerace.store.text import fold

HEADER = (
    "id",
    "number",
    "nationwide_number",
    "name",
    "original_name",
    "sex",
    "year_of_birth",
    "nationality",
    "military_civilian",
    "selection",
    "year_of_selection",
    "mission_number",
    "total_number_of_missions",
    "occupation",
    "year_of_mission",
    "mission_title",
    "ascend_shuttle",
    "in_orbit",
    "descend_shuttle",
    "hours_mission",
    "total_hrs_sum",
    "field21",
    "eva_hrs_mission",
    "total_eva_hrs",
)
SOURCE_KEY = "astronaut-database"
SOURCE = {
    "title": "Astronaut database",
    "publisher": "Stavnichuk & Corlett 2020, Mendeley Data, via TidyTuesday 2020-07-14",
    "url": "https://github.com/rfordatascience/tidytuesday/tree/master/data/2020/2020-07-14",
}
FIRST_YEAR, LAST_YEAR = 1961, 1975
"""The crewed flights the API covers; later rows only feed career totals."""
SUFFIXES = {"jr", "sr", "ii", "iii"}
CYRILLIC = re.compile("[\u0400-\u04ff]")


class AstronautLoader:
    """Recognises the dataset's CSV by its header."""

    source = ASTRONAUT_DATABASE

    def accepts(self, path: str) -> bool:
        target = Path(path)
        if not target.is_file() or target.suffix.lower() != ".csv":
            return False
        try:
            with target.open(encoding="utf-8", newline="") as handle:
                first = next(csv.reader(handle), [])
        except (OSError, UnicodeDecodeError):
            return False
        return tuple(first) == HEADER

    def parts(self, path: str, curated: Curated) -> list[Part]:
        """Two parts (one per collection) of the one file; the first also reports."""
        file = Path(path)
        return [
            Part("mission_hours", partial(read, file, curated, "mission_hours"), curated=True),
            Part("person_hours", partial(read, file, curated, "person_hours"), curated=True),
        ]


# -- reading the CSV ----------------------------------------------------------------


@dataclass
class Row:
    """One person-mission of the dataset, typed."""

    line: int
    number: int
    name: str
    original_name: str
    year_of_birth: int
    year: int
    mission_title: str
    ascend: str
    descend: str
    """The craft the person came back in ("Soyuz 4" for those who launched on Soyuz 5)."""
    hours: float
    total_hours: float
    eva_hours: float

    @property
    def label(self) -> str:
        return f"line {self.line} ({self.name}, {self.mission_title} {self.year})"


def read_rows(file: Path, name: str) -> tuple[list[Row], list[Problem]]:
    rows: list[Row] = []
    problems: list[Problem] = []
    try:
        handle = file.open(encoding="utf-8", newline="")
    except OSError as error:
        return [], [Problem(name, 0, "", "", f"cannot be read: {error.strerror}")]
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, [])
            if tuple(header) != HEADER:
                return [], [Problem(name, 1, "", "", "is not the astronaut dataset's header")]
            line = reader.line_num + 1
            for values in reader:
                row, found = _row(line, values)
                who = values[3].strip() if len(values) > 3 else ""
                problems += [Problem(name, line, who, f, m) for f, m in found]
                if row is not None:
                    rows.append(row)
                line = reader.line_num + 1
        except UnicodeDecodeError as error:
            problems.append(Problem(name, 0, "", "", f"is not UTF-8: {error}"))
        except csv.Error as error:
            problems.append(Problem(name, reader.line_num, "", "", f"is not valid CSV: {error}"))
    return rows, problems


def _row(line: int, values: list[str]) -> tuple[Row | None, list[tuple[str, str]]]:
    if len(values) != len(HEADER):
        return None, [("", f"has {len(values)} fields, not {len(HEADER)}")]
    data = dict(zip(HEADER, values, strict=True))
    problems: list[tuple[str, str]] = []

    def number(key: str, kind: type[int] | type[float]) -> Any:
        raw = data[key].strip()
        try:
            value = kind(raw)
        except ValueError:
            problems.append((key, f"{raw!r} is not a number"))
            return kind(0)
        if value < 0:
            problems.append((key, f"{raw!r} is negative"))
        return value

    row = Row(
        line=line,
        number=number("number", int),
        name=data["name"].strip(),
        original_name=data["original_name"].strip(),
        year_of_birth=number("year_of_birth", int),
        year=number("year_of_mission", int),
        mission_title=data["mission_title"].strip(),
        ascend=data["ascend_shuttle"].strip(),
        descend=data["descend_shuttle"].strip(),
        hours=number("hours_mission", float),
        total_hours=number("total_hrs_sum", float),
        eva_hours=number("eva_hrs_mission", float),
    )
    if not row.name:
        problems.append(("name", "is empty"))
    return (None if problems else row), problems


# -- matching -----------------------------------------------------------------------


def _words(name: str) -> list[str]:
    return [w for w in fold(name).split() if w not in SUFFIXES]


def _surnames(person: Mapping[str, Any]) -> set[str]:
    """Every way the curated person's surname is written in Latin letters."""
    found: set[str] = set()
    for name in [person.get("name"), *(person.get("aliases") or [])]:
        if isinstance(name, str) and (words := _words(name)):
            found.add(words[-1])
            if len(words) >= 3:
                found.add(" ".join(words[-2:]))
    return found


def _given(person: Mapping[str, Any]) -> set[str]:
    return {
        words[0]
        for name in [person.get("name"), *(person.get("aliases") or [])]
        if isinstance(name, str) and len(words := _words(name)) >= 2
    }


def _csv_names(row: Row) -> tuple[str, str]:
    """(surname, first given name) of "Leonov, Aleksei" or "Conrad, Charles, Jr."."""
    surname, _, rest = row.name.partition(",")
    given = [w for w in _words(rest) if len(w) > 1]
    return " ".join(_words(surname)), given[0] if given else ""


def _native_words(text: str | None) -> set[str]:
    return set(fold(text).split()) if text else set()


def same_person(row: Row, person: Mapping[str, Any], *, strict: bool) -> bool:
    """Whether a row is about a curated person: the native names share surname and
    given name (in any order: the dataset writes some surname first in capitals,
    some last), or the Latin surname matches (with the given name too if `strict`)."""
    if CYRILLIC.search(row.original_name):
        shared = _native_words(row.original_name) & _native_words(person.get("nativeName"))
        if len(shared) >= 2:
            return True
    surname, given = _csv_names(row)
    if surname not in _surnames(person):
        return False
    return not strict or given in _given(person)


def _titles(row: Row) -> list[str]:
    """The names the row gives its mission, best first: the craft the person went
    up in (seats are on the mission launched on), then the title, each whole and
    split at "/" ("Soyuz 5/4", "Soyuz 19/Apollo")."""
    found: list[str] = []
    for text in (row.ascend, row.mission_title):
        found += [text, *text.split("/")]
    return [t for t in dict.fromkeys(fold(t) for t in found) if t]


def _descent(row: Row) -> list[str]:
    """The names of the craft the person came back in, when it is not the one they
    went up in."""
    descend = fold(row.descend)
    return [descend] if descend and descend != fold(row.ascend) else []


def _in_orbit_together(one: Mapping[str, Any], other: Mapping[str, Any]) -> bool:
    """Whether two flights' days overlap (ISO dates compare as text)."""
    days = [str(m.get(k)) for m in (one, other) for k in ("launchDate", "landingDate")]
    return days[0] <= days[3] and days[2] <= days[1]


def _mission_names(mission: Mapping[str, Any]) -> set[str]:
    names = [mission.get("name"), mission.get("nativeName"), *(mission.get("aliases") or [])]
    found = {fold(n) for n in names if isinstance(n, str)}
    found.add(fold(str(mission["_id"]).replace("-", " ")))
    return found - {""}


EVA = re.compile(r"spacewalk|extravehicular|\bEVA\b", re.IGNORECASE)
DURATION = re.compile(
    r"((?:about|around|roughly|some|nearly|almost|a little over|just over|over)\s+)?"
    r"(\d+(?:\.\d+)?)\s+(minutes?|hours?)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Stated:
    """A duration the curated data states in prose, and where."""

    text: str
    hours: float
    sources: list[Mapping[str, Any]]


def stated_eva(mission: Mapping[str, Any], person: str) -> Stated | None:
    """The spacewalk duration a curated outcome of the mission states for the person."""
    for outcome in mission.get("outcomes") or []:
        summary = outcome.get("summary") or ""
        if person not in (outcome.get("people") or []) or not EVA.search(summary):
            continue
        found = DURATION.search(summary)
        if found:
            amount = float(found.group(2))
            hours = amount / 60 if found.group(3).lower().startswith("minute") else amount
            return Stated(found.group(0), round(hours, 2), list(outcome.get("sources") or []))
    return None


def eva_disagrees(dataset_hours: float, stated: Stated) -> bool:
    minutes, claimed = dataset_hours * 60, stated.hours * 60
    return abs(minutes - claimed) > max(5.0, 0.25 * claimed)


def flight_window(
    mission: Mapping[str, Any], came_back_in: Mapping[str, Any] | None = None
) -> tuple[float, float] | None:
    """The hours a flight can have lasted given its launch day and the landing day of
    the craft the person came back in (another mission's, after a crew transfer)."""
    try:
        launched = date.fromisoformat(str(mission.get("launchDate")))
        landed = date.fromisoformat(str((came_back_in or mission).get("landingDate")))
    except ValueError:
        return None
    days = (landed - launched).days
    return max(0.0, (days - 1) * 24.0), (days + 1) * 24.0


# -- the reconciliation -------------------------------------------------------------


@dataclass
class Reconciliation:
    """What the rows and the curated data say together."""

    rows: int = 0
    in_era: int = 0
    later: int = 0
    seats: dict[tuple[str, str], Row] = field(default_factory=dict)
    """(mission, person) → the row of that curated crew seat."""
    people: dict[str, list[Row]] = field(default_factory=dict)
    """Curated person → every row of theirs, after 1975 included."""
    unmatched_rows: list[tuple[Row, str]] = field(default_factory=list)
    unmatched_seats: list[tuple[str, str, str]] = field(default_factory=list)
    """(mission, person, why) of curated seats of 1961–1975 no row matched."""
    disagreements: list[str] = field(default_factory=list)
    mission_claims: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    person_claims: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    eva: dict[tuple[str, str], float] = field(default_factory=dict)
    """The evaHours each seat shows (see the module's docstring)."""
    cited: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    """Curated sources the claims cite, by key."""

    def report(self, name: str) -> list[str]:
        seats_total = len(self.seats) + len(self.unmatched_seats)
        return [
            f"Astronaut database ({name}): {self.rows:,} rows, {self.in_era:,} of "
            f"{FIRST_YEAR}–{LAST_YEAR}, {self.later:,} later (no missions here; they count "
            "toward career hours).",
            f"  matched: {len(self.seats)} rows to {len(self.seats)} of {seats_total} curated "
            f"crew seats; career hours for {len(self.people)} curated persons.",
            f"  rows of {FIRST_YEAR}–{LAST_YEAR} matching no curated seat: "
            f"{len(self.unmatched_rows)}",
            *(f"    {row.label}: {why}" for row, why in self.unmatched_rows),
            f"  curated seats of {FIRST_YEAR}–{LAST_YEAR} with no row: {len(self.unmatched_seats)}",
            *(f"    {mission} / {person}: {why}" for mission, person, why in self.unmatched_seats),
            f"  disagreements (both values kept as claims): {len(self.disagreements)}",
            *(f"    {line}" for line in self.disagreements),
        ]

    def cite(self, sources: Iterable[Mapping[str, Any]]) -> list[str]:
        keys = []
        for source in sources:
            key = str(source["key"])
            self.cited[key] = source
            keys.append(key)
        return keys

    def both(
        self,
        where: dict[str, list[dict[str, Any]]],
        owner: str,
        topic: str,
        ours: str,
        theirs: str,
        their_sources: Iterable[Mapping[str, Any]],
    ) -> None:
        """The dataset's value and the curated one, side by side under one topic."""
        where[owner] += [
            {"topic": topic, "value": ours, "sources": [SOURCE_KEY]},
            {"topic": topic, "value": theirs, "sources": self.cite(their_sources)},
        ]


def reconcile(rows: Sequence[Row], curated: Curated) -> Reconciliation:
    result = Reconciliation(rows=len(rows))
    persons = {p["_id"]: p for p in curated.persons()}
    missions: list[Mapping[str, Any]] = [
        m
        for m in curated.missions()
        if m.get("crewed")
        and isinstance(m.get("launchDate"), str)
        and FIRST_YEAR <= int(m["launchDate"][:4]) <= LAST_YEAR
    ]
    by_title: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for each in missions:
        for title in _mission_names(each):
            by_title[title].append(each)
    number_of: dict[int, str] = {}
    early = [row for row in rows if row.year <= LAST_YEAR]
    result.in_era, result.later = len(early), len(rows) - len(early)

    for row in early:
        mission = next(
            (found[0] for t in _titles(row) if len(found := by_title.get(t, [])) == 1), None
        )
        if mission is None:
            result.unmatched_rows.append((row, "no curated mission has this title"))
            continue
        seat = next(
            (
                seat["person"]
                for seat in mission["crew"]
                if seat["person"] in persons
                and same_person(row, persons[seat["person"]], strict=False)
            ),
            None,
        )
        if seat is None:
            elsewhere = _somebody(row, persons)
            why = f"{mission['_id']}'s curated crew has no such person" + (
                f" (the curated {elsewhere} did not fly it)" if elsewhere else ""
            )
            result.unmatched_rows.append((row, why))
            result.both(
                result.mission_claims,
                mission["_id"],
                "crew",
                f"{row.name} flew on it",
                "crew: " + ", ".join(s["person"] for s in mission["crew"]),
                mission.get("sources") or [],
            )
            result.disagreements.append(
                f"{mission['_id']}: crew: the dataset lists {row.name}; the curated crew does not"
            )
            continue
        key = (mission["_id"], seat)
        if key in result.seats:
            result.unmatched_rows.append((row, f"a second row for {key[0]} / {key[1]}"))
            continue
        result.seats[key] = row
        number_of[row.number] = seat
        came_back_in = next(
            (found[0] for t in _descent(row) if len(found := by_title.get(t, [])) == 1), None
        )
        if came_back_in is not None and not _in_orbit_together(mission, came_back_in):
            came_back_in = None  # not a transfer: the dataset's descent craft is a slip
        _compare(result, row, mission, persons[seat], came_back_in)

    for row in rows:
        if row.number in number_of:
            result.people.setdefault(number_of[row.number], []).append(row)
    for mission in missions:
        for seat in mission["crew"]:
            key = (mission["_id"], seat["person"])
            if key not in result.seats:
                why = _why_missing(mission, seat["person"], rows, persons, result)
                result.unmatched_seats.append((*key, why))
    for slug, theirs in result.people.items():
        _compare_person(result, slug, theirs, persons[slug])
    return result


def _somebody(row: Row, persons: Mapping[str, Mapping[str, Any]]) -> str | None:
    found = [slug for slug, p in persons.items() if same_person(row, p, strict=True)]
    return found[0] if len(found) == 1 else None


def _why_missing(
    mission: Mapping[str, Any],
    person: str,
    rows: Sequence[Row],
    persons: Mapping[str, Mapping[str, Any]],
    result: Reconciliation,
) -> str:
    curated = persons.get(person)
    theirs = [r for r in rows if curated is not None and same_person(r, curated, strict=True)]
    if not theirs:
        return "the dataset has no row for this person at all"
    year = str(mission["launchDate"])[:4]
    flown = ", ".join(f"{r.mission_title} {r.year}" for r in theirs)
    if any(r.year == int(year) for r in theirs):
        return f"the dataset's rows for this person that year name other flights ({flown})"
    return f"the dataset has no row for this flight ({year}); its rows for this person: {flown}"


def _compare(
    result: Reconciliation,
    row: Row,
    mission: Mapping[str, Any],
    person: Mapping[str, Any],
    came_back_in: Mapping[str, Any] | None = None,
) -> None:
    slug, who = mission["_id"], person["_id"]
    sources = mission.get("sources") or []
    year = str(mission["launchDate"])[:4]
    if str(row.year) != year:
        result.both(result.mission_claims, slug, "launch-year", str(row.year), year, sources)
        result.disagreements.append(
            f"{slug}: launch year {row.year} (dataset) against {year} (curated launchDate)"
        )
    window = flight_window(mission, came_back_in)
    if window is not None and not window[0] <= row.hours <= window[1]:
        back = came_back_in or mission
        dates = f"launched {mission['launchDate']}, landed {back['landingDate']}"
        if back is not mission:
            dates += f" in {back['_id']}"
        result.both(
            result.mission_claims, slug, f"flight-hours-{who}", f"{row.hours:g} h", dates, sources
        )
        result.disagreements.append(
            f"{slug} / {who}: {row.hours:g} h in flight (dataset) does not fit {dates} (curated)"
        )
    stated = stated_eva(mission, who)
    result.eva[(slug, who)] = row.eva_hours
    if stated is not None and eva_disagrees(row.eva_hours, stated):
        result.eva[(slug, who)] = stated.hours
        result.both(
            result.mission_claims,
            slug,
            f"eva-duration-{who}",
            f"{row.eva_hours:g} h",
            stated.text,
            stated.sources,
        )
        keys = ", ".join(str(s["key"]) for s in stated.sources)
        result.disagreements.append(
            f"{slug} / {who}: EVA {row.eva_hours:g} h (dataset) against {stated.text!r} "
            f"(curated outcome; {keys}); evaHours shows the curated {stated.hours:g} h"
        )


def _compare_person(
    result: Reconciliation, slug: str, rows: list[Row], person: Mapping[str, Any]
) -> None:
    born = person.get("birthDate")
    year = rows[0].year_of_birth
    if isinstance(born, str) and born[:4] != str(year):
        result.both(
            result.person_claims, slug, "birth-year", str(year), born, person.get("sources") or []
        )
        result.disagreements.append(f"{slug}: born {year} (dataset) against {born} (curated)")
    totals = {row.total_hours for row in rows}
    if len(totals) > 1:
        result.disagreements.append(
            f"{slug}: the dataset's rows give different career totals "
            f"({', '.join(f'{t:g}' for t in sorted(totals))} h); careerHours shows the largest"
        )


# -- records ------------------------------------------------------------------------


def read(file: Path, curated: Curated, collection: str) -> RawDataset:
    """The records of one of the dataset's collections (and, with the first, the
    reconciliation report)."""
    name = _display(file)
    rows, problems = read_rows(file, name)
    reports = collection == "mission_hours"  # the file's problems and report, once
    dataset = RawDataset(problems=problems if reports else [])
    if problems:
        return dataset
    if not curated.missions():
        if not reports:
            return dataset
        dataset.problems.append(
            Problem(
                name,
                0,
                "",
                "",
                "is matched against the curated persons and missions, and there are none: "
                "load the seeds first, or with it",
            )
        )
        return dataset
    result = reconcile(rows, curated)
    dataset.sources.append(SourceDefinition(SOURCE_KEY, name, 1, SOURCE))
    for key, source in result.cited.items():
        data = {k: source.get(k) for k in ("title", "publisher", "url")}
        dataset.sources.append(SourceDefinition(key, name, 0, data))
    if reports:
        dataset.notes += result.report(file.name)
        dataset.records += _mission_records(name, result)
    else:
        dataset.records += _person_records(name, result)
    return dataset


def _display(file: Path) -> str:
    """The path as typed, relative to the working folder when inside it."""
    relative = os.path.relpath(file)
    return str(file.resolve()) if relative.startswith("..") else relative


def _mission_records(name: str, result: Reconciliation) -> list[Record]:
    seats: dict[str, list[dict[str, Any]]] = defaultdict(list)
    first_line: dict[str, int] = {}
    for (mission, person), row in result.seats.items():
        seats[mission].append(
            {"person": person, "flightHours": row.hours, "evaHours": result.eva[(mission, person)]}
        )
        first_line[mission] = min(first_line.get(mission, row.line), row.line)
    missions = sorted(set(seats) | set(result.mission_claims))
    return [
        Record(
            "mission_hours",
            name,
            first_line.get(slug, 0),
            i,
            {
                "slug": slug,
                "seats": seats.get(slug, []),
                "claims": result.mission_claims.get(slug, []),
                "sources": [SOURCE_KEY],
            },
        )
        for i, slug in enumerate(missions, start=1)
    ]


def _person_records(name: str, result: Reconciliation) -> list[Record]:
    return [
        Record(
            "person_hours",
            name,
            rows[0].line,
            i,
            {
                "slug": slug,
                "careerHours": max(row.total_hours for row in rows),
                "claims": result.person_claims.get(slug, []),
                "sources": [SOURCE_KEY],
            },
        )
        for i, (slug, rows) in enumerate(sorted(result.people.items()), start=1)
    ]
