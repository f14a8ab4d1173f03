"""What every loader produces: records as read, each knowing where it came from."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from spacerace.loaders.problems import Problem
from spacerace.store.layout import BY_NAME

COLLECTIONS = tuple(BY_NAME)
"""What records may be: one per stored collection."""


@dataclass
class Record:
    """One record of input: a program, mission, person or event."""

    collection: str
    file: str
    line: int
    index: int
    data: dict[str, Any]

    @property
    def slug(self) -> str:
        slug = self.data.get("slug")
        return slug if isinstance(slug, str) else ""

    @property
    def label(self) -> str:
        return f"record {self.index} ({self.slug})" if self.slug else f"record {self.index}"

    def problem(self, field: str, message: str) -> Problem:
        return Problem(self.file, self.line, self.label, field, message)


@dataclass
class SourceDefinition:
    """A citable source: title, publisher, URL, and where it was defined."""

    key: str
    file: str
    line: int
    data: Mapping[str, Any]


@dataclass
class RawDataset:
    """Everything a loader read, before validation."""

    records: list[Record] = field(default_factory=list)
    sources: list[SourceDefinition] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the loader reports beside the records (a reconciliation report)."""

    def extend(self, other: RawDataset) -> None:
        self.records += other.records
        self.sources += other.sources
        self.problems += other.problems
        self.notes += other.notes


@dataclass(frozen=True)
class Part:
    """A piece of input that can be read on its own (a file), and the kind of records
    it holds ("sources" or a collection): loads read input a part at a time, so
    memory stays bounded by the largest part, not the whole input."""

    kind: str
    read: Callable[[], RawDataset]
    curated: bool = False
    """Whether reading it needs the curated data (`Curated`): such parts are read
    after the others have been indexed."""


class Curated(Protocol):
    """The curated persons and missions, in their stored form, as a loader that
    enriches them sees them: from the seeds of the same load, or else from the
    database's live dataset."""

    def persons(self) -> list[dict[str, Any]]: ...

    def missions(self) -> list[dict[str, Any]]: ...


class Loader(Protocol):
    """Reads one source format into records. Seed files are the first; public
    datasets plug in here.

    `source` names the source it reads (`store.layout.Collection.source`): a load
    replaces exactly the collections of the sources it was given."""

    source: str

    def accepts(self, path: str) -> bool: ...

    def parts(self, path: str, curated: Curated) -> list[Part]: ...
