"""Data flows one way; only `store` may talk to MongoDB."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DRIVERS = {"pymongo", "mongomock", "bson"}
# Which top-level packages each package may import.
ALLOWED = {
    "store": {"store"},
    "loaders": {"loaders", "store"},
    "schema": {"schema", "store"},
    # `spacerace generate` runs the benchmark data generator, from a checkout only.
    "api": {"api", "schema", "loaders", "store", "benchmarks"},
}


def _package(module: str) -> str:
    """The top-level folder a module is in: `spacerace.store.reads` is in `store`."""
    parts = module.split(".")
    return parts[1] if parts[0] == "spacerace" and len(parts) > 1 else parts[0]


def imports(package: str) -> set[tuple[str, str]]:
    found = set()
    for file in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {(file.name, _package(alias.name)) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add((file.name, _package(node.module)))
    return found


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_follow_the_data_flow(package: str) -> None:
    ours = set(ALLOWED)
    wrong = {
        (file, module)
        for file, module in imports(package)
        if (module in ours and module not in ALLOWED[package])
        or (module in DRIVERS and package != "store")
    }
    assert wrong == set()
