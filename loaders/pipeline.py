"""Read, validate the whole input, then write it through `store` in one flip of the
dataset pointer (`store.generations`)."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from spacerace.loaders import checks
from spacerace.loaders.astronauts import AstronautLoader
from spacerace.loaders.documents import build
from spacerace.loaders.problems import LoadError, Problem
from spacerace.loaders.records import COLLECTIONS, Loader, Part, RawDataset, SourceDefinition
from spacerace.loaders.seeds import SeedLoader
from spacerace.store import writer
from spacerace.store.connection import Document, StoreDatabase
from spacerace.store.generations import live
from spacerace.store.layout import BY_NAME, SEEDS, of_sources
from spacerace.store.rules import SOURCE, Rules

SOURCE_RULES = Rules(SOURCE)

LOADERS: list[Loader] = [SeedLoader(), AstronautLoader()]

CURATED = ("persons", "missions")
"""What loaders that enrich the curated data see of it (`records.Curated`)."""


class CuratedView:
    """The curated persons and missions for the loaders that enrich them: built from
    the seeds of this load when it has them, else read from the live dataset."""

    def __init__(self, db: StoreDatabase | None) -> None:
        self.db = db
        self.parts: list[Part] = []
        self._docs: dict[str, list[Document]] = {}

    def persons(self) -> list[Document]:
        return self._of("persons")

    def missions(self) -> list[Document]:
        return self._of("missions")

    def _of(self, name: str) -> list[Document]:
        if name not in self._docs:
            self._docs.update(self._read())
        return self._docs[name]

    def _read(self) -> dict[str, list[Document]]:
        if self.parts:
            plain = [part for part in self.parts if part.kind in ("sources", *CURATED)]
            sources = index(part.read() for part in plain if part.kind == "sources")
            found: dict[str, list[Document]] = {name: [] for name in CURATED}
            for part in plain:
                if part.kind in CURATED:
                    built, _ = documents(part.read(), sources, check=False)
                    found[part.kind] += built[part.kind]
            return found
        if self.db is None:
            return {name: [] for name in CURATED}
        with writer.step("reading the stored persons and missions", writer.SHORT_TIMEOUT):
            return {name: list(live(self.db, name).find({})) for name in CURATED}


def parts(
    paths: Iterable[str], db: StoreDatabase | None = None
) -> tuple[list[Part], list[Problem]]:
    """The input under `paths`, a part (file) at a time, each for the loader that
    knows its format; parts that need the curated data come last."""
    found, _, problems = _parts(paths, db)
    return found, problems


def _parts(
    paths: Iterable[str], db: StoreDatabase | None
) -> tuple[list[Part], set[str], list[Problem]]:
    """The parts, the sources they belong to, and the paths no loader reads."""
    curated = CuratedView(db)
    found: list[Part] = []
    sources: set[str] = set()
    problems: list[Problem] = []
    for path in paths:
        loader = next((loader for loader in LOADERS if loader.accepts(path)), None)
        if loader is None:
            problems.append(
                Problem(path, 0, "", "", "is not a seeds folder or file, nor a known dataset")
            )
        else:
            found += loader.parts(path, curated)
            sources.add(loader.source)
    if SEEDS in sources:
        curated.parts = [part for part in found if not part.curated]
    found.sort(key=lambda part: part.curated)
    return found, sources, problems


def read(paths: Iterable[str]) -> RawDataset:
    """All input under `paths`, in memory (for small inputs and tests)."""
    found, problems = parts(paths)
    dataset = RawDataset(problems=problems)
    for part in found:
        dataset.extend(part.read())
    return dataset


@dataclass
class Index:
    """What checking one record needs to know about all of them: the sources, and
    every slug (for references and duplicates)."""

    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    known: dict[str, set[str]] = field(default_factory=lambda: {c: set() for c in COLLECTIONS})
    problems: list[Problem] = field(default_factory=list)


def index(datasets: Iterable[RawDataset]) -> Index:
    """The first pass: sources and slugs, and the problems found reading."""
    found = Index()
    definitions: list[SourceDefinition] = []
    first: dict[tuple[str, str], tuple[str, int]] = {}
    for raw in datasets:
        found.problems += raw.problems
        definitions += raw.sources
        for record in raw.records:
            key = (record.collection, record.slug)
            if record.slug and key in first:
                file, line = first[key]
                found.problems.append(
                    record.problem("slug", f"{record.slug!r} is also {file}:{line}")
                )
            first.setdefault(key, (record.file, record.line))
            found.known[record.collection].add(record.slug)
    found.sources = _source_index(definitions, found.problems)
    return found


def documents(
    raw: RawDataset, idx: Index, *, check: bool = True
) -> tuple[dict[str, list[Document]], list[Problem]]:
    """The documents of one part, and (with `check`) every problem in its records."""
    built: dict[str, list[Document]] = {name: [] for name in COLLECTIONS}
    problems: list[Problem] = []
    for record in raw.records:
        doc, build_findings = build(record, idx.sources)
        built[record.collection].append(doc)
        if not check:
            continue
        findings = [
            *checks.references(record, idx.known),
            *checks.date_order(record),
            *checks.timelines(record),
            *checks.times_agree(record),
            *checks.encoding_faults(record.data),
            *build_findings,
        ]
        # A rule broken only because something inside it was already reported
        # (an unknown source leaves `sources` empty) is not reported again.
        findings += [
            (_record_field(path), message)
            for path, message in BY_NAME[record.collection].rules.violations(doc)
            if not any(found.startswith(path + "[") for found, _ in build_findings)
        ]
        problems += [record.problem(path, message) for path, message in _unique(findings)]
    return built, problems


def prepare(raw: RawDataset) -> dict[str, list[Document]]:
    """The documents to store, or LoadError listing every problem at once."""
    idx = index([raw])
    built, problems = documents(raw, idx)
    if idx.problems or problems:
        raise LoadError(idx.problems + problems)
    # Every collection of the seeds (empty ones too), and another source's
    # collections where the input has them.
    return {name: docs for name, docs in built.items() if docs or BY_NAME[name].source == SEEDS}


def load(
    db: StoreDatabase,
    paths: Iterable[str],
    *,
    dry_run: bool = False,
    progress: writer.Progress | None = None,
) -> writer.LoadReport:
    """Validate everything under `paths`, then make the collections of the sources
    it holds (seeds, the astronaut dataset) hold exactly that; other sources'
    collections are left as they are.

    The input is read a part (file) at a time, three times: for its sources and
    slugs, to check every record and hash its document, and (only for collections
    that change) to stream the documents into a new generation. Memory grows with
    the largest file, not with the whole input.
    """
    found, sources, problems = _parts(paths, db)
    timings: dict[str, float] = {}
    timer = writer.Timer(timings)
    replaced = of_sources(sources)
    hashes: dict[str, dict[str, str]] = {name: {} for name in replaced}
    with paused_gc():
        with timer("read"):
            idx = index(part.read() for part in found)
        problems += idx.problems
        # References into collections this load leaves alone are checked against
        # what is stored.
        for name in _referenced(replaced):
            if name not in replaced:
                idx.known[name] = writer.live_ids(db, name)
        writer.checkpoint("validate")
        notes: list[str] = []
        with timer("validate"):
            for part in found:
                if part.kind == "sources":
                    continue
                raw = part.read()
                notes += raw.notes
                built, part_problems = documents(raw, idx)
                problems += part_problems
                for name, docs in built.items():
                    if name in hashes:
                        hashes[name].update((doc["_id"], doc["_hash"]) for doc in docs)
                del raw, built  # one part in memory at a time, not two
    if problems:
        raise LoadError(problems)

    def stream(name: str) -> Iterator[Document]:
        for part in found:
            if part.kind != name:
                continue
            with paused_gc():
                built, _ = documents(part.read(), idx, check=False)
            for doc in built[name]:
                if hashes[name].get(doc["_id"]) != doc["_hash"]:
                    where = f"{name} record {doc['_id']!r}"
                    raise LoadError([Problem("", 0, where, "", "changed on disk during the load")])
                yield doc

    if dry_run:
        report = writer.plan(db, hashes)
    else:
        report = writer.write(db, hashes, stream, progress, sources=sorted(sources))
    report.timings = {**timings, **report.timings}
    report.notes = list(dict.fromkeys(notes))
    return report


def _referenced(collections: Iterable[str]) -> set[str]:
    return {target for name in collections for target in BY_NAME[name].references.values()}


@contextmanager
def paused_gc() -> Iterator[None]:
    """Reading builds hundreds of thousands of objects that all stay alive, so the
    cyclic garbage collector would only rescan them again and again (it doubled the
    time of a 100,000-mission load)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _source_index(
    definitions: list[SourceDefinition], problems: list[Problem]
) -> dict[str, dict[str, Any]]:
    index: dict[str, dict[str, Any]] = {}
    first_seen: dict[str, SourceDefinition] = {}
    for definition in definitions:
        where = f"source {definition.key!r}"
        data = definition.data
        if not isinstance(data, dict):
            problems.append(
                Problem(definition.file, definition.line, where, "", "is not a mapping")
            )
            continue
        value = {"title": None, "publisher": None, "url": None, **data}
        findings = [
            *SOURCE_RULES.violations({"key": definition.key, **value}),
            *checks.encoding_faults(value),
        ]
        if definition.key in index and index[definition.key] != value:
            other = first_seen[definition.key]
            findings.append(("", f"differs from its definition at {other.file}:{other.line}"))
        problems += [
            Problem(definition.file, definition.line, where, path, message)
            for path, message in findings
        ]
        if not findings:
            index.setdefault(definition.key, value)
            first_seen.setdefault(definition.key, definition)
    return index


def _record_field(path: str) -> str:
    """Document field names as the input spells them (`_id` is the slug)."""
    return "slug" + path[3:] if path.startswith("_id") else path


def _unique(findings: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return list(dict.fromkeys(findings))
