"""Typed settings read from the environment, failing fast on bad values."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

BUNDLED_SEEDS = Path(__file__).resolve().parent.parent / "seeds"


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot run with."""


@dataclass(frozen=True)
class Settings:
    """Where the data lives and how long to wait for it.

    `mongodb_uri` unset means the embedded default: mongomock in-process,
    loaded from the bundled seeds.
    """

    mongodb_uri: str | None = None
    database: str = "spacerace"
    timeout_ms: int = 2000
    seeds_path: Path = BUNDLED_SEEDS
    in_batch: int | None = None
    """At most this many values in one `$in` (None: no limit, right for MongoDB).
    SecantusDB's `$in` is quadratic, so benchmarks on it set a cap."""

    @property
    def embedded(self) -> bool:
        return self.mongodb_uri is None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        uri = env.get("MONGODB_URI", "").strip() or None
        if uri is not None and not uri.startswith(("mongodb://", "mongodb+srv://")):
            raise SettingsError(
                f"MONGODB_URI must start with mongodb:// or mongodb+srv://, got {uri!r}"
            )
        database = env.get("MONGODB_DATABASE", cls.database).strip()
        if not database or any(c in database for c in '/\\. "$'):
            raise SettingsError(f"MONGODB_DATABASE is not a valid database name: {database!r}")
        timeout_ms = _positive_int(env, "MONGODB_TIMEOUT_MS", cls.timeout_ms)
        seeds_path = Path(env.get("SPACERACE_SEEDS", "") or BUNDLED_SEEDS)
        in_batch = _positive_int(env, "MONGODB_IN_BATCH", 0) or None
        return cls(uri, database, timeout_ms, seeds_path, in_batch)


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if value <= 0 and default > 0:
        raise SettingsError(f"{name} must be positive, got {value}")
    if value < 0:
        raise SettingsError(f"{name} must not be negative, got {value}")
    return value
