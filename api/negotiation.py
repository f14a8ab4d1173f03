"""Content negotiation: which media type and which compression a client gets."""

from __future__ import annotations

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"
ENCODINGS = ("br", "gzip")
"""The compressions this API speaks, preferred first when a client ranks them equally."""


def weights(header: str) -> dict[str, float]:
    """An Accept-style header as {token: q}; parameters other than q are dropped.
    Malformed q values count as 0 (not acceptable)."""
    found: dict[str, float] = {}
    for part in header.split(","):
        token, *params = (piece.strip() for piece in part.split(";"))
        if not token:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        token = token.lower()
        found[token] = max(q, found.get(token, 0.0))
    return found


def media_type(accept: str) -> str | None:
    """The media type to answer in (GraphQL over HTTP): graphql-response+json where the
    client names it at least as highly as anything else, application/json for older
    clients, wildcards and no Accept at all; None when the client accepts neither."""
    if not accept.strip():
        return JSON
    ranked = weights(accept)
    graphql = ranked.get(GRAPHQL_RESPONSE, 0.0)
    # A wildcard means the client takes anything; the spec's default (until the
    # watershed) is application/json.
    json = ranked.get(JSON, max(ranked.get("application/*", 0.0), ranked.get("*/*", 0.0)))
    if graphql <= 0 and json <= 0:
        return None
    return GRAPHQL_RESPONSE if graphql >= json else JSON


def encoding(accept_encoding: str) -> str | None:
    """The compression to use (`br` or `gzip`), or None for the body as it is."""
    if not accept_encoding.strip():
        return None
    ranked = weights(accept_encoding)
    anything = ranked.get("*", 0.0)
    best, best_q = None, 0.0
    for name in ENCODINGS:
        q = ranked.get(name, anything)
        if q > best_q:
            best, best_q = name, q
    return best
