"""LaunchSite: a cosmodrome, range or launch complex, and the names it bore over time."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from spacerace.schema import fields
from spacerace.schema.arguments import PAGE, SLUG
from spacerace.schema.common import CLAIMS, Claim, Connection, Node, Source
from spacerace.schema.fields import Arg, Filters, entity, value
from spacerace.schema.mission import Mission, missions_pointing_here
from spacerace.schema.scalars import PartialDate
from spacerace.store.dates import span
from spacerace.store.layout import LAUNCH_SITES
from spacerace.store.paging import BY_NAME


@strawberry.type(
    description="A name something bore for a span of time, e.g. Cape Kennedy from 1963 to 1973."
)
@value()
class DatedName:
    name: str = fields.key("name", "The name.")
    from_: PartialDate | None = fields.key(
        "from", "When it began to bear the name; null where not known.", name="from"
    )
    to: PartialDate | None = fields.key("to", "Exclusive; null while the name is still in use.")
    sources: list[Source] = fields.embedded("sources", "Where the name and its dates come from.")


def name_on(doc: dict[str, Any], date: str) -> str | None:
    """The name borne on `date`; for a month or a year, on its first day."""
    day = span(date)[0]
    for entry in doc["names"]:
        began = entry.get("from") is None or span(entry["from"])[0] <= day
        ended = entry.get("to") is not None and span(entry["to"])[0] <= day
        if began and not ended:
            return str(entry["name"])
    return None


@strawberry.type(description="A launch site: a cosmodrome, range or launch complex.")
@entity(LAUNCH_SITES)
class LaunchSite(Node):
    slug: str = fields.slug('Its stable key, e.g. "baikonur" or "cape-canaveral".')
    name: str = fields.key("name", "Its best-known name.")
    native_name: str | None = fields.key("nativeName", "Its name in its own script.")
    aliases: list[str] = fields.key("aliases", "Other names it is known by.")
    name_on: str | None = fields.computed(
        name_on,
        "The name it bore on that date; for a month or a year, the name it bore when that "
        "period began. Null before its first known name.",
        reads=["names"],
        args=[
            Arg(
                "date",
                Annotated[
                    PartialDate,
                    strawberry.argument(description='A date, e.g. "1965" or "1969-07-16".'),
                ],
            )
        ],
    )
    names: list[DatedName] = fields.embedded("names", "Every name it has borne, oldest first.")
    country: str = fields.key(
        "country",
        'ISO 3166-1 alpha-2 code of the country that ran it then; "SU" for the Soviet Union.',
    )
    latitude: float | None = fields.key("latitude", "Decimal degrees, north positive.")
    longitude: float | None = fields.key("longitude", "Decimal degrees, east positive.")
    summary: str | None = fields.key("summary", "What it is and what flew from it, in brief.")
    missions: Connection[Mission] = missions_pointing_here(
        "The missions launched (or to be launched) from here, filtered and ordered, a page "
        "at a time.",
        via="launchSite",
    )
    claims: list[Claim] = fields.embedded("claims", CLAIMS)
    sources: list[Source] = fields.embedded("sources", "Where its facts come from.")


@strawberry.input(description="Conditions a launch site must meet; all given ones apply.")
class LaunchSiteFilter:
    country: str | None = strawberry.field(
        default=None, description='ISO 3166-1 alpha-2 code, e.g. "SU" or "US".'
    )
    name_contains: str | None = strawberry.field(
        default=None,
        description="Part of any name it has borne; case-, accent- and script-insensitive.",
    )


@strawberry.type
class LaunchSiteQuery:
    launch_site: LaunchSite | None = fields.lookup(
        "A launch site by its slug or the slug of any name it has borne (cape-kennedy).",
        args=[SLUG],
    )
    launch_sites: Connection[LaunchSite] = fields.listing(
        "Launch sites, by name, a page at a time.",
        args=[
            *PAGE,
            Filters(
                "filter",
                Annotated[
                    LaunchSiteFilter | None,
                    strawberry.argument(description="Only launch sites that match."),
                ],
                input_type=LaunchSiteFilter,
            ),
        ],
        order=BY_NAME,
    )
