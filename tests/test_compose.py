"""docker-compose.yml cannot run here (no Docker engine); its structure is checked."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from spacerace.store.settings import Settings

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


def test_the_image_is_built_once_and_run_by_name(compose: dict[str, Any]) -> None:
    services = compose["services"]
    built = [name for name, service in services.items() if "build" in service]
    assert built == ["api"]
    image = services["api"]["image"]
    ours = [name for name, s in services.items() if s.get("image") == image]
    assert set(ours) == {"api", "loader", "api-replica", "loader-replica"}
    for name in ours:
        if name != "api":
            assert services[name]["pull_policy"] == "never"  # built here, not pulled


def test_the_replica_profile_runs_a_one_node_replica_set(compose: dict[str, Any]) -> None:
    services = compose["services"]
    replica = {name for name, s in services.items() if "replica" in s.get("profiles", [])}
    assert replica == {"mongo-replica", "mongo-replica-init", "loader-replica", "api-replica"}
    mongod = services["mongo-replica"]["command"]
    set_name = mongod[mongod.index("--replSet") + 1]
    init = services["mongo-replica-init"]
    assert init["restart"] == "no"
    assert init["depends_on"] == {"mongo-replica": {"condition": "service_healthy"}}
    script = init["command"][-1]
    assert f'rs.initiate({{_id: "{set_name}"' in script
    assert 'host: "mongo-replica:27017"' in script
    for name in ("loader-replica", "api-replica"):
        uri = services[name]["environment"]["MONGODB_URI"]
        assert uri == f"mongodb://mongo-replica:27017/spacerace?replicaSet={set_name}"
        assert services[name]["depends_on"]["mongo-replica-init"] == {
            "condition": "service_completed_successfully"
        }
        Settings.from_env(services[name]["environment"])  # values the API accepts
    api = services["api-replica"]
    assert api["depends_on"]["loader-replica"] == {"condition": "service_completed_successfully"}
    assert api["ports"] != services["api"]["ports"]  # both stacks can run at once
    assert services["mongo-replica"]["volumes"][0].split(":")[0] in compose["volumes"]


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
def test_docker_compose_accepts_the_file() -> None:
    result = subprocess.run(
        ["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "config", "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
