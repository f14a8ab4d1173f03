"""Prometheus metrics, and `GET /metrics` that exposes them.

| metric | labels | |
| --- | --- | --- |
| `spacerace_requests_total` | operation_name, outcome | GraphQL requests answered |
| `spacerace_request_duration_seconds` | operation_name | their time, a histogram |
| `spacerace_executions_total` | operation_name, executor | which executor answered |
| `spacerace_db_command_duration_seconds` | command | database commands and their time |
| `spacerace_db_command_errors_total` | command | the commands that failed |
| `spacerace_dataset_info` | version | 1 for the dataset version being served |
| `spacerace_build_info` | version | 1, with the package's version |

Label values are bounded: operation names are GraphQL names (checked by the
parser) of at most MAX_NAME_LENGTH characters, and only the first
`SPACERACE_METRICS_MAX_OPERATIONS` distinct ones a process sees get a label of
their own; the rest count as `(other)`. A request that never reached an operation
(it did not parse, or named no operation the document has) counts as `(none)`, an
operation without a name as `(anonymous)`. Outcomes, executors and commands are
fixed sets.

With several worker processes, prometheus-client's multiprocess mode is on when
PROMETHEUS_MULTIPROC_DIR is set (`spacerace serve --workers N` sets it): every
process writes its values into files there, and whichever worker answers
`/metrics` reads and sums them all.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

import orjson
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
)
from prometheus_client.exposition import choose_encoder
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send

from spacerace import __version__

log = logging.getLogger("spacerace.metrics")

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
MAX_NAME_LENGTH = 64
ANONYMOUS, NONE, OTHER = "(anonymous)", "(none)", "(other)"
"""Label values no GraphQL name can take (names match [_A-Za-z][_0-9A-Za-z]*)."""
OUTCOMES = ("ok", "client_error", "server_error", "unavailable")
EXECUTORS = frozenset({"compiled", "reference", "cache"})
REQUEST_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
COMMAND_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10)


class OperationNames:
    """The label for an operation name: the name itself for the first `cap` distinct
    names of sane length, a fixed value for the rest."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.known: set[str] = set()

    def label(self, name: str | None, reached: bool) -> str:
        if not reached:
            return NONE
        if name is None:
            return ANONYMOUS
        if name in self.known:
            return name
        if len(name) > MAX_NAME_LENGTH or len(self.known) >= self.cap:
            return OTHER
        self.known.add(name)
        return name


class Metrics:
    """The app's metrics, in a registry of its own (several apps in one process, as in
    tests, do not collide); in multiprocess mode the values live in files."""

    def __init__(self, max_operations: int, multiprocess_dir: str | None = None) -> None:
        # The _created series double the output, and no dashboard needs them.
        disable_created_metrics()  # type: ignore[no-untyped-call]
        self.multiprocess_dir = multiprocess_dir
        self.names = OperationNames(max_operations)
        self.registry = registry = CollectorRegistry()
        if multiprocess_dir is None:
            # Per-process facts; in multiprocess mode each worker's would collide.
            ProcessCollector(registry=registry)
            PlatformCollector(registry=registry)
            GCCollector(registry=registry)
        self.requests = Counter(
            "spacerace_requests",
            "GraphQL requests answered, by operation and outcome (ok, client_error, "
            "server_error, unavailable).",
            ["operation_name", "outcome"],
            registry=registry,
        )
        self.duration = Histogram(
            "spacerace_request_duration_seconds",
            "Time to answer a GraphQL request, from its first byte in to its last byte out.",
            ["operation_name"],
            buckets=REQUEST_BUCKETS,
            registry=registry,
        )
        self.executions = Counter(
            "spacerace_executions",
            "GraphQL operations answered, by what answered: the compiled executor, graphql-core "
            "(reference) or the answer cache (cache).",
            ["operation_name", "executor"],
            registry=registry,
        )
        self.command_duration = Histogram(
            "spacerace_db_command_duration_seconds",
            "Database commands sent (_count) and the time they took, as the driver measured "
            "it (the embedded store: the call), by command name.",
            ["command"],
            buckets=COMMAND_BUCKETS,
            registry=registry,
        )
        # Failures apart: one counter fewer to write for every command (in multiprocess
        # mode each write is a write into a memory-mapped file).
        self.command_errors = Counter(
            "spacerace_db_command_errors",
            "Database commands that failed, by command name.",
            ["command"],
            registry=registry,
        )
        self.dataset = Gauge(
            "spacerace_dataset_info",
            "1 for the version of the dataset being served (0 for one served before).",
            ["version"],
            multiprocess_mode="mostrecent",
            registry=registry,
        )
        build = Gauge(
            "spacerace_build_info",
            "1, labelled with the version of the spacerace package.",
            ["version"],
            multiprocess_mode="max",
            registry=registry,
        )
        build.labels(__version__).set(1)
        self._request_children: dict[tuple[str, str], Any] = {}
        self._duration_children: dict[str, Any] = {}
        self._execution_children: dict[tuple[str, str], Any] = {}
        self._command_duration_children: dict[str, Any] = {}
        self._dataset_version: str | None = None

    # -- recording ---------------------------------------------------------------

    def request(self, operation: str, outcome: str, seconds: float, executor: str | None) -> None:
        """One GraphQL request; `operation` is already a label (see `OperationNames`)."""
        key = (operation, outcome)
        counter = self._request_children.get(key)
        if counter is None:
            counter = self._request_children[key] = self.requests.labels(operation, outcome)
        counter.inc()
        histogram = self._duration_children.get(operation)
        if histogram is None:
            histogram = self._duration_children[operation] = self.duration.labels(operation)
        histogram.observe(seconds)
        if executor is not None:
            used = executor if executor in EXECUTORS else "other"
            execution = self._execution_children.get((operation, used))
            if execution is None:
                execution = self.executions.labels(operation, used)
                self._execution_children[(operation, used)] = execution
            execution.inc()

    # store.monitor.CommandObserver: the database commands.
    def started(self, command: str, collection: str | None) -> None:
        return None

    def finished(self, command: str, token: Any, seconds: float, failure: str | None) -> None:
        if failure is not None:
            self.command_errors.labels(command).inc()
        histogram = self._command_duration_children.get(command)
        if histogram is None:
            histogram = self.command_duration.labels(command)
            self._command_duration_children[command] = histogram
        histogram.observe(seconds)

    def dataset_version(self, version: str | None) -> None:
        shown = version or "unknown"
        if shown == self._dataset_version:
            return
        if self._dataset_version is not None:
            self.dataset.labels(self._dataset_version).set(0)
        self.dataset.labels(shown).set(1)
        self._dataset_version = shown

    # -- exposition --------------------------------------------------------------

    def exposition(self, accept: str) -> tuple[bytes, str]:
        """The metrics in the format `accept` asks for (Prometheus text, or
        OpenMetrics), summed over every worker process in multiprocess mode."""
        encoder, content_type = choose_encoder(accept)
        if self.multiprocess_dir is None:
            return encoder(self.registry), content_type
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=self.multiprocess_dir)  # type: ignore[no-untyped-call]
        return encoder(registry), content_type


def multiprocess_dir(env: dict[str, str] | None = None) -> str | None:
    """Where the worker processes keep their values, when multiprocess mode is on."""
    found = (os.environ if env is None else env).get(MULTIPROC_ENV, "").strip()
    return found or None


class MetricsEndpoint:
    """The ASGI app at /metrics: GET (and HEAD) only; every failure a JSON error."""

    def __init__(self, metrics: Metrics | None, dataset_version: Callable[[], str | None]) -> None:
        self.metrics = metrics
        self.dataset_version = dataset_version

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope["method"]
        request_id = str(scope.get("state", {}).get("request_id", ""))
        if self.metrics is None:
            await send_error(send, 404, "Metrics are off (SPACERACE_METRICS=false).", "NOT_FOUND")
            return
        if method not in ("GET", "HEAD"):
            message = f"{method} is not supported here: read the metrics with GET."
            await send_error(send, 405, message, "METHOD_NOT_ALLOWED", [(b"allow", b"GET, HEAD")])
            return
        accept = ""
        for name, value in scope["headers"]:
            if name == b"accept":
                accept = value.decode("latin-1")
        try:
            self.metrics.dataset_version(self.dataset_version())
            # Reading every worker's files is blocking file I/O: off the event loop.
            body, content_type = await run_in_threadpool(self.metrics.exposition, accept)
        except Exception:
            log.exception("the metrics could not be collected")
            message = f"The metrics could not be collected (request {request_id})."
            await send_error(send, 500, message, "INTERNAL_SERVER_ERROR", request_id=request_id)
            return
        headers = [
            (b"content-type", content_type.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})


async def send_error(
    send: Send,
    status: int,
    message: str,
    code: str,
    headers: list[tuple[bytes, bytes]] | None = None,
    request_id: str | None = None,
) -> None:
    extensions: dict[str, str] = {"code": code}
    if request_id:
        extensions["requestId"] = request_id
    body = orjson.dumps({"errors": [{"message": message, "extensions": extensions}]})
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
