"""Work stops when the client goes away, on a real uvicorn server."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
import uvicorn

from spacerace.api import app as app_module
from spacerace.api.app import create_app
from spacerace.schema.gate import GateSettings
from spacerace.store.settings import Settings
from tests.slow_store import SlowStore

QUERY = '{ mission(slug: "voskhod-2") { name } }'


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, executor: str) -> Iterator[tuple[int, SlowStore]]:
    """uvicorn in a thread, on a store whose reads take 30 s."""
    stores: list[SlowStore] = []
    opened = app_module.open_store

    def slow(settings: Settings, *observers: Any) -> SlowStore:
        stores.append(SlowStore(opened(settings, *observers), 30))
        return stores[-1]

    monkeypatch.setattr(app_module, "open_store", slow)
    port = _free_port()
    app = create_app(Settings(), GateSettings(executor=executor))
    config = uvicorn.Config(app, port=port, log_level="warning", lifespan="on")
    uvi = uvicorn.Server(config)
    thread = threading.Thread(target=uvi.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uvi.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield port, stores[0]
    uvi.should_exit = True
    thread.join(timeout=10)


def _get(port: int) -> socket.socket:
    from urllib.parse import quote

    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(f"GET /graphql?query={quote(QUERY)} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    return sock


def _post(port: int) -> socket.socket:
    body = orjson.dumps({"query": QUERY})
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(
        b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    return sock


def _wait(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_a_client_that_goes_away_stops_the_work(server: tuple[int, SlowStore], method: str) -> None:
    port, store = server
    sock = _post(port) if method == "POST" else _get(port)
    assert _wait(lambda: store.started >= 1, 5), "the request never reached the store"
    sock.close()
    assert _wait(lambda: store.cancelled >= 1, 3), "the read went on after the client left"
    assert store.finished == 0


def test_a_client_that_stays_gets_its_answer(server: tuple[int, SlowStore]) -> None:
    port, store = server
    store.delay = 0.2
    sock = _post(port)
    sock.settimeout(10)
    answer = sock.recv(65_536)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 200")
    assert b"Voskhod 2" in answer
    assert store.cancelled == 0


def test_the_middleware_leaves_other_requests_alone(server: tuple[int, SlowStore]) -> None:
    port, _store = server

    async def healthz() -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        data = await reader.read(65_536)
        writer.close()
        return data

    assert asyncio.run(healthz()).startswith(b"HTTP/1.1 200")
