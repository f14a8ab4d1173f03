"""Documents by hash: Apollo's automatic persisted queries, and trusted documents.

Automatic persisted queries (APQ): a client sends `extensions.persistedQuery`
`{"version": 1, "sha256Hash": H}` without the query; if this process knows H it
runs that document, else it answers `PERSISTED_QUERY_NOT_FOUND` and the client
sends the query and H together, which registers it (after the hash is checked
and the document validates). The store is bounded in bytes, least recently
used first out.

Trusted documents: a manifest of the operations an app may send, by hash; in
that mode nothing else runs and APQ cannot register new documents.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from pathlib import Path
from typing import Any

import orjson

SHA256 = re.compile(r"[0-9a-f]{64}")
APQ_VERSION = 1


class ManifestError(ValueError):
    """The trusted-documents manifest cannot be used."""


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PersistedQueries:
    """Query texts by their sha256, bounded by the bytes of the texts."""

    ENTRY_OVERHEAD = 200

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[str, str] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, sha256: str) -> str | None:
        found = self._entries.get(sha256)
        if found is not None:
            self._entries.move_to_end(sha256)
        return found

    def put(self, sha256: str, query: str) -> None:
        cost = self._cost(query)
        if cost > self.max_bytes or sha256 in self._entries:
            return
        self._entries[sha256] = query
        self.bytes += cost
        while self.bytes > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self.bytes -= self._cost(evicted)

    def _cost(self, query: str) -> int:
        return len(query.encode("utf-8")) + self.ENTRY_OVERHEAD


class TrustedDocuments:
    """The manifest of allowed operations: document text by sha256."""

    def __init__(self, documents: dict[str, str], source: str) -> None:
        self.documents = documents
        self.source = source

    def __len__(self) -> int:
        return len(self.documents)

    def get(self, sha256: str) -> str | None:
        return self.documents.get(sha256)

    @classmethod
    def load(cls, path: Path) -> TrustedDocuments:
        """Read a manifest: Apollo's persisted query manifest
        (`{"format": "apollo-persisted-query-manifest", "version": 1, "operations":
        [{"id", "body", ...}]}`), or a plain JSON object of `{sha256: document}`.
        Every id must be the sha256 of its document."""
        try:
            raw = orjson.loads(path.read_bytes())
        except OSError as error:
            raise ManifestError(f"cannot read {path}: {error.strerror or error}") from None
        except orjson.JSONDecodeError as error:
            raise ManifestError(f"{path} is not valid JSON: {error}") from None
        pairs = _pairs(raw, path)
        documents: dict[str, str] = {}
        for sha256, body in pairs:
            if not isinstance(sha256, str) or not isinstance(body, str):
                raise ManifestError(f"{path}: every id and document must be a string")
            sha256 = sha256.lower()
            if not SHA256.fullmatch(sha256):
                raise ManifestError(f"{path}: {sha256!r} is not a sha256 hash (64 hex digits)")
            if sha256_hex(body) != sha256:
                raise ManifestError(
                    f"{path}: the document under {sha256} does not hash to it "
                    f"(its sha256 is {sha256_hex(body)})"
                )
            documents[sha256] = body
        if not documents:
            raise ManifestError(f"{path} lists no documents")
        return cls(documents, str(path))


def _pairs(raw: Any, path: Path) -> list[tuple[Any, Any]]:
    if isinstance(raw, dict) and raw.get("format") == "apollo-persisted-query-manifest":
        operations = raw.get("operations")
        if raw.get("version") != 1 or not isinstance(operations, list):
            raise ManifestError(f"{path}: expected version 1 and a list of operations")
        if not all(isinstance(op, dict) for op in operations):
            raise ManifestError(f"{path}: every operation must be an object with id and body")
        return [(op.get("id"), op.get("body")) for op in operations]
    if isinstance(raw, dict):
        return list(raw.items())
    raise ManifestError(
        f"{path}: expected an Apollo persisted query manifest or an object of {{sha256: document}}"
    )
