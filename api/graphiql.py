"""GraphiQL, served by the app itself: the page, and the pinned third-party files
it loads (React, GraphiQL, its explorer plugin) at /graphiql/NAME@VERSION/PATH.

The files are package data that `scripts/graphiql-assets` takes from the npm
registry (integrity-checked against `graphiql-assets.json`) into
`static/graphiql/`. A checkout that never ran it gets the same files from the CDN
named in the manifest, with the same hashes as subresource integrity, and the
page says so at the top. The page opens on the Voskhod 2 example with every
query of docs/queries in its own tab, under a content-security policy that
allows only this server (and, in CDN mode, the CDN).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Route

from spacerace.api.responses import error_response
from spacerace.schema import errors

_HERE = Path(str(files("spacerace.api")))
MANIFEST = _HERE / "graphiql-assets.json"
ASSETS = _HERE / "static" / "graphiql"
"""Where scripts/graphiql-assets puts the third-party files (git-ignored)."""
START_SCRIPT = _HERE / "static" / "spacerace-graphiql.js"
"""Our own script that starts GraphiQL on the page."""
EXAMPLES = Path(str(files("spacerace") / "queries")).resolve()
"""docs/queries, as package data."""
FIRST_EXAMPLE = "voskhod-2.graphql"
PREFIX = "/graphiql/"

_STYLE = """
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; }
#graphiql { flex: 1; min-height: 0; }
.cdn-notice { margin: 0; padding: 8px 16px; background: #fff3cd; color: #5c4400;
  border-bottom: 1px solid #e0c36a; font: 14px/1.4 system-ui, sans-serif; }
.cdn-notice code { font-size: 13px; }
"""


@dataclass(frozen=True)
class Asset:
    """One pinned file of one npm package."""

    package: str
    version: str
    path: str
    integrity: str
    """Its sha384, as subresource integrity."""

    @property
    def url_path(self) -> str:
        """Where it is under /graphiql/ and under the CDN (unpkg's layout)."""
        return f"{self.package}@{self.version}/{self.path}"


@dataclass(frozen=True)
class Page:
    html: str
    content_security_policy: str
    bundled: bool
    """True when the app serves every file itself; False: they come from the CDN."""


@functools.cache
def _manifest() -> dict[str, object]:
    data: dict[str, object] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return data


def cdn() -> str:
    return str(_manifest()["cdn"]).rstrip("/")


def assets() -> list[Asset]:
    """Every pinned file, in the order the page loads them."""
    packages = _manifest()["packages"]
    assert isinstance(packages, list)
    return [
        Asset(package["name"], package["version"], path, integrity)
        for package in packages
        for path, integrity in package["files"].items()
    ]


def bundled(folder: Path = ASSETS) -> bool:
    """Whether every pinned file is in `folder` (the asset step ran)."""
    return all((folder / asset.url_path).is_file() for asset in assets())


def examples(folder: Path = EXAMPLES) -> list[str]:
    """The example queries, the Voskhod 2 one first, then by file name."""
    names = sorted(path.name for path in folder.glob("*.graphql"))
    names.sort(key=lambda name: name != FIRST_EXAMPLE)
    return [(folder / name).read_text(encoding="utf-8") for name in names]


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def render(*, queries: Path = EXAMPLES, folder: Path = ASSETS, endpoint: str = "/graphql") -> Page:
    """The GraphiQL page: local files if `folder` has them all, else the CDN."""
    local = bundled(folder)
    origin = PREFIX if local else cdn() + "/"
    tags = []
    for asset in assets():
        url = html.escape(origin + asset.url_path)
        integrity = html.escape(asset.integrity)
        cors = "" if local else ' crossorigin="anonymous"'
        if asset.path.endswith(".css"):
            tags.append(f'<link rel="stylesheet" href="{url}" integrity="{integrity}"{cors}>')
        elif asset.path.endswith(".js"):
            tags.append(f'<script src="{url}" integrity="{integrity}"{cors}></script>')
    styles = [tag for tag in tags if tag.startswith("<link")]
    scripts = [tag for tag in tags if tag.startswith("<script")]
    config = {
        "endpoint": endpoint,
        "tabs": [{"query": query} for query in examples(queries)],
        "bundled": local,
        "cdn": None if local else cdn(),
    }
    # JSON inside <script>: no "<" may end the element early.
    config_json = json.dumps(config).replace("<", "\\u003c")
    notice = (
        ""
        if local
        else '<p class="cdn-notice" role="status">GraphiQL&#8217;s files are not bundled with '
        f"this installation, so this page loads them from {html.escape(cdn())} and needs the "
        "internet. To serve them from this server, run <code>scripts/graphiql-assets</code> "
        "before installing.</p>\n"
    )
    page = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Space Race GraphQL API · GraphiQL</title>
<link rel="icon" href="data:,">
<style>{_STYLE}</style>
{chr(10).join(styles)}
</head>
<body>
{notice}<div id="graphiql">Loading GraphiQL&#8230;</div>
<script id="graphiql-config" type="application/json">{config_json}</script>
{chr(10).join(scripts)}
<script src="{PREFIX}{START_SCRIPT.name}"></script>
</body>
</html>
"""
    extra = "" if local else " " + cdn()
    policy = "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self'{extra}",
            f"style-src 'self' '{_sha256(_STYLE)}'{extra}",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )
    return Page(page, policy, local)


@functools.cache
def _installed_page() -> Page:
    return render()


def response() -> HTMLResponse:
    """The page for this installation (built once per process)."""
    page = _installed_page()
    return HTMLResponse(
        page.html,
        headers={
            "content-security-policy": page.content_security_policy,
            "x-content-type-options": "nosniff",
            "cache-control": "no-cache",
        },
    )


@functools.cache
def _served() -> dict[str, Path]:
    found = {asset.url_path: ASSETS / asset.url_path for asset in assets()}
    served = {name: path for name, path in found.items() if path.is_file()}
    served[START_SCRIPT.name] = START_SCRIPT
    return served


async def asset(request: Request) -> Response:
    """A pinned file (cached for a year: its URL names its version) or our start script."""
    name = request.path_params["path"]
    path = _served().get(name)
    if path is None:
        return error_response(
            404, "GraphiQL has no such file; GraphQL is at /graphql.", errors.NOT_FOUND
        )
    cache = "no-cache" if path == START_SCRIPT else "public, max-age=31536000, immutable"
    return FileResponse(path, headers={"cache-control": cache, "x-content-type-options": "nosniff"})


route = Route(PREFIX + "{path:path}", asset, methods=["GET", "HEAD"])
"""The route that serves the files; api/app.py mounts it."""
