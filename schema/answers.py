"""The answer cache: successful answers by dataset version, operation and variables.

An answer depends on three things only: the data (the dataset's version, see
`store.dataset`), the operation (normalised: the selected operation and the
fragments it uses, printed without comments or layout), and the coerced
variables. Their digest is both the answer's ETag and its key in this cache,
so a repeated operation is answered without the database, and a load that
changes the data changes every key at once. The cache keeps answers encoded
as JSON (and whatever encodings a transport derived from them, e.g. gzip),
least recently used first out, within a bound in bytes.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import (
    FragmentDefinitionNode,
    FragmentSpreadNode,
    OperationDefinitionNode,
    Visitor,
    print_ast,
    visit,
)

ENTRY_OVERHEAD = 256
"""Bytes charged per entry beyond its encodings: the key, the entry, the dict slot."""


@dataclass(frozen=True)
class Tag:
    """Where an answer sits in the cache: the dataset version it was read from, and its
    key (also its ETag)."""

    version: str
    key: str


class Encoded:
    """A successful answer encoded once as JSON, with the encodings a transport derived
    from it (gzip, br), kept together."""

    __slots__ = ("_cache", "_derived", "json", "size", "tag")

    def __init__(self, json: bytes, tag: Tag, cache: AnswerCache | None = None) -> None:
        self.json = json
        self.tag = tag
        self.size = len(json) + ENTRY_OVERHEAD
        self._derived: dict[str, bytes] = {}
        self._cache = cache

    def derived(self, name: str) -> bytes | None:
        """The encoding `name` of the JSON, if a transport already made it."""
        return self._derived.get(name)

    def keep(self, name: str, data: bytes) -> None:
        """Keep an encoding of the JSON beside it (counted in the cache's bound)."""
        if name in self._derived:
            return
        self._derived[name] = data
        self.size += len(data)
        if self._cache is not None:
            self._cache.grew(self, len(data))


class AnswerCache:
    """Encoded answers by key, for one dataset version at a time, bounded in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self.version: str | None = None
        self.hits = 0
        self.misses = 0
        self._told = False
        self._entries: OrderedDict[str, Encoded] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def observe(self, version: str | None) -> None:
        """The dataset is now at `version` (the DatasetWatch says so): answers of any
        other version are dropped, and requests still reading an older snapshot are
        neither served from nor kept in the cache."""
        self._told = True
        if version != self.version:
            self.clear()
            self.version = version

    def _current(self, version: str) -> bool:
        if version == self.version:
            return True
        if self._told:
            return False
        # No watch tells this cache the version: the newest one a request saw is it.
        self.clear()
        self.version = version
        return True

    def get(self, tag: Tag) -> Encoded | None:
        if self.max_bytes <= 0 or not self._current(tag.version):
            return None
        found = self._entries.get(tag.key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self._entries.move_to_end(tag.key)
        return found

    def put(self, tag: Tag, json: bytes) -> Encoded:
        """`json` as an `Encoded`, kept if it fits and its version is current."""
        entry = Encoded(json, tag, self)
        if entry.size > self.max_bytes or not self._current(tag.version):
            entry._cache = None
            return entry
        previous = self._entries.pop(tag.key, None)
        if previous is not None:
            self._drop(previous)
        self._entries[tag.key] = entry
        self.bytes += entry.size
        self._evict()
        return entry

    def grew(self, entry: Encoded, by: int) -> None:
        if self._entries.get(entry.tag.key) is not entry:
            return
        self.bytes += by
        if entry.size > self.max_bytes:
            del self._entries[entry.tag.key]
            self._drop(entry)
        self._evict()

    def clear(self) -> None:
        for entry in self._entries.values():
            entry._cache = None
        self._entries.clear()
        self.bytes = 0

    def _evict(self) -> None:
        while self.bytes > self.max_bytes and self._entries:
            _, evicted = self._entries.popitem(last=False)
            self._drop(evicted)

    def _drop(self, entry: Encoded) -> None:
        self.bytes -= entry.size
        entry._cache = None


def operation_digest(
    operation: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode]
) -> bytes:
    """The operation as it runs, whatever else the document holds and however it is
    laid out: the operation and the fragments it uses, printed, in a fixed order."""
    used = _fragments_used(operation, fragments)
    printed = [print_ast(operation), *(print_ast(fragments[name]) for name in sorted(used))]
    return hashlib.sha256("\n".join(printed).encode()).digest()


def _fragments_used(
    operation: OperationDefinitionNode, fragments: dict[str, FragmentDefinitionNode]
) -> set[str]:
    used: set[str] = set()
    pending: list[Any] = [operation]
    while pending:
        node = pending.pop()
        for name in _spreads(node):
            if name not in used and name in fragments:
                used.add(name)
                pending.append(fragments[name])
    return used


def _spreads(node: Any) -> Iterable[str]:
    found: list[str] = []

    class Spreads(Visitor):
        def enter_fragment_spread(self, spread: FragmentSpreadNode, *_: Any) -> None:
            found.append(spread.name.value)

    visit(node, Spreads())
    return found


def answer_tag(version: str, digest: bytes, variables: dict[str, Any]) -> Tag:
    """The tag of an answer: a digest of the version, the operation and its coerced
    variables (defaults filled in, keys sorted)."""
    key = hashlib.blake2b(digest_size=16)
    key.update(version.encode())
    key.update(b"\0")
    key.update(digest)
    key.update(b"\0")
    key.update(orjson.dumps(variables, option=orjson.OPT_SORT_KEYS, default=str))
    return Tag(version, key.hexdigest())
