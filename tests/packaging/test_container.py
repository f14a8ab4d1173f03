"""The container image, reproduced without Docker (there is no engine here): the
Dockerfile's stages are rebuilt in a temporary folder by tests/packaging/dockerfile.py
(copy exactly what it copies, install as it installs, into fresh virtual
environments), then its CMD runs from its WORKDIR with its ENV and must answer.
This is the check that would have caught the start-up crash on
`.../site-packages/docs/queries/voskhod-2.graphql`."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from spacerace.api import graphiql
from tests.packaging.dockerfile import Image, exec_form, healthcheck_command, parse
from tests.serving import VOSKHOD_2, Server, free_port, get, graphql, require

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"


def test_the_dockerfile_is_multi_stage_pinned_and_non_root() -> None:
    stages = parse(DOCKERFILE)
    names = [stage.name for stage in stages]
    assert names[-1] == "runtime"
    external = [stage.base for stage in stages if stage.base not in names]
    assert any(base.startswith("python:3.11.") for base in external)
    for base in external:  # an exact tag, never a moving one like 3.11-slim or latest
        tag = base.split(":", 1)[1]
        assert tag.count(".") >= 2, base
    final = {
        i.keyword: i.text for s in stages if s.name in ("python", "runtime") for i in s.instructions
    }
    assert final["USER"].split(":")[0] not in ("root", "0")
    assert final["EXPOSE"] == "8000"
    assert "/readyz" in " ".join(healthcheck_command(final["HEALTHCHECK"]))
    assert exec_form(final["CMD"]) == ["spacerace", "serve", "--host", "0.0.0.0", "--port", "8000"]
    runtime = next(s for s in stages if s.name == "runtime")
    copies = [i.text for i in runtime.instructions if i.keyword == "COPY"]
    assert copies
    assert all(c.startswith("--from=build ") for c in copies)  # only the wheel
    runs = " ".join(i.text for i in runtime.instructions if i.keyword == "RUN")
    assert "-c /tmp/install/constraints.txt" in runs  # the locked versions


def _snapshot(root: Path) -> dict[str, tuple[int, float]]:
    return {
        str(path.relative_to(root)): (path.lstat().st_size, path.lstat().st_mtime)
        for path in root.rglob("*")
    }


@pytest.fixture(scope="module")
def image() -> Iterator[Image]:
    require(shutil.which("node") is not None, "node is not installed (the assets stage)")
    require(shutil.which("npm") is not None, "npm is not installed (the assets stage)")
    workspace = Path(tempfile.mkdtemp(prefix="spacerace-image-"))
    try:
        built = Image(DOCKERFILE, ROOT, workspace)
        built.build()
        yield built
    finally:
        shutil.rmtree(workspace)


@pytest.mark.slow
def test_the_image_serves_from_its_working_folder(image: Image) -> None:
    final = image.final.name
    root = image.roots[final]
    workdir = image.inside(final, image.workdir[final])
    assert list(workdir.iterdir()) == []  # it serves from an empty folder
    assert not (root / "src").exists()  # no source tree: only the installed wheel
    assert image.skipped  # the user the image runs as
    assert all(c.split()[0] in ("groupadd", "useradd") for c in image.skipped)
    site = Path(image.env[final]["VIRTUAL_ENV"]) / "lib" / "python3.11" / "site-packages"
    package = site / "spacerace"
    assert (package / "queries" / "voskhod-2.graphql").is_file()
    assert (package / "seeds" / "missions").is_dir()
    assert graphiql.bundled(package / "api" / "static" / "graphiql")
    assert not any(p.is_symlink() for p in package.iterdir())

    port = free_port()
    exposed = image.last("EXPOSE")
    command = [
        {"0.0.0.0": "127.0.0.1", exposed: str(port)}.get(word, word)
        for word in exec_form(image.last("CMD"))
    ]
    health = [
        word.replace(f":{exposed}/", f":{port}/")
        for word in healthcheck_command(image.last("HEALTHCHECK"))
    ]
    # The container's environment is the image's ENV, nothing of this machine's.
    env = {**image.env[final], "HOME": str(image.inside(final, "/nonexistent"))}
    assert "MONGODB_URI" not in env
    before = _snapshot(root)
    server = Server(
        image.container_argv(command),
        port=port,
        cwd=workdir,
        env=env,
        log=root.parent / "serve.log",
    )
    with server:
        assert graphql(server.base, VOSKHOD_2)["data"] == {"mission": {"name": "Voskhod 2"}}
        status, kind, page = get(f"{server.base}/graphql", accept="text/html")
        assert (status, kind.split(";")[0]) == (200, "text/html")
        assert 'id="graphiql-config"' in page
        assert "query Voskhod2" in page  # the example queries are package data
        assert 'class="cdn-notice"' not in page  # the assets stage's files are served
        asset = graphiql.assets()[0]
        assert get(f"{server.base}{graphiql.PREFIX}{asset.url_path}")[0] == 200
        checked = subprocess.run(
            image.container_argv(health), cwd=workdir, env=env, capture_output=True, timeout=30
        )
        assert checked.returncode == 0, checked.stderr
    # A graceful stop: uvicorn finishes, then re-raises SIGTERM (exit 143 in Docker).
    assert server.process.returncode in (0, -signal.SIGTERM), server.output()
    assert "Finished server process" in server.output()
    assert "Traceback" not in server.output()
    # Nothing was written into the image (its user could not have): the
    # working folder, site-packages and the rest are as installed.
    assert _snapshot(root) == before
    assert os.listdir(workdir) == []
