"""The compiled executor: answers a whole level of the tree at once from the type descriptions.

graphql-core resolves a response field by field: for a tree of 10,000 missions
that is hundreds of thousands of resolver calls, and the per-field machinery
costs far more than the database. This executor compiles the validated
operation once into a `Plan` per selection set, then completes every object
of a type at a given position of the query together: each relation is one
read for all of them, plain values are copied column by column.

What a field means comes from its spec (`schema.fields`), the same the
reference resolvers use; this module only knows how to answer each *kind* of
spec in bulk. It answers only what it fully understands and fails closed: a
field without a spec, a kind it has no handler for, an argument the spec does
not declare, a directive, or an argument value graphql-core would reject all
raise `Unsupported`, and the gate lets graphql-core answer instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    is_abstract_type,
    is_object_type,
)
from graphql.execution.values import VariableValues, get_argument_values

from spacerace.schema import fields as kinds
from spacerace.schema.fields import FieldSpec, Page, spec_of, type_spec
from spacerace.schema.ids import global_id
from spacerace.schema.selections import applies
from spacerace.store.connection import Document
from spacerace.store.layout import Collection
from spacerace.store.reads import Reader

YIELD_EVERY = 2_000
"""Objects handled (an object counts once for each field completed on it) between
two yields to the event loop, so that one large answer does not hold up every
other request of the worker (see tests/schema/test_yielding.py)."""
BUILTIN_SCALARS = {"String", "Int", "Float", "Boolean", "ID"}


class Unsupported(Exception):
    """This operation is left to graphql-core."""


# -- plans --------------------------------------------------------------------------


@dataclass
class Step:
    """One response key of a selection set: the field, its spec, and what it selects."""

    key: str
    name: str
    owner: str
    """The concrete type whose objects this step completes."""
    spec: FieldSpec | None
    field_def: GraphQLField | None
    nodes: list[FieldNode]
    sub: dict[str, Plan] = field(default_factory=dict)
    """The plans of what it selects, by concrete type (one for an object type)."""
    serialize: Callable[[Any], Any] | None = None
    non_null: bool = False
    data: Callable[[Any], Any] = field(default=lambda obj: obj)
    """How to reach an owner object's stored fields (items are (item, parent) pairs)."""

    @property
    def plan(self) -> Plan:
        return next(iter(self.sub.values()))


@dataclass
class Plan:
    """A selection set on one object type."""

    type_name: str
    steps: list[Step]
    parented: bool = False

    def own_reads(self) -> set[str]:
        """The stored fields its objects must have."""
        return self._reads()[0]

    def parent_reads(self) -> set[str]:
        """For items: the stored fields the document they sit in must have."""
        return self._reads()[1]

    def _reads(self) -> tuple[set[str], set[str]]:
        own: set[str] = set()
        parent: set[str] = set()
        spec = type_spec(self.type_name) if self.parented else None
        if spec is not None and spec.container is not None:
            parent.add(spec.container[1])
        for step in self.steps:
            if step.spec is None:
                continue
            own.update(step.spec.reads())
            if isinstance(step.spec, kinds.Embedded) and step.plan.parented:
                own |= step.plan.parent_reads()
            elif isinstance(step.spec, kinds.Parent):
                parent |= step.plan.own_reads()
            elif isinstance(step.spec, kinds.Siblings):
                parent |= {step.spec.key, *step.plan.parent_reads()}
        return own, parent


def connection_reads(plan: Plan) -> set[str]:
    """The stored fields the documents of a page must have (nodes and edges.node)."""
    reads: set[str] = set()
    for step in plan.steps:
        if isinstance(step.spec, kinds.PageNodes):
            reads |= step.plan.own_reads()
        elif isinstance(step.spec, kinds.PageEdges):
            for edge_step in step.plan.steps:
                if isinstance(edge_step.spec, kinds.EdgeNode):
                    reads |= edge_step.plan.own_reads()
    return reads


class Compiler:
    """Turns an operation's selection sets into plans, once per cached document."""

    def __init__(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
    ) -> None:
        self.schema = schema
        self.operation = operation
        self.fragments = fragments

    def root(self) -> Plan:
        query_type = self.schema.query_type
        assert query_type is not None
        return self.plan(query_type, [self.operation.selection_set])

    def plan(self, type_: GraphQLObjectType, selection_sets: Iterable[SelectionSetNode]) -> Plan:
        collected: dict[str, list[FieldNode]] = {}
        for selection_set in selection_sets:
            self._collect(type_, selection_set, collected)
        spec = _type_spec_or_none(type_.name)
        steps = [self._step(type_, key, nodes) for key, nodes in collected.items()]
        return Plan(type_.name, steps, parented=spec is not None and spec.parented)

    def _step(self, type_: GraphQLObjectType, key: str, nodes: list[FieldNode]) -> Step:
        name = nodes[0].name.value
        if name == "__typename":
            return Step(key, name, type_.name, None, None, nodes)
        if name.startswith("__"):
            raise Unsupported(f"introspection field {name}")
        field_def = type_.fields[name]
        spec = spec_of(field_def)
        if spec is None:
            raise Unsupported(f"{type_.name}.{name} has no description")
        if type(spec) not in HANDLERS:
            raise Unsupported(f"{type_.name}.{name}: no compiled handler for {type(spec).__name__}")
        declared = {kinds.graphql_name(arg.name) for arg in spec.args}
        if not set(field_def.args) <= declared:
            extra = ", ".join(sorted(set(field_def.args) - declared))
            raise Unsupported(f"{type_.name}.{name}: undeclared arguments {extra}")
        step = Step(key, name, type_.name, spec, field_def, nodes, data=_data(type_.name))
        named = get_named_type(field_def.type)
        step.non_null = isinstance(field_def.type, GraphQLNonNull)
        if isinstance(named, GraphQLScalarType) and named.name not in BUILTIN_SCALARS:
            step.serialize = named.serialize
        selection_sets = [node.selection_set for node in nodes if node.selection_set]
        if is_object_type(named):
            step.sub = {named.name: self.plan(named, selection_sets)}
        elif is_abstract_type(named):
            step.sub = {
                possible.name: self.plan(possible, selection_sets)
                for possible in self.schema.get_possible_types(named)
            }
        return step

    def _collect(
        self,
        type_: GraphQLObjectType,
        selection_set: SelectionSetNode,
        into: dict[str, list[FieldNode]],
    ) -> None:
        for selection in selection_set.selections:
            if selection.directives:
                raise Unsupported("directives")
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                into.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if applies(self.schema, selection, type_):
                    self._collect(type_, selection.selection_set, into)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
                if applies(self.schema, fragment, type_):
                    self._collect(type_, fragment.selection_set, into)


def _type_spec_or_none(name: str) -> kinds.TypeSpec | None:
    try:
        return type_spec(name)
    except KeyError:
        return None


# -- running a plan ---------------------------------------------------------------------


Objects = Sequence[Any]
Handler = Callable[["Run", Step, Objects], Awaitable[list[Any]]]


class Run:
    """Completes one plan for one request."""

    def __init__(self, reader: Reader, variables: VariableValues) -> None:
        self.reader = reader
        self.variables = variables
        self.cache: dict[tuple[str, frozenset[str]], dict[str, Document]] = {}
        self._handled = 0

    async def root(self, plan: Plan) -> dict[str, Any]:
        return (await self.complete(plan, [None]))[0]

    def args(self, step: Step) -> dict[str, Any]:
        """The step's arguments as its spec works with them; any value graphql-core
        would reject (or that the spec refuses) is left to graphql-core."""
        assert step.spec is not None
        assert step.field_def is not None
        if not step.spec.args:
            return {}
        try:
            given = get_argument_values(step.field_def, step.nodes[0], self.variables)
            return step.spec.canonical(given, from_graphql=True)
        except GraphQLError as error:
            raise Unsupported(error.message) from None

    async def complete(self, plan: Plan, objects: Objects) -> list[dict[str, Any]]:
        """The response objects for `objects`, all of the plan's type."""
        results: list[dict[str, Any]] = [{} for _ in objects]
        for step in plan.steps:
            if step.spec is None:  # __typename
                await self._paced(len(objects))
                for result in results:
                    result[step.key] = plan.type_name
                continue
            if type(step.spec) in PLAIN and len(objects) > YIELD_EVERY:
                # Values copied object by object: a slice at a time, yielding between.
                for start in range(0, len(objects), YIELD_EVERY):
                    end = start + YIELD_EVERY
                    await self._step(plan, step, objects[start:end], results[start:end])
            else:
                await self._step(plan, step, objects, results)
        return results

    async def _step(
        self, plan: Plan, step: Step, objects: Objects, results: list[dict[str, Any]]
    ) -> None:
        await self._paced(len(objects))
        assert step.spec is not None
        values = await HANDLERS[type(step.spec)](self, step, objects)
        if step.non_null and None in values:
            raise Unsupported(f"null for non-null {plan.type_name}.{step.name}")
        key = step.key
        for result, value in zip(results, values, strict=True):
            result[key] = value

    async def _paced(self, handled: int) -> None:
        """Count objects about to be handled, and every YIELD_EVERY of them let the
        event loop run everything else that is waiting."""
        self._handled += handled
        if self._handled >= YIELD_EVERY:
            self._handled = 0
            await asyncio.sleep(0)

    async def complete_lists(self, plan: Plan, lists: Sequence[Sequence[Any]]) -> list[list[Any]]:
        """Complete lists of objects in one pass, keeping each list apart."""
        flat = [item for items in lists for item in items]
        done = await self.complete(plan, flat)
        out, start = [], 0
        for items in lists:
            out.append(done[start : start + len(items)])
            start += len(items)
        return out

    async def complete_optional(self, plan: Plan, objects: Sequence[Any | None]) -> list[Any]:
        present = [obj for obj in objects if obj is not None]
        done = iter(await self.complete(plan, present))
        return [next(done) if obj is not None else None for obj in objects]

    async def complete_mixed(
        self, step: Step, items: Sequence[tuple[str, Any] | None]
    ) -> list[Any]:
        """Complete objects of several types (a union or interface), in order."""
        by_type: dict[str, list[int]] = {}
        for i, item in enumerate(items):
            if item is not None:
                by_type.setdefault(item[0], []).append(i)
        out: list[Any] = [None] * len(items)
        for type_name, positions in by_type.items():
            plan = step.sub.get(type_name)
            if plan is None:
                raise Unsupported(f"{type_name} is not a possible type here")
            docs = [items[i][1] for i in positions]  # type: ignore[index]
            for i, value in zip(positions, await self.complete(plan, docs), strict=True):
                out[i] = value
        return out

    async def load(
        self, kind: Collection, keys: Iterable[str], fields: frozenset[str]
    ) -> dict[str, Document]:
        """Documents by slug with `fields`, each fetched at most once per request (a
        document already fetched with more fields serves too)."""
        cache = self.cache.setdefault((kind.name, fields), {})
        missing = list(dict.fromkeys(k for k in keys if k not in cache))
        for (other_kind, other_fields), other in self.cache.items():
            if missing and other_kind == kind.name and other_fields > fields:
                cache.update((k, other[k]) for k in missing if k in other)
                missing = [k for k in missing if k not in cache]
        if missing:
            found = await self.reader.by_keys(kind, missing, fields)
            cache.update((k, doc) for k, doc in zip(missing, found, strict=True) if doc)
        return cache


def _item(obj: Any) -> Any:
    return obj[0]


def _itself(obj: Any) -> Any:
    return obj


def _data(type_name: str) -> Callable[[Any], Any]:
    """How to reach an object's stored fields: items are (item, parent) pairs."""
    spec = _type_spec_or_none(type_name)
    return _item if spec is not None and spec.parented else _itself


# -- one handler per kind of spec -------------------------------------------------------


async def _key(run: Run, step: Step, objs: Objects) -> list[Any]:
    assert isinstance(step.spec, kinds.Key)
    name = step.spec.key
    if step.data is _item:
        values = [obj[0].get(name) for obj in objs]
    else:
        values = [obj.get(name) for obj in objs]
    serialize = step.serialize
    if serialize is not None:
        values = [None if value is None else serialize(value) for value in values]
    return values


async def _global_id(run: Run, step: Step, objs: Objects) -> list[Any]:
    # The concrete type being completed: the types of an interface share its spec.
    type_name = step.owner
    return [global_id(type_name, obj["_id"]) for obj in objs]


async def _computed(run: Run, step: Step, objs: Objects) -> list[Any]:
    assert isinstance(step.spec, kinds.Computed)
    args = run.args(step)
    data = step.data
    compute = step.spec.compute
    values = [compute(data(obj), **args) for obj in objs]
    if step.serialize is not None:
        values = [None if value is None else step.serialize(value) for value in values]
    return values


async def _embedded(run: Run, step: Step, objs: Objects) -> list[Any]:
    assert isinstance(step.spec, kinds.Embedded)
    args = run.args(step)
    data = step.data
    items = step.spec.items
    if step.plan.parented:
        lists: list[list[Any]] = [[(item, obj) for item in items(obj, args)] for obj in objs]
    else:
        lists = [items(data(obj), args) for obj in objs]
    return await run.complete_lists(step.plan, lists)


async def _parent(run: Run, step: Step, objs: Objects) -> list[Any]:
    return await run.complete(step.plan, [obj[1] for obj in objs])


async def _siblings(run: Run, step: Step, objs: Objects) -> list[Any]:
    assert isinstance(step.spec, kinds.Siblings)
    items = step.spec.items
    lists = [[(other, obj[1]) for other in items(obj[0], obj[1])] for obj in objs]
    return await run.complete_lists(step.plan, lists)


async def _reference(run: Run, step: Step, objs: Objects) -> list[Any]:
    spec = step.spec
    assert isinstance(spec, kinds.Reference)
    assert spec.collection is not None
    data = step.data
    keys = [data(obj).get(spec.key) for obj in objs]
    fields = frozenset(step.plan.own_reads())
    if spec.many:
        found = await run.load(spec.collection, (k for group in keys for k in group or ()), fields)
        lists = [[found[k] for k in group or () if k in found] for group in keys]
        return await run.complete_lists(step.plan, lists)
    found = await run.load(spec.collection, (k for k in keys if k), fields)
    return await run.complete_optional(step.plan, [found.get(k) if k else None for k in keys])


async def _related(run: Run, step: Step, objs: Objects) -> list[Any]:
    spec = step.spec
    assert isinstance(spec, kinds.Related)
    if step.data is _item:
        pairs = [(obj[0], obj[1]) for obj in objs]
    else:
        pairs = [(obj, None) for obj in objs]
    slugs = [spec.slug_of(data, parent) for data, parent in pairs]
    found = await run.load(spec.collection, (s for s in slugs if s), spec.fields)
    value = spec.value
    values = [
        value(data, found.get(slug) if slug else None)
        for (data, _), slug in zip(pairs, slugs, strict=True)
    ]
    if spec.objects:
        return await run.complete_lists(step.plan, [v or [] for v in values])
    if step.serialize is not None:
        values = [None if v is None else step.serialize(v) for v in values]
    return values


async def _listing(run: Run, step: Step, objs: Objects) -> list[Any]:
    spec = step.spec
    assert isinstance(spec, kinds.Listing)
    try:
        size, order, after, where = spec.query(run.args(step))
    except GraphQLError as error:
        raise Unsupported(error.message) from None
    fields = connection_reads(step.plan)
    if spec.via is None:
        page = await run.reader.page(where, order, size, after, fields)
        reader = run.reader

        async def count() -> int:
            return await reader.count(where)

        pages = [Page(page.documents, page.has_next, after, order, count, spec.node_type)]
    else:
        keys = [obj["_id"] for obj in objs]
        everything = await run.reader.referencing(where, spec.via, keys, order, fields)
        pages = [spec.page_of(docs, size, order, after) for docs in everything]
    return await run.complete(step.plan, pages)


async def _items_referencing(run: Run, step: Step, objs: Objects) -> list[Any]:
    spec = step.spec
    assert isinstance(spec, kinds.ItemsReferencing)
    keys = [obj["_id"] for obj in objs]
    fields = {spec.key, *step.plan.parent_reads()}
    everything = await run.reader.referencing(spec.where(), spec.via, keys, spec.order, fields)
    lists = [spec.items(docs, key) for key, docs in zip(keys, everything, strict=True)]
    return await run.complete_lists(step.plan, lists)


async def _lookup(run: Run, step: Step, objs: Objects) -> list[Any]:
    spec = step.spec
    assert isinstance(spec, kinds.Lookup)
    assert spec.collection is not None
    args = run.args(step)
    doc = await run.reader.by_slug(spec.collection, args["slug"], step.plan.own_reads())
    return await run.complete_optional(step.plan, [doc])


async def _node(run: Run, step: Step, objs: Objects) -> list[Any]:
    spec = step.spec
    assert isinstance(spec, kinds.NodeLookup)
    located = spec.locate(run.args(step)["id"])
    if located is None:
        return [None]
    type_spec_, slug = located
    assert type_spec_.collection is not None
    plan = step.sub.get(type_spec_.name)
    if plan is None:
        raise Unsupported(f"{type_spec_.name} is not a Node here")
    doc = (await run.reader.by_keys(type_spec_.collection, [slug], plan.own_reads()))[0]
    return await run.complete_mixed(step, [(type_spec_.name, doc) if doc else None])


async def _search(run: Run, step: Step, objs: Objects) -> list[Any]:
    spec = step.spec
    assert isinstance(spec, kinds.Search)
    found = await spec.found(run.reader, run.args(step))
    return [await run.complete_mixed(step, found)]


async def _service(run: Run, step: Step, objs: Objects) -> list[Any]:
    spec = step.spec
    assert isinstance(spec, kinds.ServiceSdl)
    return await run.complete(step.plan, [spec.service()])


async def _entities(run: Run, step: Step, objs: Objects) -> list[Any]:
    """Every representation's document: one read per entity type, all types at once."""
    spec = step.spec
    assert isinstance(spec, kinds.Entities)
    located = spec.located(run.args(step))
    wanted: dict[str, tuple[kinds.TypeSpec, list[str]]] = {}
    for found in located:
        if isinstance(found, GraphQLError):
            raise Unsupported(found.message)  # graphql-core reports it, in place
        type_spec_, slug = found
        wanted.setdefault(type_spec_.name, (type_spec_, []))[1].append(slug)

    async def read(type_spec_: kinds.TypeSpec, slugs: list[str]) -> dict[str, Document]:
        plan = step.sub.get(type_spec_.name)
        if plan is None or type_spec_.collection is None:
            raise Unsupported(f"{type_spec_.name} is not an entity here")
        return await run.load(type_spec_.collection, slugs, frozenset(plan.own_reads()))

    names = list(wanted)
    docs = dict(zip(names, await asyncio.gather(*(read(*wanted[n]) for n in names)), strict=True))
    items: list[tuple[str, Any] | None] = []
    for found in located:
        assert not isinstance(found, GraphQLError)
        doc = docs[found[0].name].get(found[1])
        items.append((found[0].name, doc) if doc is not None else None)
    return [await run.complete_mixed(step, items)]


async def _page_nodes(run: Run, step: Step, pages: Objects) -> list[Any]:
    return await run.complete_lists(step.plan, [page.docs for page in pages])


async def _page_edges(run: Run, step: Step, pages: Objects) -> list[Any]:
    lists = [list(zip(page.cursors(), page.docs, strict=True)) for page in pages]
    return await run.complete_lists(step.plan, lists)


async def _page_info(run: Run, step: Step, pages: Objects) -> list[Any]:
    return await run.complete(step.plan, [page.info() for page in pages])


async def _page_count(run: Run, step: Step, pages: Objects) -> list[Any]:
    return list(await asyncio.gather(*(page.count() for page in pages)))


async def _edge_cursor(run: Run, step: Step, edges: Objects) -> list[Any]:
    return [edge[0] for edge in edges]


async def _edge_node(run: Run, step: Step, edges: Objects) -> list[Any]:
    return await run.complete(step.plan, [edge[1] for edge in edges])


HANDLERS: dict[type[FieldSpec], Handler] = {
    kinds.Key: _key,
    kinds.GlobalId: _global_id,
    kinds.Computed: _computed,
    kinds.Embedded: _embedded,
    kinds.Parent: _parent,
    kinds.Siblings: _siblings,
    kinds.Reference: _reference,
    kinds.Related: _related,
    kinds.Listing: _listing,
    kinds.ItemsReferencing: _items_referencing,
    kinds.Lookup: _lookup,
    kinds.NodeLookup: _node,
    kinds.Search: _search,
    kinds.ServiceSdl: _service,
    kinds.Entities: _entities,
    kinds.PageNodes: _page_nodes,
    kinds.PageEdges: _page_edges,
    kinds.PageInfoOf: _page_info,
    kinds.PageCount: _page_count,
    kinds.EdgeCursor: _edge_cursor,
    kinds.EdgeNode: _edge_node,
}
"""The kinds of spec this executor answers; any other is left to graphql-core."""

PLAIN: frozenset[type[FieldSpec]] = frozenset(
    {kinds.Key, kinds.GlobalId, kinds.Computed, kinds.EdgeCursor}
)
"""Kinds whose values are computed object by object, without reading anything: they
can be completed a slice of the objects at a time."""


async def execute(plan: Plan, reader: Reader, variables: VariableValues) -> dict[str, Any]:
    """The `data` of the answer; Unsupported where graphql-core must answer instead."""
    return await Run(reader, variables).root(plan)
