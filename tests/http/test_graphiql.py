"""The GraphiQL page and the files it loads, without a browser (tests/browser has one)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from spacerace.api import graphiql
from spacerace.api.app import create_app
from spacerace.store.settings import Settings
from tests.serving import require

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "docs" / "queries"


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def config(page: str) -> dict[str, object]:
    found = re.search(r'<script id="graphiql-config" type="application/json">(.*?)</script>', page)
    assert found is not None
    data: dict[str, object] = json.loads(found.group(1))
    return data


@pytest.fixture
def complete_folder(tmp_path: Path) -> Path:
    """A folder with every pinned file (empty: the page only checks they are there)."""
    for asset in graphiql.assets():
        target = tmp_path / asset.url_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"")
    return tmp_path


def test_the_examples_are_package_data_voskhod_2_first() -> None:
    assert QUERIES.resolve() == graphiql.EXAMPLES
    files = sorted(QUERIES.glob("*.graphql"))
    shown = graphiql.examples()
    assert len(shown) == len(files) >= 2
    assert shown[0] == (QUERIES / "voskhod-2.graphql").read_text(encoding="utf-8")
    assert sorted(shown) == sorted(f.read_text(encoding="utf-8") for f in files)


def test_with_the_files_the_page_loads_nothing_from_elsewhere(complete_folder: Path) -> None:
    page = graphiql.render(folder=complete_folder)
    assert page.bundled
    assert graphiql.cdn() not in page.html
    assert 'class="cdn-notice"' not in page.html
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.html)
    assert sources[0] == "data:,"  # the favicon, so the browser asks for none
    assert all(s.startswith(graphiql.PREFIX) for s in sources[1:]), sources
    pinned = {graphiql.PREFIX + a.url_path for a in graphiql.assets()}
    assert {s for s in sources[1:] if s != "/graphiql/spacerace-graphiql.js"} <= pinned
    # React before GraphiQL before the plugin, our start script last.
    scripts = re.findall(r'<script src="([^"]+)"', page.html)
    assert [s.rsplit("/", 1)[-1] for s in scripts] == [
        "react.production.min.js",
        "react-dom.production.min.js",
        "graphiql.min.js",
        "index.umd.js",
        "spacerace-graphiql.js",
    ]
    policy = dict(part.split(" ", 1) for part in page.content_security_policy.split("; "))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["connect-src"] == "'self'"
    assert "unsafe" not in page.content_security_policy


def test_without_the_files_the_page_uses_the_cdn_and_says_so(tmp_path: Path) -> None:
    page = graphiql.render(folder=tmp_path)
    assert not page.bundled
    assert '<p class="cdn-notice" role="status">' in page.html
    assert "scripts/graphiql-assets" in page.html
    for asset in graphiql.assets():
        if asset.path.endswith((".js", ".css")):
            url = f"{graphiql.cdn()}/{asset.url_path}"
            assert f'"{url}" integrity="{asset.integrity}" crossorigin="anonymous"' in page.html
    assert f"script-src 'self' {graphiql.cdn()}" in page.content_security_policy
    assert config(page.html)["bundled"] is False


def test_every_example_has_its_tab_and_the_json_cannot_end_the_script(tmp_path: Path) -> None:
    (tmp_path / "voskhod-2.graphql").write_text("{ a }")
    (tmp_path / "b.graphql").write_text("# </script><script>alert(1)</script>\n{ b }")
    (tmp_path / "a.graphql").write_text("{ c }")
    page = graphiql.render(queries=tmp_path, folder=tmp_path)
    assert "<script>alert" not in page.html
    tabs = config(page.html)["tabs"]
    assert tabs == [
        {"query": "{ a }"},
        {"query": "{ c }"},
        {"query": "# </script><script>alert(1)</script>\n{ b }"},
    ]


def test_the_app_serves_the_page_with_its_policy_and_the_start_script() -> None:
    with TestClient(create_app(Settings())) as client:
        page = client.get("/graphql", headers={"accept": "text/html"})
        start = client.get("/graphiql/spacerace-graphiql.js")
        missing = client.get("/graphiql/react@18.2.0/umd/react.development.js")
        escape = client.get("/graphiql/../../pyproject.toml")
    assert page.status_code == 200
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert 'id="graphiql"' in page.text
    assert start.status_code == 200
    assert start.headers["content-type"].startswith("text/javascript")
    assert "createFetcher" in start.text
    for refused in (missing, escape):  # not pinned, or outside the folder: not served
        assert refused.status_code == 404
        assert refused.headers["content-type"] == "application/json"
        assert refused.json()["errors"][0]["extensions"] == {"code": "NOT_FOUND"}


def test_the_bundled_files_are_the_pinned_ones() -> None:
    """After scripts/graphiql-assets, the app serves each pinned file, byte for byte."""
    require(graphiql.bundled(), "GraphiQL's files are not built here: run scripts/graphiql-assets")
    with TestClient(create_app(Settings())) as client:
        page = client.get("/graphql", headers={"accept": "text/html"})
        assert 'class="cdn-notice"' not in page.text
        for asset in graphiql.assets():
            served = client.get(graphiql.PREFIX + asset.url_path)
            assert served.status_code == 200, asset
            assert sri(served.content) == asset.integrity, asset
            assert "immutable" in served.headers["cache-control"]
