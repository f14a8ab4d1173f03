"""The benchmark scenarios of the performance issue, each measured side by side."""

from __future__ import annotations

import asyncio
import gc
import gzip
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import brotli
import mongomock
import orjson
import yaml
from graphql import GraphQLError
from graphql.execution.values import VariableValues, get_variable_values
from pymongo import AsyncMongoClient, MongoClient, monitoring
from pymongo.database import Database

from benchmarks.generate import generate
from benchmarks.http_load import LoadResult, get, load, post
from benchmarks.queries import ROUND_TRIP_BOUND, SMALL, TREE
from spacerace.api.app import tune_gc
from spacerace.api.compression import BROTLI_QUALITY, GZIP_LEVEL
from spacerace.loaders.pipeline import load as load_seeds
from spacerace.loaders.pipeline import prepare, read
from spacerace.schema import schema
from spacerace.schema.gate import Gate, GateSettings, Request, _operation
from spacerace.schema.limits import LimitSettings
from spacerace.schema.protocols import Protocols, ProtocolSettings
from spacerace.store.aio import AsyncStore, EmbeddedStore, ServerStore
from spacerace.store.connection import Document
from spacerace.store.dataset import Snapshot
from spacerace.store.generations import physical_names
from spacerace.store.reads import Reader
from spacerace.store.settings import BUNDLED_SEEDS, Settings
from spacerace.store.writer import BATCH_SIZE


@dataclass
class Row:
    scenario: str
    measured: str
    baseline: str
    ratio: float | None
    target: str
    met: bool | None
    notes: list[str] = field(default_factory=list)


# -- helpers -------------------------------------------------------------------


class CommandCounter(monitoring.CommandListener):
    def __init__(self) -> None:
        self.count = 0

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name in {"find", "getMore", "count", "aggregate"}:
            self.count += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        return None

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        return None


class ReplayStore:
    """Answers the exact calls recorded from a real store, from memory: the documents
    are already in memory and no database is involved."""

    round_trips = 0

    def __init__(self, recording: RecordingStore) -> None:
        self.recorded = recording.recorded
        self.sizes = recording.sizes
        self.pointer = recording.pointer
        self.in_batch = recording.in_batch  # the same calls, split the same way

    @staticmethod
    def key(collection: str, query: Any, kw: dict[str, Any]) -> str:
        projection = sorted((kw.get("projection") or {}).items())
        return repr((collection, query, projection, kw.get("sort"), kw.get("limit")))

    async def find(self, collection: str, query: Any, **kw: Any) -> list[Document]:
        return self.recorded[self.key(collection, query, kw)]

    async def count(self, collection: str, query: Any) -> int:
        raise NotImplementedError

    async def estimated_count(self, collection: str) -> int:
        return self.sizes[collection]

    async def dataset_version(self) -> str | None:
        return "replayed"

    async def dataset(self) -> Document | None:
        return self.pointer

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        return None


class RecordingStore:
    def __init__(self, inner: AsyncStore) -> None:
        self.inner = inner
        self.in_batch = inner.in_batch
        self.round_trips = 0
        self.recorded: dict[str, list[Document]] = {}
        self.sizes: dict[str, int] = {}
        self.pointer: Document | None = None

    async def find(self, collection: str, query: Any, **kw: Any) -> list[Document]:
        found = await self.inner.find(collection, query, **kw)
        self.recorded[ReplayStore.key(collection, query, kw)] = found
        return found

    async def count(self, collection: str, query: Any) -> int:
        return await self.inner.count(collection, query)

    async def estimated_count(self, collection: str) -> int:
        self.sizes[collection] = await self.inner.estimated_count(collection)
        return self.sizes[collection]

    async def dataset_version(self) -> str | None:
        return await self.inner.dataset_version()

    async def dataset(self) -> Document | None:
        self.pointer = await self.inner.dataset()
        return self.pointer

    async def ping(self) -> None:
        await self.inner.ping()

    async def close(self) -> None:
        await self.inner.close()


tune_gc()  # the GraphQL layer is measured as the server runs it


GATES = {
    # No deadline: graphql-core's answer to the tree can take longer than the 10 s a
    # served request has, and here it is measured, not served.
    name: Gate(
        schema._schema,
        GateSettings(executor=name, limits=LimitSettings().but(request_timeout_ms=None)),
    )
    for name in ("compiled", "reference")
}


async def graphql_bytes(
    query: str,
    store: AsyncStore,
    variables: dict[str, Any] | None = None,
    executor: str = "compiled",
    snapshot: Snapshot | None = None,
) -> bytes:
    """What the API sends for `query`: through the gate, executed, then encoded."""
    answer = await GATES[executor].run(Request(query, variables), Reader(store, snapshot))
    if answer.errors:
        raise RuntimeError(f"benchmark query failed: {answer.errors}")
    if answer.executor != executor:
        raise RuntimeError(f"the {executor} executor did not answer the benchmark query")
    return orjson.dumps(answer.formatted())


def best_of(runs: int, measure: Callable[[], Coroutine[Any, Any, Any]]) -> tuple[float, Any]:
    """The fastest of `runs` timed runs, and the last answer."""
    times: list[float] = []
    answer: Any = None
    for _ in range(runs):
        start = time.perf_counter()
        answer = asyncio.run(measure())
        times.append(time.perf_counter() - start)
    return min(times), answer


def same_json(a: bytes, b: bytes) -> bool:
    """The same `data` (the API's answers also say what they cost, in `extensions`)."""
    return bool(orjson.loads(a)["data"] == orjson.loads(b)["data"])


# -- 1: the small query over HTTP ---------------------------------------------


@contextmanager
def uvicorn(
    app: str, port: int, uri: str, in_batch: int, env: Mapping[str, str], *, factory: bool = False
) -> Iterator[subprocess.Popen[bytes]]:
    """`app` under uvicorn on `port`, reading `uri`, until the block ends."""
    argv = [sys.executable, "-m", "uvicorn", *(["--factory"] if factory else []), app]
    argv += ["--port", str(port), "--log-level", "warning", "--no-access-log"]
    server = subprocess.Popen(
        argv,
        env={
            **os.environ,
            "MONGODB_URI": uri,
            "MONGODB_IN_BATCH": str(in_batch),
            # The app's access line (rows 12-13 measure it); off here, as uvicorn's is.
            "SPACERACE_ACCESS_LOG": "false",
            **env,
        },
    )
    try:
        _wait_http(port)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextmanager
def serve(uri: str, in_batch: int, **env: str) -> Iterator[int]:
    """benchmarks.bare_app under uvicorn on a free port (settings from `env`): its port."""
    port = _free_port()
    with uvicorn("benchmarks.bare_app:app", port, uri, in_batch, env):
        yield port


def graphql_against_bare(
    port: int, slug: str, seconds: float, concurrency: int
) -> tuple[LoadResult, LoadResult]:
    """The small query through /graphql and the bare endpoint, alternately, best of two
    each: (graphql, bare)."""
    host = f"127.0.0.1:{port}"
    graphql = post("/graphql", orjson.dumps({"query": SMALL, "variables": {"slug": slug}}), host)
    bare = get(f"/bare/mission?slug={slug}", host)
    answers = asyncio.run(_one_each(port, [graphql, bare]))
    if not same_json(*answers):
        raise RuntimeError(f"answers differ: {answers}")
    results: dict[str, list[LoadResult]] = {"graphql": [], "bare": []}
    for _ in range(2):  # alternate, best of two
        for name, request in (("bare", bare), ("graphql", graphql)):
            results[name].append(
                asyncio.run(
                    load(
                        "127.0.0.1",
                        port,
                        request,
                        connections=concurrency,
                        seconds=seconds,
                        check=b'"name"',
                    )
                )
            )
    best = {name: max(found, key=lambda r: r.rate) for name, found in results.items()}
    return best["graphql"], best["bare"]


def _rates(g: LoadResult, b: LoadResult) -> tuple[str, str]:
    return (
        f"{g.rate:,.0f} req/s (p50 {g.p50_ms:.1f} ms, p99 {g.p99_ms:.1f} ms)",
        f"bare Starlette {b.rate:,.0f} req/s (p50 {b.p50_ms:.1f} ms, p99 {b.p99_ms:.1f} ms)",
    )


def small_query_http(uri: str, in_batch: int, slug: str, seconds: float, concurrency: int) -> Row:
    """The GraphQL work itself: the answer cache is off, so every request executes."""
    with serve(uri, in_batch, SPACERACE_ANSWER_CACHE_BYTES="0") as port:
        g, b = graphql_against_bare(port, slug, seconds, concurrency)
    ratio = g.rate / b.rate
    measured, baseline = _rates(g, b)
    return Row(
        f"1. small query over HTTP, {concurrency} connections (answer cache off)",
        measured,
        baseline,
        ratio,
        "≥ 0.8×",
        ratio >= 0.8,
    )


def cached_http(
    uri: str, in_batch: int, slug: str, seconds: float, concurrency: int, missions: int
) -> tuple[Row, list[Row]]:
    """With the default settings: the small query repeated, from the answer cache,
    against the bare endpoint; then the tree's bytes on the wire, as it is and
    compressed."""
    with serve(uri, in_batch) as port:
        g, b = graphql_against_bare(port, slug, seconds, concurrency)
        tree = tree_on_the_wire(port, missions)
    ratio = g.rate / b.rate
    measured, baseline = _rates(g, b)
    return (
        Row(
            f"1b. the same query repeated, from the answer cache, {concurrency} connections",
            measured,
            baseline,
            ratio,
            "≥ 3×",
            ratio >= 3,
            [
                "1b runs with the default settings: the first request executes, every "
                "later one is answered from the answer cache (same dataset version, "
                "operation and variables) without the database. The bare endpoint reads "
                "the database every time."
            ],
        ),
        tree,
    )


def _raw_post(port: int, body: bytes, accept_encoding: str) -> tuple[bytes, str | None, float]:
    """The body as sent (not decoded), its Content-Encoding, and the seconds it took."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    start = time.perf_counter()
    connection.request(
        "POST",
        "/graphql",
        body,
        {"content-type": "application/json", "accept-encoding": accept_encoding},
    )
    response = connection.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - start
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"tree over HTTP: {response.status} {data[:200]!r}")
    return data, response.getheader("content-encoding"), elapsed


def tree_on_the_wire(port: int, missions: int) -> list[Row]:
    body = orjson.dumps({"query": TREE})
    plain, _, first = _raw_post(port, body, "identity")  # executes, and caches
    _, _, cached = _raw_post(port, body, "identity")
    rows: list[Row] = []
    for name, decompress in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        compressed, used, compressing = _raw_post(port, body, name)  # compressed once, kept
        if used != name or decompress(compressed) != plain:
            raise RuntimeError(f"the {name} tree is not the tree")
        _, _, again = _raw_post(port, body, name)
        rows.append(
            Row(
                f"7{'ab'[len(rows)]}. the tree on the wire, {missions:,} missions, {name}",
                f"{len(compressed) / 1e6:,.2f} MB (first {compressing * 1000:,.0f} ms, "
                f"then {again * 1000:,.0f} ms from the cache)",
                f"uncompressed {len(plain) / 1e6:,.2f} MB (first {first * 1000:,.0f} ms, "
                f"then {cached * 1000:,.0f} ms)",
                len(compressed) / len(plain),
                "(bytes: smaller is better)",
                None,
            )
        )
    rows[-1].notes.append(
        "7a/7b: the first compressed request pays for compressing the cached answer "
        f"(brotli quality {BROTLI_QUALITY}, gzip level {GZIP_LEVEL}); the compressed body is "
        "kept beside it in the answer cache, so later ones send it as it is."
    )
    return rows


async def _one_each(port: int, requests: list[bytes]) -> list[bytes]:
    from benchmarks.http_load import _read_response

    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    answers = []
    for request in requests:
        writer.write(request)
        answers.append(await _read_response(reader))
    writer.close()
    return answers


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_http(port: int, timeout: float = 30) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the API did not become ready")


# -- 2: the whole nested tree ------------------------------------------------------


async def hand_written_tree(uri: str, database: str) -> bytes:
    """The cheapest hand-written fetch of the tree's answer: three plain scans with
    only the fields needed, joined and ordered in Python, then encoded."""
    client: AsyncMongoClient[Document] = AsyncMongoClient(uri)
    try:
        db = client[database]
        names = physical_names(await db["meta"].find_one({"_id": "dataset"}))
        programs, missions, persons = await asyncio.gather(
            db[names["programs"]].find({}, {"name": 1, "country": 1, "_sortDate": 1}).to_list(),
            db[names["missions"]]
            .find(
                {},
                {
                    "name": 1,
                    "launchDate": 1,
                    "status": 1,
                    "program": 1,
                    "_sortDate": 1,
                    "crew": 1,
                    "outcomes.kind": 1,
                    "outcomes.summary": 1,
                    "outcomes.people": 1,
                },
            )
            .to_list(),
            db[names["persons"]].find({}, {"name": 1}).to_list(),
        )
    finally:
        await client.close()
    names = {p["_id"]: p["name"] for p in persons}
    by_program: dict[str, list[Document]] = {}
    for m in missions:
        by_program.setdefault(m.get("program") or "", []).append(m)
    programs.sort(key=lambda p: (p["_sortDate"], p["_id"]))
    answer = []
    for p in programs[:100]:
        ms = sorted(by_program.get(p["_id"], []), key=lambda m: (m["_sortDate"], m["_id"]))[:100]
        answer.append(
            {
                "slug": p["_id"],
                "name": p["name"],
                "country": p["country"],
                "missions": {
                    "nodes": [
                        {
                            "slug": m["_id"],
                            "name": m["name"],
                            "launchDate": m.get("launchDate"),
                            "status": m["status"],
                            "crew": [
                                {
                                    "role": s["role"],
                                    "person": {"slug": s["person"], "name": names[s["person"]]},
                                }
                                for s in m["crew"]
                            ],
                            "outcomes": [
                                {
                                    "kind": o["kind"],
                                    "summary": o["summary"],
                                    "people": [
                                        {"slug": x, "name": names[x]}
                                        for x in o["people"]
                                        if x in names
                                    ],
                                }
                                for o in m["outcomes"]
                            ],
                        }
                        for m in ms
                    ]
                },
            }
        )
    return orjson.dumps({"data": {"programs": {"nodes": answer}}})


def tree_end_to_end(uri: str, database: str, in_batch: int, missions: int, runs: int) -> Row:
    settings = Settings(mongodb_uri=uri.replace("/?", f"/{database}?"), in_batch=in_batch)

    async def graphql() -> bytes:
        store = ServerStore.open(settings)
        try:
            return await graphql_bytes(TREE, store)
        finally:
            await store.close()

    g_time, g_answer = best_of(runs, graphql)
    h_time, h_answer = best_of(runs, lambda: hand_written_tree(uri, database))
    if not same_json(g_answer, h_answer):
        raise RuntimeError("the tree answers differ")
    ratio = g_time / h_time
    return Row(
        f"2a. whole tree end to end, {missions:,} missions ({len(g_answer) / 1e6:.1f} MB)",
        f"GraphQL {g_time * 1000:,.0f} ms",
        f"hand-written pymongo + orjson {h_time * 1000:,.0f} ms",
        ratio,
        "≤ 2×",
        ratio <= 2,
    )


def tree_layer_alone(uri: str, database: str, in_batch: int, missions: int, runs: int) -> list[Row]:
    settings = Settings(mongodb_uri=uri.replace("/?", f"/{database}?"), in_batch=in_batch)

    async def record(executor: str = "compiled") -> RecordingStore:
        recording = RecordingStore(ServerStore.open(settings))
        await graphql_bytes(TREE, recording, executor=executor)
        await recording.close()
        return recording

    replay = ReplayStore(asyncio.run(record()))
    compiled_time, answer = best_of(runs, lambda: graphql_bytes(TREE, replay))
    data = orjson.loads(answer)
    dumps_times = []
    for _ in range(runs):
        start = time.perf_counter()
        json.dumps(data)
        dumps_times.append(time.perf_counter() - start)
    dumps_time = min(dumps_times)
    # The same query through graphql-core's resolvers.
    core_replay = ReplayStore(asyncio.run(record("reference")))
    core_time, core_answer = best_of(
        max(1, runs // 2), lambda: graphql_bytes(TREE, core_replay, executor="reference")
    )
    if not same_json(answer, core_answer):
        raise RuntimeError("graphql-core and the compiled executor disagree on the tree")
    ratio = compiled_time / dumps_time
    return [
        Row(
            f"2b. whole tree, GraphQL layer alone, {missions:,} missions",
            f"{compiled_time * 1000:,.0f} ms (execute + encode)",
            f"json.dumps {dumps_time * 1000:,.0f} ms",
            ratio,
            "≤ 10×",
            ratio <= 10,
        ),
        Row(
            "    (the same through graphql-core resolvers + DataLoaders)",
            f"{core_time * 1000:,.0f} ms",
            f"json.dumps {dumps_time * 1000:,.0f} ms",
            core_time / dumps_time,
            "(reference)",
            None,
        ),
    ]


def _commands(uri: str, database: str, in_batch: int | None) -> int:
    """Commands the tree query sends, counted by pymongo's command monitoring."""
    counter = CommandCounter()
    settings = Settings(mongodb_uri=uri.replace("/?", f"/{database}?"), in_batch=in_batch)
    store = ServerStore.open(settings, event_listeners=[counter])

    async def run() -> None:
        # As in the API: the process's DatasetWatch has the snapshot in memory.
        snapshot = Snapshot.of(await store.dataset())
        counter.count = 0
        await graphql_bytes(TREE, store, snapshot=snapshot)
        await store.close()

    asyncio.run(run())
    return counter.count


def round_trips(uri: str, databases: dict[int, str], in_batch: int) -> Row:
    counts = {n: _commands(uri, database, None) for n, database in databases.items()}
    capped = {n: _commands(uri, database, in_batch) for n, database in databases.items()}
    sizes = sorted(counts)
    bounded = max(*counts.values(), *capped.values()) <= ROUND_TRIP_BOUND
    return Row(
        "3. database round trips for the tree",
        " / ".join(f"{counts[n]} at {n:,}" for n in sizes) + " missions",
        " / ".join(f"{capped[n]}" for n in sizes) + f" with MONGODB_IN_BATCH={in_batch}",
        None,
        f"≤ {ROUND_TRIP_BOUND} at any size",
        bounded,
        [
            f"MONGODB_IN_BATCH={in_batch} is used for 2a on SecantusDB, whose $in is quadratic; "
            "the default (no cap) is right for MongoDB."
        ],
    )


# -- 4: the loader -----------------------------------------------------------------


PEAK_RSS_KB = """
def peak_rss_kb():
    # VmHWM: this process's own peak. getrusage's ru_maxrss would start from the
    # parent's size at fork, which holds the baseline's documents.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""


def loader(uri: str, seeds: Path, missions: int) -> Row:
    """The loader against `insert_many` of the same documents, each into a fresh
    database of the same server, the baseline first (so neither runs beside the
    other's data)."""
    database = f"load{missions}"
    documents = prepare(read([str(seeds)]))
    client: MongoClient[Document]
    with MongoClient(uri) as client:
        db: Database[Document] = client[f"raw{missions}"]
        start = time.perf_counter()
        for name, docs in documents.items():
            for i in range(0, len(docs), BATCH_SIZE):
                db[name].insert_many(docs[i : i + BATCH_SIZE], ordered=False)
        raw_time = time.perf_counter() - start
        client.drop_database(f"raw{missions}")
    del documents
    collect()
    script = (
        "import resource, sys, time\n"
        "from pymongo import MongoClient\n"
        "from spacerace.loaders.pipeline import load\n"
        "from spacerace.store.writer import LOAD_CONNECT_TIMEOUT_MS\n"
        "db = MongoClient(sys.argv[1], connectTimeoutMS=LOAD_CONNECT_TIMEOUT_MS)[sys.argv[2]]\n"
        "start = time.perf_counter()\n"
        "report = load(db, [sys.argv[3]])\n"
        f"{PEAK_RSS_KB}"
        "print(time.perf_counter() - start, peak_rss_kb(), report.changes)\n"
        "print(' '.join(f'{k}={v:.1f}' for k, v in report.timings.items()))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, uri, database, str(seeds)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    first = out[0].split()
    load_time, rss_kb, changes = float(first[0]), int(first[1]), int(first[2])
    steps = dict(pair.split("=") for pair in out[1].split())
    with MongoClient(uri) as client:
        client.drop_database(database)
    ratio = raw_time / load_time
    breakdown = ", ".join(f"{step} {float(seconds):.1f} s" for step, seconds in steps.items())
    return Row(
        f"4. loader, {missions:,} missions ({changes:,} documents)",
        f"{load_time:,.1f} s, peak RSS {rss_kb / 1024:,.0f} MB",
        f"raw insert_many {raw_time:,.1f} s",
        ratio,
        "≥ 0.4× raw speed",
        ratio >= 0.4,
        [f"Loader steps at {missions:,} missions: {breakdown}."],
    )


def loader_memory(work: Path, missions: int) -> Row:
    """Peak memory of `spacerace load --dry-run` of one big YAML seed file (the whole
    missions folder in one file), in a subprocess."""
    seeds = work / "seeds-one-file"
    generate(missions, seeds, seed=3)
    records: list[Any] = []
    for part in sorted((seeds / "missions").glob("*.json")):
        records += orjson.loads(part.read_bytes())
        part.unlink()
    big = seeds / "missions" / "all.yaml"
    with big.open("w", encoding="utf-8") as handle:
        yaml.dump(records, handle, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
    del records
    size = big.stat().st_size
    script = (
        "import sys\n"
        "import mongomock\n"
        "from spacerace.loaders.pipeline import load\n"
        f"{PEAK_RSS_KB}"
        "load(mongomock.MongoClient()['m'], [sys.argv[1]], dry_run=True)\n"
        "print(peak_rss_kb())\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(seeds)], check=True, capture_output=True, text=True
    )
    rss = int(out.stdout.split()[-1]) * 1024
    return Row(
        f"4b. loader memory, one {size / 1e6:,.0f} MB YAML file ({missions:,} missions)",
        f"peak RSS {rss / 1e6:,.0f} MB",
        f"file {size / 1e6:,.0f} MB",
        rss / size,
        "(reported)",
        None,
    )


def pointer_cost(uri: str, database: str, in_batch: int, slug: str, runs: int) -> Row:
    """What resolving the dataset's generation costs a request: nothing with the
    process's DatasetWatch (the snapshot is in memory), against reading the
    pointer document in the request itself."""
    settings = Settings(mongodb_uri=uri.replace("/?", f"/{database}?"), in_batch=in_batch)

    async def measure() -> tuple[float, float, float]:
        store = ServerStore.open(settings)
        try:
            snapshot = Snapshot.of(await store.dataset())
            gate = GATES["compiled"]
            watch, per_request, pointer = [], [], []
            for _ in range(runs):
                start = time.perf_counter()
                await gate.run(Request(SMALL, {"slug": slug}), Reader(store, snapshot))
                watch.append(time.perf_counter() - start)
                start = time.perf_counter()
                await gate.run(Request(SMALL, {"slug": slug}), Reader(store))
                per_request.append(time.perf_counter() - start)
                start = time.perf_counter()
                await store.dataset()
                pointer.append(time.perf_counter() - start)
            return (
                statistics.median(watch) * 1000,
                statistics.median(per_request) * 1000,
                statistics.median(pointer) * 1000,
            )
        finally:
            await store.close()

    watch, per_request, pointer = asyncio.run(measure())
    return Row(
        "6. resolving the generation, small query in process",
        f"snapshot from the watch: p50 {watch:.2f} ms, 0 extra commands",
        f"pointer read per request: p50 {per_request:.2f} ms (find_one alone {pointer:.2f} ms)",
        watch / per_request,
        "(reported)",
        None,
    )


# -- 5: the embedded default ---------------------------------------------------------


def embedded_small_query(runs: int) -> Row:
    db: Any = mongomock.MongoClient(tz_aware=True)["bench"]
    load_seeds(db, [str(BUNDLED_SEEDS)])
    store = EmbeddedStore(db)

    async def measure() -> list[float]:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            await graphql_bytes(SMALL, store, {"slug": "voskhod-2"})
            times.append(time.perf_counter() - start)
        return times

    p50 = statistics.median(asyncio.run(measure())) * 1000
    return Row(
        "5. embedded default, small query in process",
        f"p50 {p50:.2f} ms",
        "target 5 ms",
        p50 / 5,
        "≤ 5 ms",
        p50 <= 5,
    )


def collect() -> None:
    gc.collect()


# -- 7: the version check ------------------------------------------------------------


def version_check(uri: str, database: str, runs: int) -> Row:
    """What keying answers on the dataset version costs each request: the DatasetWatch
    keeps the version in memory (one read a second per process), so a request reads
    an attribute and hashes the operation digest, the version and its variables.
    Against it: reading the version document from the database on every request."""
    db: Any = mongomock.MongoClient(tz_aware=True)["bench"]
    load_seeds(db, [str(BUNDLED_SEEDS)])
    store = EmbeddedStore(db)
    gate = Gate(schema._schema, GateSettings(), Protocols(ProtocolSettings(answer_cache_bytes=0)))
    variables = {"slug": "voskhod-2"}
    prepared = gate._prepare(SMALL)
    assert prepared.document is not None
    operation, fragments = _operation(prepared.document, None)
    assert not isinstance(operation, GraphQLError)
    coerced = get_variable_values(schema._schema, operation.variable_definitions or (), variables)
    assert isinstance(coerced, VariableValues)
    reader = Reader(store, Snapshot("0123456789abcdef01234567"))

    tag_times = []
    for _ in range(runs):
        start = time.perf_counter()
        gate._tag(prepared, operation, fragments, coerced, reader)
        tag_times.append(time.perf_counter() - start)
    tag_us = statistics.median(tag_times) * 1e6

    async def small() -> tuple[float, float]:
        """Medians with and without a version, run alternately so both see the same
        machine."""
        times: dict[bool, list[float]] = {True: [], False: []}
        for _ in range(runs):
            for versioned, snapshot in ((True, reader.snapshot), (False, Snapshot(None))):
                start = time.perf_counter()
                answer = await gate.run(Request(SMALL, variables), Reader(store, snapshot))
                answer.json()
                times[versioned].append(time.perf_counter() - start)
        return statistics.median(times[True]) * 1000, statistics.median(times[False]) * 1000

    with_version, without = asyncio.run(small())

    async def read_version() -> list[float]:
        server = ServerStore.open(Settings(mongodb_uri=uri.replace("/?", f"/{database}?")))
        try:
            await server.dataset_version()
            times = []
            for _ in range(max(runs // 10, 50)):
                start = time.perf_counter()
                await server.dataset_version()
                times.append(time.perf_counter() - start)
            return times
        finally:
            await server.close()

    read_ms = statistics.median(asyncio.run(read_version())) * 1000
    return Row(
        "8. the version check per request",
        f"{tag_us:,.1f} µs (version in memory + answer tag, 1/{read_ms * 1000 / tag_us:,.0f} "
        f"of a read); small query p50 {with_version:.3f} ms with it, {without:.3f} ms without",
        f"reading the version from the database each request: p50 {read_ms:.2f} ms",
        None,
        "(cost: smaller is better)",
        None,
        [
            "8: the tag is computed once per request that reaches execution (a digest of "
            "the dataset version, the operation's cached digest and the coerced "
            "variables); the small-query times are in process on the embedded store with "
            "the answer cache off, so both execute. The DatasetWatch's own read is one "
            "`find_one` per second per process, whatever the traffic."
        ],
    )
