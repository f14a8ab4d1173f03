"""What an operator sees of each request: its id, one access line, metrics, spans.

`Observe` is ASGI middleware around the whole app. For every HTTP request it:

1. takes the caller's `X-Request-ID` when it is a sane token (1 to 128 of
   `A-Z a-z 0-9 . _ : + / = -`), else makes one, puts it in `scope["state"]
   ["request_id"]` (the GraphQL endpoint passes it to the gate, which names it in
   INTERNAL_SERVER_ERROR messages and its logs) and sends it back as
   `X-Request-ID` on every answer;
2. after the answer, counts a GraphQL request in the metrics and writes the
   access line, from what the GraphQL endpoint left in `scope["state"]["graphql"]`
   (`gate_started` and `gate_answered` below are the endpoint's two hooks);
3. answers a JSON error (INTERNAL_SERVER_ERROR, with the request id) for any
   exception that escapes the app before it began its answer.

The settings are read with the store's typed environment helpers, and fail with
one line naming the variable.
"""

from __future__ import annotations

import logging
import os
import re
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spacerace.api import logs, tracing
from spacerace.api.metrics import MULTIPROC_ENV, Metrics, send_error
from spacerace.api.tracing import Tracing
from spacerace.schema import errors
from spacerace.schema.errors import code_of
from spacerace.schema.gate import Answer
from spacerace.store.settings import SettingsError, env_bool, env_choice, env_int

log = logging.getLogger("spacerace.http")
access_log = logging.getLogger(logs.ACCESS)

GRAPHQL_PATH = "/graphql"
_SANE_ID = re.compile(rb"[A-Za-z0-9._:+/=-]{1,128}")


@dataclass(frozen=True)
class ObserveSettings:
    """Logs, metrics and tracing. Every setting has a default and a variable."""

    log_format: str = "text"
    """SPACERACE_LOG_FORMAT: `text` (uvicorn's layout) or `json` (one object a line)."""
    access_log: bool = True
    """SPACERACE_ACCESS_LOG: one line per request (uvicorn's own access log is off)."""
    metrics: bool = True
    """SPACERACE_METRICS: count requests and database commands, serve GET /metrics."""
    max_operations: int = 100
    """SPACERACE_METRICS_MAX_OPERATIONS: distinct operation names a process labels
    metrics with; the rest count as `(other)`."""
    tracing: str = "off"
    """SPACERACE_TRACING: `off`, `otlp` or `console` (needs the otel extra)."""
    multiprocess_dir: str | None = None
    """PROMETHEUS_MULTIPROC_DIR: where worker processes keep their metric values
    (set by `serve --workers N`); unset, one process keeps them in memory."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ObserveSettings:
        env = os.environ if env is None else env
        log_format = env_choice(env, "SPACERACE_LOG_FORMAT", cls.log_format, logs.FORMATS)
        access = env_bool(env, "SPACERACE_ACCESS_LOG", cls.access_log)
        metrics = env_bool(env, "SPACERACE_METRICS", cls.metrics)
        max_operations = env_int(
            env, "SPACERACE_METRICS_MAX_OPERATIONS", cls.max_operations, minimum=1, maximum=10_000
        )
        mode = env_choice(env, "SPACERACE_TRACING", cls.tracing, tracing.MODES)
        missing = tracing.missing_packages(mode)
        if missing:
            raise SettingsError(
                f"SPACERACE_TRACING={mode} needs the otel extra ({', '.join(missing)} not "
                "installed): pip install 'spacerace[otel]'"
            )
        folder = env.get(MULTIPROC_ENV, "").strip() or None
        if folder is not None:
            path = Path(folder)
            if not path.is_dir():
                raise SettingsError(f"{MULTIPROC_ENV}: no such folder: {folder}")
            if not os.access(path, os.W_OK | os.X_OK):
                raise SettingsError(f"{MULTIPROC_ENV}: the folder is not writable: {folder}")
        return cls(log_format, access, metrics, max_operations, mode, folder)


@dataclass
class GraphQLNote:
    """What the GraphQL endpoint tells the middleware about a request it answered."""

    operation_name: str | None = None
    executor: str | None = None
    codes: tuple[str, ...] = ()
    cost: Any = None
    reached: bool = False
    """True when the request named an operation the document has (see `OperationNames`)."""
    execution: Any = None
    """The execution's span while it runs (tracing on)."""


# -- the GraphQL endpoint's hooks (api/graphql.py) ---------------------------------


def gate_started(scope: Scope) -> str:
    """Call just before the gate runs: the request id for the gate's `Request`."""
    state = scope.setdefault("state", {})
    request_id = state.get("request_id")
    if not isinstance(request_id, str):
        request_id = state["request_id"] = uuid.uuid4().hex
    note = state["graphql"] = GraphQLNote()
    observer: Tracing | None = state.get("tracing")
    if observer is not None:
        note.execution = observer.start_execution()
    return request_id


def gate_answered(scope: Scope, answer: Answer) -> None:
    """Call with the gate's answer: its operation, executor, error codes and cost."""
    state = scope.setdefault("state", {})
    note: GraphQLNote = state.get("graphql") or GraphQLNote()
    state["graphql"] = note
    note.operation_name = answer.operation_name
    note.executor = answer.executor
    note.codes = tuple(code for code in map(code_of, answer.errors) if code)
    note.reached = _reached(answer, note.codes)
    note.cost = answer_cost(answer)
    if note.execution is not None:
        observer: Tracing = state["tracing"]
        observer.end_execution(
            note.execution, note.operation_name, note.executor, note.codes, note.cost
        )
        note.execution = None


def answer_cost(answer: Answer) -> Any:
    """The answer's `extensions.cost` as it is sent (None for a request refused before
    its cost was estimated). The access line logs it as `cost`."""
    return answer.cost.formatted() if answer.cost is not None else None


NOT_REACHED = frozenset(
    {
        errors.BAD_REQUEST,
        errors.PARSE_FAILED,
        errors.VALIDATION_FAILED,
        errors.OPERATION_RESOLUTION_FAILURE,
        errors.INTERNAL_SERVER_ERROR,
    }
)
"""Codes of answers that were given before an operation was chosen (or without
knowing which was)."""


def _reached(answer: Answer, codes: tuple[str, ...]) -> bool:
    """Whether the request came to an operation of its document: a named one, one
    that ran, or an anonymous one refused for its variables or a limit."""
    if answer.operation_name is not None or answer.executor is not None:
        return True
    return bool(codes) and not NOT_REACHED.intersection(codes)


def outcome(status: int, codes: tuple[str, ...]) -> str:
    """ok, client_error, server_error or unavailable: from the HTTP status and the
    `extensions.code` of the answer's errors."""
    if status == 503 or errors.SERVICE_UNAVAILABLE in codes:
        return "unavailable"
    if status >= 500 or errors.INTERNAL_SERVER_ERROR in codes:
        return "server_error"
    if status >= 400 or codes:
        return "client_error"
    return "ok"


# -- the middleware -------------------------------------------------------------------


class Observe:
    """Request ids, the access line, request metrics and the request's span."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: Metrics | None = None,
        access: bool = True,
        tracer: Tracing | None = None,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.access = access
        self.tracer = tracer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _incoming_id(scope["headers"]) or uuid.uuid4().hex
        state = scope.get("state")
        if state is None:
            state = scope["state"] = {}
        state["request_id"] = request_id
        context = logs.REQUEST_ID.set(request_id)
        span = None
        if self.tracer is not None:
            state["tracing"] = self.tracer
            span = self.tracer.start_request(scope, request_id)
        header = (b"x-request-id", request_id.encode())
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), header]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("unhandled error answering %s %s", scope["method"], scope["path"])
            if status:  # the answer had begun: nothing better to send
                raise
            status = 500
            message = f"Internal server error (request {request_id})."
            await send_error(send, 500, message, errors.INTERNAL_SERVER_ERROR, [header], request_id)
        except BaseException:
            status = status or 499  # cancelled: the client went away (nginx's 499)
            raise
        finally:
            self._after(scope, state, request_id, status, time.perf_counter() - started, span)
            logs.REQUEST_ID.reset(context)

    def _after(
        self,
        scope: Scope,
        state: dict[str, Any],
        request_id: str,
        status: int,
        seconds: float,
        span: Any,
    ) -> None:
        note: GraphQLNote | None = state.get("graphql")
        graphql = note is not None or (scope["path"] == GRAPHQL_PATH and status >= 400)
        result = None
        if graphql:
            if note is None:
                note = GraphQLNote()
            if note.execution is not None and self.tracer is not None:  # never answered
                self.tracer.end_execution(note.execution, None, None, (), None)
            result = outcome(status, note.codes)
            if self.metrics is not None:
                label = self.metrics.names.label(note.operation_name, note.reached)
                self.metrics.request(label, result, seconds, note.executor)
        if span is not None and self.tracer is not None:
            operation = note.operation_name if note is not None else None
            self.tracer.end_request(span, status, operation, result)
        if self.access and access_log.isEnabledFor(logging.INFO):
            fields: dict[str, Any] = {
                "request_id": request_id,
                "method": scope["method"],
                "path": scope["path"],
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
            }
            if note is not None:
                fields["operation_name"] = note.operation_name
                fields["executor"] = note.executor
                fields["outcome"] = result
                if note.cost is not None:
                    fields["cost"] = note.cost
            # A record made directly: logging.info would walk the stack for the caller's
            # file and line (a quarter of the line's cost), which an access line never shows.
            record = access_log.makeRecord(
                logs.ACCESS,
                logging.INFO,
                __file__,
                0,
                "%s %s %d %.1f ms",
                (scope["method"], scope["path"], status, seconds * 1000),
                None,
                extra={"access": fields},
            )
            access_log.handle(record)


def _incoming_id(headers: Any) -> str | None:
    for name, value in headers:
        if name == b"x-request-id":
            return value.decode("ascii") if _SANE_ID.fullmatch(value) else None
    return None
