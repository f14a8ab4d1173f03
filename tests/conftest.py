from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import mongomock
import pymongo
import pytest
from pymongo.database import Database

from spacerace.store.aio import AsyncStore, EmbeddedStore, ServerStore
from spacerace.store.settings import BUNDLED_SEEDS, Settings
from tests.wire_server import WireServer

Document = dict[str, Any]


@pytest.fixture(scope="session")
def wire_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WireServer]:
    server = WireServer(tmp_path_factory.mktemp("secantus"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def wire_client(wire_server: WireServer) -> Iterator[pymongo.MongoClient[Document]]:
    client: pymongo.MongoClient[Document] = pymongo.MongoClient(
        wire_server.uri, serverSelectionTimeoutMS=2000
    )
    yield client
    client.close()


@pytest.fixture(params=["embedded", pytest.param("wire", marks=pytest.mark.wire)])
def db(request: pytest.FixtureRequest) -> Iterator[Database[Document]]:
    """A fresh, empty database: mongomock, or a database on the wire-protocol server."""
    if request.param == "embedded":
        yield mongomock.MongoClient(tz_aware=True)["spacerace"]
        return
    client = request.getfixturevalue("wire_client")
    name = f"test_{uuid.uuid4().hex[:12]}"
    yield client[name]
    client.drop_database(name)


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A copy of the bundled seeds that a test may edit."""
    return Path(shutil.copytree(BUNDLED_SEEDS, tmp_path / "seeds"))


@pytest.fixture
def wire_db(wire_client: pymongo.MongoClient[Document]) -> Iterator[Database[Document]]:
    """A fresh database on the wire-protocol server."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    yield wire_client[name]
    wire_client.drop_database(name)


@pytest.fixture(scope="session")
def loaded_embedded() -> Database[Document]:
    """The bundled seeds, loaded once into mongomock; tests must not write to it."""
    from spacerace.loaders.pipeline import load

    db: Database[Document] = mongomock.MongoClient(tz_aware=True)["spacerace"]
    load(db, [str(BUNDLED_SEEDS)])
    return db


@pytest.fixture(scope="session")
def loaded_wire(wire_client: pymongo.MongoClient[Document], wire_server: WireServer) -> str:
    """The bundled seeds, loaded once into a database on the wire-protocol server: its URI."""
    from spacerace.loaders.pipeline import load

    load(wire_client["seeded"], [str(BUNDLED_SEEDS)])
    return wire_server.uri.replace("/?", "/seeded?")


@pytest.fixture(params=["embedded", pytest.param("wire", marks=pytest.mark.wire)])
def open_store(request: pytest.FixtureRequest) -> Callable[[], AsyncStore]:
    """Opens a store on the loaded bundled seeds (call inside the event loop)."""
    if request.param == "embedded":
        db: Database[dict[str, Any]] = request.getfixturevalue("loaded_embedded")
        return lambda: EmbeddedStore(db)
    uri: str = request.getfixturevalue("loaded_wire")
    return lambda: ServerStore.open(Settings(mongodb_uri=uri))


@pytest.fixture(params=["compiled", "reference"])
def executor(request: pytest.FixtureRequest) -> str:
    """Each executor in turn: schema and HTTP tests run under both."""
    name: str = request.param
    return name
