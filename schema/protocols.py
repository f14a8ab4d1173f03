"""The gate's protocol rules (issue 9): documents by hash, ETags and the answer cache.

The gate calls these at fixed points (see "protocols hook" in `schema.gate`), so
every transport obeys them:

- before parsing, `Protocols.document` resolves `extensions.persistedQuery`
  (automatic persisted queries) and, in trusted-documents mode, refuses any
  operation that is not in the manifest;
- after validation, a verified APQ document is remembered;
- once the operation and its variables are known, `Protocols.tag` gives the
  answer's tag (ETag and cache key) from the dataset version the request reads;
  a client that already holds that ETag is told so without executing, and a
  cached answer is served without the database;
- after execution, `Protocols.keep` encodes a successful answer and caches it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import GraphQLError

from spacerace.schema import errors
from spacerace.schema.answers import AnswerCache, Tag
from spacerace.schema.persisted import (
    APQ_VERSION,
    SHA256,
    ManifestError,
    PersistedQueries,
    TrustedDocuments,
    sha256_hex,
)
from spacerace.store import settings as store_settings

MiB = 1024 * 1024


SettingsError = store_settings.SettingsError
"""The one class for a setting the service cannot run with (see store/settings.py)."""


@dataclass(frozen=True)
class ProtocolSettings:
    """How the gate caches answers and takes documents by hash."""

    answer_cache_bytes: int = 64 * MiB
    """SPACERACE_ANSWER_CACHE_BYTES: encoded successful answers kept in each process
    (0: no answer cache; ETags are still given)."""
    persisted_query_bytes: int = 4 * MiB
    """SPACERACE_PERSISTED_QUERY_BYTES: automatic persisted query texts kept in each
    process (0: APQ off)."""
    trusted_documents: Path | None = None
    """SPACERACE_TRUSTED_DOCUMENTS: a manifest of the only operations allowed (unset:
    any operation)."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ProtocolSettings:
        env = os.environ if env is None else env
        trusted = env.get("SPACERACE_TRUSTED_DOCUMENTS", "").strip()
        settings = cls(
            answer_cache_bytes=non_negative_int(
                env, "SPACERACE_ANSWER_CACHE_BYTES", cls.answer_cache_bytes
            ),
            persisted_query_bytes=non_negative_int(
                env, "SPACERACE_PERSISTED_QUERY_BYTES", cls.persisted_query_bytes
            ),
            trusted_documents=Path(trusted) if trusted else None,
        )
        settings.manifest()  # fail at start-up, naming the variable
        return settings

    def manifest(self) -> TrustedDocuments | None:
        if self.trusted_documents is None:
            return None
        try:
            return TrustedDocuments.load(self.trusted_documents)
        except ManifestError as error:
            raise SettingsError(f"SPACERACE_TRUSTED_DOCUMENTS: {error}") from None


def non_negative_int(env: Mapping[str, str], name: str, default: int) -> int:
    """A whole number ≥ 0 from `env[name]`, or `default` when unset or blank."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if value < 0:
        raise SettingsError(f"{name} must not be negative, got {value}")
    return value


@dataclass(frozen=True)
class Resolved:
    """The document a request runs, when it came by hash or must be remembered."""

    query: str
    register: str | None = None
    """The sha256 to remember the document under once it validates (APQ)."""


def _refusal(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


class Protocols:
    """The protocol state of one gate (one per process): the answer cache, the APQ
    store and the trusted-documents manifest."""

    def __init__(self, settings: ProtocolSettings | None = None) -> None:
        self.settings = settings or ProtocolSettings()
        self.answers = AnswerCache(self.settings.answer_cache_bytes)
        self.persisted = PersistedQueries(self.settings.persisted_query_bytes)
        self.trusted = self.settings.manifest()

    # -- before parsing ------------------------------------------------------------

    def document(self, query: Any, extensions: Any) -> Resolved | GraphQLError | None:
        """The document to run when the request names one by hash (None: the request's
        own query, unchanged), or why the request may not run."""
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        if persisted is None:
            return self._freeform(query)
        sha256 = _apq_hash(persisted)
        if isinstance(sha256, GraphQLError):
            return sha256
        given = query if isinstance(query, str) and query else None
        if given is not None and sha256_hex(given) != sha256:
            return _refusal(
                "provided sha does not match query: `sha256Hash` must be the sha256 of the "
                "query's UTF-8 text, in hex.",
                errors.PERSISTED_QUERY_HASH_MISMATCH,
            )
        if self.trusted is not None:
            found = self.trusted.get(sha256)
            if found is None:
                return self._not_in_list(f"No operation with sha256 {sha256} is in the list.")
            return Resolved(found)
        if not self.persisted.enabled:
            return _refusal("PersistedQueryNotSupported", errors.PERSISTED_QUERY_NOT_SUPPORTED)
        if given is not None:
            return Resolved(given, register=sha256)
        found = self.persisted.get(sha256)
        if found is None:
            return _refusal("PersistedQueryNotFound", errors.PERSISTED_QUERY_NOT_FOUND)
        return Resolved(found)

    def _freeform(self, query: Any) -> GraphQLError | None:
        if self.trusted is None or not isinstance(query, str) or not query.strip():
            return None
        if self.trusted.get(sha256_hex(query)) is None:
            return self._not_in_list("This operation is not in the list of trusted documents.")
        return None

    def _not_in_list(self, why: str) -> GraphQLError:
        return _refusal(
            f"{why} This API runs only its trusted documents: send one of them, by its "
            'sha256, as extensions.persistedQuery {"version": 1, "sha256Hash": ...}.',
            errors.PERSISTED_QUERY_NOT_IN_LIST,
        )

    # -- after validation ----------------------------------------------------------

    def remember(self, resolved: Resolved | None) -> None:
        if resolved is not None and resolved.register is not None:
            self.persisted.put(resolved.register, resolved.query)


def _apq_hash(persisted: Any) -> str | GraphQLError:
    shape = '`extensions.persistedQuery` must be {"version": 1, "sha256Hash": "<64 hex digits>"}.'
    if not isinstance(persisted, dict):
        return _refusal(shape, errors.BAD_REQUEST)
    if persisted.get("version") != APQ_VERSION:
        return _refusal(
            f"Unsupported persisted query version {persisted.get('version')!r}: {shape}",
            errors.BAD_REQUEST,
        )
    sha256 = persisted.get("sha256Hash")
    if not isinstance(sha256, str) or not SHA256.fullmatch(sha256.lower()):
        return _refusal(shape, errors.BAD_REQUEST)
    return sha256.lower()


__all__ = ["ProtocolSettings", "Protocols", "Resolved", "SettingsError", "Tag"]
