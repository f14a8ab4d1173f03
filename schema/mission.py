"""Mission: one flight, crewed or not, or one that never flew."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from spacerace.schema import fields
from spacerace.schema.arguments import PAGE, SLUG
from spacerace.schema.common import CLAIMS, Claim, Connection, Node, Source
from spacerace.schema.crew import CrewMember
from spacerace.schema.enums import MISSION_ORDERS, MissionOrder, MissionStatus, OutcomeKind
from spacerace.schema.fields import Filters, ItemMatch, Ordering, entity
from spacerace.schema.outcome import Outcome
from spacerace.schema.scalars import PartialDate
from spacerace.store.layout import MISSION_HOURS, MISSIONS
from spacerace.store.paging import BY_DATE

if TYPE_CHECKING:
    from spacerace.schema.launch_site import LaunchSite
    from spacerace.schema.program import Program


@strawberry.type(
    description="A space flight of the era, crewed or not, or one that was planned and never flew."
)
@entity(MISSIONS)
class Mission(Node):
    slug: str = fields.slug('Its stable key, e.g. "voskhod-2".')
    name: str = fields.key("name", "Its common English name.")
    native_name: str | None = fields.key("nativeName", "Its name in its own script, e.g. Восход-2.")
    aliases: list[str] = fields.key(
        "aliases", "Other names the mission is known by, e.g. MA-6 for Friendship 7."
    )
    program: Annotated[Program, strawberry.lazy("spacerace.schema.program")] | None = (
        fields.reference("program", "The program it belonged to.")
    )
    country: str = fields.key(
        "country",
        'ISO 3166-1 alpha-2 code of the country that flew it; "SU" for the Soviet Union.',
    )
    crewed: bool = fields.key("crewed", "Whether it carried (or was to carry) a crew.")
    status: MissionStatus = fields.key("status", "How it went.")
    launch_date: PartialDate | None = fields.key(
        "launchDate", "When it launched, as precisely as known."
    )
    launch_time: datetime | None = fields.key(
        "launchTime", "UTC launch time, where known to the minute."
    )
    landing_date: PartialDate | None = fields.key(
        "landingDate", "When it landed or ended, as precisely as known."
    )
    spacecraft: str | None = fields.key("spacecraft", "The spacecraft it flew.")
    launch_vehicle: str | None = fields.key("launchVehicle", "The rocket that launched it.")
    launch_site: Annotated[LaunchSite, strawberry.lazy("spacerace.schema.launch_site")] | None = (
        fields.reference(
            "launchSite",
            "Where it was launched from; for a mission that never flew, where it was to be "
            "launched from.",
        )
    )
    launch_pad: str | None = fields.key(
        "launchPad",
        'The pad or launch complex it left from, as its sources name it, e.g. "Site 1/5" or '
        '"LC-39A".',
    )
    summary: str | None = fields.key("summary", "What it was and did, in brief.")
    crew: list[CrewMember] = fields.embedded(
        "crew",
        "Who launched aboard this mission's spacecraft, in crew order. Crew who moved between "
        "craft in flight appear on the mission they launched on; the move is an outcome.",
    )
    outcomes: list[Outcome] = fields.embedded(
        "outcomes",
        "What it achieved or suffered, optionally of one kind only.",
        args=[
            ItemMatch(
                "kind",
                Annotated[
                    OutcomeKind | None,
                    strawberry.argument(description="Only outcomes of this kind."),
                ],
                item_key="kind",
            )
        ],
    )
    claims: list[Claim] = fields.related(
        MISSION_HOURS,
        "claims",
        CLAIMS + " The curated record's own come first, then those where the Astronaut "
        "database disagrees with it about this mission (crew, launch year, a seat's "
        "flight hours or EVA duration), each value with its sources.",
        own="claims",
    )
    sources: list[Source] = fields.embedded("sources", "Where its facts come from.")


@strawberry.input(description="Conditions a mission must meet; all given ones apply.")
class MissionFilter:
    program: str | None = strawberry.field(default=None, description="Program slug.")
    country: str | None = strawberry.field(
        default=None, description='ISO 3166-1 alpha-2 code, e.g. "SU" or "US".'
    )
    crewed: bool | None = strawberry.field(default=None, description="Crewed or not.")
    status: MissionStatus | None = strawberry.field(default=None, description="How it went.")
    crew_member: str | None = strawberry.field(
        default=None, description="Person slug: missions with this person in the crew."
    )
    launch_site: str | None = strawberry.field(
        default=None, description="Launch-site slug: missions launched (or to be) from there."
    )
    launched_from: PartialDate | None = strawberry.field(
        default=None,
        description="Launched on or after the start of this date. A mission known only to the "
        "month or year matches when its whole span lies inside the range.",
    )
    launched_to: PartialDate | None = strawberry.field(
        default=None, description="Launched on or before the end of this date."
    )
    name_contains: str | None = strawberry.field(
        default=None, description="Part of its name or an alias; case- and accent-insensitive."
    )


MISSION_LIST = (
    *PAGE,
    Filters(
        "filter",
        Annotated[
            MissionFilter | None, strawberry.argument(description="Only missions that match.")
        ],
        input_type=MissionFilter,
    ),
    Ordering(
        "order_by",
        Annotated[
            MissionOrder | None,
            strawberry.argument(description="The order of the list; default LAUNCH_DATE_ASC."),
        ],
        orders=MISSION_ORDERS,
    ),
)
"""The arguments of every list of missions."""


def missions_pointing_here(description: str, *, via: str) -> Any:
    """The page of missions whose `via` names this object, with the arguments and
    order of every list of missions."""
    return fields.relation(description, via=via, args=MISSION_LIST, order=BY_DATE)


@strawberry.type
class MissionQuery:
    mission: Mission | None = fields.lookup(
        "A mission by its slug or the slug of one of its other names.", args=[SLUG]
    )
    missions: Connection[Mission] = fields.listing(
        "Missions, filtered and ordered, a page at a time.", args=MISSION_LIST, order=BY_DATE
    )
