"""Run every benchmark scenario and print one table of figures and ratios.

    python -m benchmarks            # the full sizes of the performance issue
    python -m benchmarks --quick    # small sizes, as CI runs it

Starts what it needs (a SecantusDB server on a free loopback port, the API under
uvicorn), generates the data, and exits non-zero only on errors: targets are
reported, not asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from pymongo import MongoClient

from benchmarks import limits, scenarios, serving
from benchmarks.generate import generate
from benchmarks.scenarios import Row
from spacerace.loaders.pipeline import load
from spacerace.store.connection import Document
from spacerace.store.generations import live
from tests.wire_server import WireServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="small sizes (CI)")
    parser.add_argument("--missions", type=int, help="tree size (default 10,000; quick 1,000)")
    parser.add_argument(
        "--loader-missions", type=int, help="loader size (default 100,000; quick 2,000)"
    )
    parser.add_argument("--seconds", type=float, help="HTTP load per run (default 5; quick 1)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--in-batch",
        type=int,
        default=500,
        help="MONGODB_IN_BATCH for SecantusDB (default %(default)s)",
    )
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    args = parser.parse_args(argv)
    missions = args.missions or (1_000 if args.quick else 10_000)
    loader_missions = args.loader_missions or (2_000 if args.quick else 100_000)
    seconds = args.seconds or (1.0 if args.quick else 5.0)
    runs = 2 if args.quick else 3

    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="spacerace-bench-") as tmp:
        work = Path(tmp)
        server = WireServer(work)
        try:
            small, large = max(missions // 10, 100), missions
            databases = {}
            for size in (small, large):
                seeds = work / f"seeds-{size}"
                generate(size, seeds, seed=1)
                client: MongoClient[Document]
                with MongoClient(server.uri) as client:
                    load(client[f"tree{size}"], [str(seeds)])
                databases[size] = f"tree{size}"
                _say(f"loaded {size:,} missions")
            slug = _a_crewed_mission(server.uri, databases[large])

            rows.append(
                scenarios.small_query_http(
                    server.uri.replace("/?", f"/{databases[large]}?"),
                    args.in_batch,
                    slug,
                    seconds,
                    args.connections,
                )
            )
            _say("1 done")
            cached, on_the_wire = scenarios.cached_http(
                server.uri.replace("/?", f"/{databases[large]}?"),
                args.in_batch,
                slug,
                seconds,
                args.connections,
                large,
            )
            rows.append(cached)
            _say("1b and 7 done")
            uri = server.uri.replace("/?", f"/{databases[large]}?")
            limit_rows = [limits.mixed_load(uri, args.in_batch, slug, seconds, runs)]
            _say("9 done")
            rounds, round_seconds = (2, 1.0) if args.quick else (8, 3.0)
            limit_rows += limits.limits_cost(uri, args.in_batch, slug, round_seconds, rounds)
            _say("10 done")
            limit_rows.append(limits.healthz_during_tree(uri, args.in_batch, large))
            _say("11 done")
            rows.append(
                scenarios.tree_end_to_end(server.uri, databases[large], args.in_batch, large, runs)
            )
            _say("2a done")
            rows += scenarios.tree_layer_alone(
                server.uri, databases[large], args.in_batch, large, runs
            )
            _say("2b done")
            rows.append(scenarios.round_trips(server.uri, databases, args.in_batch))
            _say("3 done")
            loader_seeds = work / "seeds-loader"
            generate(loader_missions, loader_seeds, seed=2)
            rows.append(scenarios.loader(server.uri, loader_seeds, loader_missions))
            _say("4 done")
            rows.append(scenarios.loader_memory(work, 4_000 if args.quick else 95_000))
            _say("4b done")
            rows.append(scenarios.embedded_small_query(200 if args.quick else 1000))
            _say("5 done")
            rows.append(
                scenarios.pointer_cost(
                    server.uri, databases[large], args.in_batch, slug, 200 if args.quick else 1000
                )
            )
            _say("6 done")
            rows += on_the_wire
            rows.append(
                scenarios.version_check(server.uri, databases[large], 500 if args.quick else 5000)
            )
            rows += limit_rows
        finally:
            server.stop()
    # The deployed server under wrk, with the wire-protocol server stopped.
    rows += serving.rows(seconds, args.connections, 2 if args.quick else 5)
    _say("12-13 done")

    command = "python -m benchmarks" + (" --quick" if args.quick else "")
    table = render(rows, command, time.perf_counter() - started, (load_before, os.getloadavg()[0]))
    print(table)
    if args.markdown:
        args.markdown.write_text(table + "\n", encoding="utf-8")
    return 0


def _a_crewed_mission(uri: str, database: str) -> str:
    client: MongoClient[Document]
    with MongoClient(uri) as client:
        doc = live(client[database], "missions").find_one(
            {"crewed": True, "crew.1": {"$exists": True}}
        )
    if doc is None:
        raise RuntimeError("no crewed mission in the generated data")
    return str(doc["_id"])


def render(
    rows: list[Row], command: str, seconds: float, load: tuple[float, float] = (0.0, 0.0)
) -> str:
    lines = [
        f"Command: `{command}` ({seconds:,.0f} s), "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        "SecantusDB as the MongoDB wire-protocol server; load average "
        f"{load[0]:.1f} at the start, {load[1]:.1f} at the end.",
        "",
        "| scenario | measured | baseline | ratio | target | met |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        ratio = f"{row.ratio:.2f}×" if row.ratio is not None else ""
        met = {True: "yes", False: "**no**", None: ""}[row.met]
        lines.append(
            f"| {row.scenario} | {row.measured} | {row.baseline} | {ratio} | {row.target} | {met} |"
        )
    notes = [note for row in rows for note in row.notes]
    return "\n".join(lines + ([""] + [f"- {n}" for n in notes] if notes else []))


def _say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
