"""The limits issue's benchmarks, each measured side by side in one run:

6. mixed load: 32 connections ask the small query while another client sends the
   hostile probes (each must be refused as expected): the small query's errors, and
   its p99 against its p99 without the hostile client;
7. what the limits cost the small query: requests per second with every limit on
   (the defaults) against every limit off, alternating, best of each;
8. /healthz while the whole tree is being answered, against /healthz alone.

The load generator is `wrk` where it is installed (a native program, which leaves
the cores to the server), else the Python one of `benchmarks.http_load`.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from benchmarks.hostile import PROBES, PRODUCTION, Probe, send
from benchmarks.http_load import load, post
from benchmarks.queries import SMALL, TREE
from benchmarks.scenarios import Row, _free_port, uvicorn
from spacerace.schema.limits import ENVIRONMENT, LimitSettings

ALL_OFF = {
    ENVIRONMENT[name]: "off" for name, value in vars(LimitSettings.off()).items() if value is None
}
"""Every limit off (for the comparison only)."""

WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = %(body)s
wrk.headers["Content-Type"] = "application/json"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if status ~= 200 or not string.find(body, %(check)s, 1, true) then bad = bad + 1 end
end
function done(summary, latency, requests)
  local wrong = 0
  for _, t in ipairs(threads) do wrong = wrong + t:get("bad") end
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    wrong + e.connect + e.read + e.write + e.status + e.timeout))
end
"""


@dataclass
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def describe(self) -> str:
        return f"{self.rate:,.0f} req/s, p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms"


def small_load(port: int, slug: str, seconds: float, connections: int) -> Load:
    """The small query from `connections` keep-alive connections for `seconds`; every
    answer must be a 200 with the mission's name (else it counts as an error)."""
    body = orjson.dumps({"query": SMALL, "variables": {"slug": slug}})
    wrk = shutil.which("wrk")
    if wrk is None:
        result = asyncio.run(
            load(
                "127.0.0.1",
                port,
                post("/graphql", body, f"127.0.0.1:{port}"),
                connections=connections,
                seconds=seconds,
                check=b'"name"',
            )
        )
        return Load(result.requests, result.seconds, result.p50_ms, result.p99_ms, 0)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"body": _lua(body.decode()), "check": _lua('"name"')})
    try:
        out = subprocess.run(
            [
                wrk,
                "-t2",
                f"-c{connections}",
                f"-d{max(1, round(seconds))}s",
                "-s",
                script.name,
                f"http://127.0.0.1:{port}/graphql",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(script.name)
    match = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+)", out)
    if match is None:
        raise RuntimeError(f"wrk said: {out}")
    requests, micros, p50, p99, errors = map(int, match.groups())
    return Load(requests, micros / 1e6, p50 / 1000, p99 / 1000, errors)


def _lua(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@contextmanager
def serve(uri: str, in_batch: int, env: dict[str, str] | None = None) -> Iterator[Server]:
    """The API under uvicorn on `uri`."""
    port = _free_port()
    app = "spacerace.api.app:create_app"
    with uvicorn(app, port, uri, in_batch, env or {}, factory=True) as server:
        yield Server(port, server.pid)


@dataclass(frozen=True)
class Server:
    port: int
    pid: int

    def cpu_seconds(self) -> float:
        """The CPU time the server process's threads have run, to the nanosecond (the
        scheduler's own account, /proc/PID/task/*/schedstat; the user and system
        times of /proc/PID/stat are sampled at each clock tick)."""
        total = 0
        for task in Path(f"/proc/{self.pid}/task").iterdir():
            try:
                total += int((task / "schedstat").read_text().split()[0])
            except (FileNotFoundError, ProcessLookupError):  # a thread that just ended
                continue
        return total / 1e9


# -- 6: mixed load ------------------------------------------------------------------


@dataclass
class Hostile:
    """A client sending every probe in turn, one connection each, until stopped."""

    port: int
    sent: int = 0
    wrong: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.probes = [_prebuilt(p) for p in PROBES if "compiled" in p.executors]
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Hostile:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=60)

    def _run(self) -> None:
        while not self.stop.is_set():
            for probe in self.probes:
                if self.stop.is_set():
                    return
                reply = send("127.0.0.1", self.port, probe)
                self.sent += 1
                body = reply.json()
                code = body["errors"][0]["extensions"]["code"] if isinstance(body, dict) else None
                if reply.status != probe.status or code != probe.code:
                    self.wrong.append(f"{probe.name}: {reply.status} {code}")


def _prebuilt(probe: Probe) -> Probe:
    body = probe.body()
    return Probe(
        probe.name,
        probe.code,
        probe.status,
        lambda: body,
        probe.method,
        probe.content_type,
        probe.chunked,
        probe.executors,
    )


def mixed_load(uri: str, in_batch: int, slug: str, seconds: float, rounds: int) -> Row:
    connections = 32
    alone: list[Load] = []
    mixed: list[Load] = []
    sent = 0
    with serve(uri, in_batch, PRODUCTION) as server:
        port = server.port
        small_load(port, slug, 1, connections)  # warm
        for _ in range(rounds):
            alone.append(small_load(port, slug, seconds, connections))
            with Hostile(port) as hostile:
                mixed.append(small_load(port, slug, seconds, connections))
            sent += hostile.sent
            if hostile.wrong:
                raise RuntimeError(f"hostile probes not refused as expected: {hostile.wrong[:5]}")
    quiet = min(alone, key=lambda r: r.p99_ms)
    busy = min(mixed, key=lambda r: r.p99_ms)
    errors = sum(r.errors for r in mixed + alone)
    ratio = busy.p99_ms / quiet.p99_ms
    return Row(
        f"9. small query, {connections} connections, while hostile requests come",
        f"{busy.describe()}, {errors} errors",
        f"no hostile client: {quiet.describe()}",
        ratio,
        "p99 ≤ 2×, 0 errors",
        ratio <= 2 and errors == 0,
        [
            f"9: {sent:,} hostile requests ({len(Hostile(0).probes)} probes in turn, one "
            f"connection each) over {rounds} × {seconds:.0f} s, every one refused with its "
            f"code; p99 is the best of {rounds} runs of each, alternating; load generator "
            f"{'wrk' if shutil.which('wrk') else 'benchmarks.http_load'}."
        ],
    )


# -- 7: what the limits cost ------------------------------------------------------------


def limits_cost(uri: str, in_batch: int, slug: str, seconds: float, rounds: int) -> list[Row]:
    """Servers side by side on one database, limits on and every limit off, loaded one
    after the other, `rounds` times (the order alternating), plus a second server with
    the limits on as a control: what two identical servers differ by.

    The target is about throughput, but on a machine shared with other work the
    request rate of two runs of the same server can differ by a third: the ratio
    is taken from the CPU time each server spent per request (the scheduler's own
    account of its threads, which other processes do not inflate), which is what
    bounds its throughput when the cores are busy; the request rates are shown too."""
    connections = 16
    names = ("on", "off", "control")
    results: dict[str, list[Load]] = {name: [] for name in names}
    cpu = dict.fromkeys(names, 0.0)
    with (
        serve(uri, in_batch) as on,
        serve(uri, in_batch, ALL_OFF) as off,
        serve(uri, in_batch) as control,
    ):
        servers = {"on": on, "off": off, "control": control}
        for server in servers.values():
            small_load(server.port, slug, 1, connections)  # warm
        for i in range(rounds):
            for name in names if i % 2 == 0 else reversed(names):
                before = servers[name].cpu_seconds()
                results[name].append(small_load(servers[name].port, slug, seconds, connections))
                cpu[name] += servers[name].cpu_seconds() - before
    per_request = {
        name: cpu[name] / sum(r.requests for r in loads) * 1e6 for name, loads in results.items()
    }
    with_limits = (per_request["on"] + per_request["control"]) / 2
    ratio = per_request["off"] / with_limits
    best = {name: max(loads, key=lambda r: r.rate) for name, loads in results.items()}
    gate_on, gate_off = _gate_cost()
    return [
        Row(
            f"10. small query over HTTP, {connections} connections, limits on",
            f"{with_limits:.0f} µs of server CPU a request; best {best['on'].describe()}",
            f"every limit off: {per_request['off']:.0f} µs; best {best['off'].describe()}",
            ratio,
            "≥ 0.95× throughput",
            ratio >= 0.95,
            [
                f"10: {rounds} rounds of {seconds:.0f} s runs on three servers side by side on "
                "one database (limits on, every limit off, and limits on again as a control). "
                "The ratio is throughput as the server's CPU time per request bounds it "
                "(off ÷ on, on being the mean of the two servers with the limits: "
                f"{per_request['on']:.0f} and {per_request['control']:.0f} µs, which is how much "
                "two identical servers differ here). In process, the "
                f"gate answers the small query in {gate_on:.0f} µs of CPU with the limits and "
                f"{gate_off:.0f} µs without (embedded store, best of 10 blocks)."
            ],
        ),
    ]


def _gate_cost(blocks: int = 10, size: int = 200) -> tuple[float, float]:
    """CPU µs per request of the small query through the gate on the embedded store,
    limits on and off: the best of `blocks` alternating blocks of `size` requests each."""
    import mongomock

    from spacerace.loaders.pipeline import load as load_seeds
    from spacerace.schema import schema
    from spacerace.schema.gate import Gate, GateSettings, Request
    from spacerace.store.aio import EmbeddedStore
    from spacerace.store.reads import Reader
    from spacerace.store.settings import BUNDLED_SEEDS

    db: Any = mongomock.MongoClient(tz_aware=True)["bench"]
    load_seeds(db, [str(BUNDLED_SEEDS)])
    store = EmbeddedStore(db)
    gates = {
        "on": Gate(schema._schema, GateSettings()),
        "off": Gate(schema._schema, GateSettings(limits=LimitSettings.off())),
    }
    times: dict[str, list[float]] = {"on": [], "off": []}

    async def measure() -> None:
        for i in range(blocks):
            for name in ("on", "off") if i % 2 else ("off", "on"):
                start = time.process_time()
                for _ in range(size):
                    answer = await gates[name].run(
                        Request(SMALL, {"slug": "voskhod-2"}), Reader(store)
                    )
                times[name].append((time.process_time() - start) / size)
                if answer.errors:
                    raise RuntimeError(answer.errors)

    asyncio.run(measure())
    return (min(times["on"]) * 1e6, min(times["off"]) * 1e6)


# -- 8: /healthz while the tree is answered --------------------------------------------


def healthz_during_tree(uri: str, in_batch: int, missions: int) -> Row:
    # The answer cache off: each tree is built again, which is what must not hold the
    # event loop (from the cache it is sent as it is).
    with serve(uri, in_batch, {"SPACERACE_ANSWER_CACHE_BYTES": "0"}) as server:
        port = server.port
        quiet = _healthz(port, 1.0)
        tree_body = orjson.dumps({"query": TREE})
        tree_seconds: list[float] = []
        busy: list[float] = []

        def ask_tree() -> None:
            start = time.perf_counter()
            asyncio.run(_post_once(port, tree_body))
            tree_seconds.append(time.perf_counter() - start)

        _post_sync(port, tree_body)  # warm
        for _ in range(2):
            thread = threading.Thread(target=ask_tree)
            thread.start()
            busy += _healthz(port, None, until=thread)
            thread.join()
    worst, usual = max(busy), max(quiet)
    return Row(
        f"11. /healthz while the tree ({missions:,} missions) is answered",
        f"slowest {worst * 1000:.0f} ms, median {statistics.median(busy) * 1000:.1f} ms",
        f"alone: slowest {usual * 1000:.1f} ms",
        None,
        "(issue: 3–4 s before)",
        None,
        [
            f"11: /healthz asked every 10 ms while the tree took "
            f"{min(tree_seconds) * 1000:,.0f} ms; the compiled executor yields every "
            "2,000 objects handled and the reader every 2,000 documents."
        ],
    )


def _healthz(
    port: int, seconds: float | None, until: threading.Thread | None = None
) -> list[float]:
    async def main() -> list[float]:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        times = []
        end = time.perf_counter() + (seconds or 3600)
        try:
            while time.perf_counter() < end and (until is None or until.is_alive()):
                start = time.perf_counter()
                writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                await reader.readuntil(b'{"status":"ok"}')
                times.append(time.perf_counter() - start)
                await asyncio.sleep(0.01)
        finally:
            writer.close()
        return times

    return asyncio.run(main())


async def _post_once(port: int, body: bytes) -> bytes:
    from benchmarks.http_load import _read_response

    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(post("/graphql", body, f"127.0.0.1:{port}"))
    answer = await _read_response(reader)
    writer.close()
    return answer


def _post_sync(port: int, body: bytes) -> bytes:
    return asyncio.run(_post_once(port, body))
