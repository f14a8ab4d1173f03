"""The Starlette application: GraphQL, health and readiness, metrics, and the store's
lifespan, inside the middleware that gives every request an id, an access line and
its metrics (`api/observe.py`)."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

from spacerace.api import graphiql, logs
from spacerace.api.graphql import GraphQLEndpoint
from spacerace.api.metrics import Metrics, MetricsEndpoint
from spacerace.api.observe import Observe, ObserveSettings
from spacerace.api.tracing import Tracing
from spacerace.loaders.pipeline import load
from spacerace.schema import schema
from spacerace.schema.gate import Gate, GateSettings
from spacerace.store.aio import AsyncStore, EmbeddedStore, ServerStore
from spacerace.store.connection import connect
from spacerace.store.dataset import DatasetWatch
from spacerace.store.monitor import CommandMonitor, CommandObserver, MonitoredStore
from spacerace.store.reads import Reader
from spacerace.store.settings import Settings

GC_THRESHOLDS = (10_000, 50, 100)


def tune_gc() -> None:
    """Collect garbage less often. A large answer allocates hundreds of thousands of
    short-lived objects, and with the default thresholds (700, 10, 10) the cyclic
    collector rescans them over and over: measured on the 10,000-mission tree, the
    GraphQL layer took 431 ms with the defaults and 201 ms with these. Objects alive
    at start-up (modules, the embedded data) are frozen out of every collection."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def open_store(settings: Settings, observers: Sequence[CommandObserver] = ()) -> AsyncStore:
    """The real server if MONGODB_URI is set, else mongomock loaded with the seeds;
    each database command told to `observers` (metrics, tracing)."""
    if settings.embedded:
        db = connect(settings)
        load(db, [str(settings.seeds_path)])
        embedded = EmbeddedStore(db)
        return MonitoredStore(embedded, observers) if observers else embedded
    if observers:
        return ServerStore.open(settings, event_listeners=[CommandMonitor(observers)])
    return ServerStore.open(settings)


def create_app(
    settings: Settings | None = None,
    gate_settings: GateSettings | None = None,
    observe: ObserveSettings | None = None,
    *,
    tracing: Tracing | None = None,
) -> Starlette:
    """The app. `tracing`, when given, is used whatever SPACERACE_TRACING says."""
    settings = settings or Settings.from_env()
    gate = Gate(schema._schema, gate_settings or GateSettings.from_env())
    observe = observe or ObserveSettings.from_env()
    logs.ensure_configured(observe.log_format)
    metrics = Metrics(observe.max_operations, observe.multiprocess_dir) if observe.metrics else None
    if tracing is None and observe.tracing != "off":
        tracing = Tracing(observe.tracing)
    observers: list[CommandObserver] = [o for o in (metrics, tracing) if o is not None]
    holder: dict[str, Any] = {}

    def store() -> AsyncStore:
        store: AsyncStore = holder["store"]
        return store

    def reader() -> Reader:
        watch: DatasetWatch = holder["watch"]
        return Reader(store(), watch.current)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        holder["store"] = open_store(settings, observers)
        holder["watch"] = watch = DatasetWatch(holder["store"])
        await watch.start()
        tune_gc()
        try:
            yield
        finally:
            await watch.stop()
            await holder.pop("store").close()
            if tracing is not None:
                tracing.shutdown()

    def dataset_version() -> str | None:
        watch: DatasetWatch | None = holder.get("watch")
        return watch.current.version if watch is not None else None

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
        except Exception as error:  # any failure means not ready; say why
            reason = str(error) or type(error).__name__
            return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
        return JSONResponse({"status": "ready"})

    async def home(request: Request) -> RedirectResponse:
        return RedirectResponse("/graphql")

    graphql = GraphQLEndpoint(gate, reader)
    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            graphiql.route,
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", MetricsEndpoint(metrics, dataset_version)),
            Route("/", home),
        ],
        # First, so that it sees (and times) every answer, those of other middleware too.
        middleware=[
            Middleware(Observe, metrics=metrics, access=observe.access_log, tracer=tracing)
        ],
        lifespan=lifespan,
    )
