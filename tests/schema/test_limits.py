"""The gate's limits: each one refuses what is over it, with its own code, the limit
and the setting, before anything is executed, under both executors; and what the
examples, the README and the benchmarks ask for is never refused."""

from __future__ import annotations

import asyncio
import gc
import logging
import re
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from graphql import (
    FragmentDefinitionNode,
    GraphQLObjectType,
    OperationDefinitionNode,
    get_introspection_query,
    get_named_type,
    is_composite_type,
    parse,
)
from graphql.execution.values import VariableValues, get_variable_values
from pymongo.database import Database

from benchmarks.queries import SMALL, TREE
from spacerace.schema import fields as kinds
from spacerace.schema import limits, schema
from spacerace.schema.fields import spec_of, type_spec
from spacerace.schema.gate import Answer, Gate, GateSettings, Request, SettingsError
from spacerace.schema.limits import LIST_BOUNDS, Limits, LimitSettings
from spacerace.store.aio import AsyncStore, EmbeddedStore
from spacerace.store.generations import live
from spacerace.store.reads import Reader
from tests.schema.conftest import Execute, data

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "queries"
README = (ROOT / "README.md").read_text(encoding="utf-8")
README_QUERY = re.search(r'-d \'\{"query":\s*"(.*?)"\}\'', README, re.DOTALL)
DEFAULTS = LimitSettings()

Run = Callable[..., Answer]


@pytest.fixture
def run(open_store: Callable[[], AsyncStore], executor: str) -> Run:
    """Runs an operation through a gate with the given limits (the defaults if none)."""

    def run(
        query: str,
        limits: LimitSettings | None = None,
        variables: dict[str, Any] | None = None,
        operation_name: str | None = None,
    ) -> Answer:
        gate = Gate(schema._schema, GateSettings(executor=executor, limits=limits or DEFAULTS))

        async def main() -> Answer:
            store = open_store()
            try:
                return await gate.run(Request(query, variables, operation_name), Reader(store))
            finally:
                await store.close()

        return asyncio.run(main())

    return run


def refused(answer: Answer, code: str) -> dict[str, Any]:
    """The one error of a refused request, checked to name its limit and setting."""
    assert answer.request_error, answer
    assert answer.executor is None
    assert answer.data is None
    (error,) = answer.errors
    extensions = error.extensions or {}
    assert extensions["code"] == code, error
    setting = extensions["setting"]
    assert setting.startswith("SPACERACE_")
    assert setting in error.message
    if "limit" in extensions:
        assert f"{extensions['limit']:,}" in error.message
    return {"message": error.message, **extensions}


def cycle(levels: int, first: int = 100) -> str:
    """missions → crew → person → flights → mission, `levels` times over."""
    inner = "name"
    for _ in range(levels):
        inner = f"crew {{ person {{ flights {{ mission {{ {inner} }} }} }} }}"
    return f"{{ missions(first: {first}) {{ nodes {{ {inner} }} }} }}"


def estimate(query: str, variables: dict[str, Any] | None = None) -> int:
    document = parse(query)
    (operation,) = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    values = get_variable_values(
        schema._schema, operation.variable_definitions or (), variables or {}
    )
    assert isinstance(values, VariableValues)
    verdict = Limits(schema._schema, LimitSettings.off()).check_operation(
        operation, fragments, values
    )
    return verdict.cost.estimate


# -- the bounds of unpaginated lists come from the data -------------------------------


def _list_fields() -> list[tuple[str, str, kinds.FieldSpec | None]]:
    """Every list field of the schema that returns objects and is not a page."""
    found = []
    for type_ in schema._schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for name, field in type_.fields.items():
            spec = spec_of(field)
            if not ("[" in str(field.type) and is_composite_type(get_named_type(field.type))):
                continue
            if isinstance(spec, kinds.PageNodes | kinds.PageEdges | kinds.Search | kinds.Entities):
                continue  # sized by their arguments, not by the data
            found.append((type_.name, name, spec))
    return sorted(found, key=lambda item: item[:2])


def real_maxima(db: Database[dict[str, Any]]) -> dict[tuple[str, str], int]:
    """For each list field, the most items it holds anywhere in `db`, found as the
    executors find them (the specs' own functions and the reader's queries)."""
    lists = _list_fields()
    # The objects of each type: documents for entities, then items embedded in them.
    objects: dict[str, list[Any]] = {}
    for _ in range(6):  # embedding is at most a few levels deep (mission → claim → source)
        found: dict[str, list[Any]] = {
            spec.name: list(live(db, spec.collection.name).find({}))
            for spec in kinds.entities()
            if spec.collection is not None
        }
        for owner, _name, spec in lists:
            if isinstance(spec, kinds.Embedded):
                parented = type_spec(spec.target).parented
                for obj in objects.get(owner, []):
                    doc = obj[0] if type_spec(owner).parented else obj
                    for item in doc.get(spec.key) or []:
                        found.setdefault(spec.target, []).append((item, obj) if parented else item)
        objects = found

    async def maxima() -> dict[tuple[str, str], int]:
        reader = Reader(EmbeddedStore(db))
        out: dict[tuple[str, str], int] = {}
        for owner, name, spec in lists:
            objs = objects.get(owner, [])
            docs = [obj[0] if type_spec(owner).parented else obj for obj in objs]
            if isinstance(spec, kinds.Embedded | kinds.Reference):
                counts = [len(doc.get(spec.key) or []) for doc in docs]
            elif isinstance(spec, kinds.ItemsReferencing):
                keys = [doc["_id"] for doc in docs]
                holding = await reader.referencing(spec.where(), spec.via, keys, spec.order)
                counts = [len(spec.items(d, k)) for k, d in zip(keys, holding, strict=True)]
            elif isinstance(spec, kinds.Related):
                related = live(db, spec.collection.name)
                counts = []
                for obj in objs:
                    data, parent = obj if type_spec(owner).parented else (obj, None)
                    held = related.find_one({"_id": spec.slug_of(data, parent)})
                    counts.append(len(spec.value(data, held) or []))
            elif isinstance(spec, kinds.Siblings):
                counts = [len(spec.items(item, parent)) for item, parent in objs]
            else:
                raise AssertionError(f"{owner}.{name}: no way to count a {type(spec).__name__}")
            assert counts, f"no {owner} in the data to measure {owner}.{name} on"
            out[(owner, name)] = max(counts)
        return out

    return asyncio.run(maxima())


def test_every_unpaginated_list_has_a_bound() -> None:
    assert sorted(LIST_BOUNDS) == [(owner, name) for owner, name, _ in _list_fields()]


def test_the_bounds_hold_for_the_bundled_data(loaded_embedded: Database[dict[str, Any]]) -> None:
    """Each bound is at least the most items its list holds in the seeds (this fails
    when the data outgrows one: raise it in LIST_BOUNDS) and at most twice that (the
    bounds are the data's, not guesses)."""
    measured = real_maxima(loaded_embedded)
    outgrown = {k: (LIST_BOUNDS[k], v) for k, v in measured.items() if v > LIST_BOUNDS[k]}
    assert outgrown == {}, "the data outgrew these bounds (bound, now): raise them"
    loose = {k: (LIST_BOUNDS[k], v) for k, v in measured.items() if LIST_BOUNDS[k] > 2 * v}
    assert loose == {}


def test_a_list_that_outgrows_its_bound_is_caught(
    loaded_embedded: Database[dict[str, Any]],
) -> None:
    """The check above can fail: one more crew seat than the bound is seen."""
    import mongomock

    db: Database[dict[str, Any]] = mongomock.MongoClient(tz_aware=True)["copy"]
    for name in loaded_embedded.list_collection_names():
        docs = list(loaded_embedded[name].find({}))
        if docs:
            db[name].insert_many(docs)
    seat = {"person": "alexey-leonov", "role": "Passenger"}
    crew = [seat] * (LIST_BOUNDS[("Mission", "crew")] + 1)
    live(db, "missions").update_one({"_id": "voskhod-2"}, {"$set": {"crew": crew}})
    assert real_maxima(db)[("Mission", "crew")] == LIST_BOUNDS[("Mission", "crew")] + 1


# -- what must always pass ---------------------------------------------------------------


ALLOWED = {
    **{path.name: path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.graphql"))},
    "README": README_QUERY.group(1).replace('\\"', '"') if README_QUERY else "",
    "benchmark tree": TREE,
    "benchmark small query": SMALL,
    "introspection": get_introspection_query(
        descriptions=True,
        specified_by_url=True,
        directive_is_repeatable=True,
        schema_description=True,
        input_value_deprecation=True,
    ),
}


@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_the_defaults_let_the_examples_and_benchmarks_through(name: str) -> None:
    query = ALLOWED[name]
    assert query
    gate = Limits(schema._schema)
    assert gate.check_request(query, {"slug": "voskhod-2"}) is None
    document = gate.parse(query)
    assert gate.check_document(document) == []
    assert gate.validate(document) == []
    (operation,) = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    values = get_variable_values(
        schema._schema, operation.variable_definitions or (), {"slug": "voskhod-2"}
    )
    assert isinstance(values, VariableValues)
    verdict = gate.check_operation(operation, {}, values)
    cost = verdict.cost
    assert verdict.errors == []
    assert cost.limit is not None
    assert cost.estimate <= cost.limit


def test_the_benchmark_tree_estimate() -> None:
    """100 programs × 100 missions, each with at most 3 crew (and their person) and 7
    outcomes of at most 5 people, plus the two levels of connections."""
    crew, outcomes, people = (
        LIST_BOUNDS[("Mission", "crew")],
        LIST_BOUNDS[("Mission", "outcomes")],
        LIST_BOUNDS[("Outcome", "people")],
    )
    missions = 100 * 100
    expected = 1 + 100 + 100 + missions * (1 + 2 * crew + outcomes * (1 + people))
    assert estimate(TREE) == expected == 490_201
    assert expected <= DEFAULTS.max_cost / 1.5  # type: ignore[operator]


def test_the_tree_runs_under_the_defaults(execute: Execute) -> None:
    answer = execute(TREE)
    assert len(data(answer)["programs"]["nodes"]) > 10
    assert answer.cost is not None
    assert answer.cost.estimate == 490_201


# -- the estimate ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("{ __typename }", 0),
        ('{ mission(slug: "x") { name } }', 1),
        ('{ mission(slug: "x") { crew { role } } }', 1 + 3),
        ("{ missions { nodes { slug } } }", 1 + 20),
        ("{ missions(first: 5) { totalCount pageInfo { endCursor } nodes { slug } } }", 1 + 1 + 5),
        ("{ missions(first: 5) { edges { cursor node { slug } } } }", 1 + 5 * 2),
        ("{ missions(first: 1000) { nodes { slug } } }", 1 + 100),
        ('{ search(query: "a") { __typename } }', 20),
        ('{ search(query: "a", first: 3) { ... on Mission { crew { role } } } }', 3 * (1 + 3)),
        (
            # the most any possible type of the union selects
            '{ search(query: "a", first: 2) { ... on Mission { crew { role } }'
            " ... on Person { flights { role } outcomes { kind } } } }",
            2 * (1 + 4 + 12),
        ),
        (
            "{ a: missions(first: 2) { nodes { slug } } b: missions(first: 3) { nodes { slug } } }",
            (1 + 2) + (1 + 3),
        ),
        (
            # fields merged from fragments are counted once
            "{ missions(first: 2) { nodes { crew { role } ...F ...F } } }"
            " fragment F on Mission { crew { person { name } } }",
            1 + 2 * (1 + 3 * (1 + 1)),
        ),
    ],
)
def test_the_estimate(query: str, expected: int) -> None:
    assert estimate(query) == expected


def test_the_estimate_reads_first_from_variables() -> None:
    query = "query($n: Int) { missions(first: $n) { nodes { slug } } }"
    assert estimate(query, {"n": 7}) == 8
    assert estimate(query, {}) == 21


def test_federation_entities_cost_one_per_representation() -> None:
    """`_entities` is as long as the list of representations a router sends."""
    query = (
        "query($r: [_Any!]!) { _entities(representations: $r) "
        "{ ... on Mission { name crew { person { name } } } } }"
    )
    one = estimate(query, {"r": [{"__typename": "Mission", "slug": "voskhod-2"}]})
    many = estimate(query, {"r": [{"__typename": "Mission", "slug": "voskhod-2"}] * 50})
    assert one == 1 + LIST_BOUNDS[("Mission", "crew")] * 2
    assert many == 50 * one


def test_a_verdict_is_kept_only_where_no_variable_changes_it(
    loaded_embedded: Database[dict[str, Any]],
) -> None:
    gate = Gate(schema._schema, GateSettings())
    reader = Reader(EmbeddedStore(loaded_embedded))
    paged = "query($n: Int) { missions(first: $n) { nodes { slug } } }"
    searched = "query($q: String!) { search(query: $q) { __typename } }"
    fixed = '{ mission(slug: "voskhod-2") { crew { role } } }'

    async def costs() -> list[Any]:
        out = []
        for query, variables in [
            (paged, {"n": 2}),
            (paged, {"n": 50}),
            (searched, {"q": "leonov"}),
            (searched, {"q": "a" * 300}),
            (fixed, {}),
            (fixed, {}),
        ]:
            answer = await gate.run(Request(query, variables), reader)
            out.append(answer.cost.estimate if not answer.errors else answer.errors[0].extensions)
        return out

    found = asyncio.run(costs())
    assert found[:3] == [3, 51, 20]
    assert found[3]["code"] == "SEARCH_TOO_LONG"
    assert found[4:] == [4, 4]
    assert gate._documents.get(paged).verdicts == {}  # type: ignore[union-attr]
    assert list(gate._documents.get(fixed).verdicts) == [None]  # type: ignore[union-attr]


def test_fragments_spread_many_times_are_costed_quickly() -> None:
    """Fragments that spread each other twice over describe an answer that doubles at
    every level; costing them must not take as long."""
    levels = 40
    parts = [
        f"fragment F{i} on Mission {{ program {{ missions(first: 1) {{ nodes {{ "
        f"...F{i + 1} }} }} }} launchSite {{ missions(first: 1) {{ nodes {{ ...F{i + 1} }} }} }} }}"
        for i in range(levels)
    ]
    parts.append(f"fragment F{levels} on Mission {{ slug }}")
    query = 'query { mission(slug: "x") { ...F0 } } ' + " ".join(parts)
    assert estimate(query) > 2**levels


# -- each limit ----------------------------------------------------------------------------


SLOW = """{ programs(first: 100) { nodes { missions(first: 100) { nodes {
  crew { person { flights { mission { crew { person { name } } } } } } } } } } }"""
"""The query the issue saw run past 90 s on SecantusDB with 50,000 missions."""


def test_too_complex(run: Run) -> None:
    answer = run(SLOW, DEFAULTS.but(max_depth=None))
    error = refused(answer, "QUERY_TOO_COMPLEX")
    assert error["setting"] == "SPACERACE_MAX_COST"
    assert error["limit"] == 750_000
    assert error["cost"] == {"estimate": 1_030_201, "limit": 750_000}
    assert "1,030,201 objects" in error["message"]
    expected = {"cost": {"estimate": 1_030_201, "limit": 750_000}}
    assert answer.formatted()["extensions"] == expected
    assert run(cycle(3), DEFAULTS.but(max_depth=None)).errors == []


def test_the_cycle_fifteen_levels_deep(run: Run) -> None:
    error = refused(run(cycle(15)), "QUERY_TOO_DEEP")
    assert error["limit"] == 10
    assert "63 deep" in error["message"]
    error = refused(run(cycle(15), DEFAULTS.but(max_depth=None)), "QUERY_TOO_COMPLEX")
    assert error["cost"]["estimate"] > 10**18


def test_too_deep(run: Run) -> None:
    assert refused(run(cycle(2)), "QUERY_TOO_DEEP")["setting"] == "SPACERACE_MAX_DEPTH"
    assert run(cycle(2), DEFAULTS.but(max_depth=11)).errors == []


def test_too_many_aliases(run: Run) -> None:
    query = (
        "{ "
        + " ".join(f'a{i}: search(query: "a", first: 100) {{ __typename }}' for i in range(16))
        + " }"
    )
    error = refused(run(query), "TOO_MANY_ALIASES")
    assert error["limit"] == 15
    assert "16 aliases" in error["message"]
    assert run(query, DEFAULTS.but(max_aliases=16, max_root_fields=None)).errors == []


def test_too_many_tokens(run: Run) -> None:
    query = "{ " + "__typename " * 1_000 + "}"
    error = refused(run(query), "TOO_MANY_TOKENS")
    assert error["setting"] == "SPACERACE_MAX_TOKENS"
    comments = "{ __typename " + "#\n" * 1_001 + "}"
    assert "comments" in refused(run(comments), "TOO_MANY_TOKENS")["message"]


def test_too_long(run: Run) -> None:
    query = '{ search(query: "' + "a" * 40_000 + '") { __typename } }'
    error = refused(run(query), "QUERY_TOO_LONG")
    assert error["setting"] == "SPACERACE_MAX_QUERY_LENGTH"
    assert "40,036 characters" in error["message"]


def test_too_many_directives(run: Run) -> None:
    query = '{ mission(slug: "voskhod-2") { name' + " @include(if: true)" * 6 + " } }"
    error = refused(run(query), "TOO_MANY_DIRECTIVES")
    assert error["limit"] == 5
    assert "6 directives" in error["message"]


def test_too_many_repeated_fields(run: Run) -> None:
    query = "{ missions { nodes { " + "slug " * 11 + "} } }"
    error = refused(run(query), "TOO_MANY_REPEATED_FIELDS")
    assert error["limit"] == 10
    assert "'slug' is selected 11 times" in error["message"]
    inline = "{ missions { nodes { " + "... on Mission { slug } " * 11 + "} } }"
    assert refused(run(inline), "TOO_MANY_REPEATED_FIELDS")["limit"] == 10
    assert data(run("{ missions(first: 1) { nodes { " + "slug " * 10 + "} } }"))


def test_a_document_too_costly_to_validate_says_why(run: Run) -> None:
    """graphql-core gives up comparing 990 copies of a field, without a reason."""
    query = "{ missions { nodes { " + "id " * 990 + "} } }"
    answer = run(query, DEFAULTS.but(max_repeated_fields=None))
    (error,) = answer.errors
    assert (error.extensions or {})["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert error.message.startswith("Validation aborted: the document is too costly to check")


def test_too_many_root_fields(run: Run) -> None:
    query = "{ " + " ".join(f"f{i}: __typename" for i in range(21)) + " }"
    error = refused(run(query, DEFAULTS.but(max_aliases=None)), "TOO_MANY_ROOT_FIELDS")
    assert error["limit"] == 20
    fragments = "{ ...A ...B } fragment A on Query { a: __typename b: __typename }"
    fragments += " fragment B on Query { c: __typename a: __typename }"
    limited = DEFAULTS.but(max_root_fields=2)
    assert "3 root fields" in refused(run(fragments, limited), "TOO_MANY_ROOT_FIELDS")["message"]


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ('{ search(query: "' + "a" * 257 + '") { __typename } }', {}),
        ("query($q: String!) { search(query: $q) { __typename } }", {"q": "a" * 257}),
        (
            "query($f: PersonFilter) { people(filter: $f) { totalCount } }",
            {"f": {"nameContains": "a" * 257}},
        ),
        ('{ missions(filter: {nameContains: "' + "a" * 257 + '"}) { totalCount } }', {}),
    ],
)
def test_search_too_long(run: Run, query: str, variables: dict[str, Any]) -> None:
    error = refused(run(query, variables=variables), "SEARCH_TOO_LONG")
    assert error["limit"] == 256
    assert "257 characters" in error["message"]


def test_search_of_the_longest_allowed_text_runs(run: Run) -> None:
    answer = run(
        "query($q: String!) { search(query: $q) { __typename } }", variables={"q": "a" * 256}
    )
    assert answer.errors == []
    assert answer.data == {"search": []}


@pytest.mark.parametrize(
    "variables",
    [
        {"q": "a" * 70_000},
        {"q": ["a"] * 30_000},
        {"q": {"deep": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}},
    ],
)
def test_variables_too_large(run: Run, variables: dict[str, Any]) -> None:
    answer = run("query($q: String) { search(query: $q) { __typename } }", variables=variables)
    assert refused(answer, "VARIABLES_TOO_LARGE")["setting"] == "SPACERACE_MAX_VARIABLES_BYTES"


def test_limits_can_be_turned_off(run: Run) -> None:
    query = "{ " + " ".join(f"f{i}: __typename" for i in range(30)) + " }"
    answer = run(query, LimitSettings.off())
    assert answer.errors == []
    assert answer.cost is not None
    assert answer.cost.limit is None


def test_graphql_core_answering_in_the_compiled_executors_place_is_held_to_less(
    open_store: Callable[[], AsyncStore],
) -> None:
    """A directive sends the whole operation to graphql-core, which spends 15 to 30
    times more per object and does not yield within a level: the tree is refused then,
    a small operation is not; with graphql-core chosen as the executor, the plain cost
    limit applies."""
    directed = TREE.replace("slug name country", "slug name @include(if: true) country")

    def run(executor: str, query: str) -> Answer:
        gate = Gate(schema._schema, GateSettings(executor=executor))

        async def main() -> Answer:
            store = open_store()
            try:
                return await gate.run(Request(query), Reader(store))
            finally:
                await store.close()

        return asyncio.run(main())

    error = refused(run("compiled", directed), "QUERY_TOO_COMPLEX")
    assert error["limit"] == 750_000 // limits.GRAPHQL_CORE_SHARE
    assert "graphql-core must answer it (directives)" in error["message"]
    assert run("reference", directed).errors == []
    small = '{ mission(slug: "voskhod-2") { name @include(if: true) crew { role } } }'
    answer = run("compiled", small)
    assert answer.executor == "reference"
    assert answer.errors == []
    introspection = run("compiled", "{ __schema { types { name fields { name args { name } } } } }")
    assert introspection.executor == "reference"
    assert introspection.errors == []


# -- introspection and suggestions -------------------------------------------------------


def test_introspection_can_be_turned_off(run: Run) -> None:
    off = DEFAULTS.but(introspection=False)
    for query in ("{ __schema { queryType { name } } }", '{ __type(name: "Mission") { name } }'):
        assert run(query).errors == []
        answer = run(query, off)
        assert answer.request_error
        error = answer.errors[0]
        assert (error.extensions or {})["code"] == "INTROSPECTION_DISABLED"
        assert "SPACERACE_INTROSPECTION" in error.message
    assert data(run("{ __typename }", off)) == {"__typename": "Query"}


def test_suggestions_can_be_turned_off(run: Run) -> None:
    query = '{ mission(slug: "voskhod-2") { nme } }'
    assert "Did you mean 'name'" in run(query).errors[0].message
    quiet = run(query, DEFAULTS.but(suggestions=False))
    assert quiet.errors[0].message == "Cannot query field 'nme' on type 'Mission'."
    enum = "query($s: MissionStatus) { missions(filter: {status: $s}) { totalCount } }"
    assert "Did you mean" in run(enum, variables={"s": "SUCESS"}).errors[0].message
    message = run(enum, DEFAULTS.but(suggestions=False), {"s": "SUCESS"}).errors[0].message
    assert "Did you mean" not in message
    assert "SUCESS" in message


def test_several_operations_without_a_name_is_an_error(run: Run) -> None:
    answer = run("query A { __typename } query B { programs { totalCount } }")
    assert answer.request_error
    (error,) = answer.errors
    assert (error.extensions or {})["code"] == "OPERATION_RESOLUTION_FAILURE"
    assert "operationName" in error.message
    named = run("query A { __typename } query B { __typename }", operation_name="B")
    assert data(named) == {"__typename": "Query"}


# -- what clients see of the cost -------------------------------------------------------------


def test_every_answer_says_what_it_cost(execute: Execute) -> None:
    answer = execute('{ mission(slug: "voskhod-2") { name crew { person { name } } } }')
    assert answer.formatted()["extensions"] == {"cost": {"estimate": 7, "limit": 750_000}}
    assert answer.executor is not None


# -- settings ------------------------------------------------------------------------------


def test_settings_from_the_environment() -> None:
    settings = GateSettings.from_env(
        {
            "SPACERACE_MAX_COST": "1000",
            "SPACERACE_MAX_DEPTH": "off",
            "SPACERACE_MAX_ALIASES": "0",
            "SPACERACE_REQUEST_TIMEOUT_MS": "2_500",
            "SPACERACE_INTROSPECTION": "false",
            "SPACERACE_SUGGESTIONS": "no",
        }
    ).limits
    assert settings.max_cost == 1000
    assert settings.max_depth is None
    assert settings.max_aliases is None
    assert settings.request_timeout_ms == 2500
    assert settings.introspection is False
    assert settings.suggestions is False
    assert settings.max_tokens == DEFAULTS.max_tokens
    assert GateSettings.from_env({}).limits == DEFAULTS
    cache = GateSettings.from_env({"SPACERACE_DOCUMENT_CACHE_BYTES": "1_000"})
    assert cache.document_cache_bytes == 1000


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("SPACERACE_MAX_COST", "lots", "SPACERACE_MAX_COST must be a whole number"),
        ("SPACERACE_MAX_BODY_BYTES", "-1", "SPACERACE_MAX_BODY_BYTES must not be negative"),
        ("SPACERACE_INTROSPECTION", "maybe", "SPACERACE_INTROSPECTION must be true or false"),
        ("SPACERACE_DOCUMENT_CACHE_BYTES", "-1", "SPACERACE_DOCUMENT_CACHE_BYTES must not be neg"),
        ("SPACERACE_EXECUTOR", "fast", "SPACERACE_EXECUTOR must be one of compiled, reference"),
    ],
)
def test_bad_settings_name_their_variable(variable: str, value: str, says: str) -> None:
    with pytest.raises(SettingsError, match=says):
        GateSettings.from_env({variable: value})


def test_every_setting_is_in_the_readme() -> None:
    for variable in limits.ENVIRONMENT.values():
        assert f"`{variable}`" in README, variable


# -- the document cache -------------------------------------------------------------------------


def _held(gate: Gate, query: str, reader: Reader) -> int:
    """Bytes the gate keeps for `query` once it has answered it (tracemalloc)."""

    async def answer() -> None:
        await gate.run(Request(query, {"slug": "voskhod-2"}), reader)

    asyncio.run(answer())  # anything built on first use is built now
    gate._documents._entries.clear()
    gate._documents.bytes = 0
    gc.collect()
    tracemalloc.start()
    try:
        asyncio.run(answer())
        gc.collect()
        with_entry = tracemalloc.get_traced_memory()[0]
        gate._documents._entries.clear()
        gc.collect()
        return with_entry - tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()


CACHED = {
    **{name: query for name, query in ALLOWED.items() if name != "introspection"},
    "200 aliases": "{ "
    + " ".join(f'a{i}: mission(slug: "voskhod-2") {{ name crew {{ role }} }}' for i in range(200))
    + " }",
    "900 fields": "{ missions { nodes { " + " ".join(["slug name summary"] * 300) + " } } }",
    "300 unknown fields": "{ missions { nodes { "
    + " ".join(f"f{i}" for i in range(300))
    + " } } }",
    "a syntax error": "{ missions { nodes { " + " ".join(f"f{i}" for i in range(300)),
}


@pytest.mark.parametrize("name", sorted(CACHED))
def test_the_document_cache_estimate_covers_what_it_holds(
    name: str, loaded_embedded: Database[dict[str, Any]]
) -> None:
    gate = Gate(schema._schema, GateSettings(limits=LimitSettings.off()))
    query = CACHED[name]
    held = _held(gate, query, Reader(EmbeddedStore(loaded_embedded)))
    asyncio.run(
        gate.run(Request(query, {"slug": "voskhod-2"}), Reader(EmbeddedStore(loaded_embedded)))
    )
    (entry,) = gate._documents._entries.values()
    assert held <= entry.size <= 5 * held + 10_000, (held, entry.size)


def test_a_refused_query_is_checked_once(
    monkeypatch: pytest.MonkeyPatch, loaded_embedded: Database[dict[str, Any]]
) -> None:
    calls = {"parse": 0, "validate": 0}
    for name in calls:
        original = getattr(limits, name)

        def counted(*args: Any, _name: str = name, _original: Any = original, **kw: Any) -> Any:
            calls[_name] += 1
            return _original(*args, **kw)

        monkeypatch.setattr(limits, name, counted)
    gate = Gate(schema._schema, GateSettings())
    reader = Reader(EmbeddedStore(loaded_embedded))
    repeated = "{ missions { nodes { " + "slug " * 2_000 + "} } }"
    invalid = "{ missions { nodes { rocket } } }"
    aliased = "{ " + " ".join(f"a{i}: __typename" for i in range(16)) + " }"

    async def twice() -> list[Answer]:
        return [await gate.run(Request(q), reader) for q in (repeated, invalid, aliased) * 2]

    answers = asyncio.run(twice())
    codes = [(a.errors[0].extensions or {})["code"] for a in answers]
    assert codes == ["TOO_MANY_TOKENS", "GRAPHQL_VALIDATION_FAILED", "TOO_MANY_ALIASES"] * 2
    assert calls == {"parse": 3, "validate": 1}


# -- logs --------------------------------------------------------------------------------------


def test_a_refusal_is_logged_once_briefly(run: Run, caplog: pytest.LogCaptureFixture) -> None:
    query = '{ mission(slug: "voskhod-2") { name' + " @include(if: true)" * 1_000 + " } }"
    caplog.set_level(logging.DEBUG)
    answer = run(query, DEFAULTS.but(max_directives=None, max_tokens=None))
    assert len(answer.errors) == 101  # graphql-core stops at 100 errors, and says so
    lines = [r for r in caplog.records if r.name.startswith("spacerace")]
    assert len(lines) == 1
    (line,) = lines
    assert line.exc_info is None
    assert len(line.getMessage()) < 400
    assert "(and 100 more)" in line.getMessage()
    caplog.clear()
    refused(run(query), "TOO_MANY_TOKENS")
    assert len([r for r in caplog.records if r.name.startswith("spacerace")]) == 1
