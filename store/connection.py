"""Opening the database: a real MongoDB server, or mongomock in-process."""

from __future__ import annotations

from typing import Any

import mongomock
from pymongo import MongoClient
from pymongo.database import Database
from pymongo.errors import PyMongoError

from spacerace.store.settings import Settings, check_mongodb_uri, redact_uri

Document = dict[str, Any]
StoreDatabase = Database[Document]
"""A synchronous database handle, as the loaders write through it."""


class StoreUnavailable(RuntimeError):
    """The MongoDB server cannot be reached."""


def client_options(settings: Settings) -> dict[str, Any]:
    """Options shared by the sync and async clients: short timeouts, never a 30 s hang,
    and the configured read preference (`secondaryPreferred` and the like spread reads
    over a replica set's members)."""
    return {
        "serverSelectionTimeoutMS": settings.timeout_ms,
        "connectTimeoutMS": settings.timeout_ms,
        "readPreference": settings.read_preference,
        "appname": "spacerace",
        "tz_aware": True,
    }


def database_name(settings: Settings) -> str:
    """The database named in the URI's path, else the configured one."""
    if settings.mongodb_uri:
        # Parsed without DNS: pymongo's parse_uri would look a mongodb+srv:// host up.
        named = check_mongodb_uri(settings.mongodb_uri).get("database")
        if named:
            return str(named)
    return settings.database


def connect(settings: Settings) -> Database[Document]:
    """A synchronous handle on the database, checked to be reachable."""
    if settings.embedded:
        return mongomock.MongoClient(tz_aware=True)[settings.database]
    # The loader compares the input with what is stored and then writes it: it
    # reads from the primary whatever MONGODB_READ_PREFERENCE says for the API.
    options = {**client_options(settings), "readPreference": "primary"}
    client: MongoClient[Document] = MongoClient(settings.mongodb_uri, **options)
    try:
        client.admin.command("ping")
    except PyMongoError as error:
        client.close()
        raise StoreUnavailable(
            f"cannot reach MongoDB at {redact_uri(str(settings.mongodb_uri))}: {error}"
        ) from error
    return client[database_name(settings)]


def is_embedded(db: Database[Document]) -> bool:
    """True for mongomock, which lacks validators and transactions."""
    return isinstance(db, mongomock.Database)
