"""scripts/graphiql-assets takes GraphiQL's files from the npm registry, checked."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from spacerace.api import graphiql
from tests.serving import require

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "graphiql-assets"

pytestmark = pytest.mark.slow


def run(*args: str) -> subprocess.CompletedProcess[str]:
    require(shutil.which("node") is not None, "node is not installed")
    require(shutil.which("npm") is not None, "npm is not installed")
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, timeout=300, check=False
    )


def test_it_writes_exactly_the_pinned_files(tmp_path: Path) -> None:
    out = tmp_path / "graphiql"
    result = run("--out", str(out))
    assert result.returncode == 0, result.stderr
    for asset in graphiql.assets():
        data = (out / asset.url_path).read_bytes()
        assert "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode() == (
            asset.integrity
        )
    assert graphiql.bundled(out)
    written = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert written == {a.url_path for a in graphiql.assets()} | {"NOTICE.txt"}
    again = run("--out", str(out))
    assert "is up to date" in again.stdout


@pytest.mark.parametrize("what", ["tarball", "file"])
def test_a_wrong_hash_stops_it_and_writes_nothing(tmp_path: Path, what: str) -> None:
    manifest = json.loads(graphiql.MANIFEST.read_text())
    package = manifest["packages"][0]
    if what == "tarball":
        package["integrity"] = "sha512-" + base64.b64encode(b"\0" * 64).decode()
    else:
        first = next(iter(package["files"]))
        package["files"][first] = "sha384-" + base64.b64encode(b"\0" * 48).decode()
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    out = tmp_path / "graphiql"
    result = run("--manifest", str(tmp_path / "manifest.json"), "--out", str(out))
    assert result.returncode == 1
    assert "but the manifest pins" in result.stderr
    assert "nothing was written" in result.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json"]
