"""The Starlette application: GraphQL, health and readiness, and the store's lifespan."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

from spacerace.api.disconnect import CancelOnDisconnect
from spacerace.api.graphql import GraphQLEndpoint, graphiql_page
from spacerace.api.limits import BodyLimit
from spacerace.loaders.pipeline import load
from spacerace.schema import schema
from spacerace.schema.gate import Gate, GateSettings
from spacerace.store.aio import AsyncStore, EmbeddedStore, ServerStore
from spacerace.store.connection import StoreUnavailable, connect
from spacerace.store.dataset import DatasetWatch
from spacerace.store.reads import Reader
from spacerace.store.settings import Settings

log = logging.getLogger("spacerace.api")
GC_THRESHOLDS = (10_000, 50, 100)
GRAPHIQL_QUERY = Path(__file__).resolve().parent.parent / "docs" / "queries" / "voskhod-2.graphql"


def tune_gc() -> None:
    """Collect garbage less often. A large answer allocates hundreds of thousands of
    short-lived objects, and with the default thresholds (700, 10, 10) the cyclic
    collector rescans them over and over: measured on the 10,000-mission tree, the
    GraphQL layer took 431 ms with the defaults and 201 ms with these. Objects alive
    at start-up (modules, the embedded data) are frozen out of every collection."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def open_store(settings: Settings) -> AsyncStore:
    """The real server if MONGODB_URI is set, else mongomock loaded with the seeds."""
    if settings.embedded:
        db = connect(settings)
        load(db, [str(settings.seeds_path)])
        return EmbeddedStore(db)
    return ServerStore.open(settings)


def create_app(
    settings: Settings | None = None, gate_settings: GateSettings | None = None
) -> Starlette:
    settings = settings or Settings.from_env()
    gate_settings = gate_settings or GateSettings.from_env()
    gate = Gate(schema._schema, gate_settings)
    holder: dict[str, Any] = {}

    def store() -> AsyncStore:
        store: AsyncStore = holder["store"]
        return store

    def reader() -> Reader:
        watch: DatasetWatch = holder["watch"]
        return Reader(store(), watch.current)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        holder["store"] = open_store(settings)
        holder["watch"] = watch = DatasetWatch(holder["store"])
        await watch.start()
        tune_gc()
        try:
            yield
        finally:
            await watch.stop()
            await holder.pop("store").close()

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        # The driver gives up after timeout_ms with a reason naming the server;
        # the outer bound only guards against a ping that never returns.
        try:
            await asyncio.wait_for(store().ping(), timeout=settings.timeout_ms / 1000 + 1)
        except TimeoutError:
            reason = f"no answer from the database within {settings.timeout_ms + 1000} ms"
            return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
        except StoreUnavailable as error:  # its message names no host
            return JSONResponse({"status": "unavailable", "reason": str(error)}, status_code=503)
        except Exception as error:  # any failure means not ready; details only in the log
            log.warning("readiness check failed", exc_info=error)
            reason = f"the database check failed ({type(error).__name__})"
            return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
        return JSONResponse({"status": "ready"})

    async def home(request: Request) -> RedirectResponse:
        return RedirectResponse("/graphql")

    graphql = GraphQLEndpoint(gate, reader, graphiql_page(GRAPHIQL_QUERY.read_text("utf-8")))
    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/", home),
        ],
        lifespan=lifespan,
        middleware=[
            Middleware(BodyLimit, max_bytes=gate_settings.limits.max_body_bytes),
            Middleware(CancelOnDisconnect),
        ],
    )
