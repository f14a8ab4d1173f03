"""Writing a whole dataset so that readers never see half of it.

Each collection that changes is rebuilt in a staging collection (validator,
documents, indexes) and swapped in with one `renameCollection`. A load that
fails or is killed before the swap leaves the live collections as they were;
a load that changes nothing writes nothing.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from pymongo.database import Database

from spacerace.store.aio import DATASET, META
from spacerace.store.connection import Document, is_embedded
from spacerace.store.layout import BY_NAME, KINDS

STAGING_SUFFIX = "__staging"

BATCH_SIZE = 1000

Progress = Callable[[str, int, int], None]
"""Called as progress(collection, documents written, documents to write)."""


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
    """Seconds per step: read, validate, insert, indexes, swap, rules."""

    @property
    def changes(self) -> int:
        return sum(counts.changes for counts in self.counts.values())

    def table(self) -> str:
        header = f"{'collection':<12}{'inserted':>10}{'updated':>10}{'unchanged':>11}{'deleted':>9}"
        rows = [
            f"{name:<12}{c.inserted:>10}{c.updated:>10}{c.unchanged:>11}{c.deleted:>9}"
            for name, c in self.counts.items()
        ]
        return "\n".join([header, *rows])


Hashes = Mapping[str, Mapping[str, str]]
"""The content hash of every document to store, by collection and `_id`."""


def plan(db: Database[Document], hashes: Hashes) -> LoadReport:
    """Compare the input's content hashes with what is stored, writing nothing."""
    report = LoadReport()
    for name in BY_NAME:
        stored = {doc["_id"]: doc.get("_hash") for doc in db[name].find({}, {"_hash": 1})}
        counts = Counts()
        for slug, content in hashes.get(name, {}).items():
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
) -> LoadReport:
    """Make the stored collections hold exactly the input, all or nothing.

    `documents(name)` yields a collection's documents; it is called only for the
    collections that change, and may stream them.
    """
    report = plan(db, hashes)
    changed = [name for name in BY_NAME if report.counts[name].changes]
    timer = Timer(report.timings)
    for name in changed:
        _stage(db, name, documents(name), progress, len(hashes.get(name, {})), timer)
    if changed:
        with timer("swap"):
            for name in changed:
                db[name + STAGING_SUFFIX].rename(name, dropTarget=True)
    # MongoDB keeps a collection's validator through a rename; SecantusDB drops
    # it, so every collection gets its rules (re)applied. Both are idempotent.
    with timer("rules"):
        for kind in KINDS:
            _ensure_rules(db, kind.name)
    if changed or dataset_version(db) is None:
        db[META].replace_one(
            {"_id": DATASET},
            {"_id": DATASET, "version": version_of(hashes), "loadedAt": datetime.now(UTC)},
            upsert=True,
        )
    report.written = bool(changed)
    return report


def version_of(hashes: Hashes) -> str:
    """The dataset's version: a digest of every document's content hash, so it
    changes exactly when a load changes something."""
    digest = hashlib.blake2b(digest_size=12)
    for name in sorted(hashes):
        for key in sorted(hashes[name]):
            digest.update(f"{name}\0{key}\0{hashes[name][key]}\n".encode())
    return digest.hexdigest()


def dataset_version(db: Database[Document]) -> str | None:
    found = db[META].find_one({"_id": DATASET})
    return str(found["version"]) if found else None


def _stage(
    db: Database[Document],
    name: str,
    documents: Iterable[Document],
    progress: Progress | None,
    total: int,
    timer: Timer,
) -> None:
    staging = name + STAGING_SUFFIX
    db.drop_collection(staging)
    # The documents were checked against the same rules before any write; the
    # server's validator is installed after the swap (`_ensure_rules`), so the
    # bulk insert does not pay for checking them twice.
    db.create_collection(staging)
    written = 0
    with timer("insert"):
        for batch in _batches(documents, BATCH_SIZE):
            db[staging].insert_many(batch, ordered=False)
            written += len(batch)
            if progress:
                progress(name, written, total)
    with timer("indexes"):
        db[staging].create_indexes(BY_NAME[name].all_indexes)


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


def _ensure_rules(db: Database[Document], name: str) -> None:
    """Bring an unchanged collection's indexes and validator up to date."""
    if name not in db.list_collection_names():
        return
    kind = BY_NAME[name]
    db[name].create_indexes(kind.all_indexes)
    if not is_embedded(db):
        db.command(
            "collMod", name, validator=kind.rules.mongo_validator(), validationLevel="strict"
        )


def _batches(items: Iterable[Any], size: int) -> Iterable[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
