"""Generations of collections, and the one pointer document that says which are live.

A load never changes a live collection. Each collection it changes is written
whole into a new *generation* (`missions__g7`: validator, documents, indexes),
and when every one of them is complete, one write of the pointer document
`meta/dataset` makes them live together. A reader resolves the physical names
from that document once per request (the API keeps it in memory, see
`store.dataset`), so it sees the previous dataset or the new one, never a mix,
wherever a load stops.

The pointer document:

    {_id: "dataset",
     version: "…",                 # digest of every document's hash (HTTP caches key on it)
     generation: 7,                # the last generation number handed out
     collections: {missions: "missions__g7", persons: "persons__g5", …},
     digests: {missions: "…", …},  # per collection; `version` is their digest
     sources: {seeds: {loadedAt, version}, astronauts: {…}},
     retired: [{collection: "missions__g6", at: <when it stopped being live>}],
     loadedAt: <time of the last flip>}

A collection the pointer does not name is read under its own name, so a
database written before generations existed still reads.

Old generations stay readable for `GRACE_SECONDS` after the flip that retired
them (a request that began on them may still be reading), and the next load
after that drops them. The next load also drops what a killed load left: any
generation that is neither live nor retired within the grace period. Only one
load writes at a time (`meta/load`, see `Lease`), so that clean-up never
touches the work of a load that is still running.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError, PyMongoError

from spacerace.store.connection import Document

META, DATASET, LOAD = "meta", "dataset", "load"
"""The collection of bookkeeping documents, the pointer's `_id`, the lease's `_id`."""

GRACE_SECONDS = 60.0
"""How long a retired generation stays readable. It must outlast the API's view
of the pointer (refreshed every second, `store.dataset.DatasetWatch`) plus the
longest request deadline (10 s by default): a request that resolved the old
names just before a flip finishes on them. 60 s leaves room for a deadline
raised to about 45 s."""

LEASE_STALE_SECONDS = 30.0
"""A lease not renewed for this long belongs to a load that is gone."""
LEASE_RENEW_SECONDS = 5.0

_GENERATION = re.compile(r"^(?P<name>[a-z_]+)__g(?P<number>[0-9]+)$")
LEGACY_STAGING = "__staging"
"""What loads before generations staged into; a killed one may have left it."""


def generation_name(collection: str, number: int) -> str:
    return f"{collection}__g{number}"


def parse_generation(physical: str) -> tuple[str, int] | None:
    """("missions", 7) for "missions__g7"; None for any other name."""
    match = _GENERATION.match(physical)
    return (match["name"], int(match["number"])) if match else None


def physical_names(pointer: Mapping[str, Any] | None) -> dict[str, str]:
    """Collection → the physical collection holding it, as the pointer says."""
    if not pointer:
        return {}
    names = pointer.get("collections")
    return {str(k): str(v) for k, v in names.items()} if isinstance(names, Mapping) else {}


def read_pointer(db: Database[Document]) -> Document | None:
    return db[META].find_one({"_id": DATASET})


def live_names(db: Database[Document]) -> dict[str, str]:
    return physical_names(read_pointer(db))


def live(db: Database[Document], collection: str) -> Any:
    """The live physical collection of `collection` (for the loader's own reads, and tests)."""
    return db[live_names(db).get(collection, collection)]


@dataclass
class Pointer:
    """The pointer document as a load reads and rewrites it."""

    doc: Document

    @classmethod
    def read(cls, db: Database[Document]) -> Pointer:
        return cls(read_pointer(db) or {"_id": DATASET})

    @property
    def names(self) -> dict[str, str]:
        return physical_names(self.doc)

    @property
    def generation(self) -> int:
        number = self.doc.get("generation")
        return number if isinstance(number, int) else 0

    @property
    def retired(self) -> list[Document]:
        found = self.doc.get("retired")
        return [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []

    @property
    def digests(self) -> dict[str, str]:
        found = self.doc.get("digests")
        return dict(found) if isinstance(found, Mapping) else {}

    @property
    def sources(self) -> dict[str, Any]:
        found = self.doc.get("sources")
        return dict(found) if isinstance(found, Mapping) else {}


def cleanup(
    db: Database[Document], pointer: Pointer, known: Mapping[str, Any], grace: float
) -> tuple[list[str], list[Document]]:
    """Drop every generation of a collection in `known` that is neither live nor
    retired less than `grace` seconds ago (left by a killed load, or retired long
    enough), and the staging collections of older loads. Returns what was dropped
    and the retired entries still kept. Run only under the lease."""
    now = datetime.now(UTC)
    live = set(pointer.names.values())
    keep: list[Document] = []
    expired: set[str] = set()
    for entry in pointer.retired:
        at = entry.get("at")
        name = str(entry.get("collection"))
        if isinstance(at, datetime) and now - _aware(at) < timedelta(seconds=grace):
            keep.append(entry)
        else:
            expired.add(name)
    kept = {str(entry["collection"]) for entry in keep}
    dropped = []
    for physical in db.list_collection_names():
        parsed = parse_generation(physical)
        orphan = parsed is not None and parsed[0] in known
        staging = physical.endswith(LEGACY_STAGING) and physical[: -len(LEGACY_STAGING)] in known
        retired_plain = physical in expired and physical in known
        if (orphan or staging or retired_plain) and physical not in live | kept:
            db.drop_collection(physical)
            dropped.append(physical)
    return dropped, keep


def next_generation(db: Database[Document], pointer: Pointer) -> int:
    """A number no collection of this database has used."""
    used = [pointer.generation]
    for physical in db.list_collection_names():
        parsed = parse_generation(physical)
        if parsed is not None:
            used.append(parsed[1])
    return max(used) + 1


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


class LoadRunning(RuntimeError):
    """Another load holds the lease."""


class Lease:
    """`meta/load`: at most one load writes a database at a time.

    The holder renews it every few seconds from a background thread. Another
    load takes it over when it is stale: not renewed for `LEASE_STALE_SECONDS`,
    or held by a process of this host that no longer exists (a killed load, so
    the re-run need not wait)."""

    def __init__(self, db: Database[Document], *, renew: bool = True) -> None:
        self.db = db
        self.owner = uuid.uuid4().hex
        self.renew = renew
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _doc(self) -> Document:
        return {
            "_id": LOAD,
            "owner": self.owner,
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "startedAt": datetime.now(UTC),
            "renewedAt": datetime.now(UTC),
        }

    def acquire(self) -> None:
        meta = self.db[META]
        try:
            meta.insert_one(self._doc())
        except DuplicateKeyError:
            held = meta.find_one({"_id": LOAD})
            if held is not None and not _stale(held):
                raise LoadRunning(_describe(held)) from None
            taken = meta.replace_one(
                {"_id": LOAD, "owner": held["owner"] if held else None}, self._doc()
            )
            if taken.matched_count != 1:
                raise LoadRunning("another load took over the lease at the same time") from None
        if self.renew:
            self._thread = threading.Thread(target=self._renew, name="load-lease", daemon=True)
            self._thread.start()

    def _renew(self) -> None:
        while not self._stop.wait(LEASE_RENEW_SECONDS):
            try:
                self.db[META].update_one(
                    {"_id": LOAD, "owner": self.owner},
                    {"$set": {"renewedAt": datetime.now(UTC)}},
                )
            except Exception:  # the load itself reports a database that went away
                continue

    def release(self) -> None:
        """Give the lease back; if the database is gone, it lapses by itself."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        with contextlib.suppress(PyMongoError):
            self.db[META].delete_one({"_id": LOAD, "owner": self.owner})


def _stale(held: Mapping[str, Any]) -> bool:
    renewed = held.get("renewedAt")
    if not isinstance(renewed, datetime):
        return True
    if datetime.now(UTC) - _aware(renewed) > timedelta(seconds=LEASE_STALE_SECONDS):
        return True
    pid = held.get("pid")
    return held.get("host") == socket.gethostname() and isinstance(pid, int) and not _alive(pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _describe(held: Mapping[str, Any]) -> str:
    renewed = held.get("renewedAt")
    ago = (
        f", last heard from {(datetime.now(UTC) - _aware(renewed)).total_seconds():.0f} s ago"
        if isinstance(renewed, datetime)
        else ""
    )
    return (
        f"another load is writing this database (pid {held.get('pid')} on "
        f"{held.get('host')}{ago}); if it was killed, its lease lapses after "
        f"{LEASE_STALE_SECONDS:.0f} s"
    )
