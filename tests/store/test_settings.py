from __future__ import annotations

from pathlib import Path

import pytest

from spacerace.store.connection import StoreUnavailable, connect, database_name
from spacerace.store.settings import BUNDLED_SEEDS, Settings, SettingsError


def test_defaults_are_the_embedded_store() -> None:
    settings = Settings.from_env({})
    assert settings.embedded
    assert settings.database == "spacerace"
    assert settings.timeout_ms == 2000
    assert settings.seeds_path == BUNDLED_SEEDS


def test_values_are_read_from_the_environment(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "MONGODB_URI": "mongodb://db:27017",
            "MONGODB_DATABASE": "history",
            "MONGODB_TIMEOUT_MS": "500",
            "SPACERACE_SEEDS": str(tmp_path),
        }
    )
    assert not settings.embedded
    assert (settings.mongodb_uri, settings.database, settings.timeout_ms, settings.seeds_path) == (
        "mongodb://db:27017",
        "history",
        500,
        tmp_path,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MONGODB_URI": "localhost:27017"}, "MONGODB_URI must start with mongodb://"),
        ({"MONGODB_TIMEOUT_MS": "soon"}, "MONGODB_TIMEOUT_MS must be a whole number"),
        ({"MONGODB_TIMEOUT_MS": "0"}, "MONGODB_TIMEOUT_MS must be positive"),
        ({"MONGODB_DATABASE": "a.b"}, "MONGODB_DATABASE is not a valid database name"),
        ({"MONGODB_IN_BATCH": "-1"}, "MONGODB_IN_BATCH must not be negative"),
    ],
)
def test_bad_values_fail_fast_with_a_clear_message(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)


def test_in_batch_caps_in_lists_only_when_set() -> None:
    assert Settings.from_env({}).in_batch is None
    assert Settings.from_env({"MONGODB_IN_BATCH": "0"}).in_batch is None
    assert Settings.from_env({"MONGODB_IN_BATCH": "500"}).in_batch == 500


def test_the_uri_may_name_the_database() -> None:
    settings = Settings.from_env({"MONGODB_URI": "mongodb://h:1/history?directConnection=true"})
    assert database_name(settings) == "history"


def test_an_unreachable_server_fails_within_the_timeout() -> None:
    settings = Settings.from_env(
        {"MONGODB_URI": "mongodb://127.0.0.1:9/", "MONGODB_TIMEOUT_MS": "200"}
    )
    with pytest.raises(
        StoreUnavailable, match=r"cannot reach MongoDB at mongodb://127\.0\.0\.1:9/"
    ):
        connect(settings)
