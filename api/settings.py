"""HTTP settings: CORS, compression and caching headers, each with a default."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from spacerace.schema.protocols import SettingsError, non_negative_int

ORIGIN = re.compile(r"(?:https?)://[^\s/?#]+")
"""An origin as browsers send it: scheme, host and port, no path."""


@dataclass(frozen=True)
class HTTPSettings:
    """How the HTTP layer answers."""

    cors_origins: tuple[str, ...] | None = None
    """SPACERACE_CORS_ORIGINS: `*` (the default: any origin may GET and POST) or a
    comma-separated allow-list of origins, e.g. `https://app.example,http://localhost:3000`."""
    cors_max_age: int = 86_400
    """SPACERACE_CORS_MAX_AGE: seconds a browser may reuse a preflight's answer."""
    compress_min_bytes: int = 1024
    """SPACERACE_COMPRESS_MIN_BYTES: answers at least this long are compressed (gzip or
    br, as the client accepts)."""
    cache_max_age: int = 60
    """SPACERACE_CACHE_MAX_AGE: seconds a successful answer may be reused
    (`Cache-Control: public, max-age=…`); after that a client revalidates with its ETag."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> HTTPSettings:
        env = os.environ if env is None else env
        return cls(
            cors_origins=_origins(env.get("SPACERACE_CORS_ORIGINS", "")),
            cors_max_age=non_negative_int(env, "SPACERACE_CORS_MAX_AGE", cls.cors_max_age),
            compress_min_bytes=non_negative_int(
                env, "SPACERACE_COMPRESS_MIN_BYTES", cls.compress_min_bytes
            ),
            cache_max_age=non_negative_int(env, "SPACERACE_CACHE_MAX_AGE", cls.cache_max_age),
        )


def _origins(raw: str) -> tuple[str, ...] | None:
    raw = raw.strip()
    if not raw or raw == "*":
        return None
    origins = tuple(part.strip().rstrip("/") for part in raw.split(",") if part.strip())
    for origin in origins:
        if origin == "*":
            raise SettingsError(
                "SPACERACE_CORS_ORIGINS: `*` allows every origin and cannot be listed with others"
            )
        if not ORIGIN.fullmatch(origin):
            raise SettingsError(
                f"SPACERACE_CORS_ORIGINS: {origin!r} is not an origin such as "
                "https://app.example or http://localhost:3000 (scheme and host, no path)"
            )
    return origins
