"""Hostile requests: every probe of the limits issue, and a few more, with what the
API must answer to each. The hostile test suite sends them through Starlette's
test client and to a real uvicorn process; the mixed-load benchmark sends them
while 32 connections ask the small query.

Every probe must be refused, fast, with a GraphQL JSON error whose
`extensions.code` says why. `send` writes one probe on its own connection."""

from __future__ import annotations

import errno
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import orjson

from benchmarks.queries import TREE

GRAPHQL_RESPONSE = "application/graphql-response+json"


@dataclass(frozen=True)
class Probe:
    name: str
    code: str
    """The `extensions.code` of the (first) error."""
    status: int
    build: Callable[[], bytes] = field(repr=False)
    """The body (or, for GET, the query string)."""
    method: str = "POST"
    content_type: str = "application/json"
    chunked: bool = False
    """Sent with `transfer-encoding: chunked` and no `content-length`."""
    executors: tuple[str, ...] = ("compiled", "reference")
    """The SPACERACE_EXECUTOR settings under which it is hostile."""

    def body(self) -> bytes:
        return self.build()


def _json(query: str, variables: object = None, **extra: object) -> Callable[[], bytes]:
    def build() -> bytes:
        payload: dict[str, object] = {"query": query, **extra}
        if variables is not None:
            payload["variables"] = variables
        return orjson.dumps(payload)

    return build


def cycle(levels: int, first: int = 100) -> str:
    """missions → crew → person → flights → mission, `levels` times over: each level
    multiplies the answer by 6 to 7."""
    inner = "name"
    for _ in range(levels):
        inner = f"crew {{ person {{ flights {{ mission {{ {inner} }} }} }} }}"
    return f"{{ missions(first: {first}) {{ nodes {{ {inner} }} }} }}"


def _nested_json(depth: int) -> Callable[[], bytes]:
    return lambda: b'{"query": ' + b"[" * depth + b"]" * depth + b"}"


def _variables_nested(depth: int) -> Callable[[], bytes]:
    def build() -> bytes:
        query = b'"query($v: String) { search(query: $v) { __typename } }"'
        return (
            b'{"query": ' + query + b', "variables": {"v": ' + b"[" * depth + b"]" * depth + b"}}"
        )

    return build


def _large(i: int) -> Callable[[], bytes]:
    """A distinct 0.35 MB query (the issue's 20 distinct large queries added 485 MB)."""
    fields = " ".join(f"f{i}_{n}: slug" for n in range(20_000))
    return _json(f"{{ missions {{ nodes {{ {fields} }} }} }}")


SEARCH = "query($q: String!) { search(query: $q) { __typename } }"
WIDE = """{ programs(first: 100) { nodes { missions(first: 100) { nodes {
  outcomes { people { outcomes { people { name } } } } } } } } }"""
"""Nine levels deep, but 100 × 100 missions × 7 outcomes × 5 people × 12 outcomes × 5."""
FRAGMENT_BOMB = (
    'query { mission(slug: "vostok-1") { ...F0 } } '
    + " ".join(
        f"fragment F{i} on Mission {{ program {{ missions(first: 100) {{ nodes {{ ...F{i + 1} }} }}"
        f" }} launchSite {{ missions(first: 100) {{ nodes {{ ...F{i + 1} }} }} }} }}"
        for i in range(8)
    )
    + " fragment F8 on Mission { slug }"
)
ROOTS = (
    "{ "
    + " ".join(f"r{i}: __typename" for i in range(8))
    + " "
    + " ".join(
        [
            'node(id: "x") { id }',
            'search(query: "a") { __typename }',
            'mission(slug: "x") { name }',
            "missions { totalCount }",
            'person(slug: "x") { name }',
            "people { totalCount }",
            'program(slug: "x") { name }',
            "programs { totalCount }",
            'event(slug: "x") { title }',
            "timeline { totalCount }",
            'launchSite(slug: "x") { name }',
            "launchSites { totalCount }",
            "__typename",
        ]
    )
    + " }"
)

PROBES: list[Probe] = [
    # The crew → person → flights → mission cycle.
    Probe("the cycle 15 levels deep", "QUERY_TOO_DEEP", 400, _json(cycle(15))),
    Probe("the cycle 6 levels deep", "QUERY_TOO_DEEP", 400, _json(cycle(6))),
    Probe(
        "the cycle 15 levels deep, over GET",
        "QUERY_TOO_DEEP",
        400,
        lambda: cycle(15).encode(),
        method="GET",
    ),
    Probe(
        "programs > missions > crew > person > flights > mission > crew > person",
        "QUERY_TOO_DEEP",
        400,
        _json(
            "{ programs(first: 100) { nodes { missions(first: 100) { nodes { crew { person "
            "{ flights { mission { crew { person { name } } } } } } } } } } }"
        ),
    ),
    Probe("a tree 9 levels deep of 25 million objects", "QUERY_TOO_COMPLEX", 400, _json(WIDE)),
    Probe("fragments that double at every level", "QUERY_TOO_DEEP", 400, _json(FRAGMENT_BOMB)),
    Probe(
        "the benchmark tree with a directive (graphql-core would answer it)",
        "QUERY_TOO_COMPLEX",
        400,
        _json(TREE.replace("slug name country", "slug name @include(if: true) country")),
        executors=("compiled",),  # graphql-core chosen as the executor answers it
    ),
    # Aliases, repeats, tokens, length.
    Probe(
        '1,000 aliases of search(query: "a", first: 100)',
        "QUERY_TOO_LONG",
        400,
        _json(
            "{ "
            + " ".join(
                f'a{i}: search(query: "a", first: 100) {{ __typename }}' for i in range(1000)
            )
            + " }"
        ),
    ),
    Probe(
        '16 aliases of search(query: "a", first: 100)',
        "TOO_MANY_ALIASES",
        400,
        _json(
            "{ "
            + " ".join(f'a{i}: search(query: "a", first: 100) {{ __typename }}' for i in range(16))
            + " }"
        ),
    ),
    Probe(
        "400,000 aliased __typename (7.5 MB)",
        "PAYLOAD_TOO_LARGE",
        413,
        _json("{ " + " ".join(f"a{i}: __typename" for i in range(400_000)) + " }"),
    ),
    Probe(
        "10,000 repeated fields",
        "QUERY_TOO_LONG",
        400,
        _json("{ missions { nodes { " + "slug " * 10_000 + "} } }"),
    ),
    Probe(
        "2,000 repeated fields",
        "TOO_MANY_TOKENS",
        400,
        _json("{ missions { nodes { " + "slug " * 2_000 + "} } }"),
    ),
    Probe(
        "900 repeated fields (graphql-core's merge check would take 0.1 s)",
        "TOO_MANY_REPEATED_FIELDS",
        400,
        _json("{ missions { nodes { " + "id " * 900 + "} } }"),
    ),
    Probe(
        "2,000 comments",
        "TOO_MANY_TOKENS",
        400,
        _json("{ __typename " + "# a comment\n" * 2_000 + "}"),
    ),
    Probe(
        "fields nested 400 deep",
        "GRAPHQL_PARSE_FAILED",  # "Document is nested too deeply", before the 1,000th token
        400,
        _json("{ " + 'mission(slug: "x") { program { ' * 200 + "name" + " } }" * 200 + " }"),
    ),
    *[
        Probe(f"distinct large query {i + 1} of 20 (0.35 MB)", "QUERY_TOO_LONG", 400, _large(i))
        for i in range(20)
    ],
    # Search text and variables.
    Probe(
        "a 5 MB search string",
        "PAYLOAD_TOO_LARGE",
        413,
        _json('{ search(query: "' + "a" * 5_000_000 + '") { __typename } }'),
    ),
    Probe(
        "a 5 MB search string in variables",
        "PAYLOAD_TOO_LARGE",
        413,
        _json(SEARCH, {"q": "a" * 5_000_000}),
    ),
    Probe(
        "a 300 KB search string in variables",
        "VARIABLES_TOO_LARGE",
        400,
        _json(SEARCH, {"q": "a" * 300_000}),
    ),
    Probe(
        "a 1,000-character search string",
        "SEARCH_TOO_LONG",
        400,
        _json(SEARCH, {"q": "Leonov " * 143}),
    ),
    Probe(
        "a 1,000-character nameContains",
        "SEARCH_TOO_LONG",
        400,
        _json('{ people(filter: {nameContains: "' + "a" * 1000 + '"}) { totalCount } }'),
    ),
    Probe(
        "900 KB of variables",
        "VARIABLES_TOO_LARGE",
        400,
        _json(SEARCH, {"q": "a", **{f"v{i}": "x" * 90 for i in range(9_000)}}),
    ),
    Probe("variables nested 1,000 deep", "VARIABLES_TOO_LARGE", 400, _variables_nested(1_000)),
    # Directives, root fields, operations.
    Probe(
        "1,000 @include on one field",
        "TOO_MANY_TOKENS",
        400,
        _json('{ mission(slug: "voskhod-2") { name' + " @include(if: true)" * 1_000 + " } }"),
    ),
    Probe(
        "6 directives on one field",
        "TOO_MANY_DIRECTIVES",
        400,
        _json('{ mission(slug: "voskhod-2") { name' + " @include(if: true)" * 6 + " } }"),
    ),
    Probe("21 root fields", "TOO_MANY_ROOT_FIELDS", 400, _json(ROOTS)),
    Probe(
        "two operations and no operationName",
        "OPERATION_RESOLUTION_FAILURE",
        400,
        _json("query A { __typename } query B { programs { totalCount } }"),
    ),
    Probe("a mutation", "GRAPHQL_VALIDATION_FAILED", 400, _json("mutation { __typename }")),
    Probe(
        "introspection, when it is off",
        "INTROSPECTION_DISABLED",
        400,
        _json("{ __schema { types { name fields { name } } } }"),
    ),
    # Bodies.
    Probe("a 50 MB body", "PAYLOAD_TOO_LARGE", 413, lambda: b" " * 50_000_000),
    Probe(
        "a 50 MB chunked body", "PAYLOAD_TOO_LARGE", 413, lambda: b" " * 50_000_000, chunked=True
    ),
    Probe('the JSON string "x"', "BAD_REQUEST", 400, lambda: b'"x"'),
    Probe("the JSON number 123", "BAD_REQUEST", 400, lambda: b"123"),
    Probe("the JSON true", "BAD_REQUEST", 400, lambda: b"true"),
    Probe("the JSON null", "BAD_REQUEST", 400, lambda: b"null"),
    Probe("JSON nested 1,000 deep", "BAD_REQUEST", 400, _nested_json(1_000)),
    Probe("JSON nested 100,000 deep", "BAD_REQUEST", 400, _nested_json(100_000)),
    Probe(
        "a body that is not UTF-8",
        "BAD_REQUEST",
        400,
        lambda: b'{"query": "{ __typename \xff\xfe }"}',
    ),
    Probe(
        "a GraphQL body that is not UTF-8",
        "BAD_REQUEST",
        400,
        lambda: b"{ __typename \xff }",
        content_type="application/graphql",
    ),
    Probe("a body that is not JSON", "BAD_REQUEST", 400, lambda: b"{ __typename }"),
]
"""What the hostile suite sends, and what the API must answer."""

PRODUCTION = {"SPACERACE_INTROSPECTION": "false", "SPACERACE_SUGGESTIONS": "false"}
"""The switches the probes are sent against (introspection off)."""


# -- sending one probe over a socket ------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        return orjson.loads(self.body)


def request_head(probe: Probe, host: str, length: int | None) -> bytes:
    if probe.method == "GET":
        from urllib.parse import quote

        target = "/graphql?query=" + quote(probe.body().decode())
        return (
            f"GET {target} HTTP/1.1\r\nHost: {host}\r\nAccept: {GRAPHQL_RESPONSE}\r\n"
            "Connection: close\r\n\r\n"
        ).encode()
    framing = "Transfer-Encoding: chunked" if length is None else f"Content-Length: {length}"
    return (
        f"POST /graphql HTTP/1.1\r\nHost: {host}\r\nContent-Type: {probe.content_type}\r\n"
        f"Accept: {GRAPHQL_RESPONSE}\r\n{framing}\r\nConnection: close\r\n\r\n"
    ).encode()


def _chunks(body: bytes, chunked: bool, size: int = 65_536) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        piece = body[start : start + size]
        yield (f"{len(piece):x}\r\n".encode() + piece + b"\r\n") if chunked else piece
    if chunked:
        yield b"0\r\n\r\n"


def send(host: str, port: int, probe: Probe, timeout: float = 10.0) -> Reply:
    """One probe on a fresh connection. The server may answer (and close) before the
    body is all sent, as it should for a body over the cap: sending stops there."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        if probe.method == "GET":
            sock.sendall(request_head(probe, f"{host}:{port}", 0))
        else:
            body = probe.body()
            sock.sendall(
                request_head(probe, f"{host}:{port}", None if probe.chunked else len(body))
            )
            try:
                for chunk in _chunks(body, probe.chunked):
                    sock.sendall(chunk)
            except OSError as error:  # the server answered and closed: read the answer
                if error.errno not in (errno.EPIPE, errno.ECONNRESET):
                    raise
        return _read(sock)


def _read(sock: socket.socket) -> Reply:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65_536)
        if not chunk:
            raise ConnectionError(f"closed before an answer: {data[:200]!r}")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    length = int(headers.get("content-length", "-1"))
    while length < 0 or len(rest) < length:
        try:
            chunk = sock.recv(65_536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        rest += chunk
    return Reply(status, headers, rest[:length] if length >= 0 else rest)
