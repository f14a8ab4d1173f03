"""The database fails under traffic, on SecantusDB: killed and restarted, paused with
SIGSTOP and resumed. Every answer meanwhile is GraphQL JSON (200, or 503 with
SERVICE_UNAVAILABLE and no host in it), the first 503 comes within seconds, and the
API answers again by itself once the database is back. Then SIGTERM: in-flight
requests are drained within uvicorn's grace period, and the process exits."""

from __future__ import annotations

import contextlib
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pymongo
import pytest

from spacerace.loaders.pipeline import load
from spacerace.store.settings import BUNDLED_SEEDS
from tests.api_server import ApiServer
from tests.wire_server import WireServer

pytestmark = pytest.mark.wire

QUERY = '{ mission(slug: "voskhod-2") { name crew { person { name } } } }'
TIMEOUT_MS = 2_000
"""The request deadline of these tests (SPACERACE_REQUEST_TIMEOUT_MS)."""


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WireServer]:
    """A SecantusDB server of its own, loaded with the seeds and written to disk (so
    that it restarts with them after SIGKILL)."""
    server = WireServer(tmp_path_factory.mktemp("faults"))
    client: pymongo.MongoClient[dict[str, object]]
    with pymongo.MongoClient(server.uri) as client:
        load(client["faults"], [str(BUNDLED_SEEDS)])
    server.restart(graceful=True)
    yield server
    server.stop()


def api_on(database: WireServer, executor: str, log: Path, grace: int | None = None) -> ApiServer:
    env = {
        "MONGODB_URI": database.uri.replace("/?", "/faults?"),
        "SPACERACE_EXECUTOR": executor,
        "SPACERACE_REQUEST_TIMEOUT_MS": str(TIMEOUT_MS),
        # A repeated query is answered from the answer cache without the database,
        # down or not; these tests are about the answers that need it.
        "SPACERACE_ANSWER_CACHE_BYTES": "0",
    }
    return ApiServer(env, grace=grace, log=log)


@dataclass
class Seen:
    at: float
    status: int
    body: dict[str, object]


def ask(url: str, timeout: float = 30) -> Seen:
    request = urllib.request.Request(
        f"{url}/graphql",
        data=orjson.dumps({"query": QUERY}),
        headers={"content-type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
            kind = response.headers["content-type"]
    except urllib.error.HTTPError as error:
        status, raw, kind = error.code, error.read(), error.headers["content-type"]
    assert kind.startswith("application/json"), (status, raw[:200])
    return Seen(time.monotonic(), status, orjson.loads(raw))


@dataclass
class Traffic:
    """One client asking the small query again and again, in a thread."""

    url: str
    seen: list[Seen] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    failures: list[BaseException] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                self.seen.append(ask(self.url))
            except BaseException as error:
                self.failures.append(error)
                return
            time.sleep(0.05)

    def first(self, status: int, after: float, within: float) -> Seen:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            assert not self.failures, self.failures
            found = [s for s in list(self.seen) if s.at > after and s.status == status]
            if found:
                return found[0]
            time.sleep(0.05)
        raise AssertionError(
            f"no {status} within {within} s: {[s.status for s in self.seen][-20:]}"
        )

    def finish(self) -> list[Seen]:
        self.stop.set()
        self.thread.join(timeout=30)
        assert not self.failures, self.failures
        return self.seen


def check_every_answer(seen: list[Seen]) -> None:
    for answer in seen:
        assert answer.status in (200, 503), answer
        if answer.status == 200:
            assert answer.body["data"] == {
                "mission": {
                    "name": "Voskhod 2",
                    "crew": [
                        {"person": {"name": "Pavel Belyayev"}},
                        {"person": {"name": "Alexey Leonov"}},
                    ],
                }
            }
        else:
            errors = answer.body["errors"]
            assert isinstance(errors, list)
            assert {e["extensions"]["code"] for e in errors} == {"SERVICE_UNAVAILABLE"}
            text = orjson.dumps(answer.body).decode()
            assert "127.0.0.1" not in text


@pytest.mark.parametrize("executor", ["compiled", "reference"])
def test_the_database_killed_and_restarted_under_traffic(
    database: WireServer, executor: str, tmp_path: Path
) -> None:
    api = api_on(database, executor, tmp_path / "api.log")
    try:
        traffic = Traffic(api.url)
        traffic.first(200, 0, 10)
        killed = time.monotonic()
        database.kill()
        down = traffic.first(503, killed, 10)
        assert down.at - killed < 3.0, f"the first 503 came {down.at - killed:.1f} s after the kill"
        ready = urllib.request.Request(f"{api.url}/readyz")
        with pytest.raises(urllib.error.HTTPError) as not_ready:
            urllib.request.urlopen(ready, timeout=10)
        assert not_ready.value.code == 503
        assert b"127.0.0.1" not in not_ready.value.read()
        database.restart()
        back = time.monotonic()
        again = traffic.first(200, back, 30)  # no API restart
        check_every_answer(traffic.finish())
        print(
            f"\n{executor}: first 503 {down.at - killed:.2f} s after SIGKILL, "
            f"answers again {again.at - back:.2f} s after the restart"
        )
    finally:
        api.stop()


@pytest.mark.parametrize("executor", ["compiled", "reference"])
def test_the_database_paused_and_resumed(
    database: WireServer, executor: str, tmp_path: Path
) -> None:
    api = api_on(database, executor, tmp_path / "api.log")
    try:
        traffic = Traffic(api.url)
        traffic.first(200, 0, 10)
        paused = time.monotonic()
        database.pause()
        try:
            down = traffic.first(503, paused, 10)
            # within the deadline (and the server selection timeout), plus the gap
            # between two requests of the client
            assert down.at - paused < TIMEOUT_MS / 1000 + 1.5, down.at - paused
        finally:
            database.resume()
        resumed = time.monotonic()
        again = traffic.first(200, resumed, 30)
        check_every_answer(traffic.finish())
        print(
            f"\n{executor}: first 503 {down.at - paused:.2f} s after SIGSTOP, "
            f"answers again {again.at - resumed:.2f} s after SIGCONT"
        )
    finally:
        database.resume()
        api.stop()


def test_sigterm_drains_a_request_in_flight(database: WireServer, tmp_path: Path) -> None:
    """A request waiting on the database when SIGTERM comes is still answered (the
    grace period is longer than it takes), then the server exits."""
    api = api_on(database, "compiled", tmp_path / "api.log", grace=10)
    try:
        ask(api.url)
        answers: list[Seen] = []
        database.pause()
        try:
            waiting = threading.Thread(target=lambda: answers.append(ask(api.url)))
            waiting.start()
            time.sleep(0.5)
            api.terminate()
            time.sleep(0.5)
            assert api.process.poll() is None  # still draining
        finally:
            database.resume()
        waiting.join(timeout=10)
        assert [a.status for a in answers] == [200]
        # uvicorn exits by re-raising the signal it handled, once it has shut down
        assert api.process.wait(timeout=10) in (0, -15)
    finally:
        database.resume()
        api.stop()


def test_sigterm_exits_within_the_grace_period(database: WireServer, tmp_path: Path) -> None:
    """A request stuck on a database that does not answer does not hold the process
    past uvicorn's --timeout-graceful-shutdown."""
    grace = 1
    api = api_on(database, "compiled", tmp_path / "api.log", grace=grace)
    try:
        ask(api.url)
        database.pause()
        try:
            stuck = threading.Thread(target=lambda: _quietly(api.url), daemon=True)
            stuck.start()
            time.sleep(0.3)
            signalled = time.monotonic()
            api.terminate()
            api.process.wait(timeout=grace + 5)
            assert time.monotonic() - signalled < grace + 3
        finally:
            database.resume()
    finally:
        api.stop()


def _quietly(url: str) -> None:
    with contextlib.suppress(OSError, AssertionError):
        ask(url)
