"""The `spacerace` command as people and CI run it."""

from __future__ import annotations

from pathlib import Path

import pytest

from spacerace.api.cli import main


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
