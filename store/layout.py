"""One description per stored collection: everything about how its documents are kept.

A `Collection` says what its documents hold (the rules, installed as the
server's validator too), the optional fields every document carries, what it
points at in other collections, which dates must come in order, the fields
derived for look-ups (names, slugs, sort keys, date spans), its indexes, and the
filters readers may ask for. The loaders, the writer and the readers all take
their knowledge of a collection from here; adding a collection is adding one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pymongo import ASCENDING, IndexModel

from spacerace.store import filters
from spacerace.store.filters import Contains, Equals, Filter, From, Present, Until, Where
from spacerace.store.paths import query_field
from spacerace.store.rules import (
    COMMON,
    COUNTRY,
    DATED_NAME,
    DERIVED,
    FULL_DATE,
    NAMED,
    OUTCOME,
    PARTIAL_DATE,
    PERSON_ROLE,
    SLUG,
    Rules,
    Schema,
    list_of,
    one_of,
    pattern,
    record,
    text,
)
from spacerace.store.vocabulary import EventKind, MissionStatus

UNKNOWN_DATE = "9999-12-31"
"""Where documents without a date sort: after every dated one."""

SEEDS = "seeds"
"""The curated dataset (`seeds/`): the source of the collections that are not
another source's contribution."""
ASTRONAUT_DATABASE = "astronaut-database"
"""The Astronaut database (Stavnichuk & Corlett 2020), loaded by `loaders.astronauts`:
its contribution lives in collections of its own, so loading it never touches
what the seeds wrote, and loading the seeds never touches it."""


@dataclass(frozen=True)
class Span:
    """Two derived fields holding the first and last day a partial date can mean
    ("1965-03" spans 1965-03-01..1965-03-31), for range filters."""

    start: str
    end: str
    date: str
    until: str | None = None
    """A later date that, when given, ends the span instead (an event's endDate)."""


@dataclass(frozen=True)
class Collection:
    """How one collection's documents are stored."""

    name: str
    """The MongoDB collection, and the folder of its seed files."""
    singular: str
    """What one document is, in messages: "mission", "launch site"."""
    properties: dict[str, Schema]
    required: tuple[str, ...]
    defaults: Mapping[str, Any]
    """Optional fields every document carries, so all have the same shape."""
    references: Mapping[str, str] = field(default_factory=dict)
    """Path (`crew[].person`) → the collection whose slugs it holds."""
    date_order: tuple[tuple[str, str], ...] = ()
    """Pairs of dates where the first may not come after the second."""
    timelines: tuple[str, ...] = ()
    """Lists of items with `from` and `to` that must run oldest first, not overlapping."""
    times: Mapping[str, str] = field(default_factory=dict)
    """UTC times written as text in the input → the date each must fall on."""
    names: tuple[str, ...] = ("name", "nativeName", "aliases[]")
    """Paths of the names it answers to, best known first."""
    short_slugs: bool = False
    """Whether it also answers to first-and-last-name slugs (people)."""
    sort_date: str | None = None
    """Path of the date it sorts by."""
    spans: tuple[Span, ...] = ()
    indexes: tuple[IndexModel, ...] = ()
    """Indexes beyond the look-ups every collection has (by slug, in either order)."""
    filters: Mapping[str, Filter] = field(default_factory=dict)
    searchable: bool = True
    source: str = SEEDS
    """The source whose loads write it: a load replaces the collections of the
    sources it reads and leaves every other collection as it is."""
    lookups: bool = True
    """Whether its documents are things with names (slugs, names, search and sort
    keys derived, and indexed). A source's contribution to another collection's
    documents (`mission_hours`) has none: it is read by `_id` only."""

    @property
    def rules(self) -> Rules:
        return _RULES[self.name]

    @property
    def all_indexes(self) -> list[IndexModel]:
        return [*_COMMON_INDEXES, *self.indexes] if self.lookups else list(self.indexes)

    def where(self, **values: Any) -> Where:
        """A condition built from this collection's filters (None values are left out)."""
        return filters.where(self.name, self.filters, values)

    def everything(self) -> Where:
        return filters.where(self.name, self.filters, {})

    def target_of(self, field_name: str) -> str:
        """The collection whose slugs a queried field (`crew.person`) holds."""
        if field_name == "_id":
            return self.name
        for path, target in self.references.items():
            if query_field(path) == field_name:
                return target
        raise KeyError(f"{self.name}.{field_name} is not a reference")


def _index(*fields: str, name: str) -> IndexModel:
    return IndexModel([(f, ASCENDING) for f in fields], name=name)


# Look-ups every collection answers: by any slug, and pages in either order.
# `nameContains` and `search` match anywhere inside folded names and summaries
# (unanchored patterns), which no B-tree index can seek; they scan.
_COMMON_INDEXES = (
    _index("_slugs", name="slugs"),
    _index("_sortDate", "_id", name="date_order"),
    _index("_sortName", "_id", name="name_order"),
)

NAME_CONTAINS = Contains("_names")
COUNTRY_IS = Equals("country", filters.upper)


PROGRAMS = Collection(
    name="programs",
    singular="program",
    properties={
        **NAMED,
        "country": pattern(COUNTRY),
        "organization": text(nullable=True),
        "startDate": pattern(PARTIAL_DATE, nullable=True),
        "endDate": pattern(PARTIAL_DATE, nullable=True),
        "crewCapacity": {"bsonType": ["int", "long", "null"], "minimum": 1},
        "spacecraft": list_of(text()),
        "launchVehicles": list_of(text()),
        "people": list_of(PERSON_ROLE),
    },
    required=("name", "country", "aliases", "spacecraft", "launchVehicles", "people"),
    defaults={
        "nativeName": None,
        "aliases": [],
        "organization": None,
        "summary": None,
        "startDate": None,
        "endDate": None,
        "crewCapacity": None,
        "spacecraft": [],
        "launchVehicles": [],
        "people": [],
        "claims": [],
    },
    references={"people[].person": "persons"},
    date_order=(("startDate", "endDate"),),
    sort_date="startDate",
    indexes=(_index("country", "_sortDate", "_id", name="country"),),
    filters={"country": COUNTRY_IS, "name_contains": NAME_CONTAINS},
)

MISSIONS = Collection(
    name="missions",
    singular="mission",
    properties={
        **NAMED,
        "program": pattern(SLUG, nullable=True),
        "country": pattern(COUNTRY),
        "crewed": {"bsonType": "bool"},
        "status": one_of(MissionStatus),
        "launchDate": pattern(PARTIAL_DATE, nullable=True),
        "launchTime": {"bsonType": ["date", "null"]},
        "landingDate": pattern(PARTIAL_DATE, nullable=True),
        "spacecraft": text(nullable=True),
        "launchVehicle": text(nullable=True),
        "launchSite": pattern(SLUG, nullable=True),
        "launchPad": text(nullable=True),
        "crew": list_of(PERSON_ROLE),
        "outcomes": list_of(OUTCOME),
        "_launchStart": pattern(FULL_DATE, nullable=True),
        "_launchEnd": pattern(FULL_DATE, nullable=True),
    },
    required=(
        "name",
        "aliases",
        "country",
        "crewed",
        "status",
        "crew",
        "outcomes",
        "_launchStart",
        "_launchEnd",
    ),
    defaults={
        "nativeName": None,
        "aliases": [],
        "program": None,
        "launchDate": None,
        "launchTime": None,
        "landingDate": None,
        "spacecraft": None,
        "launchVehicle": None,
        "launchSite": None,
        "launchPad": None,
        "summary": None,
        "crew": [],
        "outcomes": [],
        "claims": [],
    },
    references={
        "program": "programs",
        "crew[].person": "persons",
        "outcomes[].people[]": "persons",
        "launchSite": "launch_sites",
    },
    date_order=(("launchDate", "landingDate"),),
    times={"launchTime": "launchDate"},
    sort_date="launchDate",
    spans=(Span("_launchStart", "_launchEnd", "launchDate"),),
    indexes=(
        _index("program", "_sortDate", "_id", name="program"),
        _index("crew.person", "_sortDate", name="crew_person"),
        _index("outcomes.people", name="outcome_people"),
        _index("country", "_sortDate", "_id", name="country"),
        _index("launchSite", "_sortDate", "_id", name="launch_site"),
        # `status` and `crewed` have a handful of values: the date order index
        # with a filter serves them better than an index of their own.
        _index("_launchStart", "_launchEnd", name="launch_span"),
    ),
    filters={
        "program": Equals("program"),
        "country": COUNTRY_IS,
        "crewed": Equals("crewed"),
        "status": Equals("status"),
        "crew_member": Equals("crew.person"),
        "launch_site": Equals("launchSite"),
        # A mission known only to the month or year matches a range when its
        # whole span lies inside it.
        "launched_from": From("_launchStart"),
        "launched_to": Until("_launchEnd"),
        "launched": Present("launchDate"),
        "name_contains": NAME_CONTAINS,
    },
)

PERSONS = Collection(
    name="persons",
    singular="person",
    properties={
        **NAMED,
        "country": pattern(COUNTRY, nullable=True),
        "occupations": list_of(text()),
        "birthDate": pattern(PARTIAL_DATE, nullable=True),
        "deathDate": pattern(PARTIAL_DATE, nullable=True),
    },
    required=("name", "aliases", "occupations"),
    defaults={
        "nativeName": None,
        "aliases": [],
        "country": None,
        "occupations": [],
        "birthDate": None,
        "deathDate": None,
        "summary": None,
        "claims": [],
    },
    date_order=(("birthDate", "deathDate"),),
    short_slugs=True,
    sort_date="birthDate",
    indexes=(
        _index("country", "_sortName", "_id", name="country"),
        _index("occupations", "_sortName", name="occupations"),
    ),
    filters={
        "country": COUNTRY_IS,
        "occupation": Equals("occupations", filters.lower),
        "name_contains": NAME_CONTAINS,
    },
)

EVENTS = Collection(
    name="events",
    singular="event",
    properties={
        "title": text(),
        "summary": text(),
        "kind": one_of(EventKind),
        "date": pattern(PARTIAL_DATE),
        "endDate": pattern(PARTIAL_DATE, nullable=True),
        "people": list_of(pattern(SLUG)),
        "programs": list_of(pattern(SLUG)),
        "missions": list_of(pattern(SLUG)),
        "_dateStart": pattern(FULL_DATE),
        "_dateEnd": pattern(FULL_DATE),
    },
    required=(
        "title",
        "kind",
        "date",
        "summary",
        "people",
        "programs",
        "missions",
        "_dateStart",
        "_dateEnd",
    ),
    defaults={"endDate": None, "people": [], "programs": [], "missions": [], "claims": []},
    references={"people[]": "persons", "programs[]": "programs", "missions[]": "missions"},
    date_order=(("date", "endDate"),),
    names=("title",),
    sort_date="date",
    spans=(Span("_dateStart", "_dateEnd", "date", until="endDate"),),
    indexes=(
        _index("kind", "_sortDate", "_id", name="kind"),
        _index("_dateStart", "_dateEnd", name="date_span"),
        _index("people", name="people"),
        _index("programs", name="programs"),
        _index("missions", name="missions"),
    ),
    filters={
        "kind": Equals("kind"),
        # An event spanning several days matches every range it overlaps.
        "from_date": From("_dateEnd"),
        "to_date": Until("_dateStart"),
        "person": Equals("people"),
        "program": Equals("programs"),
    },
)

LAUNCH_SITES = Collection(
    name="launch_sites",
    singular="launch site",
    properties={
        **NAMED,
        "country": pattern(COUNTRY),
        "latitude": {"bsonType": ["double", "int", "null"], "minimum": -90, "maximum": 90},
        "longitude": {"bsonType": ["double", "int", "null"], "minimum": -180, "maximum": 180},
        # Every name it has borne, oldest first; `to` is exclusive.
        "names": list_of(DATED_NAME, min_items=1),
    },
    required=("name", "aliases", "country", "names"),
    defaults={
        "nativeName": None,
        "aliases": [],
        "latitude": None,
        "longitude": None,
        "names": [],
        "summary": None,
        "claims": [],
    },
    timelines=("names",),
    names=("name", "nativeName", "aliases[]", "names[].name"),
    sort_date="names[0].from",
    filters={"country": COUNTRY_IS, "name_contains": NAME_CONTAINS},
)


HOURS = {"bsonType": ["double", "int", "null"], "minimum": 0}
SEAT_HOURS = record(
    ["person", "flightHours", "evaHours"],
    {"person": pattern(SLUG), "flightHours": HOURS, "evaHours": HOURS},
)

MISSION_HOURS = Collection(
    name="mission_hours",
    singular="mission's hours",
    properties={"seats": list_of(SEAT_HOURS)},
    required=("seats",),
    defaults={"seats": [], "claims": []},
    # `_id` is the mission's slug. The hours of each crew seat, and the claims
    # where the dataset and the curated data disagree about the mission (crew,
    # year, hours, EVA durations): `Mission.claims` shows them beside the
    # mission's own, `CrewMember.flightHours`/`evaHours` read the seats.
    references={"slug": "missions", "seats[].person": "persons"},
    names=(),
    searchable=False,
    source=ASTRONAUT_DATABASE,
    lookups=False,
)

PERSON_HOURS = Collection(
    name="person_hours",
    singular="person's career hours",
    properties={"careerHours": HOURS},
    required=("careerHours",),
    defaults={"careerHours": None, "claims": []},
    # `_id` is the person's slug: `Person.careerHours`, and the claims where the
    # dataset disagrees with the curated person (year of birth), beside theirs.
    references={"slug": "persons"},
    names=(),
    searchable=False,
    source=ASTRONAUT_DATABASE,
    lookups=False,
)


KINDS: tuple[Collection, ...] = (
    PROGRAMS,
    MISSIONS,
    PERSONS,
    EVENTS,
    LAUNCH_SITES,
    MISSION_HOURS,
    PERSON_HOURS,
)
"""Every collection, in the order loads read and write them."""
BY_NAME: dict[str, Collection] = {kind.name: kind for kind in KINDS}


def of_sources(sources: set[str] | frozenset[str]) -> list[str]:
    """The collections the given sources write, in load order."""
    return [kind.name for kind in KINDS if kind.source in sources]


def _schema(kind: Collection) -> Schema:
    common = (
        COMMON if kind.lookups else {k: COMMON[k] for k in ("_id", "claims", "sources", "_hash")}
    )
    properties = {**common, **kind.properties}
    spans = [name for span in kind.spans for name in (span.start, span.end)]
    derived = DERIVED if kind.lookups else ["_hash"]
    required = ["_id", *kind.required, "claims", "sources", *derived]
    return record(list(dict.fromkeys([*required, *spans])), properties)


_RULES = {kind.name: Rules(_schema(kind)) for kind in KINDS}
