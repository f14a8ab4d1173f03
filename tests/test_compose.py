"""docker-compose.yml cannot run here (no Docker engine); its structure is checked."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def test_mongodb_is_the_official_image_at_a_pinned_major_version(compose: dict[str, Any]) -> None:
    mongo = compose["services"]["mongo"]
    assert re.fullmatch(r"mongo:\d+(\.\d+)*", mongo["image"])
    assert "healthcheck" in mongo
    volume = mongo["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]


def test_the_loader_runs_once_after_mongodb_is_healthy(compose: dict[str, Any]) -> None:
    loader = compose["services"]["loader"]
    assert loader["command"][:2] == ["spacerace", "load"]
    assert loader["depends_on"]["mongo"]["condition"] == "service_healthy"
    assert loader["restart"] == "no"
    assert loader["environment"]["MONGODB_URI"].startswith("mongodb://mongo:")


def test_the_api_waits_for_both_and_has_its_own_healthcheck(compose: dict[str, Any]) -> None:
    api = compose["services"]["api"]
    assert api["depends_on"] == {
        "mongo": {"condition": "service_healthy"},
        "loader": {"condition": "service_completed_successfully"},
    }
    assert api["command"][:2] == ["spacerace", "serve"]
    assert any("/readyz" in part for part in api["healthcheck"]["test"])
    assert (
        api["environment"]["MONGODB_URI"]
        == compose["services"]["loader"]["environment"]["MONGODB_URI"]
    )


def test_the_image_installs_the_project_and_its_seeds() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    for folder in ("api", "schema", "loaders", "store", "seeds"):
        assert f"COPY {folder} {folder}" in dockerfile
    assert "SPACERACE_SEEDS=/app/seeds" in dockerfile


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
def test_docker_compose_accepts_the_file() -> None:
    result = subprocess.run(
        ["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
