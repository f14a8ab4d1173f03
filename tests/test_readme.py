"""The README's example request gets the answer the README shows."""

from __future__ import annotations

import json
import re
from pathlib import Path

from starlette.testclient import TestClient

from spacerace.api.app import create_app
from spacerace.store.settings import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_the_readme_example_answers_as_shown() -> None:
    payload = re.search(r"-d '(\{\"query\":.*?\})'", README, re.DOTALL)
    shown = re.search(r"```json\n(.*?)```", README, re.DOTALL)
    assert payload is not None
    assert shown is not None
    with TestClient(create_app(Settings())) as client:
        response = client.post(
            "/graphql", content=payload.group(1), headers={"content-type": "application/json"}
        )
    assert response.status_code == 200
    assert response.json() == json.loads(shown.group(1))


def test_the_readme_names_the_two_commands() -> None:
    first_screen = README.split("## ")[0]
    assert ".venv/bin/spacerace serve" in first_screen
    assert ".venv/bin/pytest" in first_screen
    assert (
        ".venv/bin/pytest" in (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
    )
