"""The `spacerace` command as people and CI run it."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from spacerace import __version__
from spacerace.api.app import create_app
from spacerace.api.cli import APP_FACTORY, main
from tests.serving import VOSKHOD_2, Server, free_port, graphql
from tests.wire_server import WireServer


def test_load_dry_run_on_the_bundled_seeds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == [
        "collection",
        "inserted",
        "updated",
        "unchanged",
        "deleted",
    ]
    assert "documents would change." in out


def test_load_reports_every_problem_with_its_place(
    seeds: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = seeds / "persons" / "broken.yaml"
    broken.write_text("- slug: Bad Slug\n  name: X\n  sources: [nowhere]\n- slug: y\n")
    assert main(["load", str(seeds)]) == 1
    err = capsys.readouterr().err
    assert "nothing was written" in err
    assert "persons/broken.yaml:1: record 1 (Bad Slug): field slug:" in err
    assert (
        "persons/broken.yaml:1: record 1 (Bad Slug): field sources[0]: unknown source 'nowhere'"
        in err
    )
    assert "persons/broken.yaml:4: record 2 (y): field name: is required" in err


def test_bad_settings_fail_fast(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MONGODB_TIMEOUT_MS", "soon")
    assert main(["load"]) == 2
    assert "MONGODB_TIMEOUT_MS must be a whole number" in capsys.readouterr().err


def test_an_unreachable_server_is_reported(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MONGODB_URI", "mongodb://127.0.0.1:9/")
    monkeypatch.setenv("MONGODB_TIMEOUT_MS", "200")
    assert main(["load"]) == 1
    err = capsys.readouterr().err
    assert "spacerace: cannot reach the MongoDB server of MONGODB_URI within 200 ms" in err
    assert "127.0.0.1" not in err  # no URI, so no credentials either


def test_help_names_both_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "load" in out
    assert "serve" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"spacerace {__version__}"


def test_the_help_texts_say_what_the_commands_take(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("load", "serve"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert ".yaml, .yml or .json" in out
    assert "a seeds folder" in out
    for option in ("--workers N", "--log-level LEVEL", "--graceful-timeout SECONDS"):
        assert option in out
    assert APP_FACTORY in out


def test_a_dry_run_on_the_embedded_default_says_what_it_compared_with(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["load", "--dry-run"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Dry run against an empty in-process store, because MONGODB_URI is not set" in out
    assert "every record would be inserted" in out


@pytest.mark.wire
def test_a_dry_run_on_a_server_names_the_database(
    wire_server: WireServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MONGODB_URI", wire_server.uri.replace("/?", "/drycheck?"))
    assert main(["load", "--dry-run"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert (
        f"compared with database 'drycheck' at {wire_server.uri.replace('/?', '/drycheck?')}" in out
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MONGODB_URI", "mongodb://"),
        ("MONGODB_URI", "mongodb://h:notaport"),
        ("MONGODB_URI", "mongodb://[::1"),
        ("MONGODB_TIMEOUT_MS", "99999999999999"),
        ("MONGODB_READ_PREFERENCE", "everywhere"),
        ("SPACERACE_LOG_FORMAT", "xml"),
        ("SPACERACE_ACCESS_LOG", "sometimes"),
        ("SPACERACE_METRICS", "2"),
        ("SPACERACE_METRICS_MAX_OPERATIONS", "0"),
        ("SPACERACE_TRACING", "jaeger"),
        ("PROMETHEUS_MULTIPROC_DIR", "/nonexistent/spacerace-metrics"),
        ("SPACERACE_EXECUTOR", "fastest"),
        ("SPACERACE_MAX_COST", "abc"),
        ("SPACERACE_MAX_DEPTH", "-3"),
        ("SPACERACE_REQUEST_TIMEOUT_MS", "soon"),
        ("SPACERACE_INTROSPECTION", "maybe"),
        ("SPACERACE_DOCUMENT_CACHE_BYTES", "lots"),
        ("SPACERACE_CORS_MAX_AGE", "-1"),
        ("SPACERACE_COMPRESS_MIN_BYTES", "big"),
        ("SPACERACE_ANSWER_CACHE_BYTES", "-5"),
        ("SPACERACE_PERSISTED_QUERY_BYTES", "x"),
        ("SPACERACE_TRUSTED_DOCUMENTS", "/nonexistent/manifest.json"),
    ],
)
def test_serve_stops_on_a_bad_setting_with_one_line_and_exit_2(
    variable: str, value: str, tmp_path: Path
) -> None:
    env = {**os.environ, variable: value}
    result = subprocess.run(
        [sys.executable, "-m", "spacerace.api.cli", "serve", "--port", "9"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"spacerace: {variable}")


def test_serve_runs_the_app_factory_in_each_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    calls: list[tuple[object, dict[str, object]]] = []
    folders: list[str | None] = []

    def run(app: object, **options: object) -> None:
        calls.append((app, options))
        folders.append(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
        if folders[-1]:
            assert Path(folders[-1]).is_dir()

    monkeypatch.setattr("uvicorn.run", run)
    argv = ["serve", "--workers", "3", "--log-level", "warning", "--graceful-timeout", "4"]
    assert main(argv) == 0
    assert main(["serve", "--port", "8001"]) == 0
    (factory, several), (app, one) = calls
    assert factory == APP_FACTORY
    several_logs = several.pop("log_config")
    assert several == {
        "host": "127.0.0.1",
        "port": 8000,
        "log_level": "warning",
        "timeout_graceful_shutdown": 4.0,
        "access_log": False,  # the app writes the access line
        "factory": True,
        "workers": 3,
    }
    assert isinstance(several_logs, dict)
    assert several_logs["loggers"]["spacerace.access"]["level"] == 30
    assert callable(app)
    one_logs = one.pop("log_config")
    assert one == {
        "host": "127.0.0.1",
        "port": 8001,
        "log_level": "info",
        "timeout_graceful_shutdown": 10.0,
        "access_log": False,
    }
    assert isinstance(one_logs, dict)
    assert one_logs["loggers"]["spacerace.access"]["level"] == 20
    # Several workers share their metrics through a fresh folder, gone after the run;
    # one worker keeps them in memory.
    shared, alone = folders
    assert shared is not None
    assert Path(shared).name.startswith("spacerace-metrics-")
    assert not Path(shared).exists()
    assert alone is None
    assert "PROMETHEUS_MULTIPROC_DIR" not in os.environ


def test_serve_keeps_a_metrics_folder_that_is_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    seen: list[str | None] = []
    monkeypatch.setattr(
        "uvicorn.run", lambda app, **options: seen.append(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    )
    assert main(["serve", "--workers", "2"]) == 0
    assert seen == [str(tmp_path)]
    assert tmp_path.is_dir()
    module, name = APP_FACTORY.split(":")
    assert getattr(importlib.import_module(module), name) is create_app


@pytest.mark.slow
def test_serve_with_two_workers_answers_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    argv = [sys.executable, "-m", "spacerace.api.cli", "serve", "--port", str(port)]
    argv += ["--workers", "2", "--graceful-timeout", "5"]
    server = Server(argv, port=port, cwd=tmp_path, log=tmp_path / "serve.log")
    with server:
        for _ in range(4):
            answer = graphql(server.base, VOSKHOD_2)
            assert answer["data"] == {"mission": {"name": "Voskhod 2"}}
        started = time.monotonic()
        code = server.stop()
        stopped_in = time.monotonic() - started
    log = server.output()
    assert code == 0, log
    assert stopped_in < 15, log
    workers = set(re.findall(r"Started server process \[(\d+)\]", log))
    assert len(workers) == 2, log
    assert "Traceback" not in log
