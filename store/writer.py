"""Writing a dataset so that readers never see half of it.

Each collection that changes is written whole into a new generation
(`missions__g7`: documents, indexes, validator) while the live one is left
alone, and one write of the pointer document `meta/dataset` then makes every
new generation live at once (see `store.generations`). A load that fails or is
killed anywhere before that write leaves the previous dataset live and whole;
the next load drops what it left. A load that changes nothing writes nothing.

A load replaces only the collections it is given hashes for (the collections of
the sources it read, see `store.layout`); every other collection keeps its
generation.

Every step that can take long (a batch of inserts, an index build, dropping a
collection) runs under its own deadline rather than the connection's short
server-selection timeout, and any database failure becomes `LoadFailed`, a
message that names the step and no host or credentials.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import copy_context
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

import pymongo
from pymongo import MongoClient
from pymongo.database import Database
from pymongo.errors import (
    BulkWriteError,
    ConnectionFailure,
    OperationFailure,
    PyMongoError,
    ServerSelectionTimeoutError,
)

from spacerace.store import generations
from spacerace.store.connection import (
    Document,
    StoreUnavailable,
    client_options,
    connect,
    database_name,
    is_embedded,
)
from spacerace.store.generations import DATASET, GRACE_SECONDS, META, Pointer
from spacerace.store.layout import BY_NAME
from spacerace.store.settings import Settings

BATCH_SIZE = 1000

Progress = Callable[[str, int, int], None]
"""Called as progress(collection, documents written, documents to write)."""

# Deadlines of the long steps, in seconds (each one call to the database).
INSERT_TIMEOUT = 300.0
"""One batch of `BATCH_SIZE` inserts."""
INDEX_TIMEOUT = 3600.0
"""Building every index of one collection."""
SHORT_TIMEOUT = 120.0
"""Reading what is stored, dropping a collection, installing a validator, the flip."""
LOAD_CONNECT_TIMEOUT_MS = 30_000
"""The loader's socket and heartbeat timeout. The driver also checks the server with
this timeout while a step runs: with the 2 s default, a server busy building an
index missed a heartbeat and the driver cancelled the build (`_OperationCancelled`)."""

PAUSE_AT = "SPACERACE_TEST_PAUSE_AT"
PAUSE_FILE = "SPACERACE_TEST_PAUSE_FILE"
PHASES = ("validate", "insert", "indexes", "flip", "flipped")


_paused: set[str] = set()


def checkpoint(phase: str) -> None:
    """TEST ONLY: the loader stops at `phase` when SPACERACE_TEST_PAUSE_AT names it.

    It then creates the file SPACERACE_TEST_PAUSE_FILE and waits (at most 60 s)
    until that file is removed (once per process), so a test can kill it at a known point (see
    tests/loaders/test_atomic.py). Phases: validate (before checking records),
    insert (after the first batch reached a new generation), indexes (before
    building them), flip (everything written, before the pointer moves), flipped
    (just after). Never set these variables outside tests."""
    if os.environ.get(PAUSE_AT) != phase or phase in _paused:
        return
    _paused.add(phase)
    marker = Path(os.environ.get(PAUSE_FILE, "spacerace-pause"))
    marker.write_text(f"{os.getpid()} {phase}\n", encoding="utf-8")
    deadline = time.monotonic() + 60
    while marker.exists() and time.monotonic() < deadline:
        time.sleep(0.02)


class LoadFailed(StoreUnavailable):
    """The database failed during a load; the previous dataset is still live."""


@contextmanager
def step(what: str, seconds: float) -> Iterator[None]:
    """Run database calls under a deadline of their own; a failure is a LoadFailed
    that names `what` and no host."""
    try:
        with pymongo.timeout(seconds):
            yield
    except PyMongoError as error:
        raise LoadFailed(
            f"{what}: {_why(error, seconds)}. Nothing changed for readers: the previous "
            "dataset is still live; run the load again."
        ) from None


def _why(error: PyMongoError, seconds: float) -> str:
    if isinstance(error, BulkWriteError):
        first = (error.details.get("writeErrors") or [{}])[0]
        return f"the database refused a document ({first.get('errmsg', 'no reason given')})"
    if getattr(error, "timeout", False) or isinstance(error, ServerSelectionTimeoutError):
        return f"not finished within its {seconds:g} s deadline (or the database stopped answering)"
    if isinstance(error, ConnectionFailure):
        return "the connection to the database was lost"
    if isinstance(error, OperationFailure):
        reason = (error.details or {}).get("errmsg") or "no reason given"
        return f"the database refused it (code {error.code}: {reason})"
    return f"the driver failed ({type(error).__name__})"


def open_for_load(settings: Settings) -> Database[Document]:
    """The database a load writes: the embedded store, or a server reached with the
    usual short server-selection timeout but a long socket and heartbeat timeout
    (`LOAD_CONNECT_TIMEOUT_MS`). Its errors name no host or credentials."""
    if settings.embedded:
        return connect(settings)
    options = {**client_options(settings), "connectTimeoutMS": LOAD_CONNECT_TIMEOUT_MS}
    client: MongoClient[Document] = MongoClient(settings.mongodb_uri, **options)
    try:
        client.admin.command("ping")
    except PyMongoError:
        client.close()
        raise StoreUnavailable(
            f"cannot reach the MongoDB server of MONGODB_URI within {settings.timeout_ms} ms "
            "(MONGODB_TIMEOUT_MS)"
        ) from None
    return client[database_name(settings)]


@dataclass
class Counts:
    """What a load does to one collection."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def changes(self) -> int:
        return self.inserted + self.updated + self.deleted


@dataclass
class LoadReport:
    """Per collection: inserted, updated, unchanged, deleted."""

    counts: dict[str, Counts] = field(default_factory=dict)
    written: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per step: read, validate, insert, indexes, rules, flip, cleanup."""
    dropped: list[str] = field(default_factory=list)
    """Collections of older generations, or left by a killed load, that were dropped."""
    notes: list[str] = field(default_factory=list)
    """What the loaders have to say beside the counts (a reconciliation report)."""

    @property
    def changes(self) -> int:
        return sum(counts.changes for counts in self.counts.values())

    def table(self) -> str:
        header = f"{'collection':<14}{'inserted':>10}{'updated':>10}{'unchanged':>11}{'deleted':>9}"
        rows = [
            f"{name:<14}{c.inserted:>10}{c.updated:>10}{c.unchanged:>11}{c.deleted:>9}"
            for name, c in self.counts.items()
        ]
        return "\n".join([header, *rows])


Hashes = Mapping[str, Mapping[str, str]]
"""The content hash of every document to store, by collection and `_id`: exactly
the collections the load replaces."""


def plan(db: Database[Document], hashes: Hashes) -> LoadReport:
    """Compare the input's content hashes with the live generation, writing nothing."""
    report = LoadReport()
    with step("reading the dataset pointer", SHORT_TIMEOUT):
        names = generations.live_names(db)
    for name in hashes:
        physical = names.get(name, name)
        with step(f"reading the stored {name}", SHORT_TIMEOUT):
            stored = {doc["_id"]: doc.get("_hash") for doc in db[physical].find({}, {"_hash": 1})}
        counts = Counts()
        for slug, content in hashes[name].items():
            stored_hash = stored.pop(slug, None)
            if stored_hash is None:
                counts.inserted += 1
            elif stored_hash == content:
                counts.unchanged += 1
            else:
                counts.updated += 1
        counts.deleted = len(stored)
        report.counts[name] = counts
    return report


def write(
    db: Database[Document],
    hashes: Hashes,
    documents: Callable[[str], Iterable[Document]],
    progress: Progress | None = None,
    *,
    sources: Sequence[str] = (),
    grace: float = GRACE_SECONDS,
) -> LoadReport:
    """Make the collections in `hashes` hold exactly the input, all or nothing, and
    leave every other collection as it is.

    `documents(name)` yields a collection's documents; it is called only for the
    collections that change, and may stream them. `sources` names the sources
    the load read (recorded in the pointer).
    """
    timings: dict[str, float] = {}
    timer = Timer(timings)
    lease = generations.Lease(db, renew=not is_embedded(db))
    try:
        with step("taking the load lease", SHORT_TIMEOUT):
            lease.acquire()
    except generations.LoadRunning as error:
        raise LoadFailed(str(error)) from None
    try:
        report = _write(db, hashes, documents, progress, sources, grace, timer)
    except PyMongoError as error:  # a call outside the steps' own deadlines
        raise LoadFailed(
            f"the load failed: {_why(error, SHORT_TIMEOUT)}. Nothing changed for readers "
            "unless the dataset pointer was moved; run the load again."
        ) from None
    finally:
        lease.release()
    report.timings = {**report.timings, **timings}
    return report


def _write(
    db: Database[Document],
    hashes: Hashes,
    documents: Callable[[str], Iterable[Document]],
    progress: Progress | None,
    sources: Sequence[str],
    grace: float,
    timer: Timer,
) -> LoadReport:
    pointer = Pointer.read(db)
    with timer("cleanup"), step("dropping old generations", SHORT_TIMEOUT):
        dropped, retired = generations.cleanup(db, pointer, BY_NAME, grace)
    report = plan(db, hashes)
    report.dropped = dropped
    changed = [name for name in hashes if report.counts[name].changes]
    number = generations.next_generation(db, pointer) if changed else pointer.generation
    names = pointer.names
    for name in changed:
        physical = generations.generation_name(name, number)
        total = len(hashes[name])
        _stage(db, name, physical, documents(name), progress, total, timer)
    # Indexes and validators of the unchanged collections, brought up to date
    # (both idempotent), so a code change that adds an index reaches them too.
    with timer("rules"):
        for name in hashes:
            if name not in changed and names.get(name, name) in db.list_collection_names():
                _ensure_rules(db, name, names.get(name, name))
    if not changed and pointer.doc.get("version") is not None:
        if dropped:  # the pointer forgets the retired generations just dropped
            with step("updating the dataset pointer", SHORT_TIMEOUT):
                db[META].update_one({"_id": DATASET}, {"$set": {"retired": retired}})
        return report
    now = datetime.now(UTC)
    live = dict(names)
    for name in changed:
        old = live.get(name, name)
        live[name] = generations.generation_name(name, number)
        if old in db.list_collection_names():
            retired.append({"collection": old, "at": now})
    digests = {**pointer.digests, **{name: digest_of(hashes[name]) for name in hashes}}
    known_sources = pointer.sources
    for source in sources:
        known_sources[source] = {"loadedAt": now, "collections": sorted(hashes)}
    doc = {
        "_id": DATASET,
        "version": version_of_digests(digests),
        "generation": number,
        "collections": live,
        "digests": digests,
        "sources": known_sources,
        "retired": retired,
        "loadedAt": now,
    }
    checkpoint("flip")
    with timer("flip"), step("moving the dataset pointer", SHORT_TIMEOUT):
        db[META].replace_one({"_id": DATASET}, doc, upsert=True)
    checkpoint("flipped")
    report.written = bool(changed)
    return report


def digest_of(hashes: Mapping[str, str]) -> str:
    digest = hashlib.blake2b(digest_size=12)
    for key in sorted(hashes):
        digest.update(f"{key}\0{hashes[key]}\n".encode())
    return digest.hexdigest()


def version_of_digests(digests: Mapping[str, str]) -> str:
    digest = hashlib.blake2b(digest_size=12)
    for name in sorted(digests):
        digest.update(f"{name}\0{digests[name]}\n".encode())
    return digest.hexdigest()


def version_of(hashes: Hashes) -> str:
    """The dataset's version: a digest of every document's content hash, so it
    changes exactly when a load changes something."""
    return version_of_digests({name: digest_of(hashes[name]) for name in hashes})


def dataset_version(db: Database[Document]) -> str | None:
    found = db[META].find_one({"_id": DATASET})
    return str(found["version"]) if found and found.get("version") else None


def live_ids(db: Database[Document], name: str) -> set[str]:
    """The slugs stored in the live generation of `name` (for references into a
    collection this load does not replace)."""
    with step(f"reading the stored {name}", SHORT_TIMEOUT):
        return {doc["_id"] for doc in generations.live(db, name).find({}, {"_id": 1})}


def _stage(
    db: Database[Document],
    name: str,
    physical: str,
    documents: Iterable[Document],
    progress: Progress | None,
    total: int,
    timer: Timer,
) -> None:
    """Write a whole new generation of `name` under the name `physical`."""
    with step(f"creating {physical}", SHORT_TIMEOUT):
        db.drop_collection(physical)
        # The documents were checked against the same rules before any write; the
        # server's validator is installed after the inserts, so they do not pay
        # for checking them twice.
        db.create_collection(physical)
    written = 0
    # One batch is in flight while the next is read and built: the loader's own
    # work overlaps the server's (the embedded store is in this thread: no overlap).
    pending: Future[None] | None = None
    with timer("insert"), ThreadPoolExecutor(1, thread_name_prefix="insert") as sender:
        for batch in _batches(documents, BATCH_SIZE):
            if pending is not None:
                pending.result()
            if is_embedded(db):
                _insert(db, physical, batch)
            else:
                pending = sender.submit(copy_context().run, _insert, db, physical, batch)
            if written == 0:
                if pending is not None:
                    pending.result()
                checkpoint("insert")
            written += len(batch)
            if progress:
                progress(name, written, total)
        if pending is not None:
            pending.result()
    checkpoint("indexes")
    with timer("indexes"), step(f"building the indexes of {physical}", INDEX_TIMEOUT):
        db[physical].create_indexes(BY_NAME[name].all_indexes)
    with timer("rules"):
        _apply_validator(db, name, physical)


class Timer:
    """Adds the seconds spent in each named step to `timings`."""

    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings

    @contextmanager
    def __call__(self, step: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[step] = self.timings.get(step, 0.0) + time.perf_counter() - start


def _insert(db: Database[Document], physical: str, batch: list[Document]) -> None:
    with step(f"inserting into {physical}", INSERT_TIMEOUT):
        db[physical].insert_many(batch, ordered=False)


def _ensure_rules(db: Database[Document], name: str, physical: str) -> None:
    """Bring a live collection's indexes and validator up to date."""
    with step(f"building the indexes of {physical}", INDEX_TIMEOUT):
        db[physical].create_indexes(BY_NAME[name].all_indexes)
    _apply_validator(db, name, physical)


def _apply_validator(db: Database[Document], name: str, physical: str) -> None:
    if is_embedded(db):
        return  # mongomock has no validators; the loader checked every rule
    with step(f"installing the rules of {physical}", SHORT_TIMEOUT):
        db.command(
            "collMod",
            physical,
            validator=BY_NAME[name].rules.mongo_validator(),
            validationLevel="strict",
        )


def _batches(items: Iterable[Any], size: int) -> Iterable[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
