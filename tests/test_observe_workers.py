"""`spacerace serve --workers 2` as an operator runs it: JSON lines on stdout and
stderr, and one /metrics that sums both workers."""

from __future__ import annotations

import json
import os
import re
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.http.test_observe import value
from tests.serving import Server, free_port, get

QUERY = 'query Crew { mission(slug: "voskhod-2") { name } }'


def _ask(base: str, number: int) -> str:
    """One request on a connection of its own (so the kernel may hand it to either
    worker); the X-Request-ID it was answered with."""
    request = urllib.request.Request(
        f"{base}/graphql",
        data=json.dumps({"query": QUERY}).encode(),
        headers={"content-type": "application/json", "x-request-id": f"batch-{number}"},
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        assert json.loads(response.read())["data"] == {"mission": {"name": "Voskhod 2"}}
        return str(response.headers["x-request-id"])


def _lines(text: str) -> list[dict[str, Any]]:
    found = []
    for line in text.splitlines():
        if line.startswith("{"):
            found.append(json.loads(line))
    return found


@pytest.mark.slow
def test_two_workers_log_json_and_their_metrics_add_up(tmp_path: Path) -> None:
    port = free_port()
    argv = [sys.executable, "-m", "spacerace.api.cli", "serve", "--port", str(port)]
    argv += ["--workers", "2"]
    env = {**os.environ, "SPACERACE_LOG_FORMAT": "json"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    server = Server(argv, port=port, cwd=tmp_path, env=env, log=tmp_path / "serve.log")
    sent = 0
    with server:
        with ThreadPoolExecutor(8) as pool:
            # Until both workers have answered some (bounded: the kernel decides).
            for _ in range(10):
                ids = list(pool.map(lambda n: _ask(server.base, n), range(sent, sent + 40)))
                assert ids == [f"batch-{n}" for n in range(sent, sent + 40)]
                sent += 40
                pids = {
                    line["pid"]
                    for line in _lines(server.output())
                    if line.get("logger") == "spacerace.access" and line["path"] == "/graphql"
                }
                if len(pids) == 2:
                    break
        status, content_type, text = get(f"{server.base}/metrics")
        # Every worker's file, whichever answers: the same sum on a second scrape.
        _, _, again = get(f"{server.base}/metrics")
        log = server.output()
        folder = re.search(r"PROMETHEUS_MULTIPROC_DIR=(\S+)", log)
        assert folder is not None, log
        assert Path(folder.group(1)).is_dir()
        code = server.stop()
    assert code == 0, log
    assert not Path(folder.group(1)).exists()  # the temporary folder is gone
    assert status == 200
    assert content_type.startswith("text/plain")
    assert len(pids) == 2, "one worker answered every request"
    for scrape in (text, again):
        ok = value(scrape, "spacerace_requests_total", operation_name="Crew", outcome="ok")
        timed = value(scrape, "spacerace_request_duration_seconds_count", operation_name="Crew")
        assert ok == timed == sent
        served = [
            line
            for line in scrape.splitlines()
            if line.startswith("spacerace_dataset_info{") and line.endswith(" 1.0")
        ]
        assert len(served) == 1, scrape  # one version, whichever worker wrote it last
    lines = _lines(server.output())
    access = [line for line in lines if line.get("logger") == "spacerace.access"]
    graphql = [line for line in access if line["path"] == "/graphql"]
    assert len(graphql) == sent
    assert {line["request_id"] for line in graphql} == {f"batch-{n}" for n in range(sent)}
    for line in graphql:
        assert line["method"] == "POST"
        assert line["status"] == 200
        assert line["operation_name"] == "Crew"
        assert line["executor"] in ("compiled", "cache")  # each worker executes it once
        assert line["duration_ms"] > 0
    executed = {line["pid"] for line in graphql if line["executor"] == "compiled"}
    assert executed == pids
    # uvicorn's own lines are JSON too, and its plain access log is off.
    started = [line for line in lines if "Started server process" in line["message"]]
    assert len(started) == 2
    assert not [line for line in log.splitlines() if '"POST /graphql HTTP/1.1" 200' in line]
    assert "Traceback" not in log
