"""Run `spacerace serve` (or any server command) as a real process on a free
loopback port, wait until it answers, ask it things over HTTP, stop it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

VOSKHOD_2 = '{ mission(slug: "voskhod-2") { name } }'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str, *, accept: str = "*/*", timeout: float = 10) -> tuple[int, str, str]:
    """Status, content type and text of a GET (error statuses included)."""
    request = urllib.request.Request(url, headers={"accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read().decode()
            return response.status, response.headers.get("content-type", ""), body
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("content-type", ""), error.read().decode()


def graphql(base: str, query: str, timeout: float = 10) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{base}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        answer: dict[str, Any] = json.loads(response.read())
        return answer


class Server:
    """A server process whose output goes to a log file; `base` is its URL."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        port: int,
        cwd: Path,
        env: Mapping[str, str] | None = None,
        log: Path,
        user: int | None = None,
    ) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.log = log
        self._log_file = log.open("w")
        self.process = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=dict(os.environ if env is None else env),
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            user=user,
        )

    def wait_until_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"the server exited with {self.process.returncode}:\n{self.output()}"
                )
            try:
                status, _, _ = get(f"{self.base}/readyz", timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise AssertionError(f"no answer within {timeout} s:\n{self.output()}")

    def output(self) -> str:
        if not self._log_file.closed:
            self._log_file.flush()
        return self.log.read_text(errors="replace")

    def stop(self, timeout: float = 20.0) -> int:
        """SIGTERM, as an orchestrator stops a container; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()
        return self.process.returncode

    def __enter__(self) -> Server:
        try:
            self.wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def require(available: bool, reason: str) -> None:
    """Skip a test whose tool is missing here; in CI (CI set), where .ci/run installs
    every tool, fail instead, so that a broken install cannot pass as a skip."""
    import pytest

    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: .ci/run should have installed it)")
    pytest.skip(reason)
