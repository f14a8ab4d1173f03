from __future__ import annotations

from pathlib import Path

import pytest

from spacerace.store.connection import StoreUnavailable, client_options, connect, database_name
from spacerace.store.settings import (
    BUNDLED_SEEDS,
    MAX_TIMEOUT_MS,
    Settings,
    SettingsError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    redact_uri,
)

ROOT = Path(__file__).resolve().parents[2]


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
    assert settings.shown_uri == "mongodb://db:27017"
    assert Settings.from_env({}).shown_uri == "the bundled seeds, in process"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MONGODB_URI": "localhost:27017"}, "MONGODB_URI must start with mongodb://"),
        ({"MONGODB_TIMEOUT_MS": "soon"}, "MONGODB_TIMEOUT_MS must be a whole number"),
        ({"MONGODB_TIMEOUT_MS": "0"}, "MONGODB_TIMEOUT_MS must be positive"),
        ({"MONGODB_DATABASE": "a.b"}, "MONGODB_DATABASE is not a valid database name"),
        ({"MONGODB_IN_BATCH": "-1"}, "MONGODB_IN_BATCH must not be negative"),
        ({"MONGODB_URI": "mongodb://"}, "MONGODB_URI is not a valid MongoDB URI: Must provide"),
        ({"MONGODB_URI": "mongodb://h:notaport"}, "MONGODB_URI is not a valid MongoDB URI: Port"),
        ({"MONGODB_URI": "mongodb://h:70000"}, "MONGODB_URI is not a valid MongoDB URI: Port"),
        ({"MONGODB_URI": "mongodb://[::1"}, "MONGODB_URI is not a valid MongoDB URI: an IPv6"),
        ({"MONGODB_URI": "mongodb://:27017"}, "MONGODB_URI names no host"),
        ({"MONGODB_URI": "mongodb://h,/"}, "MONGODB_URI is not a valid MongoDB URI: Empty host"),
        ({"MONGODB_URI": "mongodb://h/?nosuch=1"}, "MONGODB_URI is not a valid MongoDB URI"),
        ({"MONGODB_URI": "mongodb://h/?tls=maybe"}, "MONGODB_URI is not a valid MongoDB URI"),
        ({"MONGODB_URI": "mongodb://h/a$b"}, "MONGODB_URI is not a valid MongoDB URI: Bad"),
        ({"MONGODB_URI": "mongodb://h/" + "x" * 64}, "MONGODB_URI's database is not a valid"),
        ({"MONGODB_URI": "mongodb+srv://h.example.com:27017"}, "MONGODB_URI: a mongodb\\+srv"),
        ({"MONGODB_URI": "mongodb+srv://a.example.com,b.example.com"}, "MONGODB_URI: a mongodb"),
        ({"MONGODB_TIMEOUT_MS": "99999999999999"}, "MONGODB_TIMEOUT_MS must be at most 600000"),
        ({"MONGODB_TIMEOUT_MS": "1e3"}, "MONGODB_TIMEOUT_MS must be a whole number"),
        ({"MONGODB_TIMEOUT_MS": "2_000"}, "MONGODB_TIMEOUT_MS must be a whole number"),
        ({"MONGODB_DATABASE": "x" * 64}, "MONGODB_DATABASE is not a valid database name"),
        ({"MONGODB_DATABASE": " "}, "MONGODB_DATABASE is not a valid database name"),
        ({"MONGODB_READ_PREFERENCE": "secondry"}, "MONGODB_READ_PREFERENCE must be one of"),
        ({"SPACERACE_SEEDS": "/no/such/seeds"}, "SPACERACE_SEEDS: no such folder or file"),
        (
            {
                "MONGODB_URI": "mongodb://h/?readPreference=secondary",
                "MONGODB_READ_PREFERENCE": "nearest",
            },
            "MONGODB_READ_PREFERENCE is nearest but MONGODB_URI says readPreference=secondary",
        ),
        (
            {"MONGODB_URI": "mongodb://h/?readPreferenceTags=dc:ny"},
            "MONGODB_URI: readPreferenceTags need a read preference other than primary",
        ),
    ],
)
def test_bad_values_fail_fast_with_a_clear_message(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message) as raised:
        Settings.from_env(env)
    text = str(raised.value)
    assert "\n" not in text
    assert text.startswith(tuple(env))  # the message opens with the variable's name


def test_a_password_is_never_shown() -> None:
    with pytest.raises(SettingsError) as raised:
        Settings.from_env({"MONGODB_URI": "mongodbx://alice:s3cret@h/"})
    assert "s3cret" not in str(raised.value)
    settings = Settings.from_env({"MONGODB_URI": "mongodb://alice:s3cret@db:27017/x?tls=true"})
    assert settings.shown_uri == "mongodb://alice:***@db:27017/x?tls=true"
    assert redact_uri("mongodb://alice@db/") == "mongodb://alice@db/"
    assert redact_uri("mongodb://a:b:c@h1,h2/x") == "mongodb://a:***@h1,h2/x"


def test_good_uris_pass_without_a_dns_lookup() -> None:
    # example.invalid cannot resolve: a look-up would fail (and be slow).
    for uri in (
        "mongodb://db:27017,db2:27018/history?replicaSet=rs0",
        "mongodb://[::1]:27017/?directConnection=true",
        "mongodb+srv://alice:pw@cluster0.example.invalid/history?retryWrites=true",
        "mongodb+srv://cluster0.example.invalid/?srvMaxHosts=2&srvServiceName=mongodb",
    ):
        assert Settings.from_env({"MONGODB_URI": uri}).mongodb_uri == uri


def test_read_preference_defaults_to_primary_and_reaches_the_clients() -> None:
    assert Settings.from_env({}).read_preference == "primary"
    settings = Settings.from_env(
        {"MONGODB_URI": "mongodb://db/", "MONGODB_READ_PREFERENCE": "SecondaryPreferred"}
    )
    assert settings.read_preference == "secondaryPreferred"
    assert client_options(settings)["readPreference"] == "secondaryPreferred"
    from_uri = Settings.from_env({"MONGODB_URI": "mongodb://db/?readPreference=nearest"})
    assert from_uri.read_preference == "nearest"


def test_the_clients_accept_every_read_preference() -> None:
    from pymongo import AsyncMongoClient, MongoClient

    for mode in ("primary", "primaryPreferred", "secondary", "secondaryPreferred", "nearest"):
        settings = Settings(mongodb_uri="mongodb://127.0.0.1:9/", read_preference=mode)
        sync: MongoClient[dict[str, object]] = MongoClient(
            settings.mongodb_uri, connect=False, **client_options(settings)
        )
        aio: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(
            settings.mongodb_uri, connect=False, **client_options(settings)
        )
        assert sync.read_preference.name == aio.read_preference.name
        assert sync.read_preference.mongos_mode == mode
        sync.close()


def test_typed_environment_helpers_name_the_variable() -> None:
    env = {"N": " 42 ", "B": "Yes", "L": " a, b ,,c ", "C": "JSON", "S": "  x  ", "E": ""}
    assert env_int(env, "N", 1, minimum=1, maximum=100) == 42
    assert env_int(env, "E", 7) == 7
    assert env_bool(env, "B", False) is True
    assert env_bool({"B": "off"}, "B", True) is False
    assert env_bool(env, "missing", True) is True
    assert env_list(env, "L") == ("a", "b", "c")
    assert env_list(env, "E", ["d"]) == ("d",)
    assert env_choice(env, "C", "text", ("text", "json")) == "json"
    assert env_str(env, "S", "d") == "x"
    assert env_str(env, "E", "d") == "d"
    for call, message in [
        (lambda: env_int({"N": "4.5"}, "N", 1), "N must be a whole number, got '4.5'"),
        (lambda: env_int({"N": "101"}, "N", 1, maximum=100), "N must be at most 100, got 101"),
        (lambda: env_int({"N": "2"}, "N", 5, minimum=3), "N must be at least 3, got 2"),
        (lambda: env_bool({"B": "maybe"}, "B", False), "B must be true or false"),
        (
            lambda: env_choice({"C": "xml"}, "C", "a", ("a", "b")),
            "C must be one of a, b, got 'xml'",
        ),
    ]:
        with pytest.raises(SettingsError, match=message):
            call()


def test_the_bundled_data_is_package_data() -> None:
    # In a checkout, the package's folder is the symlinked source folder.
    assert (ROOT / "seeds").resolve() == BUNDLED_SEEDS


def test_the_longest_timeout_is_accepted_and_one_more_is_not() -> None:
    limit = str(MAX_TIMEOUT_MS)
    assert Settings.from_env({"MONGODB_TIMEOUT_MS": limit}).timeout_ms == MAX_TIMEOUT_MS
    with pytest.raises(SettingsError, match=f"at most {limit}"):
        Settings.from_env({"MONGODB_TIMEOUT_MS": str(MAX_TIMEOUT_MS + 1)})


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
