"""The hostile probes against a real uvicorn process: every one refused as over the
test client, and the server's memory bounded while they come and given back after."""

from __future__ import annotations

import time
from collections.abc import Iterator

import orjson
import pytest

from benchmarks.hostile import PROBES, PRODUCTION, Probe, send
from tests.api_server import ApiServer

GROWTH_MB = 300
"""The most the server may grow while the probes come (the issue's bound)."""
RETURN_MB = 50
"""How close to where it started it must be afterwards."""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    server = ApiServer(PRODUCTION, log=tmp_path_factory.mktemp("api") / "uvicorn.log")
    yield server
    server.stop()


def _valid(i: int) -> Probe:
    """A distinct valid query of about 30 KB (long comments), answered normally."""
    comments = "".join(f"# {i} {n} " + "x" * 1_000 + "\n" for n in range(30))
    query = comments + '{ mission(slug: "voskhod-2") { name crew { person { name } } } }'
    return Probe(f"valid {i}", "", 200, lambda: orjson.dumps({"query": query}))


def _check(api: ApiServer, probe: Probe) -> None:
    reply = send("127.0.0.1", api.port, probe)
    assert reply.status == probe.status, (probe.name, reply.body[:300])
    body = reply.json()
    assert isinstance(body, dict)
    if probe.code:
        assert body["errors"][0]["extensions"]["code"] == probe.code, probe.name
    else:
        assert body["data"]["mission"]["name"] == "Voskhod 2"


@pytest.mark.parametrize(
    "probe", [p for p in PROBES if "compiled" in p.executors], ids=lambda p: p.name
)
def test_a_real_server_refuses_the_probe(api: ApiServer, probe: Probe) -> None:
    start = time.perf_counter()
    _check(api, probe)
    assert time.perf_counter() - start < 2.0


def test_the_probes_do_not_grow_the_server(api: ApiServer) -> None:
    for i in range(3):  # warm: caches, pools, first-use imports
        _check(api, _valid(-i))
    before, _ = api.memory_mb()
    for _ in range(2):
        for probe in PROBES:
            if "compiled" in probe.executors:
                _check(api, probe)
        for i in range(20):
            _check(api, _valid(i))
    time.sleep(0.5)
    after, peak = api.memory_mb()
    print(f"RSS before {before:.0f} MB, peak {peak:.0f} MB, after {after:.0f} MB")
    assert peak - before <= GROWTH_MB
    assert after - before <= RETURN_MB
    assert api.process.poll() is None
