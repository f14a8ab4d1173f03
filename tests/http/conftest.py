"""Apps for the protocol tests: one per backend and executor where the answer matters,
one shared embedded app where only the transport does."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest
from starlette.testclient import TestClient

from spacerace.api.app import create_app
from spacerace.api.settings import HTTPSettings
from spacerace.schema.gate import GateSettings
from spacerace.schema.protocols import ProtocolSettings
from spacerace.store.settings import Settings

MakeClient = Callable[..., AbstractContextManager[TestClient]]


@pytest.fixture(params=["embedded", pytest.param("wire", marks=pytest.mark.wire)])
def backend(request: pytest.FixtureRequest) -> Settings:
    if request.param == "embedded":
        return Settings()
    return Settings(mongodb_uri=request.getfixturevalue("loaded_wire"))


def _client(
    settings: Settings, executor: str = "compiled", **options: Any
) -> AbstractContextManager[TestClient]:
    @contextmanager
    def run() -> Iterator[TestClient]:
        app = create_app(
            settings,
            GateSettings(executor=executor),
            http_settings=options.pop("http", HTTPSettings()),
            protocol_settings=options.pop("protocols", ProtocolSettings()),
        )
        with TestClient(app) as client:
            yield client

    return run()


@pytest.fixture
def make_client(backend: Settings, executor: str) -> MakeClient:
    """Opens the app on each backend, under each executor, with the given settings
    (`http=HTTPSettings(...)`, `protocols=ProtocolSettings(...)`)."""
    return lambda **options: _client(backend, executor, **options)


@pytest.fixture
def api(make_client: MakeClient) -> Iterator[TestClient]:
    with make_client() as client:
        yield client


@pytest.fixture(scope="module")
def transport() -> Iterator[TestClient]:
    """One embedded app for tests of the transport alone (status codes, headers)."""
    with _client(Settings()) as client:
        yield client
