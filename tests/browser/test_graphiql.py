"""GraphiQL in a real browser: Debian's Chromium, driven by playwright-core
(tests/browser/graphiql.mjs), against the app served by uvicorn on loopback, with
every outside host blocked. Needs node, chromium, `npm ci` in tests/browser and
the GraphiQL files (scripts/graphiql-assets); .ci/run provides all four."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from spacerace.api import graphiql
from tests.serving import Server, free_port, graphql, require

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

pytestmark = pytest.mark.slow


def test_graphiql_renders_runs_the_example_and_shows_the_answer(tmp_path: Path) -> None:
    node = shutil.which("node")
    require(node is not None, "node is not installed")
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed (apt-get install chromium)")
    require(
        (HERE / "node_modules" / "playwright-core").is_dir(),
        "playwright-core is not installed: npm ci --prefix tests/browser",
    )
    require(graphiql.bundled(), "GraphiQL's files are not built: run scripts/graphiql-assets")
    assert node is not None

    port = free_port()
    argv = [sys.executable, "-m", "spacerace.api.cli", "serve", "--port", str(port)]
    with Server(argv, port=port, cwd=tmp_path, log=tmp_path / "serve.log") as server:
        driver = subprocess.run(
            [
                node,
                str(HERE / "graphiql.mjs"),
                f"{server.base}/graphql",
                str(tmp_path / "shot.png"),
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
            env={**os.environ, "CHROMIUM": CHROMIUM},
        )
        assert driver.returncode == 0, driver.stderr
        seen = json.loads(driver.stdout)
        example = (ROOT / "docs" / "queries" / "voskhod-2.graphql").read_text(encoding="utf-8")
        expected = graphql(server.base, example)

    assert "error" not in seen, seen.get("error")
    assert seen["pageErrors"] == []
    assert seen["consoleErrors"] == []  # this includes any content-security-policy refusal
    assert seen["notice"] == []  # no "loaded from the CDN" notice
    # Nothing left the machine: every request went to the app.
    hosts = {urlsplit(url).netloc for url in seen["requests"] if not url.startswith("data:")}
    assert hosts == {f"127.0.0.1:{port}"}, seen["requests"]

    # It opened on the Voskhod 2 example, with every example in its own tab.
    names = []
    for path in sorted((ROOT / "docs" / "queries").glob("*.graphql")):
        found = re.search(r"^query (\w+)", path.read_text(encoding="utf-8"), re.MULTILINE)
        assert found is not None, path
        names.append(found.group(1))
    assert seen["tabs"][:1] == ["Voskhod2"], seen["tabs"]
    assert sorted(seen["tabs"]) == sorted(names)
    assert seen["query"] == example

    # It ran it and shows the server's answer.
    text = seen["resultText"].replace("\xa0", " ")
    assert "Voskhod 2" in text
    assert "Alexey Leonov" in text
    assert json.loads(seen["response"]) == expected

    # The docs explorer shows the root type's fields, and so does the explorer plugin.
    assert "mission(slug: String!): Mission" in seen["docs"]
    assert "mission" in seen["explorer"].split()
