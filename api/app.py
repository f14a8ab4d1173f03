"""The Starlette application: GraphQL, the SDL, health and readiness, metrics, and
the store's lifespan, inside the middleware that gives every request an id, an access
line and its metrics (`api/observe.py`), then CORS, the body limit and the
disconnect watch."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from spacerace.api import graphiql, logs
from spacerace.api.cors import CORSMiddleware
from spacerace.api.disconnect import CancelOnDisconnect
from spacerace.api.graphql import GraphQLEndpoint
from spacerace.api.limits import BodyLimit
from spacerace.api.metrics import Metrics, MetricsEndpoint
from spacerace.api.observe import Observe, ObserveSettings
from spacerace.api.responses import error_response
from spacerace.api.sdl import SDLEndpoint
from spacerace.api.settings import HTTPSettings
from spacerace.api.tracing import Tracing
from spacerace.loaders.pipeline import load
from spacerace.schema import errors, schema
from spacerace.schema.gate import Gate, GateSettings
from spacerace.schema.protocols import Protocols, ProtocolSettings
from spacerace.store.aio import AsyncStore, EmbeddedStore, ServerStore
from spacerace.store.connection import StoreUnavailable, connect
from spacerace.store.dataset import DatasetWatch
from spacerace.store.monitor import CommandMonitor, CommandObserver, MonitoredStore
from spacerace.store.reads import Reader
from spacerace.store.settings import Settings

log = logging.getLogger("spacerace.api")
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
    *,
    http_settings: HTTPSettings | None = None,
    protocol_settings: ProtocolSettings | None = None,
    observe: ObserveSettings | None = None,
    tracing: Tracing | None = None,
) -> Starlette:
    """The app. `tracing`, when given, is used whatever SPACERACE_TRACING says."""
    settings = settings or Settings.from_env()
    http_settings = http_settings or HTTPSettings.from_env()
    gate_settings = gate_settings or GateSettings.from_env()
    protocols = Protocols(protocol_settings or ProtocolSettings.from_env())
    gate = Gate(schema._schema, gate_settings, protocols)
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
        # A load elsewhere changes the version: the answer cache drops the old answers
        # within the watch's interval (answers are keyed by version anyway).
        watch.listeners.append(lambda snapshot: protocols.answers.observe(snapshot.version))
        await watch.start()
        app.state.store, app.state.watch = holder["store"], watch
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
        except StoreUnavailable as error:  # its message names no host
            return JSONResponse({"status": "unavailable", "reason": str(error)}, status_code=503)
        except Exception as error:  # any failure means not ready; details only in the log
            log.warning("readiness check failed", exc_info=error)
            reason = f"the database check failed ({type(error).__name__})"
            return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
        return JSONResponse({"status": "ready"})

    async def home(request: Request) -> RedirectResponse:
        return RedirectResponse("/graphql")

    graphql = GraphQLEndpoint(gate, reader, http_settings)
    app = Starlette(
        routes=[
            # Every method reaches the endpoint: it answers OPTIONS and HEAD, and
            # refuses the others with a GraphQL JSON error and `Allow`.
            Route("/graphql", graphql),
            graphiql.route,
            Route("/schema.graphql", SDLEndpoint(schema.as_str() + "\n", http_settings)),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", MetricsEndpoint(metrics, dataset_version)),
            Route("/", home),
        ],
        middleware=[
            # First, so that it sees (and times) every answer, those of the other
            # middleware too.
            Middleware(Observe, metrics=metrics, access=observe.access_log, tracer=tracing),
            Middleware(CORSMiddleware, settings=http_settings),
            Middleware(BodyLimit, max_bytes=gate_settings.limits.max_body_bytes),
            Middleware(CancelOnDisconnect),
        ],
        exception_handlers={HTTPException: http_error, Exception: internal_error},
        lifespan=lifespan,
    )
    app.state.gate = gate
    return app


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (no such URL, a method a route does not take) as
    GraphQL JSON errors, like every other failure."""
    assert isinstance(exc, HTTPException)
    code = {404: errors.NOT_FOUND, 405: errors.METHOD_NOT_ALLOWED}.get(
        exc.status_code, errors.BAD_REQUEST
    )
    message = {404: f"Nothing is served at {request.url.path}; GraphQL is at /graphql."}.get(
        exc.status_code, exc.detail
    )
    return error_response(exc.status_code, message, code, headers=dict(exc.headers or {}))


async def internal_error(request: Request, exc: Exception) -> Response:
    return error_response(500, "Internal server error.", errors.INTERNAL_SERVER_ERROR)
