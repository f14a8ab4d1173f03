"""The server as deployed: `spacerace serve --workers 2` against one worker, and the
cost of metrics and JSON access lines, both on the small query under `wrk`.

`wrk` is a native load generator (Debian's package; .ci/run installs it): one thread
of it needs a fraction of a core, where a Python generator would take a whole one
from the two the server has. Each pair of servers runs side by side on loopback, and
the loads alternate between them; the ratio is the median of the ratios of runs
taken one after the other.

The API runs on the embedded store here, on purpose: SecantusDB is itself a Python
process on the same two cores, and with two workers it, not the API, would be the
bottleneck. In process, each worker's work is its own.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from benchmarks.queries import SMALL
from benchmarks.scenarios import Row, _free_port

SLUG = "voskhod-2"
EXPECTED = {
    "data": {
        "mission": {
            "name": "Voskhod 2",
            "crew": [
                {"role": "Commander", "person": {"name": "Pavel Belyayev"}},
                {"role": "Pilot", "person": {"name": "Alexey Leonov"}},
            ],
        }
    }
}
WORKERS_TARGET = 1.5
COST_TARGET = 0.03


@dataclass
class WrkResult:
    rate: float
    p50_ms: float
    p99_ms: float
    requests: int
    cpu_ms: float = 0.0
    """CPU time the server's processes (user + system) spent a request: a figure that
    other work on the machine inflates less than the rate."""
    others: float = 0.0
    """The share of the machine's cores that other processes used during the run."""

    def shown(self) -> str:
        return (
            f"{self.rate:,.0f} req/s (p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms; "
            f"{self.cpu_ms:.2f} ms CPU a request)"
        )


def cpu_seconds(pid: int) -> float:
    """User + system time of a process and of its living descendants (uvicorn's
    workers, started from one of its threads)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for one in [pid, *_descendants(pid)]:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            kids = [int(child) for child in children.read_text().split()]
        except OSError:
            continue
        for kid in kids:
            found += [kid, *_descendants(kid)]
    return found


class ServeProcess:
    """`spacerace serve` on a free port, its output in a file, ready when every worker
    has started its app."""

    def __init__(self, work: Path, name: str, workers: int, env: dict[str, str]) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.log = work / f"{name}.log"
        self._out = self.log.open("w")
        argv = [sys.executable, "-m", "spacerace.api.cli", "serve", "--port", str(self.port)]
        argv += ["--workers", str(workers)]
        full = {k: v for k, v in os.environ.items() if not k.startswith("MONGODB_")}
        full.pop("PROMETHEUS_MULTIPROC_DIR", None)
        self.process = subprocess.Popen(
            argv, env={**full, **env}, stdout=self._out, stderr=subprocess.STDOUT
        )

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited:\n{self.log.read_text()}")
            started = self.log.read_text(errors="replace").count("Application startup complete")
            if started >= self.workers:
                return
            time.sleep(0.2)
        raise RuntimeError(f"the server did not start:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._out.close()


def _check_answer(url: str) -> None:
    body = json.dumps({"query": SMALL, "variables": {"slug": SLUG}}).encode()
    request = urllib.request.Request(
        f"{url}/graphql", data=body, headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        answer = json.loads(response.read())
    if answer.get("data") != EXPECTED["data"] or "errors" in answer:
        raise RuntimeError(f"unexpected answer: {answer}")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def machine_busy() -> float:
    """CPU seconds the whole machine has spent busy since boot, all cores (/proc/stat)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def wrk(url: str, script: Path, seconds: float, connections: int, pid: int = 0) -> WrkResult:
    cpu_before = cpu_seconds(pid) if pid else 0.0
    busy_before, ours_before = machine_busy(), _own_cpu()
    started = time.perf_counter()
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--latency",
            "-s",
            str(script),
            f"{url}/graphql",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    if "Non-2xx" in out or "Socket errors" in out:
        raise RuntimeError(f"wrk saw failed requests:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    cpu = cpu_seconds(pid) - cpu_before if pid else 0.0
    wall = time.perf_counter() - started
    # What neither the server, nor wrk, nor this process used: other work's share of
    # the machine's cores during the run.
    others = machine_busy() - busy_before - cpu - (_own_cpu() - ours_before)
    share = max(0.0, others) / (wall * (os.cpu_count() or 1))
    return WrkResult(rate, p50, p99, requests, cpu / requests * 1000, share)


def _own_cpu() -> float:
    """CPU time of this process and of its finished children (wrk)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def _script(work: Path) -> Path:
    body = json.dumps({"query": SMALL, "variables": {"slug": SLUG}})
    script = work / "small-query.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = [[{body}]]\n"
        'wrk.headers["Content-Type"] = "application/json"\n',
        encoding="utf-8",
    )
    return script


@dataclass
class Pair:
    """Two servers measured in alternation: `a` against `b`."""

    a: list[WrkResult]
    b: list[WrkResult]

    @property
    def ratio(self) -> float:
        """The median of the rate ratios of runs taken one after the other: what other
        work on the machine does to one run it mostly does to its neighbour too."""
        return statistics.median(x.rate / y.rate for x, y in zip(self.a, self.b, strict=True))

    @property
    def cpu_ratio(self) -> float:
        return statistics.median(x.cpu_ms / y.cpu_ms for x, y in zip(self.a, self.b, strict=True))

    @staticmethod
    def summary(found: list[WrkResult]) -> WrkResult:
        """The fastest run, with the median CPU a request."""
        fastest = max(found, key=lambda r: r.rate)
        return dataclasses.replace(fastest, cpu_ms=statistics.median(r.cpu_ms for r in found))


def _side_by_side(
    work: Path,
    a: tuple[str, int, dict[str, str]],
    b: tuple[str, int, dict[str, str]],
    seconds: float,
    connections: int,
    runs: int,
) -> Pair:
    """Start both servers, then load them in turn, `runs` pairs in the order a b, b a,
    a b, ... (so that a drift in the machine's load favours neither)."""
    script = _script(work)
    results: dict[str, list[WrkResult]] = {a[0]: [], b[0]: []}
    with ExitStack() as stack:
        started = {}
        for name, workers, env in (a, b):
            process = ServeProcess(work, name, workers, env)
            stack.callback(process.stop)
            started[name] = process
        for process in started.values():
            process.wait_ready()
            _check_answer(process.url)
            wrk(process.url, script, 1, connections)  # warm up
        for run in range(runs):
            for name in (a[0], b[0]) if run % 2 == 0 else (b[0], a[0]):
                process = started[name]
                pid = process.process.pid
                results[name].append(wrk(process.url, script, seconds, connections, pid))
    return Pair(results[a[0]], results[b[0]])


def in_process_costs(work: Path) -> dict[str, float]:
    """Microseconds of server CPU that the observability adds to a request, measured
    in process (best of 5 × 20,000): the metrics a GraphQL request records (the
    request, its executor, two database commands), in one process and in
    multiprocess mode, and one JSON access line written to a file."""
    import logging
    import timeit

    from spacerace.api import logs

    folder = work / "multiproc"
    folder.mkdir()
    script = (
        "import sys, timeit\n"
        "from spacerace.api.metrics import Metrics\n"
        "m = Metrics(100, sys.argv[1] or None)\n"
        "def record():\n"
        "    m.request('Crew', 'ok', 0.004, 'compiled')\n"
        "    m.finished('find', None, 0.001, None)\n"
        "    m.finished('find', None, 0.001, None)\n"
        "print(min(timeit.repeat(record, number=20000, repeat=5)) / 20000 * 1e6)\n"
    )
    costs = {}
    for name, where in (("metrics", ""), ("metrics, multiprocess", str(folder))):
        # A process of its own: prometheus-client picks its mode when first imported.
        env = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
        if where:
            env["PROMETHEUS_MULTIPROC_DIR"] = where
        out = subprocess.run(
            [sys.executable, "-c", script, where], env=env, check=True, capture_output=True
        )
        costs[name] = float(out.stdout)
    handler = logging.FileHandler(work / "access-lines.log")
    handler.setFormatter(logs.JsonFormatter())
    logger = logging.Logger("bench.access")
    logger.addHandler(handler)
    fields = {
        "request_id": "0" * 32,
        "method": "POST",
        "path": "/graphql",
        "status": 200,
        "duration_ms": 4.2,
        "operation_name": "Crew",
        "executor": "compiled",
        "outcome": "ok",
    }

    def line() -> None:
        record = logger.makeRecord(
            logger.name,
            logging.INFO,
            __file__,
            0,
            "%s",
            ("POST /graphql",),
            None,
            extra={"access": fields},
        )
        logger.handle(record)

    costs["JSON access line"] = min(timeit.repeat(line, number=20000, repeat=5)) / 20000 * 1e6
    handler.close()
    return costs


def rows(seconds: float, connections: int, runs: int) -> list[Row]:
    """Rows 12 and 13, or one row saying why they were not measured."""
    if shutil.which("wrk") is None:
        return [
            Row(
                "12–13. workers and observability under wrk",
                "not measured: wrk is not installed (apt-get install wrk)",
                "",
                None,
                "",
                None,
            )
        ]
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="spacerace-serve-bench-") as tmp:
        work = Path(tmp)
        # The answer cache off, as in row 1: every request executes, which is the work
        # workers share out; from the cache a request is mostly HTTP, and wrk on the
        # same two cores is what bounds the rate.
        executes = {"SPACERACE_ANSWER_CACHE_BYTES": "0"}
        scaling = _side_by_side(
            work, ("two", 2, executes), ("one", 1, executes), seconds, connections, runs
        )
        observed = _side_by_side(
            work,
            ("on", 1, {**executes, "SPACERACE_LOG_FORMAT": "json", "SPACERACE_METRICS": "true"}),
            (
                "off",
                1,
                {**executes, "SPACERACE_ACCESS_LOG": "false", "SPACERACE_METRICS": "false"},
            ),
            seconds,
            connections,
            runs,
        )
        # A control: two servers with the same settings, measured the same way. Their
        # ratio is what the method itself resolves on this machine.
        off_settings = {**executes, "SPACERACE_ACCESS_LOG": "false", "SPACERACE_METRICS": "false"}
        control = _side_by_side(
            work, ("off-a", 1, off_settings), ("off-b", 1, off_settings), seconds, connections, runs
        )
        logged = sum(1 for _ in (work / "on.log").open())
        micro = in_process_costs(work)
    load_after = os.getloadavg()[0]
    two, one = Pair.summary(scaling.a), Pair.summary(scaling.b)
    on, off = Pair.summary(observed.a), Pair.summary(observed.b)
    ratio, kept = scaling.ratio, observed.ratio
    cost, cpu_cost = 1 - kept, observed.cpu_ratio - 1
    a_run = max(1, round(seconds))
    shares = [r.others for pair in (scaling, observed, control) for r in (*pair.a, *pair.b)]
    others, worst = statistics.median(shares), max(shares)
    return [
        Row(
            f"12. `serve --workers 2` against 1, small query (answer cache off), wrk "
            f"{connections} connections",
            f"2 workers {two.shown()}",
            f"1 worker {one.shown()}",
            ratio,
            f"≥ {WORKERS_TARGET}× on 2 cores",
            ratio >= WORKERS_TARGET,
            [
                f"Rows 12 and 13: `spacerace serve` on the embedded store (SecantusDB would "
                "share the two cores as a Python process of its own and, with two workers, "
                f"be the bottleneck), loaded by wrk: 1 thread, {connections} keep-alive "
                f"connections, {runs} pairs of {a_run} s runs taken in turn (a b, b a, ...). "
                "The ratio is the median of the pairs' ratios; the figures shown are each "
                "side's fastest run and its median server CPU time a request (user + system "
                "of the server's processes, read from /proc). Other processes on the "
                f"machine used a median {others:.0%} of its cores during the runs (at most "
                f"{worst:.0%}; one-minute load average {load_before:.2f} before, "
                f"{load_after:.2f} after): they take cores from the workers, more from two "
                "than from one."
            ],
        ),
        Row(
            "13. metrics + JSON access lines, on against off, small query (answer cache off)",
            f"on {on.shown()}",
            f"off {off.shown()}",
            kept,
            f"cost ≤ {COST_TARGET:.0%} (≥ {1 - COST_TARGET:.2f}×)",
            cost <= COST_TARGET,
            [
                f"Row 13: on = SPACERACE_LOG_FORMAT=json, the access line and the metrics "
                f"(one worker; {logged:,} lines written to a file); off = "
                f"SPACERACE_ACCESS_LOG=false and SPACERACE_METRICS=false. Cost: {cost:+.1%} "
                f"of the rate, {cpu_cost:+.1%} of the server's CPU time a request (medians "
                "of the pairs). In process, per request: "
                + ", ".join(f"{name} {us:.1f} µs" for name, us in micro.items())
                + f", against the {off.cpu_ms * 1000:,.0f} µs of server CPU a request takes "
                f"with them off. Control, two servers both off, measured alike: "
                f"{control.ratio:.2f}× the rate, {control.cpu_ratio:.2f}× the CPU time a "
                "request: a cost smaller than the control's distance from 1 is not resolved "
                "end to end here."
            ],
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    """Rows 12 and 13 alone: `python -m benchmarks.serving [--quick]`."""
    import argparse

    from benchmarks.__main__ import render

    parser = argparse.ArgumentParser(prog="python -m benchmarks.serving", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1 s runs, 2 of each (CI)")
    parser.add_argument("--seconds", type=float, help="a run (default 5; quick 1)")
    parser.add_argument("--runs", type=int, help="alternating runs (default 5; quick 2)")
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args(argv)
    seconds = args.seconds or (1.0 if args.quick else 5.0)
    runs = args.runs or (2 if args.quick else 5)
    started = time.perf_counter()
    found = rows(seconds, args.connections, runs)
    command = "python -m benchmarks.serving" + (" --quick" if args.quick else "")
    table = render(found, command, time.perf_counter() - started)
    # render() names SecantusDB; these rows run on the embedded store.
    table = table.replace(
        "SecantusDB as the MongoDB wire-protocol server.",
        "the embedded store (see the notes).",
    ).rstrip()
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
