"""A compiled executor for the queries this schema serves, one database call per level.

graphql-core resolves a response field by field: for a tree of 10,000 missions
that is hundreds of thousands of resolver calls, and the per-field machinery
costs far more than the database. This executor walks the validated operation
once per *level*: it completes every object of a type at a given position of
the query together, fetching each relation for all of them in one call through
the same `Reader` the resolvers use, and writes plain values straight from the
documents.

It answers only what it fully understands. Anything else (introspection,
directives, mutations, an argument that would be an error, a reference that
does not resolve) raises `Unsupported`, and the schema falls back to
graphql-core, whose answer and errors are the reference. Tests compare both
executors on every example and on the test suite's queries.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    parse,
    validate,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values

from spacerace.schema.connection import check_cursor, page_size
from spacerace.schema.mission import mission_order
from spacerace.schema.node import global_id, parse_global_id
from spacerace.store import filters
from spacerace.store.connection import Document
from spacerace.store.paging import BY_DATE, BY_NAME, Order, encode_cursor, slice_after
from spacerace.store.reads import Reader


class Unsupported(Exception):
    """This operation is left to graphql-core."""


@dataclass(frozen=True)
class Prepared:
    document: DocumentNode
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDefinitionNode]


@lru_cache(maxsize=256)
def _parse_and_validate(schema: GraphQLSchema, query: str) -> DocumentNode | None:
    try:
        document = parse(query)
    except GraphQLError:
        return None
    return None if validate(schema, document) else document


def prepare(schema: GraphQLSchema, query: str, operation_name: str | None) -> Prepared:
    document = _parse_and_validate(schema, query)
    if document is None:
        raise Unsupported("does not parse or validate")
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    if len(operations) != 1 or operations[0].operation is not OperationType.QUERY:
        raise Unsupported("not exactly one query operation")
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    return Prepared(document, operations[0], fragments)


# Documents as the store returns them, and the embedded values around them.
Seat = tuple[Document, Document]  # (crew entry, mission)
OutcomeRef = tuple[Document, Document]  # (outcome, mission)


@dataclass
class Page:
    """A connection about to be completed."""

    docs: list[Document]
    has_next: bool
    after: str | None
    order: Order
    count: Callable[[], Awaitable[int]]


Objects = Sequence[Any]
Fields = dict[str, list[FieldNode]]


class Executor:
    """Completes one operation for one request."""

    def __init__(
        self, schema: GraphQLSchema, prepared: Prepared, variables: VariableValues, reader: Reader
    ) -> None:
        self.schema = schema
        self.prepared = prepared
        self.variables = variables
        self.reader = reader
        self.cache: dict[tuple[str, frozenset[str]], dict[str, Document]] = {}

    async def run(self) -> dict[str, Any]:
        query_type = self.schema.query_type
        assert query_type is not None
        fields = self.collect(query_type, self.prepared.operation.selection_set)
        result: dict[str, Any] = {}
        for key, nodes in fields.items():
            name = nodes[0].name.value
            if name == "__typename":
                result[key] = "Query"
                continue
            handler = ROOT.get(name)
            if handler is None:
                raise Unsupported(f"Query.{name}")
            args = self.arguments(query_type.fields[name], nodes[0])
            result[key] = await handler(self, args, nodes)
        return result

    # -- selections ---------------------------------------------------------

    def collect(self, type_: GraphQLObjectType, selection_set: SelectionSetNode) -> Fields:
        fields: Fields = {}
        self._collect(type_, selection_set, fields)
        return fields

    def _collect(
        self, type_: GraphQLObjectType, selection_set: SelectionSetNode, into: Fields
    ) -> None:
        for selection in selection_set.selections:
            if selection.directives:
                raise Unsupported("directives")
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                into.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self.applies(condition.name.value, type_):
                    self._collect(type_, selection.selection_set, into)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.prepared.fragments[selection.name.value]
                if self.applies(fragment.type_condition.name.value, type_):
                    self._collect(type_, fragment.selection_set, into)

    def applies(self, condition: str, type_: GraphQLObjectType) -> bool:
        if condition == type_.name:
            return True
        abstract = self.schema.get_type(condition)
        return abstract is not None and self.schema.is_sub_type(abstract, type_)  # type: ignore[arg-type]

    def sub_fields(self, type_name: str, nodes: list[FieldNode]) -> Fields:
        type_ = self.schema.get_type(type_name)
        assert isinstance(type_, GraphQLObjectType)
        merged: Fields = {}
        for node in nodes:
            if node.selection_set is not None:
                self._collect(type_, node.selection_set, merged)
        return merged

    # -- what to fetch -----------------------------------------------------------

    def needed(self, type_name: str, nodes: list[FieldNode]) -> frozenset[str]:
        """The document fields that completing `nodes` on `type_name` reads."""
        keys: set[str] = set()
        own = DOC_KEYS[type_name]
        for field_nodes in self.sub_fields(type_name, nodes).values():
            name = field_nodes[0].name.value
            keys.update(own.get(name, ()))
            if type_name == "Mission" and name == "crew":
                keys |= self.parent_needs("CrewMember", field_nodes)
            elif type_name == "Mission" and name == "outcomes":
                keys |= self.parent_needs("Outcome", field_nodes)
        return frozenset(keys)

    def parent_needs(self, type_name: str, nodes: list[FieldNode]) -> frozenset[str]:
        """The mission fields that crew seats or outcomes (`type_name`) read."""
        keys = {"crew"} if type_name == "CrewMember" else {"outcomes"}
        for field_nodes in self.sub_fields(type_name, nodes).values():
            name = field_nodes[0].name.value
            if name == "mission":
                keys |= self.needed("Mission", field_nodes)
            elif name == "outcomes":
                keys.add("outcomes")
        return frozenset(keys)

    def connection_needs(self, type_name: str, nodes: list[FieldNode]) -> frozenset[str]:
        """The document fields a connection's nodes and edges read."""
        keys: set[str] = set()
        for field_nodes in self.sub_fields(f"{type_name}Connection", nodes).values():
            name = field_nodes[0].name.value
            if name == "nodes":
                keys |= self.needed(type_name, field_nodes)
            elif name == "edges":
                for edge_nodes in self.sub_fields(f"{type_name}Edge", field_nodes).values():
                    if edge_nodes[0].name.value == "node":
                        keys |= self.needed(type_name, edge_nodes)
        return frozenset(keys)

    def arguments(self, field: GraphQLField, node: FieldNode) -> dict[str, Any]:
        try:
            return get_argument_values(field, node, self.variables)
        except GraphQLError as error:
            raise Unsupported(str(error)) from None

    # -- completion ---------------------------------------------------------

    async def complete(self, type_name: str, objects: Objects, nodes: list[FieldNode]) -> list[Any]:
        """The response objects for `objects`, all of type `type_name`."""
        fields = self.sub_fields(type_name, nodes)
        results: list[dict[str, Any]] = [{} for _ in objects]
        type_ = self.schema.get_type(type_name)
        assert isinstance(type_, GraphQLObjectType)
        handlers = HANDLERS[type_name]
        for key, field_nodes in fields.items():
            name = field_nodes[0].name.value
            if name == "__typename":
                for result in results:
                    result[key] = type_name
                continue
            handler = handlers.get(name)
            if handler is None:
                raise Unsupported(f"{type_name}.{name}")
            if isinstance(handler, Plain):
                get = handler.get
                for result, obj in zip(results, objects, strict=True):
                    result[key] = get(obj)
                continue
            args = self.arguments(type_.fields[name], field_nodes[0])
            values = await handler(self, objects, args, field_nodes)
            for result, value in zip(results, values, strict=True):
                result[key] = value
        return results

    async def complete_lists(
        self, type_name: str, lists: Sequence[Sequence[Any]], nodes: list[FieldNode]
    ) -> list[list[Any]]:
        """Complete lists of objects of one type in one pass, keeping each list apart."""
        flat = [item for items in lists for item in items]
        done = await self.complete(type_name, flat, nodes)
        out, start = [], 0
        for items in lists:
            out.append(done[start : start + len(items)])
            start += len(items)
        return out

    async def complete_optional(
        self, type_name: str, objects: Sequence[Any | None], nodes: list[FieldNode]
    ) -> list[Any]:
        present = [obj for obj in objects if obj is not None]
        done = iter(await self.complete(type_name, present, nodes))
        return [next(done) if obj is not None else None for obj in objects]

    async def complete_mixed(
        self, items: Sequence[tuple[str, Document] | None], nodes: list[FieldNode]
    ) -> list[Any]:
        """Complete objects of several types (a union or interface), in order."""
        by_type: dict[str, list[int]] = {}
        for i, item in enumerate(items):
            if item is not None:
                by_type.setdefault(item[0], []).append(i)
        out: list[Any] = [None] * len(items)
        for type_name, positions in by_type.items():
            docs = [items[i][1] for i in positions]  # type: ignore[index]
            for i, value in zip(
                positions, await self.complete(type_name, docs, nodes), strict=True
            ):
                out[i] = value
        return out

    async def load(
        self, collection: str, ids: Iterable[str], fields: frozenset[str]
    ) -> dict[str, Document]:
        """Documents by slug with `fields`, each fetched at most once per request
        (a document already fetched with more fields serves too)."""
        cache = self.cache.setdefault((collection, fields), {})
        missing = list(dict.fromkeys(i for i in ids if i not in cache))
        for (other_collection, other_fields), other in self.cache.items():
            if missing and other_collection == collection and other_fields > fields:
                cache.update((i, other[i]) for i in missing if i in other)
                missing = [i for i in missing if i not in cache]
        if missing:
            found = await self.reader.by_ids(collection, missing, fields)
            for slug, doc in zip(missing, found, strict=True):
                if doc is not None:
                    cache[slug] = doc
        return cache

    async def required(
        self, collection: str, ids: Sequence[str], fields: frozenset[str]
    ) -> list[Document]:
        found = await self.load(collection, ids, fields)
        if any(i not in found for i in ids):
            raise Unsupported(f"a {collection} reference does not resolve")
        return [found[i] for i in ids]

    async def connection(
        self, type_name: str, pages: Sequence[Page], nodes: list[FieldNode]
    ) -> list[Any]:
        fields = self.sub_fields(f"{type_name}Connection", nodes)
        results: list[dict[str, Any]] = [{} for _ in pages]
        for key, field_nodes in fields.items():
            name = field_nodes[0].name.value
            if name == "__typename":
                values: list[Any] = [f"{type_name}Connection"] * len(pages)
            elif name == "nodes":
                values = await self.complete_lists(type_name, [p.docs for p in pages], field_nodes)
            elif name == "edges":
                values = await self.edges(type_name, pages, field_nodes)
            elif name == "pageInfo":
                values = [self.page_info(p, field_nodes) for p in pages]
            elif name == "totalCount":
                values = [await p.count() for p in pages]
            else:
                raise Unsupported(f"{type_name}Connection.{name}")
            for result, value in zip(results, values, strict=True):
                result[key] = value
        return results

    async def edges(
        self, type_name: str, pages: Sequence[Page], nodes: list[FieldNode]
    ) -> list[Any]:
        fields = self.sub_fields(f"{type_name}Edge", nodes)
        out: list[list[dict[str, Any]]] = [[{} for _ in p.docs] for p in pages]
        for key, field_nodes in fields.items():
            name = field_nodes[0].name.value
            if name == "__typename":
                for edges in out:
                    for edge in edges:
                        edge[key] = f"{type_name}Edge"
            elif name == "cursor":
                for edges, page in zip(out, pages, strict=True):
                    for edge, doc in zip(edges, page.docs, strict=True):
                        edge[key] = encode_cursor(page.order, doc)
            elif name == "node":
                done = await self.complete_lists(type_name, [p.docs for p in pages], field_nodes)
                for edges, values in zip(out, done, strict=True):
                    for edge, value in zip(edges, values, strict=True):
                        edge[key] = value
            else:
                raise Unsupported(f"{type_name}Edge.{name}")
        return out

    def page_info(self, page: Page, nodes: list[FieldNode]) -> dict[str, Any]:
        cursors = [encode_cursor(page.order, doc) for doc in page.docs[:1] + page.docs[-1:]]
        values = {
            "__typename": "PageInfo",
            "hasNextPage": page.has_next,
            "hasPreviousPage": page.after is not None,
            "startCursor": cursors[0] if cursors else None,
            "endCursor": cursors[-1] if cursors else None,
        }
        return {
            key: values[f[0].name.value] for key, f in self.sub_fields("PageInfo", nodes).items()
        }


# -- plain fields ------------------------------------------------------------


@dataclass(frozen=True)
class Plain:
    """A field read straight from the object, no database call."""

    get: Callable[[Any], Any]
    reads: tuple[str, ...] = ()
    """The document fields it reads, beyond `_id`."""


def _key(name: str) -> Plain:
    return Plain(lambda doc: doc.get(name), (name,))


def _time(name: str) -> Plain:
    def get(doc: Document) -> str | None:
        value = doc.get(name)
        return value.isoformat() if isinstance(value, datetime) else value

    return Plain(get, (name,))


def _id(type_name: str) -> Plain:
    return Plain(lambda doc: global_id(type_name, doc["_id"]))


SLUG = Plain(lambda doc: doc["_id"])


def _keys(*names: str) -> dict[str, Plain]:
    return {name: _key(name) for name in names}


Handler = Callable[[Executor, Objects, dict[str, Any], list[FieldNode]], Awaitable[list[Any]]]


def _nested(type_name: str, get: Callable[[Any], list[Any]]) -> Handler:
    """A list of embedded objects (sources, claims), no database call."""

    async def handler(
        ex: Executor, objs: Objects, args: dict[str, Any], nodes: list[FieldNode]
    ) -> list[Any]:
        return await ex.complete_lists(type_name, [get(o) for o in objs], nodes)

    return handler


def _loaded(collection: str, type_name: str, get: Callable[[Any], list[str]]) -> Handler:
    """A list of references to other documents, missing ones left out."""

    async def handler(
        ex: Executor, objs: Objects, args: dict[str, Any], nodes: list[FieldNode]
    ) -> list[Any]:
        ids = [get(o) for o in objs]
        fields = ex.needed(type_name, nodes)
        found = await ex.load(collection, (i for group in ids for i in group), fields)
        return await ex.complete_lists(
            type_name, [[found[i] for i in group if i in found] for group in ids], nodes
        )

    return handler


def _required(collection: str, type_name: str, get: Callable[[Any], str]) -> Handler:
    """One reference that must resolve."""

    async def handler(
        ex: Executor, objs: Objects, args: dict[str, Any], nodes: list[FieldNode]
    ) -> list[Any]:
        docs = await ex.required(collection, [get(o) for o in objs], ex.needed(type_name, nodes))
        return await ex.complete(type_name, docs, nodes)

    return handler


def _sources(get: Callable[[Any], Document]) -> Handler:
    return _nested("Source", lambda o: get(o)["sources"])


def _claims(o: Document) -> list[Document]:
    claims: list[Document] = o["claims"]
    return claims


async def _mission_program(
    ex: Executor, objs: Objects, args: dict[str, Any], nodes: list[FieldNode]
) -> list[Any]:
    slugs = [doc.get("program") for doc in objs]
    found = await ex.load("programs", (s for s in slugs if s), ex.needed("Program", nodes))
    return await ex.complete_optional(
        "Program", [found.get(s) if s else None for s in slugs], nodes
    )


async def _mission_crew(
    ex: Executor, objs: Objects, args: dict[str, Any], nodes: list[FieldNode]
) -> list[Any]:
    return await ex.complete_lists(
        "CrewMember", [[(seat, doc) for seat in doc["crew"]] for doc in objs], nodes
    )


async def _mission_outcomes(
    ex: Executor, objs: Objects, args: dict[str, Any], nodes: list[FieldNode]
) -> list[Any]:
    kind = args.get("kind")
    wanted = kind.name if kind is not None else None
    lists = [
        [(o, doc) for o in doc["outcomes"] if wanted is None or o["kind"] == wanted] for doc in objs
    ]
    return await ex.complete_lists("Outcome", lists, nodes)


async def _seat_outcomes(
    ex: Executor, objs: Objects, args: dict[str, Any], nodes: list[FieldNode]
) -> list[Any]:
    lists = [[(o, m) for o in m["outcomes"] if seat["person"] in o["people"]] for seat, m in objs]
    return await ex.complete_lists("Outcome", lists, nodes)


async def _parent_mission(
    ex: Executor, objs: Objects, args: dict[str, Any], nodes: list[FieldNode]
) -> list[Any]:
    return await ex.complete("Mission", [mission for _, mission in objs], nodes)


async def _person_flights(
    ex: Executor, objs: Objects, args: dict[str, Any], nodes: list[FieldNode]
) -> list[Any]:
    slugs = [doc["_id"] for doc in objs]
    missions = await ex.reader.flights_of(slugs, ex.parent_needs("CrewMember", nodes))
    lists = [
        [(seat, m) for m in ms for seat in m["crew"] if seat["person"] == slug]
        for slug, ms in zip(slugs, missions, strict=True)
    ]
    return await ex.complete_lists("CrewMember", lists, nodes)


async def _person_outcomes(
    ex: Executor, objs: Objects, args: dict[str, Any], nodes: list[FieldNode]
) -> list[Any]:
    slugs = [doc["_id"] for doc in objs]
    missions = await ex.reader.missions_with_outcomes_of(slugs, ex.parent_needs("Outcome", nodes))
    lists = [
        [(o, m) for m in ms for o in m["outcomes"] if slug in o["people"]]
        for slug, ms in zip(slugs, missions, strict=True)
    ]
    return await ex.complete_lists("Outcome", lists, nodes)


def _page_size(args: dict[str, Any], order: Order) -> int:
    """`first` and `after` checked as the resolvers check them; a bad one is left to
    graphql-core, whose error is the reference."""
    try:
        size = page_size(args.get("first"))
        check_cursor(order, args.get("after"))
    except GraphQLError as error:
        raise Unsupported(error.message) from None
    return size


def _mission_query(args: dict[str, Any]) -> tuple[int, Order, dict[str, Any]]:
    order = mission_order(args.get("orderBy"))
    size = _page_size(args, order)
    given = args.get("filter")
    if not given:
        return size, order, {}
    status = given.get("status")
    return (
        size,
        order,
        filters.MissionFilter(
            program=given.get("program"),
            country=given.get("country"),
            crewed=given.get("crewed"),
            status=status.name if status is not None else None,
            crew_member=given.get("crewMember"),
            launched_from=given.get("launchedFrom"),
            launched_to=given.get("launchedTo"),
            name_contains=given.get("nameContains"),
        ).query(),
    )


async def _program_missions(
    ex: Executor, objs: Objects, args: dict[str, Any], nodes: list[FieldNode]
) -> list[Any]:
    size, order, query = _mission_query(args)
    after = args.get("after")
    everything = await ex.reader.missions_of_programs(
        [doc["_id"] for doc in objs], query, order, ex.connection_needs("Mission", nodes)
    )
    pages = []
    for docs in everything:
        rest = slice_after(order, docs, after)
        pages.append(Page(rest[:size], len(rest) > size, after, order, _constant(len(docs))))
    return await ex.connection("Mission", pages, nodes)


def _constant(value: int) -> Callable[[], Awaitable[int]]:
    async def get() -> int:
        return value

    return get


HANDLERS: dict[str, dict[str, Plain | Handler]] = {
    "Source": {**_keys("title", "publisher", "url")},
    "Claim": {**_keys("topic", "value"), "sources": _sources(lambda c: c)},
    "ProgramRole": {
        "role": _key("role"),
        "person": _required("persons", "Person", lambda role: role["person"]),
    },
    "Program": {
        "id": _id("Program"),
        "slug": SLUG,
        **_keys(
            "name",
            "nativeName",
            "aliases",
            "country",
            "organization",
            "summary",
            "startDate",
            "endDate",
            "crewCapacity",
            "spacecraft",
            "launchVehicles",
        ),
        "people": _nested("ProgramRole", lambda doc: doc["people"]),
        "missions": _program_missions,
        "claims": _nested("Claim", _claims),
        "sources": _sources(lambda doc: doc),
    },
    "Mission": {
        "id": _id("Mission"),
        "slug": SLUG,
        **_keys(
            "name",
            "nativeName",
            "aliases",
            "country",
            "crewed",
            "status",
            "launchDate",
            "landingDate",
            "spacecraft",
            "launchVehicle",
            "summary",
        ),
        "launchTime": _time("launchTime"),
        "program": _mission_program,
        "crew": _mission_crew,
        "outcomes": _mission_outcomes,
        "claims": _nested("Claim", _claims),
        "sources": _sources(lambda doc: doc),
    },
    "CrewMember": {
        "role": Plain(lambda seat: seat[0]["role"]),
        "person": _required("persons", "Person", lambda seat: seat[0]["person"]),
        "mission": _parent_mission,
        "outcomes": _seat_outcomes,
    },
    "Outcome": {
        "kind": Plain(lambda ref: ref[0]["kind"]),
        "summary": Plain(lambda ref: ref[0]["summary"]),
        "date": Plain(lambda ref: ref[0].get("date")),
        "mission": _parent_mission,
        "people": _loaded("persons", "Person", lambda ref: ref[0]["people"]),
        "sources": _sources(lambda ref: ref[0]),
    },
    "Person": {
        "id": _id("Person"),
        "slug": SLUG,
        **_keys(
            "name",
            "nativeName",
            "aliases",
            "country",
            "occupations",
            "birthDate",
            "deathDate",
            "summary",
        ),
        "flights": _person_flights,
        "outcomes": _person_outcomes,
        "claims": _nested("Claim", _claims),
        "sources": _sources(lambda doc: doc),
    },
    "Event": {
        "id": _id("Event"),
        "slug": SLUG,
        **_keys("title", "kind", "date", "endDate", "summary"),
        "people": _loaded("persons", "Person", lambda doc: doc["people"]),
        "programs": _loaded("programs", "Program", lambda doc: doc["programs"]),
        "missions": _loaded("missions", "Mission", lambda doc: doc["missions"]),
        "claims": _nested("Claim", _claims),
        "sources": _sources(lambda doc: doc),
    },
}


# Relations that read a document field of the same name; the others (Person.flights,
# Program.missions, ...) query on their own and read only `_id`.
_RELATION_READS = {
    "Program": ("people", "claims", "sources"),
    "Mission": ("program", "crew", "outcomes", "claims", "sources"),
    "Person": ("claims", "sources"),
    "Event": ("people", "programs", "missions", "claims", "sources"),
}
DOC_KEYS: dict[str, dict[str, tuple[str, ...]]] = {
    type_name: {
        **{f: h.reads for f, h in HANDLERS[type_name].items() if isinstance(h, Plain)},
        **{f: (f,) for f in relations},
    }
    for type_name, relations in _RELATION_READS.items()
}
"""The document fields each field of a top-level type reads, beyond `_id` and the
sort keys (always fetched)."""


# -- root fields ---------------------------------------------------------------

RootHandler = Callable[[Executor, dict[str, Any], list[FieldNode]], Awaitable[Any]]
_TYPES = {"programs": "Program", "missions": "Mission", "persons": "Person", "events": "Event"}


def _by_slug(collection: str) -> RootHandler:
    async def handler(ex: Executor, args: dict[str, Any], nodes: list[FieldNode]) -> Any:
        doc = await ex.reader.by_slug(
            collection, args["slug"], ex.needed(_TYPES[collection], nodes)
        )
        return (await ex.complete_optional(_TYPES[collection], [doc], nodes))[0]

    return handler


def _top_level(
    collection: str, order_of: Callable[[dict[str, Any]], tuple[int, Order, dict[str, Any]]]
) -> RootHandler:
    async def handler(ex: Executor, args: dict[str, Any], nodes: list[FieldNode]) -> Any:
        size, order, query = order_of(args)
        after = args.get("after")
        fields = ex.connection_needs(_TYPES[collection], nodes)
        page = await ex.reader.page(collection, query, order, size, after, fields)

        async def count() -> int:
            return await ex.reader.count(collection, query)

        pages = [Page(page.documents, page.has_next, after, order, count)]
        return (await ex.connection(_TYPES[collection], pages, nodes))[0]

    return handler


def _fixed(
    order: Order, make: Callable[[dict[str, Any]], dict[str, Any]]
) -> Callable[[dict[str, Any]], tuple[int, Order, dict[str, Any]]]:
    def order_of(args: dict[str, Any]) -> tuple[int, Order, dict[str, Any]]:
        given = args.get("filter")
        return _page_size(args, order), order, make(given) if given else {}

    return order_of


def _program_filter(f: dict[str, Any]) -> dict[str, Any]:
    return filters.ProgramFilter(f.get("country"), f.get("nameContains")).query()


def _person_filter(f: dict[str, Any]) -> dict[str, Any]:
    return filters.PersonFilter(
        f.get("country"), f.get("occupation"), f.get("nameContains")
    ).query()


def _event_filter(f: dict[str, Any]) -> dict[str, Any]:
    kind = f.get("kind")
    return filters.EventFilter(
        kind=kind.name if kind is not None else None,
        date_from=f.get("from"),
        date_to=f.get("to"),
        person=f.get("person"),
        program=f.get("program"),
    ).query()


async def _node(ex: Executor, args: dict[str, Any], nodes: list[FieldNode]) -> Any:
    parsed = parse_global_id(args["id"])
    if parsed is None:
        return None
    type_name, slug = parsed
    collection = {v: k for k, v in _TYPES.items()}[type_name]
    doc = (await ex.reader.by_ids(collection, [slug]))[0]
    return (await ex.complete_mixed([(type_name, doc) if doc else None], nodes))[0]


async def _search(ex: Executor, args: dict[str, Any], nodes: list[FieldNode]) -> Any:
    try:
        limit = page_size(args.get("first"))
    except GraphQLError as error:
        raise Unsupported(error.message) from None
    found = await ex.reader.search(args["query"], limit)
    return await ex.complete_mixed([(_TYPES[c], doc) for c, doc in found], nodes)


ROOT: dict[str, RootHandler] = {
    "node": _node,
    "program": _by_slug("programs"),
    "mission": _by_slug("missions"),
    "person": _by_slug("persons"),
    "event": _by_slug("events"),
    "programs": _top_level("programs", _fixed(BY_DATE, _program_filter)),
    "missions": _top_level("missions", _mission_query),
    "people": _top_level("persons", _fixed(BY_NAME, _person_filter)),
    "timeline": _top_level("events", _fixed(BY_DATE, _event_filter)),
    "search": _search,
}


async def execute(
    schema: GraphQLSchema,
    query: str,
    variables: dict[str, Any] | None,
    operation_name: str | None,
    reader: Reader,
) -> dict[str, Any]:
    """The `data` of the answer; Unsupported where graphql-core must answer instead."""
    prepared = prepare(schema, query, operation_name)
    coerced = get_variable_values(
        schema, prepared.operation.variable_definitions or (), variables or {}
    )
    if not isinstance(coerced, VariableValues):
        raise Unsupported("variables do not coerce")
    return await Executor(schema, prepared, coerced, reader).run()
