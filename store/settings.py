"""Typed settings read from the environment, failing fast on bad values.

Every bad value raises `SettingsError` with one line that names the variable;
the `spacerace` command prints it and exits 2. The `env_*` helpers read one
variable each the same way, so the settings of other layers (query limits,
CORS, caching, ...) can reuse them:

    limit = env_int(os.environ, "SPACERACE_MAX_DEPTH", 12, minimum=1, maximum=100)
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from pymongo.errors import PyMongoError
from pymongo.uri_parser import parse_uri, split_hosts


def _bundled(name: str) -> Path:
    """A folder of package data (`spacerace/seeds`): in a checkout the symlinked
    source folder, in an installed wheel a plain folder in site-packages. Installs
    are always unpacked folders (never zip imports), so the resource is a real path."""
    return Path(str(files("spacerace") / name)).resolve()


BUNDLED_SEEDS = _bundled("seeds")
"""The curated dataset that ships in the package."""

READ_PREFERENCES = ("primary", "primaryPreferred", "secondary", "secondaryPreferred", "nearest")
MAX_TIMEOUT_MS = 600_000
"""Ten minutes: anything longer is a typo (and pymongo refuses a billion)."""

_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_BAD_DATABASE_CHARS = set('/\\. "$\0')


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot run with. The
    message is one line and starts with the variable's name."""


def env_str(env: Mapping[str, str], name: str, default: str) -> str:
    """The variable's value without surrounding blanks; unset or blank: `default`."""
    return env.get(name, "").strip() or default


def env_int(
    env: Mapping[str, str],
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    """A whole number (ASCII digits, optional sign) within [minimum, maximum]."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not _WHOLE_NUMBER.fullmatch(raw):
        raise SettingsError(f"{name} must be a whole number, got {_shown(raw)}")
    value = int(raw)
    if minimum is not None and value < minimum:
        if minimum == 1:
            raise SettingsError(f"{name} must be positive, got {value}")
        if minimum == 0:
            raise SettingsError(f"{name} must not be negative, got {value}")
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise SettingsError(f"{name} must be at most {maximum}, got {value}")
    return value


def env_choice(env: Mapping[str, str], name: str, default: str, choices: Sequence[str]) -> str:
    """One of `choices`, matched without regard to case; returned as spelled there."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    for choice in choices:
        if raw.lower() == choice.lower():
            return choice
    raise SettingsError(f"{name} must be one of {', '.join(choices)}, got {_shown(raw)}")


def env_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    """true/false, 1/0, yes/no or on/off, in any case."""
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise SettingsError(f"{name} must be true or false (or 1/0, yes/no, on/off), got {raw!r}")


def env_list(env: Mapping[str, str], name: str, default: Sequence[str] = ()) -> tuple[str, ...]:
    """A comma-separated list; blanks around items and empty items are dropped."""
    raw = env.get(name, "").strip()
    if not raw:
        return tuple(default)
    return tuple(item.strip() for item in raw.split(",") if item.strip())


def redact_uri(uri: str) -> str:
    """The URI with any password replaced by `***`, for messages and logs."""
    scheme, sep, rest = uri.partition("://")
    if not sep:
        return uri
    authority, slash, tail = rest.partition("/")
    userinfo, at, hosts = authority.rpartition("@")
    if not at or ":" not in userinfo:
        return uri
    user = userinfo.split(":", 1)[0]
    return f"{scheme}://{user}:***@{hosts}{slash}{tail}"


def _shown(raw: str) -> str:
    text = repr(raw)
    return text if len(text) <= 60 else text[:57] + "..."


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def check_mongodb_uri(uri: str, name: str = "MONGODB_URI") -> dict[str, Any]:
    """Parse a MongoDB URI with pymongo's parser, without any DNS look-up: a
    `mongodb+srv://` URI is checked as the `mongodb://` URI of its one host (the
    SRV record is looked up only when connecting). Returns pymongo's parts."""
    srv = uri.startswith("mongodb+srv://")
    if not (srv or uri.startswith("mongodb://")):
        raise SettingsError(
            f"{name} must start with mongodb:// or mongodb+srv://, got {_shown(redact_uri(uri))}"
        )
    try:
        if srv:
            rest = uri.removeprefix("mongodb+srv://")
            authority, _, _ = rest.partition("?")[0].partition("/")
            hosts = split_hosts(authority.rpartition("@")[2], default_port=None)
            if len(hosts) != 1 or hosts[0][1] is not None:
                raise SettingsError(
                    f"{name}: a mongodb+srv:// URI names exactly one host and no port"
                )
            parsed = parse_uri("mongodb://" + _without_srv_options(rest), warn=False)
        else:
            parsed = parse_uri(uri, warn=False)
    except (PyMongoError, ValueError) as error:
        if isinstance(error, SettingsError):
            raise
        raise SettingsError(f"{name} is not a valid MongoDB URI: {_one_line(error)}") from None
    if any(not host for host, _ in parsed["nodelist"]):
        raise SettingsError(f"{name} names no host: {_shown(redact_uri(uri))}")
    return parsed


def _without_srv_options(rest: str) -> str:
    """The URI's tail without the options only a mongodb+srv:// URI may carry."""
    head, sep, query = rest.partition("?")
    if not sep:
        return rest
    srv_only = ("srvservicename=", "srvmaxhosts=")
    kept = [
        option
        for option in re.split("[&;]", query)
        if option and not option.lower().startswith(srv_only)
    ]
    return f"{head}?{'&'.join(kept)}" if kept else head


def _check_database(name: str, value: str) -> None:
    if not value or any(c in _BAD_DATABASE_CHARS for c in value):
        raise SettingsError(f"{name} is not a valid database name: {_shown(value)}")
    if len(value.encode()) > 63:
        raise SettingsError(f"{name} is not a valid database name: longer than 63 bytes")


@dataclass(frozen=True)
class Settings:
    """Where the data lives, how long to wait for it and where to read from.

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
    read_preference: str = "primary"
    """Which members of a replica set answer reads (MongoDB's readPreference mode)."""

    @property
    def embedded(self) -> bool:
        return self.mongodb_uri is None

    @property
    def shown_uri(self) -> str:
        """The URI for messages: the password hidden; the embedded store described."""
        if self.mongodb_uri is None:
            return "the bundled seeds, in process"
        return redact_uri(self.mongodb_uri)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        uri = env.get("MONGODB_URI", "").strip() or None
        uri_options: Mapping[str, Any] = {}
        if uri is not None:
            parsed = check_mongodb_uri(uri)
            if parsed["database"]:
                _check_database("MONGODB_URI's database", parsed["database"])
            uri_options = parsed["options"]
        uri_read_preference = uri_options.get("readPreference")
        database = env.get("MONGODB_DATABASE", cls.database).strip()
        _check_database("MONGODB_DATABASE", database)
        timeout_ms = env_int(
            env, "MONGODB_TIMEOUT_MS", cls.timeout_ms, minimum=1, maximum=MAX_TIMEOUT_MS
        )
        seeds_path = Path(env_str(env, "SPACERACE_SEEDS", str(BUNDLED_SEEDS)))
        if not seeds_path.exists():
            raise SettingsError(f"SPACERACE_SEEDS: no such folder or file: {seeds_path}")
        in_batch = env_int(env, "MONGODB_IN_BATCH", 0, minimum=0) or None
        read_preference = env_choice(
            env, "MONGODB_READ_PREFERENCE", uri_read_preference or "primary", READ_PREFERENCES
        )
        if uri_read_preference and read_preference != uri_read_preference:
            raise SettingsError(
                f"MONGODB_READ_PREFERENCE is {read_preference} but MONGODB_URI says "
                f"readPreference={uri_read_preference}: set one of them"
            )
        if read_preference == "primary" and uri_options.get("readPreferenceTags"):
            raise SettingsError(
                "MONGODB_URI: readPreferenceTags need a read preference other than primary "
                "(MONGODB_READ_PREFERENCE or readPreference in the URI)"
            )
        return cls(uri, database, timeout_ms, seeds_path, in_batch, read_preference)
