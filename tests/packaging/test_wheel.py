"""The wheel: built from the tracked files, installed with the lock into a fresh
virtual environment, it serves the bundled data and GraphiQL from an empty folder."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from spacerace import __version__
from spacerace.api import graphiql
from tests.serving import VOSKHOD_2, Server, free_port, get, graphql

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _clean_copy(target: Path) -> Path:
    """The files git knows (tracked or new, not ignored), plus GraphiQL's built files:
    a build from here cannot pick up stale build/ output of the checkout."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if not source.exists() and not source.is_symlink():
            continue  # deleted in the work tree
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            destination.symlink_to(source.readlink())
        else:
            shutil.copy2(source, destination)
    if graphiql.bundled():
        shutil.copytree(graphiql.ASSETS, target / "api" / "static" / "graphiql")
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = _clean_copy(tmp_path_factory.mktemp("source"))
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("spacerace-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel and its locked dependencies: its bin/."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check"]
    subprocess.run(
        [*pip, "-c", str(ROOT / "constraints.txt"), str(wheel)], check=True, capture_output=True
    )
    return venv / "bin"


def test_the_wheel_holds_one_package_its_data_and_the_license(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names}
    assert tops == {"spacerace", f"spacerace-{__version__}.dist-info"}
    assert "spacerace/queries/voskhod-2.graphql" in names
    assert "spacerace/seeds/missions/voskhod.yaml" in names
    assert "spacerace/api/graphiql-assets.json" in names
    assert "spacerace/api/static/spacerace-graphiql.js" in names
    assert f"spacerace-{__version__}.dist-info/licenses/LICENSE" in names
    metadata = zipfile.ZipFile(wheel).read(f"spacerace-{__version__}.dist-info/METADATA")
    assert b"License-Expression: MIT" in metadata
    if graphiql.bundled():
        for asset in graphiql.assets():
            assert f"spacerace/api/static/graphiql/{asset.url_path}" in names


def test_the_installed_command_works_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    spacerace = str(installed / "spacerace")
    version = subprocess.run([spacerace, "--version"], capture_output=True, text=True, cwd=tmp_path)
    assert version.stdout.strip() == f"spacerace {__version__}"
    env = {"PATH": f"{installed}:/usr/bin:/bin", "HOME": str(tmp_path)}
    dry = subprocess.run(
        [spacerace, "load", "--dry-run"], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert dry.returncode == 0, dry.stderr
    assert "every record would be inserted" in dry.stdout
    assert "site-packages" not in dry.stderr

    port = free_port()
    argv = [spacerace, "serve", "--port", str(port)]
    with Server(
        argv, port=port, cwd=tmp_path, env=env, log=tmp_path.parent / "wheel.log"
    ) as server:
        assert graphql(server.base, VOSKHOD_2)["data"] == {"mission": {"name": "Voskhod 2"}}
        status, _, page = get(f"{server.base}/graphql", accept="text/html")
        assert status == 200
        assert "Voskhod2" in page  # the example, as package data
        if graphiql.bundled():
            assert 'class="cdn-notice"' not in page
            for asset in graphiql.assets():
                assert get(f"{server.base}{graphiql.PREFIX}{asset.url_path}")[0] == 200
    assert list(tmp_path.iterdir()) == []
