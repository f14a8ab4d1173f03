"""The indexes behind every query the public contract implies."""

from __future__ import annotations

from pymongo import ASCENDING, IndexModel

INDEXES: dict[str, list[IndexModel]] = {
    "programs": [
        IndexModel([("_slugs", ASCENDING)], name="slugs"),
        IndexModel([("country", ASCENDING), ("name", ASCENDING)], name="country_name"),
        IndexModel([("name", ASCENDING), ("_id", ASCENDING)], name="name"),
        IndexModel([("_search", ASCENDING)], name="search"),
    ],
    "missions": [
        IndexModel([("_slugs", ASCENDING)], name="slugs"),
        IndexModel(
            [("program", ASCENDING), ("_launchStart", ASCENDING), ("_id", ASCENDING)],
            name="program_launch",
        ),
        IndexModel([("_launchStart", ASCENDING), ("_id", ASCENDING)], name="launch"),
        IndexModel([("name", ASCENDING), ("_id", ASCENDING)], name="name"),
        IndexModel([("crew.person", ASCENDING)], name="crew_person"),
        IndexModel([("outcomes.people", ASCENDING)], name="outcome_people"),
        IndexModel([("country", ASCENDING), ("_launchStart", ASCENDING)], name="country_launch"),
        IndexModel([("status", ASCENDING)], name="status"),
        IndexModel([("crewed", ASCENDING), ("_launchStart", ASCENDING)], name="crewed_launch"),
        IndexModel([("_search", ASCENDING)], name="search"),
    ],
    "persons": [
        IndexModel([("_slugs", ASCENDING)], name="slugs"),
        IndexModel([("name", ASCENDING), ("_id", ASCENDING)], name="name"),
        IndexModel([("country", ASCENDING), ("name", ASCENDING)], name="country_name"),
        IndexModel([("occupations", ASCENDING)], name="occupations"),
        IndexModel([("_search", ASCENDING)], name="search"),
    ],
    "events": [
        IndexModel([("_slugs", ASCENDING)], name="slugs"),
        IndexModel([("_dateStart", ASCENDING), ("_id", ASCENDING)], name="date"),
        IndexModel([("kind", ASCENDING), ("_dateStart", ASCENDING)], name="kind_date"),
        IndexModel([("people", ASCENDING)], name="people"),
        IndexModel([("programs", ASCENDING)], name="programs"),
        IndexModel([("missions", ASCENDING)], name="missions"),
        IndexModel([("_search", ASCENDING)], name="search"),
    ],
}

COLLECTIONS = tuple(INDEXES)
