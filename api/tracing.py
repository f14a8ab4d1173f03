"""Optional OpenTelemetry tracing (the `otel` extra), off unless SPACERACE_TRACING
says where spans go:

- `otlp`: to an OpenTelemetry collector over OTLP/HTTP, configured by the
  standard variables (OTEL_EXPORTER_OTLP_ENDPOINT, default
  http://localhost:4318; OTEL_EXPORTER_OTLP_HEADERS; ...);
- `console`: printed to stdout, one JSON object a span, to try it out.

Each request gets a server span (`POST /graphql`) that continues the caller's
trace when it sends a W3C `traceparent` header; under it, the GraphQL execution
(`query MissionCrew`), and under that each database command (`find missions`).
The service is named by OTEL_SERVICE_NAME (default `spacerace`).

Nothing here imports OpenTelemetry until tracing is on, so the extra stays optional.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from importlib.util import find_spec
from typing import Any

from starlette.types import Scope

from spacerace.store.monitor import CommandObserver

MODES = ("off", "otlp", "console")
ROUTES = frozenset({"/graphql", "/metrics", "/healthz", "/readyz", "/"})
"""Paths that name a span as they are; any other is named by its method alone, so
span names stay few (a 404 for every made-up path would otherwise be one each)."""

_NEEDS = {
    "otlp": ("opentelemetry.sdk", "opentelemetry.exporter.otlp.proto.http"),
    "console": ("opentelemetry.sdk",),
}


def missing_packages(mode: str) -> list[str]:
    """The modules tracing in `mode` needs that are not installed."""
    return [name for name in _NEEDS.get(mode, ()) if not _importable(name)]


def _importable(name: str) -> bool:
    try:
        return find_spec(name) is not None
    except ModuleNotFoundError:
        return False


class Tracing(CommandObserver):
    """Spans for requests, executions and database commands, through one tracer
    provider (made here from the mode, or given, as tests do)."""

    def __init__(self, mode: str = "otlp", provider: Any = None) -> None:
        from opentelemetry import context, trace
        from opentelemetry.trace import SpanKind, Status, StatusCode
        from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

        self._context = context
        self._trace = trace
        self._kind = SpanKind
        self._status = Status
        self._code = StatusCode
        self._propagator = TraceContextTextMapPropagator()
        self.provider = provider if provider is not None else _provider(mode)
        self.owned = provider is None
        self.tracer = self.provider.get_tracer("spacerace")

    # -- the request (api/observe.py) ----------------------------------------------

    def start_request(self, scope: Scope, request_id: str) -> tuple[Any, Any]:
        """The request's span, made current; what `end_request` needs back."""
        carrier = {
            name.decode("latin-1"): value.decode("latin-1")
            for name, value in scope["headers"]
            if name in (b"traceparent", b"tracestate")
        }
        parent = self._propagator.extract(carrier) if carrier else None
        method, path = scope["method"], scope["path"]
        span = self.tracer.start_span(
            f"{method} {path}" if path in ROUTES else method,
            context=parent,
            kind=self._kind.SERVER,
            attributes={
                "http.request.method": method,
                "url.path": path,
                "url.scheme": scope.get("scheme", "http"),
                "spacerace.request_id": request_id,
            },
        )
        token = self._context.attach(self._trace.set_span_in_context(span))
        return span, token

    def end_request(
        self, started: tuple[Any, Any], status: int, operation: str | None, outcome: str | None
    ) -> None:
        span, token = started
        span.set_attribute("http.response.status_code", status)
        if operation is not None:
            span.set_attribute("graphql.operation.name", operation)
        if outcome is not None:
            span.set_attribute("spacerace.outcome", outcome)
        if status >= 500:
            span.set_status(self._status(self._code.ERROR))
        span.end()
        self._context.detach(token)

    def start_execution(self) -> tuple[Any, Any]:
        span = self.tracer.start_span("graphql", kind=self._kind.INTERNAL)
        token = self._context.attach(self._trace.set_span_in_context(span))
        return span, token

    def end_execution(
        self,
        started: tuple[Any, Any],
        operation: str | None,
        executor: str | None,
        codes: Iterable[str],
        cost: Any,
    ) -> None:
        span, token = started
        span.update_name(f"query {operation}" if operation else "query")
        span.set_attribute("graphql.operation.type", "query")
        if operation:
            span.set_attribute("graphql.operation.name", operation)
        if executor:
            span.set_attribute("spacerace.executor", executor)
        if isinstance(cost, dict) and isinstance(cost.get("estimate"), int):
            span.set_attribute("spacerace.cost", cost["estimate"])
        codes = sorted(set(codes))
        if codes:
            span.set_attribute("graphql.error.codes", codes)
        if {"INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE"} & set(codes):
            span.set_status(self._status(self._code.ERROR))
        span.end()
        self._context.detach(token)

    # -- store.monitor.CommandObserver: each database command -------------------------

    def started(self, command: str, collection: str | None) -> Any:
        # Only under a request: the dataset watch's polling would make a root span
        # of its own every second.
        if not self._trace.get_current_span().get_span_context().is_valid:
            return None
        attributes = {"db.system.name": "mongodb", "db.operation.name": command}
        if collection:
            attributes["db.collection.name"] = collection
        return self.tracer.start_span(
            f"{command} {collection}" if collection else command,
            kind=self._kind.CLIENT,
            attributes=attributes,
        )

    def finished(self, command: str, token: Any, seconds: float, failure: str | None) -> None:
        if token is None:
            return
        if failure is not None:
            token.set_status(self._status(self._code.ERROR, failure))
        token.end()

    def shutdown(self) -> None:
        """Send the spans still buffered (the provider this made, not a given one)."""
        if self.owned:
            self.provider.shutdown()


def _provider(mode: str) -> Any:
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import (
        BatchSpanProcessor,
        ConsoleSpanExporter,
        SimpleSpanProcessor,
    )

    attributes = {} if os.environ.get("OTEL_SERVICE_NAME") else {"service.name": "spacerace"}
    provider = TracerProvider(resource=Resource.create(attributes))
    if mode == "console":
        provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    return provider
