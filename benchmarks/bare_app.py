"""The app under load: the real API, plus a bare Starlette endpoint that does the
same lookup with the same driver and JSON encoder, for comparison.

Run as `uvicorn benchmarks.bare_app:app` with MONGODB_URI set.
"""

from __future__ import annotations

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from spacerace.api.app import create_app
from spacerace.store.aio import ServerStore
from spacerace.store.generations import physical_names
from spacerace.store.settings import Settings

settings = Settings.from_env()
app = create_app(settings)
_bare: dict[str, ServerStore] = {}
_names: dict[str, str] = {}
"""Where the dataset's collections are (the pointer, read once, as the API's watch
keeps it in memory)."""


async def bare_mission(request: Request) -> Response:
    """The same answer as `mission(slug:) { name crew { role person { name } } }`."""
    store = _bare.get("store")
    if store is None:
        store = _bare["store"] = ServerStore.open(settings)
    slug = request.query_params["slug"]
    db = store.db
    if not _names:
        _names.update(physical_names(await store.dataset()))
    missions, persons = db[_names["missions"]], db[_names["persons"]]
    mission = await missions.find_one({"_slugs": slug}, {"name": 1, "crew": 1})
    answer = None
    if mission is not None:
        ids = [seat["person"] for seat in mission["crew"]]
        people = {p["_id"]: p async for p in persons.find({"_id": {"$in": ids}}, {"name": 1})}
        answer = {
            "name": mission["name"],
            "crew": [
                {"role": seat["role"], "person": {"name": people[seat["person"]]["name"]}}
                for seat in mission["crew"]
            ],
        }
    return Response(orjson.dumps({"data": {"mission": answer}}), media_type="application/json")


app.router.routes.append(Route("/bare/mission", bare_mission))
