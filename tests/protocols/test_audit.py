"""The GraphQL-over-HTTP spec's own server audit (npm graphql-http, pinned in
package.json) against the real app under uvicorn: 0 errors and 0 warnings.

graphql-http reports a failed MUST as an error, a failed SHOULD as a warning and a
failed MAY as a notice. The app passes every audit of graphql-http 1.23.1, the
MAYs included (it answers GET, refuses GET mutations with 405, and uses 400 for
every malformed request), so no notice is expected either: the test says which
audit, if any, stops passing.
"""

from __future__ import annotations

import json
from collections import Counter

from tests.protocols.conftest import LiveApp, run_node


def test_the_graphql_over_http_audit_passes(node: str, live_app: LiveApp) -> None:
    output = run_node(node, "audit.mjs", f"{live_app.url}/graphql")
    results = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert len(results) >= 60, output
    statuses = Counter(result["status"] for result in results)
    problems = [
        f"{r['status']} {r['id']} {r['name']}: {r['reason']}"
        for r in results
        if r["status"] != "ok"
    ]
    assert statuses["error"] == 0, problems
    assert statuses["warn"] == 0, problems
    assert statuses["notice"] == 0, problems
    assert statuses["ok"] == len(results)
