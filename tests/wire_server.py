"""Start and stop a MongoDB wire-protocol server (SecantusDB) for the tests.

SecantusDB is GPL-2.0 and only ever runs as a separate process; nothing in the
product imports it. Tests that need it are marked `wire`.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pymongo


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _executable() -> str:
    local = Path(sys.executable).with_name("secantusd-py")
    found = str(local) if local.exists() else shutil.which("secantusd-py")
    if not found:
        raise RuntimeError(
            "secantusd-py not found: install the test extras (pip install -e '.[test]')"
        )
    return found


class WireServer:
    """A SecantusDB process on a free loopback port with throw-away storage.

    For fault tests it can be paused (SIGSTOP: the port stays open, nothing answers),
    resumed, killed (SIGKILL) and restarted on the same port and storage."""

    def __init__(self, storage: Path) -> None:
        self.port = _free_port()
        self.uri = f"mongodb://127.0.0.1:{self.port}/?directConnection=true"
        self.log = storage / "secantusd.log"
        self._log_file = self.log.open("w")
        self._command = [
            _executable(),
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--storage-path",
            str(storage / "data"),
            "--log-level",
            "WARNING",
        ]
        self.process = self._start()
        self._wait_until_ready()

    def _start(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(self._command, stdout=self._log_file, stderr=subprocess.STDOUT)

    def pause(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

    def restart(self, *, graceful: bool = False) -> None:
        """Start again on the same port and storage: after `kill`, or (graceful) after
        a clean shutdown that has written everything to disk."""
        if self.process.poll() is None:
            if graceful:
                self.process.terminate()
                self.process.wait(timeout=30)
            else:
                self.kill()
        self.process = self._start()
        self._wait_until_ready()

    def _wait_until_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"secantusd-py exited: {self.log.read_text()}")
            try:
                client: pymongo.MongoClient[dict[str, object]]
                with pymongo.MongoClient(self.uri, serverSelectionTimeoutMS=200) as client:
                    client.admin.command("ping")
                return
            except pymongo.errors.PyMongoError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"secantusd-py did not answer within {timeout} s")

    def stop(self) -> None:
        self.resume()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log_file.close()
