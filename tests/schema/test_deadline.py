"""A request has a deadline, under either executor: past it, the answer is
SERVICE_UNAVAILABLE (HTTP 503) with reason DEADLINE_EXCEEDED, and the work stops."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from pymongo.database import Database

from spacerace.schema import schema
from spacerace.schema.gate import Answer, Gate, GateSettings, Request
from spacerace.schema.limits import LimitSettings
from spacerace.store.aio import EmbeddedStore
from spacerace.store.reads import Reader
from tests.slow_store import SlowStore

QUERY = '{ mission(slug: "voskhod-2") { name crew { person { name } } } }'


def answer_slowly(
    db: Database[dict[str, Any]], executor: str, delay: float, timeout_ms: int | None
) -> tuple[Answer, float, SlowStore]:
    store = SlowStore(EmbeddedStore(db), delay)
    limits = LimitSettings().but(request_timeout_ms=timeout_ms)
    gate = Gate(schema._schema, GateSettings(executor=executor, limits=limits))

    async def main() -> tuple[Answer, float]:
        start = time.perf_counter()
        answer = await gate.run(Request(QUERY), Reader(store))
        return answer, time.perf_counter() - start

    answer, elapsed = asyncio.run(main())
    return answer, elapsed, store


def test_past_its_deadline_a_request_is_unavailable(
    loaded_embedded: Database[dict[str, Any]], executor: str
) -> None:
    answer, elapsed, store = answer_slowly(loaded_embedded, executor, 5.0, 200)
    assert elapsed < 2.0  # the deadline, not the 5 s store
    assert answer.unavailable
    (error,) = answer.errors
    extensions = error.extensions or {}
    assert extensions["code"] == "SERVICE_UNAVAILABLE"
    assert extensions["reason"] == "DEADLINE_EXCEEDED"
    assert extensions["setting"] == "SPACERACE_REQUEST_TIMEOUT_MS"
    assert "200 ms" in error.message
    assert answer.formatted()["data"] is None
    assert store.cancelled >= 1  # the read in flight was stopped
    assert store.finished == 0


def test_within_its_deadline_a_slow_request_is_answered(
    loaded_embedded: Database[dict[str, Any]], executor: str
) -> None:
    answer, _, store = answer_slowly(loaded_embedded, executor, 0.05, 2_000)
    assert answer.errors == []
    assert answer.data == {
        "mission": {
            "name": "Voskhod 2",
            "crew": [{"person": {"name": "Pavel Belyayev"}}, {"person": {"name": "Alexey Leonov"}}],
        }
    }
    assert store.cancelled == 0


def test_the_deadline_can_be_turned_off(
    loaded_embedded: Database[dict[str, Any]], executor: str
) -> None:
    answer, elapsed, _ = answer_slowly(loaded_embedded, executor, 0.3, None)
    assert answer.errors == []
    assert elapsed >= 0.3
