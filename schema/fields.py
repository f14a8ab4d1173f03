"""How each GraphQL field is answered from the data: the vocabulary of the type descriptions.

A domain type is a Strawberry class whose every field is declared with one of
the constructors below (`key`, `reference`, `connection`, ...). Each makes a
`FieldSpec`: what the field reads, which arguments it takes and what they
mean. The spec is attached to the Strawberry field (`metadata["spec"]`), and
both executors answer from it:

- graphql-core, the reference, calls the resolver each spec generates (below),
  one object at a time, batching database reads with DataLoaders;
- the compiled executor (`schema.compiled`) reads the same specs off the
  schema and answers a whole level of the tree at once.

What a field means (which stored key, which filter an argument becomes, which
items an embedded list keeps) is written once, in the spec, and the functions
that compute it (`FieldSpec.items`, `Filters.where`, ...) are called by both.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, get_args, get_origin

import strawberry
from graphql import (
    GraphQLError,
    GraphQLField,
    GraphQLNamedType,
    GraphQLObjectType,
    get_named_type,
    is_object_type,
)
from strawberry.types.base import StrawberryObjectDefinition

from spacerace.schema.errors import bad_input
from spacerace.schema.ids import global_id
from spacerace.store.connection import Document
from spacerace.store.filters import Where
from spacerace.store.layout import Collection
from spacerace.store.paging import (
    DEFAULT_PAGE,
    MAX_PAGE,
    CursorError,
    Order,
    check_first,
    decode_cursor,
    encode_cursor,
    slice_after,
)
from spacerace.store.reads import Reader

if TYPE_CHECKING:
    from spacerace.schema.context import Context

T = TypeVar("T")
SPEC = "spec"
"""The metadata key of a field's spec."""


# -- the objects the reference resolvers pass around ------------------------------


@dataclass(slots=True)
class Obj:
    """A document or embedded item on its way through graphql-core: its data, the
    document it sits in (for items), and its GraphQL type (for unions and interfaces)."""

    type_name: str
    data: Any
    parent: Obj | None = None


@dataclass(slots=True)
class Page:
    """A page of a list: the documents, whether more follow, and how to count all."""

    docs: list[Document]
    has_next: bool
    after: str | None
    order: Order
    count: Callable[[], Awaitable[int]]
    node_type: str

    def cursors(self) -> list[str]:
        return [encode_cursor(self.order, doc) for doc in self.docs]

    def info(self) -> dict[str, Any]:
        cursors = self.cursors()
        return {
            "hasNextPage": self.has_next,
            "hasPreviousPage": self.after is not None,
            "startCursor": cursors[0] if cursors else None,
            "endCursor": cursors[-1] if cursors else None,
        }


# -- what types are ---------------------------------------------------------------


@dataclass
class TypeSpec:
    """What a domain type's objects are: documents of a collection (entities),
    items embedded in another type's documents (with that document as parent),
    or plain values embedded anywhere (sources, claims)."""

    name: str
    collection: Collection | None = None
    container: tuple[str, str] | None = None
    """For items: (the GraphQL type of the documents they sit in, the list's key)."""

    @property
    def parented(self) -> bool:
        return self.container is not None


_TYPES: dict[str, TypeSpec] = {}


def entity(collection: Collection) -> Callable[[type], type]:
    """Marks a class as the type of a collection's documents."""
    return _register(lambda name: TypeSpec(name, collection=collection))


def item_of(container: str, key: str) -> Callable[[type], type]:
    """Marks a class as the type of the items of `container`'s list `key`."""
    return _register(lambda name: TypeSpec(name, container=(container, key)))


def value() -> Callable[[type], type]:
    """Marks a class as a plain embedded value (a source, a claim, a role)."""
    return _register(lambda name: TypeSpec(name))


def _register(make: Callable[[str], TypeSpec]) -> Callable[[type], type]:
    def mark(cls: type) -> type:
        spec = make(cls.__name__)
        _TYPES[spec.name] = spec

        def is_type_of(klass: type, obj: Any, info: Any) -> bool:
            return isinstance(obj, Obj) and obj.type_name == spec.name

        cls.is_type_of = classmethod(is_type_of)  # type: ignore[attr-defined]
        return cls

    return mark


def type_spec(name: str) -> TypeSpec:
    return _TYPES[name]


def entities() -> list[TypeSpec]:
    return [spec for spec in _TYPES.values() if spec.collection is not None]


def entity_of(collection: Collection) -> TypeSpec:
    return next(spec for spec in entities() if spec.collection is collection)


def spec_of(graphql_field: GraphQLField) -> FieldSpec | None:
    """The spec a served field was declared with, if any."""
    definition = (graphql_field.extensions or {}).get("strawberry-definition")
    metadata = getattr(definition, "metadata", None) or {}
    found = metadata.get(SPEC)
    return found if isinstance(found, FieldSpec) else None


def _type_name(graphql_type: Any) -> str:
    named: GraphQLNamedType = get_named_type(graphql_type)
    return named.name


# -- arguments --------------------------------------------------------------------


@dataclass(frozen=True)
class Arg:
    """One argument: its Python name, its annotation (type and description) and
    default. `canonical` turns the value as Strawberry hands it to a resolver,
    or as graphql-core coerces it, into what the field's spec works with."""

    name: str
    annotation: Any
    default: Any = None

    def from_resolver(self, value: Any) -> Any:
        return _plain(value)

    def from_graphql(self, value: Any) -> Any:
        return _plain(value)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


@dataclass(frozen=True)
class Filters(Arg):
    """A filter input: each of its fields names a filter of the target collection
    (its Python name, or `metadata["store"]`)."""

    input_type: type = object

    def mapping(self) -> list[tuple[str, str, str]]:
        """(GraphQL name, Python name, store filter name) of each input field."""
        definition: StrawberryObjectDefinition = self.input_type.__strawberry_definition__  # type: ignore[attr-defined]
        return [
            (
                f.graphql_name or graphql_name(f.python_name),
                f.python_name,
                f.metadata.get("store", f.python_name),
            )
            for f in definition.fields
        ]

    def from_resolver(self, value: Any) -> dict[str, Any] | None:
        if value is None:
            return None
        return {store: _plain(getattr(value, python)) for _, python, store in self.mapping()}

    def from_graphql(self, value: Any) -> dict[str, Any] | None:
        if value is None:
            return None
        return {store: _plain(value.get(graphql)) for graphql, _, store in self.mapping()}


def graphql_name(name: str) -> str:
    """The GraphQL name Strawberry gives a Python name: `order_by` is `orderBy`."""
    head, *rest = name.rstrip("_").split("_")
    return head + "".join(part.capitalize() for part in rest)


@dataclass(frozen=True)
class Ordering(Arg):
    """An enum argument choosing one of the store's orders (None: the list's own)."""

    orders: Mapping[Any, Order] = field(default_factory=dict)

    def from_resolver(self, value: Any) -> Order | None:
        return None if value is None else self.orders[value]

    def from_graphql(self, value: Any) -> Order | None:
        return None if value is None else self.orders[value]


@dataclass(frozen=True)
class First(Arg):
    """How many items a page holds: a default, and a bound."""

    def from_resolver(self, value: Any) -> int:
        return page_size(value)

    def from_graphql(self, value: Any) -> int:
        return page_size(value)


def page_size(first: int | None) -> int:
    """`first` checked: the default when absent, a clear error outside 0..MAX_PAGE."""
    try:
        return check_first(first)
    except ValueError as error:
        raise bad_input("first", str(error)) from None


def check_cursor(order: Order, after: str | None) -> None:
    if after is not None:
        try:
            decode_cursor(order, after)
        except CursorError as error:
            raise bad_input("after", str(error)) from None


FIRST_DESCRIPTION = f"Page size: default {DEFAULT_PAGE}, at most {MAX_PAGE}."


# -- field specs ------------------------------------------------------------------


class FieldSpec:
    """How one field is answered. Subclasses say what it reads and implement the
    reference resolver; `schema.compiled` implements each kind it supports.

    `accepts` lists the kinds of argument a kind applies; declaring any other is
    an error when the schema is built, so no argument is silently ignored."""

    args: tuple[Arg, ...] = ()
    accepts: tuple[type[Arg], ...] = ()
    is_async = False

    def __init__(self) -> None:
        self.owner = ""
        """The GraphQL type the field is on (set by `bind`)."""
        self.target = ""
        """The GraphQL named type it returns (set by `bind`)."""

    def bind(self, owner: str, graphql_field: GraphQLField) -> None:
        """Learn where the field sits in the served schema; raise if the declaration
        does not fit the field's type."""
        self.owner = owner
        self.target = _type_name(graphql_field.type)
        for arg in self.args:
            if type(arg) not in self.accepts:
                raise TypeError(
                    f"{owner}: a {type(self).__name__} field cannot apply the "
                    f"{type(arg).__name__} argument {arg.name!r}"
                )

    def reads(self) -> tuple[str, ...]:
        """The stored fields this field reads on its own object."""
        return ()

    def resolve(self, root: Any, info: Any, args: dict[str, Any]) -> Any:
        raise NotImplementedError

    def canonical(self, given: Mapping[str, Any], *, from_graphql: bool) -> dict[str, Any]:
        """The arguments as the spec works with them, from a resolver's keyword
        arguments (Python names) or graphql-core's coerced values (GraphQL names)."""
        out: dict[str, Any] = {}
        for arg in self.args:
            if from_graphql:
                out[arg.name] = arg.from_graphql(given.get(graphql_name(arg.name), arg.default))
            else:
                out[arg.name] = arg.from_resolver(given.get(arg.name, arg.default))
        return out

    def field(self, description: str, **options: Any) -> Any:
        """The Strawberry field that answers with this spec."""
        return strawberry.field(
            resolver=_resolver(self), description=description, metadata={SPEC: self}, **options
        )


def _resolver(spec: FieldSpec) -> Callable[..., Any]:
    """A resolver whose signature declares the spec's arguments, for Strawberry."""
    from spacerace.schema.context import Info

    def resolve(root: Any, info: Info, **given: Any) -> Any:
        args = spec.canonical(given, from_graphql=False)
        if not spec.is_async:
            return spec.resolve(root, info, args)
        return _task(spec.resolve(root, info, args))

    parameters = [
        inspect.Parameter("root", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("info", inspect.Parameter.KEYWORD_ONLY, annotation=Info),
        *(
            inspect.Parameter(
                arg.name,
                inspect.Parameter.KEYWORD_ONLY,
                default=(
                    arg.default
                    if arg.default is not None or _nullable(arg.annotation)
                    else inspect.Parameter.empty
                ),
                annotation=arg.annotation,
            )
            for arg in spec.args
        ),
    ]
    resolve.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    resolve.__annotations__ = {"info": Info, **{arg.name: arg.annotation for arg in spec.args}}
    return resolve


def _nullable(annotation: Any) -> bool:
    """Whether an argument's type admits null: only such an argument has a default
    (a required one with `null` as its default would make introspection fail)."""
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return type(None) in get_args(annotation)


def _task(work: Coroutine[Any, Any, T]) -> asyncio.Task[T]:
    """An async resolver's work, as a task rather than a bare coroutine.

    When an error nulls a non-null field, graphql-core 3.3 abandons the sibling
    fields still pending (graphql-python/graphql-core issue 269). A task left
    behind simply finishes, and its outcome is collected here; a coroutine left
    behind would be destroyed half-way through, mid-await, at some later moment."""
    task = asyncio.ensure_future(work)
    task.add_done_callback(_collect)
    return task


def _collect(task: asyncio.Task[Any]) -> None:
    if not task.cancelled():
        task.exception()  # read, so that an abandoned task's error is not reported again


def shielded(pending: Awaitable[T]) -> Awaitable[T]:
    """A DataLoader's answer, awaited without being cancelled with the waiter.

    One batch serves every field that asked for a key. When graphql-core cancels
    some of them (an error elsewhere made their answers moot), the batch must go
    on for the others: cancelling a task cancels the future it awaits."""
    return asyncio.shield(pending)


def _context(info: Any) -> Context:
    context: Context = info.context
    return context


class Key(FieldSpec):
    """A stored value of the object, as it is."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    def reads(self) -> tuple[str, ...]:
        return (self.key,)

    def resolve(self, root: Obj, info: Any, args: dict[str, Any]) -> Any:
        return root.data.get(self.key)


class GlobalId(FieldSpec):
    """The object's global ID, from its type and slug."""

    def resolve(self, root: Obj, info: Any, args: dict[str, Any]) -> Any:
        return global_id(root.type_name, root.data["_id"])


class Computed(FieldSpec):
    """A value computed from the object's stored fields and the field's arguments."""

    accepts = (Arg,)

    def __init__(
        self, compute: Callable[..., Any], reads: tuple[str, ...], args: tuple[Arg, ...]
    ) -> None:
        super().__init__()
        self.compute = compute
        self._reads = reads
        self.args = args

    def reads(self) -> tuple[str, ...]:
        return self._reads

    def resolve(self, root: Obj, info: Any, args: dict[str, Any]) -> Any:
        return self.compute(root.data, **args)


@dataclass(frozen=True)
class ItemMatch(Arg):
    """An argument keeping only the embedded items whose field `item_key` equals it."""

    item_key: str = ""


class Embedded(FieldSpec):
    """A list of items stored inside the object, optionally narrowed by arguments."""

    accepts: tuple[type[Arg], ...] = (ItemMatch,)

    def __init__(self, key: str, args: tuple[ItemMatch, ...] = ()) -> None:
        super().__init__()
        self.key = key
        self.args: tuple[ItemMatch, ...] = args

    def reads(self) -> tuple[str, ...]:
        return (self.key,)

    def bind(self, owner: str, graphql_field: GraphQLField) -> None:
        super().bind(owner, graphql_field)
        container = type_spec(self.target).container
        if container is not None and container != (owner, self.key):
            raise TypeError(f"{owner}.{self.key}: {self.target} items live in {container}")

    def items(self, data: Document, args: dict[str, Any]) -> list[Any]:
        items: list[Any] = data[self.key]
        for arg in self.args:
            wanted = args.get(arg.name)
            if wanted is not None:
                items = [item for item in items if item[arg.item_key] == wanted]
        return items

    def resolve(self, root: Obj, info: Any, args: dict[str, Any]) -> Any:
        return [Obj(self.target, item, root) for item in self.items(root.data, args)]


class Parent(FieldSpec):
    """The document an item sits in."""

    def resolve(self, root: Obj, info: Any, args: dict[str, Any]) -> Any:
        return root.parent


def holds(value: Any, key: str) -> bool:
    """Whether a stored reference (a slug or a list of slugs) names `key`."""
    return value == key or (isinstance(value, list) and key in value)


class Siblings(FieldSpec):
    """Items of another list of the same parent document whose `match` names this
    item's `on` (a crew seat's outcomes: those whose people include its person)."""

    def __init__(self, match: str, on: str) -> None:
        super().__init__()
        self.match = match
        self.on = on
        self.key = ""

    def bind(self, owner: str, graphql_field: GraphQLField) -> None:
        super().bind(owner, graphql_field)
        mine, theirs = type_spec(owner).container, type_spec(self.target).container
        if mine is None or theirs is None or mine[0] != theirs[0]:
            raise TypeError(f"{owner}.siblings: both types must be items of one parent type")
        self.key = theirs[1]

    def items(self, item: Document, parent: Document) -> list[Any]:
        mine = item[self.on]
        return [other for other in parent[self.key] if holds(other[self.match], mine)]

    def resolve(self, root: Obj, info: Any, args: dict[str, Any]) -> Any:
        assert root.parent is not None
        found = self.items(root.data, root.parent.data)
        return [Obj(self.target, other, root.parent) for other in found]


class Reference(FieldSpec):
    """The document (or documents) of another collection whose slugs the object
    stores under `key`. A list leaves out slugs that name nothing; a single
    reference that names nothing is null."""

    is_async = True

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key
        self.many = False
        self.collection: Collection | None = None

    def bind(self, owner: str, graphql_field: GraphQLField) -> None:
        super().bind(owner, graphql_field)
        self.collection = type_spec(self.target).collection
        if self.collection is None:
            raise TypeError(f"{owner}.{self.key}: {self.target} is not a collection's type")
        self.many = "[" in str(graphql_field.type)

    def reads(self) -> tuple[str, ...]:
        return (self.key,)

    async def resolve(self, root: Obj, info: Any, args: dict[str, Any]) -> Any:
        assert self.collection is not None
        loader = _context(info).by_key(self.collection)
        value = root.data.get(self.key)
        if self.many:
            docs = await shielded(loader.load_many(value or []))
            return [Obj(self.target, doc) for doc in docs if doc is not None]
        doc = await shielded(loader.load(value)) if value else None
        return Obj(self.target, doc) if doc is not None else None


class Related(FieldSpec):
    """A value kept for this object in another collection, in the document whose
    `_id` is the object's slug (for an item, its parent document's slug): another
    source's contribution, such as the astronaut dataset's hours.

    `within` picks, inside that document, the item of the list `within` whose
    `match` equals this item's `on` (a crew seat's hours: the seat of the mission's
    `mission_hours` document whose person is the seat's person). `own` puts the
    object's own stored list first (a mission's claims, then the dataset's). A
    value of an object type (a claim) comes out as such objects. The documents are
    read by key: batched per request (DataLoader), one read per level (compiled)."""

    is_async = True

    def __init__(
        self,
        collection: Collection,
        key: str,
        *,
        within: str | None = None,
        match: str = "",
        on: str = "",
        own: str | None = None,
    ) -> None:
        super().__init__()
        self.collection = collection
        self.key = key
        self.within = within
        self.match = match
        self.on = on
        self.own = own
        self.objects = False
        self.parented = False

    def bind(self, owner: str, graphql_field: GraphQLField) -> None:
        super().bind(owner, graphql_field)
        self.objects = is_object_type(get_named_type(graphql_field.type))
        self.parented = type_spec(owner).parented
        if self.within is not None and not (self.parented and self.on):
            raise TypeError(f"{owner}: `within` needs an item type and `on`")

    def reads(self) -> tuple[str, ...]:
        return tuple(k for k in (self.own, self.on or None) if k)

    @property
    def fields(self) -> frozenset[str]:
        """What the related documents must hold."""
        return frozenset({self.within or self.key})

    def slug_of(self, data: Document, parent: Document | None) -> Any:
        """The `_id` of the related document: the object's slug, or its parent's."""
        holder = parent if self.parented else data
        return holder["_id"] if holder is not None else None

    def value(self, data: Document, related: Document | None) -> Any:
        """The field's value for an object (its stored data) given its related document."""
        found: Any = None
        if related is not None:
            if self.within is None:
                found = related.get(self.key)
            else:
                mine = data.get(self.on)
                items = related.get(self.within) or []
                item = next((i for i in items if i[self.match] == mine), None)
                found = item.get(self.key) if item is not None else None
        if self.own is not None:
            return [*(data.get(self.own) or []), *(found or [])]
        return found

    async def resolve(self, root: Obj, info: Any, args: dict[str, Any]) -> Any:
        parent = root.parent.data if root.parent is not None else None
        slug = self.slug_of(root.data, parent)
        related = await _context(info).by_key(self.collection).load(slug) if slug else None
        value = self.value(root.data, related)
        if self.objects:
            return [Obj(self.target, item) for item in value or []]
        return value


class Listing(FieldSpec):
    """A page of a collection's documents (pagination, filter, order), either all
    of them (a root list) or those whose `via` names the object (a relation)."""

    accepts = (First, Arg, Filters, Ordering)
    is_async = True

    def __init__(self, args: tuple[Arg, ...], order: Order, via: str | None = None) -> None:
        super().__init__()
        self.args = args
        self.order = order
        self.via = via
        self.node_type = ""
        self.collection: Collection | None = None

    def bind(self, owner: str, graphql_field: GraphQLField) -> None:
        super().bind(owner, graphql_field)
        connection = get_named_type(graphql_field.type)
        assert isinstance(connection, GraphQLObjectType)
        nodes = connection.fields["nodes"]
        self.node_type = _type_name(nodes.type)
        self.collection = type_spec(self.node_type).collection
        if self.collection is None:
            raise TypeError(f"{owner}: {self.node_type} is not a collection's type")

    def query(self, args: dict[str, Any]) -> tuple[int, Order, str | None, Where]:
        """Page size, order, cursor and condition; errors name the bad argument."""
        assert self.collection is not None
        order = next(
            (args[arg.name] for arg in self.args if isinstance(arg, Ordering) and args[arg.name]),
            self.order,
        )
        size, after = args["first"], args.get("after")
        check_cursor(order, after)
        given = args.get("filter") or {}
        return size, order, after, self.collection.where(**given)

    def page_of(
        self, everything: list[Document], size: int, order: Order, after: str | None
    ) -> Page:
        """The page of a whole (ordered) relation list."""
        rest = slice_after(order, everything, after)

        async def count() -> int:
            return len(everything)

        return Page(rest[:size], len(rest) > size, after, order, count, self.node_type)

    async def resolve(self, root: Any, info: Any, args: dict[str, Any]) -> Page:
        size, order, after, where = self.query(args)
        context = _context(info)
        if self.via is not None:
            loader = context.referencing(where, self.via, order)
            everything = await shielded(loader.load(root.data["_id"]))
            return self.page_of(everything, size, order, after)
        page = await context.reader.page(where, order, size, after)

        async def count() -> int:
            return await context.reader.count(where)

        return Page(page.documents, page.has_next, after, order, count, self.node_type)


class ItemsReferencing(FieldSpec):
    """Items, anywhere in their collection, whose `match` names the object (a
    person's crew seats), in the order of the documents that hold them."""

    is_async = True

    def __init__(self, match: str, where: Mapping[str, Any], order: Order) -> None:
        super().__init__()
        self.match = match
        self.fixed = dict(where)
        self.order = order
        self.key = ""
        self.parent_type = ""
        self.collection: Collection | None = None

    def bind(self, owner: str, graphql_field: GraphQLField) -> None:
        super().bind(owner, graphql_field)
        container = type_spec(self.target).container
        if container is None:
            raise TypeError(f"{owner}: {self.target} is not an item type")
        self.parent_type, self.key = container
        self.collection = type_spec(self.parent_type).collection
        if self.collection is None:
            raise TypeError(f"{owner}: {self.parent_type} is not a collection's type")

    @property
    def via(self) -> str:
        return f"{self.key}.{self.match}"

    def where(self) -> Where:
        assert self.collection is not None
        return self.collection.where(**self.fixed)

    def items(self, docs: list[Document], key: str) -> list[tuple[Document, Document]]:
        return [
            (item, doc) for doc in docs for item in doc[self.key] if holds(item[self.match], key)
        ]

    async def resolve(self, root: Obj, info: Any, args: dict[str, Any]) -> Any:
        key = root.data["_id"]
        loader = _context(info).referencing(self.where(), self.via, self.order)
        docs = await shielded(loader.load(key))
        return [
            Obj(self.target, item, Obj(self.parent_type, doc))
            for item, doc in self.items(docs, key)
        ]


class Lookup(FieldSpec):
    """A document by its slug or the slug of one of its other names."""

    accepts = (Arg,)
    is_async = True

    def __init__(self, args: tuple[Arg, ...]) -> None:
        super().__init__()
        self.args = args
        self.collection: Collection | None = None

    def bind(self, owner: str, graphql_field: GraphQLField) -> None:
        super().bind(owner, graphql_field)
        self.collection = type_spec(self.target).collection

    async def resolve(self, root: Any, info: Any, args: dict[str, Any]) -> Any:
        assert self.collection is not None
        doc = await _context(info).reader.by_slug(self.collection, args["slug"])
        return Obj(self.target, doc) if doc is not None else None


class NodeLookup(FieldSpec):
    """Any document by its global ID; null for an ID this API did not make."""

    accepts = (Arg,)
    is_async = True

    def __init__(self, args: tuple[Arg, ...]) -> None:
        super().__init__()
        self.args = args

    def locate(self, value: str) -> tuple[TypeSpec, str] | None:
        from spacerace.schema.ids import parse_global_id

        parsed = parse_global_id(value)
        if parsed is None:
            return None
        type_name, slug = parsed
        spec = _TYPES.get(type_name)
        return (spec, slug) if spec is not None and spec.collection is not None else None

    async def resolve(self, root: Any, info: Any, args: dict[str, Any]) -> Any:
        located = self.locate(args["id"])
        if located is None:
            return None
        spec, slug = located
        assert spec.collection is not None
        doc = await shielded(_context(info).by_key(spec.collection).load(slug))
        return Obj(spec.name, doc) if doc is not None else None


class Search(FieldSpec):
    """Documents of every searchable collection whose names or summary contain the
    text, best matches first."""

    accepts = (Arg, First)
    is_async = True

    def __init__(self, args: tuple[Arg, ...]) -> None:
        super().__init__()
        self.args = args

    async def found(self, reader: Reader, args: dict[str, Any]) -> list[tuple[str, Document]]:
        found = await reader.search(args["query"], args["first"])
        return [(entity_of(kind).name, doc) for kind, doc in found]

    async def resolve(self, root: Any, info: Any, args: dict[str, Any]) -> Any:
        return [Obj(name, doc) for name, doc in await self.found(_context(info).reader, args)]


# -- Apollo Federation (issue 9) ----------------------------------------------------


class ServiceSdl(FieldSpec):
    """`_service`: this subgraph's schema as SDL, for a federation gateway. The SDL is
    set once the schema is built (`schema.federation.publish`)."""

    def __init__(self) -> None:
        super().__init__()
        self.sdl = ""

    def service(self) -> dict[str, str]:
        return {"sdl": self.sdl}

    def resolve(self, root: Any, info: Any, args: dict[str, Any]) -> Any:
        return Obj(self.target, self.service())


class Entities(FieldSpec):
    """`_entities(representations:)`: documents of any entity type by their key, as a
    gateway asks for them (`{"__typename": "Mission", "slug": "voskhod-2"}`, or with the
    global `id`): one read per type, however many representations; null for a key
    that names nothing."""

    accepts = (Arg,)
    is_async = True

    def __init__(self, args: tuple[Arg, ...]) -> None:
        super().__init__()
        self.args = args

    def locate(self, index: int, representation: Any) -> tuple[TypeSpec, str] | GraphQLError:
        """The type and slug a representation names, or why it names none."""
        where = f"representations[{index}]"
        if not isinstance(representation, dict):
            return bad_input("representations", f"item {index} is not an object")
        type_name = representation.get("__typename")
        spec = _TYPES.get(type_name) if isinstance(type_name, str) else None
        if spec is None or spec.collection is None:
            return bad_input(
                "representations", f"{where} has no `__typename` of an entity type ({type_name!r})"
            )
        slug = representation.get("slug")
        if isinstance(slug, str):
            return spec, slug
        given_id = representation.get("id")
        if isinstance(given_id, str):
            from spacerace.schema.ids import parse_global_id

            parsed = parse_global_id(given_id)
            if parsed is None or parsed[0] != spec.name:
                return bad_input("representations", f"{where}.id is not the ID of a {spec.name}")
            return spec, parsed[1]
        return bad_input("representations", f"{where} has neither a `slug` nor an `id`")

    def located(self, args: dict[str, Any]) -> list[tuple[TypeSpec, str] | GraphQLError]:
        return [self.locate(i, r) for i, r in enumerate(args["representations"])]

    async def resolve(self, root: Any, info: Any, args: dict[str, Any]) -> Any:
        context = _context(info)

        async def one(found: tuple[TypeSpec, str] | GraphQLError) -> Any:
            if isinstance(found, GraphQLError):
                return found  # graphql-core reports it at this item's path
            spec, slug = found
            assert spec.collection is not None
            doc = await context.by_key(spec.collection).load(slug)
            return Obj(spec.name, doc) if doc is not None else None

        # The DataLoaders gather every key of a type into one read.
        return await asyncio.gather(*(one(found) for found in self.located(args)))


# -- the fields of pages and edges ---------------------------------------------------


class PageNodes(FieldSpec):
    def resolve(self, root: Page, info: Any, args: dict[str, Any]) -> Any:
        return [Obj(root.node_type, doc) for doc in root.docs]


class PageEdges(FieldSpec):
    def resolve(self, root: Page, info: Any, args: dict[str, Any]) -> Any:
        cursors = root.cursors()
        return [
            Obj("Edge", (cursor, Obj(root.node_type, doc)))
            for cursor, doc in zip(cursors, root.docs, strict=True)
        ]


class PageInfoOf(FieldSpec):
    def resolve(self, root: Page, info: Any, args: dict[str, Any]) -> Any:
        return Obj("PageInfo", root.info())


class PageCount(FieldSpec):
    is_async = True

    async def resolve(self, root: Page, info: Any, args: dict[str, Any]) -> Any:
        return await root.count()


class EdgeCursor(FieldSpec):
    def resolve(self, root: Obj, info: Any, args: dict[str, Any]) -> Any:
        return root.data[0]


class EdgeNode(FieldSpec):
    def resolve(self, root: Obj, info: Any, args: dict[str, Any]) -> Any:
        return root.data[1]


# -- constructors, as the type modules use them ---------------------------------------


def key(stored: str, description: str, **options: Any) -> Any:
    """A stored field, shown as it is."""
    return Key(stored).field(description, **options)


def slug(description: str) -> Any:
    return Key("_id").field(description)


def computed(
    compute: Callable[..., Any], description: str, *, reads: Sequence[str], args: Sequence[Arg] = ()
) -> Any:
    return Computed(compute, tuple(reads), tuple(args)).field(description)


def embedded(name: str, description: str, *, args: Sequence[ItemMatch] = ()) -> Any:
    return Embedded(name, tuple(args)).field(description)


def parent(description: str) -> Any:
    return Parent().field(description)


def siblings(description: str, *, match: str, on: str) -> Any:
    return Siblings(match, on).field(description)


def reference(name: str, description: str) -> Any:
    return Reference(name).field(description)


def related(
    collection: Collection,
    key: str,
    description: str,
    *,
    within: str | None = None,
    match: str = "",
    on: str = "",
    own: str | None = None,
) -> Any:
    """A value another collection keeps for this object (see `Related`)."""
    return Related(collection, key, within=within, match=match, on=on, own=own).field(description)


def relation(description: str, *, via: str, args: Sequence[Arg], order: Order) -> Any:
    """The page of documents of the returned type whose `via` names this object."""
    return Listing(tuple(args), order, via=via).field(description)


def listing(description: str, *, args: Sequence[Arg], order: Order) -> Any:
    """A root list of a collection's documents, a page at a time."""
    return Listing(tuple(args), order).field(description)


def items_referencing(
    description: str, *, match: str, where: Mapping[str, Any], order: Order
) -> Any:
    return ItemsReferencing(match, where, order).field(description)


def lookup(description: str, *, args: Sequence[Arg]) -> Any:
    return Lookup(tuple(args)).field(description)
