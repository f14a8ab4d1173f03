"""The indexes behind every query the public contract implies."""

from __future__ import annotations

from pymongo import ASCENDING, IndexModel


def _index(*fields: str, name: str) -> IndexModel:
    return IndexModel([(field, ASCENDING) for field in fields], name=name)


def _common() -> list[IndexModel]:
    """Lookups every collection answers: by any slug, and pages in either order.

    `nameContains` and `search` match anywhere inside folded names and summaries
    (unanchored patterns), which no B-tree index can seek; they scan.
    """
    return [
        _index("_slugs", name="slugs"),
        _index("_sortDate", "_id", name="date_order"),
        _index("_sortName", "_id", name="name_order"),
    ]


INDEXES: dict[str, list[IndexModel]] = {
    "programs": [*_common(), _index("country", "_sortDate", "_id", name="country")],
    "missions": [
        *_common(),
        _index("program", "_sortDate", "_id", name="program"),
        _index("crew.person", "_sortDate", name="crew_person"),
        _index("outcomes.people", name="outcome_people"),
        _index("country", "_sortDate", "_id", name="country"),
        _index("launchSite", "_sortDate", "_id", name="launch_site"),
        # `status` and `crewed` have a handful of values: the date order index
        # with a filter serves them better than an index of their own.
        _index("_launchStart", "_launchEnd", name="launch_span"),
    ],
    "persons": [
        *_common(),
        _index("country", "_sortName", "_id", name="country"),
        _index("occupations", "_sortName", name="occupations"),
    ],
    "events": [
        *_common(),
        _index("kind", "_sortDate", "_id", name="kind"),
        _index("_dateStart", "_dateEnd", name="date_span"),
        _index("people", name="people"),
        _index("programs", name="programs"),
        _index("missions", name="missions"),
    ],
    "launch_sites": _common(),
}

COLLECTIONS = tuple(INDEXES)
