"""Read, validate the whole input, then write it through `store` in one swap."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from loaders import checks
from loaders.documents import Document, build
from loaders.problems import LoadError, Problem
from loaders.records import COLLECTIONS, Loader, RawDataset, Record, SourceDefinition
from loaders.seeds import SeedLoader
from store import rules, writer
from store.connection import StoreDatabase
from store.rules import SOURCE

LOADERS: list[Loader] = [SeedLoader()]


def read(paths: Iterable[str]) -> RawDataset:
    """All input under `paths`, each read by the loader that knows its format."""
    dataset = RawDataset()
    for path in paths:
        loader = next((loader for loader in LOADERS if loader.accepts(path)), None)
        if loader is None:
            dataset.problems.append(Problem(path, 0, "", "", "is not a seeds folder or file"))
        else:
            dataset.extend(loader.read(path))
    return dataset


def prepare(raw: RawDataset) -> dict[str, list[Document]]:
    """The documents to store, or LoadError listing every problem at once."""
    problems = list(raw.problems)
    sources = _source_index(raw.sources, problems)
    known = _slugs(raw.records, problems)
    documents: dict[str, list[Document]] = {name: [] for name in COLLECTIONS}
    for record in raw.records:
        findings = [
            *checks.references(record, known),
            *checks.date_order(record),
            *checks.launch_time_agrees(record),
            *checks.encoding_faults(record.data),
        ]
        doc, build_findings = build(record, sources)
        findings += build_findings
        # A rule broken only because something inside it was already reported
        # (an unknown source leaves `sources` empty) is not reported again.
        findings += [
            (_record_field(path), message)
            for path, message in rules.violations(record.collection, doc)
            if not any(found.startswith(path + "[") for found, _ in build_findings)
        ]
        problems += [record.problem(path, message) for path, message in _unique(findings)]
        documents[record.collection].append(doc)
    if problems:
        raise LoadError(problems)
    return documents


def load(
    db: StoreDatabase,
    paths: Iterable[str],
    *,
    dry_run: bool = False,
    progress: writer.Progress | None = None,
) -> writer.LoadReport:
    """Validate everything under `paths`, then make the store hold exactly that."""
    with paused_gc():
        documents = prepare(read(paths))
    if dry_run:
        return writer.plan(db, documents)
    return writer.write(db, documents, progress)


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
            *rules.schema_violations(SOURCE, {"key": definition.key, **value}),
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


def _slugs(records: list[Record], problems: list[Problem]) -> dict[str, set[str]]:
    known: dict[str, set[str]] = {name: set() for name in COLLECTIONS}
    first: dict[tuple[str, str], Record] = {}
    for record in records:
        key = (record.collection, record.slug)
        if record.slug and key in first:
            other = first[key]
            problems.append(
                record.problem("slug", f"{record.slug!r} is also {other.file}:{other.line}")
            )
        first.setdefault(key, record)
        known[record.collection].add(record.slug)
    return known


def _record_field(path: str) -> str:
    """Document field names as the input spells them (`_id` is the slug)."""
    return "slug" + path[3:] if path.startswith("_id") else path


def _unique(findings: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return list(dict.fromkeys(findings))
