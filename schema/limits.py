"""What one request may ask for, checked at the gate before anything is executed.

The gate applies these rules in order, each as early as it can be decided and
each with its own `extensions.code`, the limit, and the setting that holds it:

1. the request: the query's length (`QUERY_TOO_LONG`) and the variables' size
   (`VARIABLES_TOO_LARGE`), before parsing;
2. parsing: lexical tokens and comments (`TOO_MANY_TOKENS`), enforced by
   graphql-core's parser as it reads;
3. the document, before validation (cheap, and it spares graphql-core's
   validation a hostile document): nesting depth (`QUERY_TOO_DEEP`), aliases
   (`TOO_MANY_ALIASES`), directives on one field (`TOO_MANY_DIRECTIVES`), one
   field repeated in a selection set (`TOO_MANY_REPEATED_FIELDS`), root fields
   (`TOO_MANY_ROOT_FIELDS`);
4. validation: with introspection off, `__schema` and `__type` are refused
   (`INTROSPECTION_DISABLED`); with suggestions off, no "Did you mean ...";
5. the operation, once its variables are known: the number of objects it can
   return (`QUERY_TOO_COMPLEX`) and the length of searched text
   (`SEARCH_TOO_LONG`).

The estimate of step 5 multiplies `first` (or its default) along nested
connections and, for every list that is not paginated (a mission's crew, a
person's flights, ...), the most items that list holds in the bundled data
(`LIST_BOUNDS`; a test recomputes them from the seeds and fails when the data
outgrows one). Nothing here touches the database.

The time limit (`SPACERACE_REQUEST_TIMEOUT_MS`) is applied by the gate around
execution (`deadline`); the body size by the HTTP layer (`api.limits`).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from graphql import (
    ArgumentNode,
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSyntaxError,
    InlineFragmentNode,
    ListValueNode,
    ObjectFieldNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
    is_abstract_type,
    is_composite_type,
    parse,
    specified_rules,
    validate,
)
from graphql.execution.values import VariableValues, get_argument_values
from graphql.type import SchemaMetaFieldDef, TypeMetaFieldDef
from graphql.validation import NoSchemaIntrospectionCustomRule

from spacerace.schema import fields as kinds
from spacerace.schema.fields import spec_of
from spacerace.schema.selections import applies
from spacerace.store import settings as store_settings
from spacerace.store.aio import Deadline
from spacerace.store.paging import DEFAULT_PAGE, MAX_PAGE

QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
QUERY_TOO_LONG = "QUERY_TOO_LONG"
TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
TOO_MANY_TOKENS = "TOO_MANY_TOKENS"
TOO_MANY_DIRECTIVES = "TOO_MANY_DIRECTIVES"
TOO_MANY_ROOT_FIELDS = "TOO_MANY_ROOT_FIELDS"
TOO_MANY_REPEATED_FIELDS = "TOO_MANY_REPEATED_FIELDS"
SEARCH_TOO_LONG = "SEARCH_TOO_LONG"
VARIABLES_TOO_LARGE = "VARIABLES_TOO_LARGE"
INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED"
PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
"""The HTTP body is over SPACERACE_MAX_BODY_BYTES (answered by `api.limits`, status 413)."""

LIST_BOUNDS: Mapping[tuple[str, str], int] = {
    # The most items each unpaginated list holds in the bundled seeds, by
    # (GraphQL type, field). tests/schema/test_limits.py recomputes every one
    # from the seeds: it fails when the data outgrows a bound, and when a list
    # field of the schema has no entry here.
    ("Claim", "sources"): 3,
    ("CrewMember", "outcomes"): 6,
    ("DatedName", "sources"): 3,
    ("Event", "claims"): 3,
    ("Event", "missions"): 3,
    ("Event", "people"): 8,
    ("Event", "programs"): 3,
    ("Event", "sources"): 5,
    ("LaunchSite", "claims"): 6,
    ("LaunchSite", "names"): 4,
    ("LaunchSite", "sources"): 2,
    ("Mission", "claims"): 5,
    ("Mission", "crew"): 3,
    ("Mission", "outcomes"): 7,
    ("Mission", "sources"): 4,
    ("Outcome", "people"): 5,
    ("Outcome", "sources"): 2,
    ("Person", "claims"): 2,
    ("Person", "flights"): 4,
    ("Person", "outcomes"): 12,
    ("Person", "sources"): 4,
    ("Program", "claims"): 12,
    ("Program", "people"): 9,
    ("Program", "sources"): 5,
}
UNKNOWN_LIST_BOUND = MAX_PAGE
"""What a list field without an entry in LIST_BOUNDS is assumed to hold."""
TEXT_SUFFIX = "Contains"
"""Filter fields whose name ends so (`nameContains`) are searched text, like `search(query:)`."""
GRAPHQL_CORE_SHARE = 20
"""graphql-core spends 15 to 30 times what the compiled executor spends per object
(benchmark 2b) and does not yield to the event loop within a level: where it must
answer in the compiled executor's place (directives, an argument the compiled
executor leaves to it), the operation is held to this share of SPACERACE_MAX_COST,
introspection aside (its size is the schema's)."""
VARIABLES_DEPTH = 32
"""Variables nested deeper than this are refused as too large, whatever their size."""


SettingsError = store_settings.SettingsError
"""A setting holds a value the service cannot run with: one class for every
setting, which the CLI reports as one line with exit status 2."""


# -- settings ------------------------------------------------------------------------


@dataclass(frozen=True)
class LimitSettings:
    """Every limit, with its default and environment variable. A limit of None
    (0 or `off` in the environment) is not applied."""

    max_cost: int | None = 750_000
    """SPACERACE_MAX_COST: objects an operation may return, as estimated before it runs."""
    max_depth: int | None = 10
    """SPACERACE_MAX_DEPTH: fields nested inside each other, leaves included."""
    max_aliases: int | None = 15
    """SPACERACE_MAX_ALIASES: aliased fields in a document."""
    max_tokens: int | None = 1_000
    """SPACERACE_MAX_TOKENS: lexical tokens in a document (and, separately, comments)."""
    max_query_length: int | None = 32_768
    """SPACERACE_MAX_QUERY_LENGTH: characters of query text."""
    max_directives: int | None = 5
    """SPACERACE_MAX_DIRECTIVES: directives on one field or fragment."""
    max_repeated_fields: int | None = 10
    """SPACERACE_MAX_REPEATED_FIELDS: times one field may be selected in one selection
    set (graphql-core's check that they merge is quadratic in it)."""
    max_root_fields: int | None = 20
    """SPACERACE_MAX_ROOT_FIELDS: fields at the root of an operation."""
    max_search_length: int | None = 256
    """SPACERACE_MAX_SEARCH_LENGTH: characters of text to search for."""
    max_variables_bytes: int | None = 65_536
    """SPACERACE_MAX_VARIABLES_BYTES: the variables, as JSON."""
    max_body_bytes: int | None = 1_048_576
    """SPACERACE_MAX_BODY_BYTES: an HTTP request body (HTTP 413 above it)."""
    request_timeout_ms: int | None = 10_000
    """SPACERACE_REQUEST_TIMEOUT_MS: the deadline of one request, database calls included."""
    introspection: bool = True
    """SPACERACE_INTROSPECTION: whether `__schema` and `__type` are answered."""
    suggestions: bool = True
    """SPACERACE_SUGGESTIONS: whether errors suggest names ("Did you mean ...?")."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> LimitSettings:
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for setting in fields(cls):
            name = ENVIRONMENT[setting.name]
            raw = env.get(name, "").strip()
            if not raw:
                continue
            if setting.type in ("bool", bool):
                values[setting.name] = _boolean(name, raw)
            else:
                values[setting.name] = _limit(name, raw)
        return cls(**values)

    @classmethod
    def off(cls) -> LimitSettings:
        """No limit at all (for comparisons; never for serving)."""
        unlimited: dict[str, Any] = {
            s.name: None for s in fields(cls) if s.type not in ("bool", bool)
        }
        return cls(**unlimited)

    def but(self, **changes: Any) -> LimitSettings:
        return replace(self, **changes)


ENVIRONMENT: Mapping[str, str] = {
    setting.name: "SPACERACE_" + setting.name.upper() for setting in fields(LimitSettings)
}
"""The environment variable of each setting (`max_cost` → SPACERACE_MAX_COST)."""


def _limit(name: str, raw: str) -> int | None:
    if raw.lower() in ("off", "none"):
        return None
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        raise SettingsError(f"{name} must be a whole number or 'off', got {raw!r}") from None
    if value < 0:
        raise SettingsError(f"{name} must not be negative, got {value}")
    return value or None


def _boolean(name: str, raw: str) -> bool:
    lowered = raw.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


# -- errors ------------------------------------------------------------------------


def refusal(
    code: str,
    message: str,
    setting: str,
    limit: int,
    nodes: Any = None,
    **extensions: Any,
) -> GraphQLError:
    """An error for a request over a limit, naming the limit and its setting."""
    variable = ENVIRONMENT[setting]
    return GraphQLError(
        f"{message}; the limit is {limit:,} ({variable}).",
        nodes,
        extensions={"code": code, "limit": limit, "setting": variable, **extensions},
    )


@dataclass(frozen=True)
class Verdict:
    """What the rules make of an operation with its variables."""

    cost: Cost
    errors: list[GraphQLError]
    reusable: bool
    """True when no variable mattered: the same for every request of the operation."""


@dataclass(frozen=True)
class Cost:
    """What an operation was estimated to return, and the limit it was held to."""

    estimate: int
    limit: int | None
    introspection: int = 0
    """The part of the estimate under `__schema` and `__type`."""

    def formatted(self) -> dict[str, Any]:
        return {"estimate": self.estimate, "limit": self.limit}


# -- the rules --------------------------------------------------------------------


class Limits:
    """The rules of one gate, for one schema."""

    def __init__(self, schema: GraphQLSchema, settings: LimitSettings | None = None) -> None:
        self.schema = schema
        self.settings = settings or LimitSettings()
        self.bounds = {**_introspection_bounds(schema), **LIST_BOUNDS}
        rules: list[type[ASTValidationRule]] = list(specified_rules)
        if not self.settings.introspection:
            rules.append(_NoIntrospection)
        self.rules = tuple(rules)

    # 1. the request

    def check_request(self, query: str, variables: Any) -> GraphQLError | None:
        limit = self.settings.max_query_length
        if limit is not None and len(query) > limit:
            return refusal(
                QUERY_TOO_LONG,
                f"The query is {len(query):,} characters long",
                "max_query_length",
                limit,
            )
        limit = self.settings.max_variables_bytes
        if limit is not None and variables:
            size = json_size(variables, limit)
            if size > limit:
                return refusal(
                    VARIABLES_TOO_LARGE,
                    f"The variables are larger than {limit:,} bytes as JSON"
                    if size == _TOO_DEEP
                    else f"The variables are {size:,} bytes as JSON",
                    "max_variables_bytes",
                    limit,
                )
        return None

    # 2. parsing

    def parse(self, query: str) -> DocumentNode:
        """The document; GraphQLError for a syntax error or too many tokens."""
        limit = self.settings.max_tokens
        try:
            return parse(query, max_lexical_tokens=limit, max_comments=limit)
        except GraphQLSyntaxError as error:
            if limit is not None and "Document contains more than" in error.message:
                counted = "comments" if "comments" in error.message else "tokens"
                raise refusal(
                    TOO_MANY_TOKENS,
                    f"The document has more than {limit:,} {counted}",
                    "max_tokens",
                    limit,
                ) from None
            raise

    # 3. the document

    def check_document(self, document: DocumentNode) -> list[GraphQLError]:
        """Refusals for a parsed document, before it is validated."""
        settings = self.settings
        shape = _Shape(document)
        found: list[GraphQLError] = []
        if settings.max_aliases is not None and shape.aliases > settings.max_aliases:
            found.append(
                refusal(
                    TOO_MANY_ALIASES,
                    f"The document has {shape.aliases:,} aliases",
                    "max_aliases",
                    settings.max_aliases,
                )
            )
        limit = settings.max_directives
        if limit is not None and shape.most_directives > limit:
            found.append(
                refusal(
                    TOO_MANY_DIRECTIVES,
                    f"A field has {shape.most_directives:,} directives",
                    "max_directives",
                    limit,
                    shape.most_directives_node,
                )
            )
        limit = settings.max_repeated_fields
        if limit is not None and shape.most_repeats > limit:
            found.append(
                refusal(
                    TOO_MANY_REPEATED_FIELDS,
                    f"The field {shape.most_repeated!r} is selected {shape.most_repeats:,} "
                    "times in one selection set",
                    "max_repeated_fields",
                    limit,
                )
            )
        limit = settings.max_root_fields
        if limit is not None:
            roots = shape.root_fields()
            if roots > limit:
                found.append(
                    refusal(
                        TOO_MANY_ROOT_FIELDS,
                        f"An operation asks for {roots:,} root fields",
                        "max_root_fields",
                        limit,
                    )
                )
        limit = settings.max_depth
        if limit is not None and not found:
            depth = shape.depth()
            if depth > limit:
                found.append(
                    refusal(
                        QUERY_TOO_DEEP,
                        f"The query nests fields {depth:,} deep",
                        "max_depth",
                        limit,
                    )
                )
        return found

    # 4. validation

    def validate(self, document: DocumentNode) -> list[GraphQLError]:
        found = validate(
            self.schema, document, self.rules, hide_suggestions=not self.settings.suggestions
        )
        # graphql-core gives up on a document too costly to check, without a reason.
        return [_aborted(e) if e.message == "Validation aborted." else e for e in found]

    @property
    def hide_suggestions(self) -> bool:
        return not self.settings.suggestions

    # 5. the operation

    def check_operation(
        self,
        operation: OperationDefinitionNode,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: VariableValues,
    ) -> Verdict:
        """The operation's estimated cost, and refusals for it."""
        estimator = _Estimator(self, fragments, variables)
        query_type = self.schema.query_type
        assert query_type is not None
        estimate = estimator.selections(query_type, (operation.selection_set,), None)
        limit = self.settings.max_cost
        cost = Cost(estimate, limit, estimator.introspection)
        found = list(estimator.problems)
        if limit is not None and estimate > limit:
            found.insert(
                0,
                refusal(
                    QUERY_TOO_COMPLEX,
                    f"The query could return up to {estimate:,} objects (`first`, or its "
                    f"default {DEFAULT_PAGE}, multiplied along nested lists)",
                    "max_cost",
                    limit,
                    cost=cost.formatted(),
                ),
            )
        return Verdict(cost, found, reusable=not estimator.uses_variables)

    def check_fallback(self, cost: Cost, reason: str) -> GraphQLError | None:
        """A refusal if graphql-core, answering instead of the compiled executor, would
        be held to more than GRAPHQL_CORE_SHARE of the cost limit."""
        if cost.limit is None:
            return None
        limit = cost.limit // GRAPHQL_CORE_SHARE
        estimate = cost.estimate - cost.introspection
        if estimate <= limit:
            return None
        return refusal(
            QUERY_TOO_COMPLEX,
            f"The query could return up to {estimate:,} objects, and graphql-core must "
            f"answer it ({reason}), which is held to 1/{GRAPHQL_CORE_SHARE} of the cost limit",
            "max_cost",
            limit,
            cost=cost.formatted(),
        )

    # the deadline

    def deadline(self) -> _RequestDeadline:
        """Bounds what runs inside it, database calls included, by the request timeout.
        Raises TimeoutError when it is over."""
        limit = self.settings.request_timeout_ms
        return _RequestDeadline(None if limit is None else limit / 1000)

    def deadline_error(self) -> GraphQLError:
        limit = self.settings.request_timeout_ms
        assert limit is not None
        return refusal(
            "SERVICE_UNAVAILABLE",
            f"The request did not finish within {limit:,} ms; try again shortly, or ask for less",
            "request_timeout_ms",
            limit,
            reason="DEADLINE_EXCEEDED",
        )


class _RequestDeadline:
    """asyncio's timeout (the request is cancelled when the time is up) and the store's
    deadline (each database call tells the server the time left)."""

    __slots__ = ("_store", "_timeout")

    def __init__(self, seconds: float | None) -> None:
        self._timeout = asyncio.timeout(seconds)
        self._store = Deadline(seconds)

    async def __aenter__(self) -> None:
        await self._timeout.__aenter__()
        self._store.__enter__()

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: Any
    ) -> None:
        self._store.__exit__()
        await self._timeout.__aexit__(kind, error, tb)  # raises TimeoutError when it is up


def _aborted(error: GraphQLError) -> GraphQLError:
    return GraphQLError(
        "Validation aborted: the document is too costly to check (its fields are compared "
        "with each other to see that they merge); select each field once.",
        extensions=error.extensions,
    )


class _NoIntrospection(NoSchemaIntrospectionCustomRule):
    """graphql-core's rule, with our code and setting on its errors."""

    def report_error(self, error: GraphQLError) -> None:
        variable = ENVIRONMENT["introspection"]
        super().report_error(
            GraphQLError(
                f"{error.message} ({variable} is off)",
                error.nodes,
                extensions={"code": INTROSPECTION_DISABLED, "setting": variable},
            )
        )


# -- the document's shape -----------------------------------------------------------------


INTROSPECTION_ROOTS = frozenset({"__schema", "__type"})


class _Shape:
    """What can be told of a document without the schema: its aliases, directives,
    root fields and depth. Fragments are followed (each once per path; a cycle, which
    validation refuses anyway, counts once)."""

    def __init__(self, document: DocumentNode) -> None:
        self.operations = [
            d for d in document.definitions if isinstance(d, OperationDefinitionNode)
        ]
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.aliases = 0
        self.most_directives = max((len(d.directives or ()) for d in self.operations), default=0)
        self.most_directives_node: Any = None
        stack: list[SelectionSetNode] = [
            d.selection_set
            for d in document.definitions
            if isinstance(d, OperationDefinitionNode | FragmentDefinitionNode)
        ]
        self.most_repeats = 0
        self.most_repeated = ""
        while stack:
            # One selection set, with the inline fragments in it: the fields that
            # validation compares with each other.
            keys: dict[str, int] = {}
            pending = [stack.pop()]
            while pending:
                for selection in pending.pop().selections:
                    directives = len(selection.directives or ())
                    if directives > self.most_directives:
                        self.most_directives = directives
                        self.most_directives_node = selection
                    if isinstance(selection, FieldNode):
                        key = selection.alias.value if selection.alias else selection.name.value
                        keys[key] = keys.get(key, 0) + 1
                        if selection.alias is not None:
                            self.aliases += 1
                        if selection.selection_set is not None:
                            stack.append(selection.selection_set)
                    elif isinstance(selection, InlineFragmentNode):
                        pending.append(selection.selection_set)
            for key, count in keys.items():
                if count > self.most_repeats:
                    self.most_repeats, self.most_repeated = count, key
        self._depths: dict[str, int] = {}

    def root_fields(self) -> int:
        return max((len(self._keys(op.selection_set, set())) for op in self.operations), default=0)

    def _keys(self, selection_set: SelectionSetNode, seen: set[str]) -> set[str]:
        keys: set[str] = set()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                keys.add(selection.alias.value if selection.alias else selection.name.value)
            elif isinstance(selection, InlineFragmentNode):
                keys |= self._keys(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in self.fragments and name not in seen:
                    seen.add(name)
                    keys |= self._keys(self.fragments[name].selection_set, seen)
        return keys

    def depth(self) -> int:
        """The longest chain of nested fields, leaves included, introspection left out
        (its size is the schema's, and the cost estimate bounds it)."""
        try:
            return max(
                (self._depth(op.selection_set, frozenset()) for op in self.operations), default=0
            )
        except RecursionError:
            return 1_000_000

    def _depth(self, selection_set: SelectionSetNode, visiting: frozenset[str]) -> int:
        deepest = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value in INTROSPECTION_ROOTS:
                    continue
                inner = selection.selection_set
                depth = 1 + (self._depth(inner, visiting) if inner is not None else 0)
            elif isinstance(selection, InlineFragmentNode):
                depth = self._depth(selection.selection_set, visiting)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in self.fragments or name in visiting:
                    continue
                if name not in self._depths:
                    fragment = self.fragments[name].selection_set
                    self._depths[name] = self._depth(fragment, visiting | {name})
                depth = self._depths[name]
            else:
                continue
            deepest = max(deepest, depth)
        return deepest


# -- the cost estimate ------------------------------------------------------------------


class _Estimator:
    """How many objects (values of object types: connections, edges, nodes, list
    items, single objects) an operation can return at most.

    A selection set's cost is, for each field returning objects, how many it can
    return (1, `first` for a page, the field's bound for a list) times one plus the
    cost of what it selects. Each selection set is costed once per type and page size,
    so fragments spread many times cost no extra work here."""

    def __init__(
        self,
        limits: Limits,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: VariableValues,
    ) -> None:
        self.schema = limits.schema
        self.bounds = limits.bounds
        self.max_search = limits.settings.max_search_length
        self.fragments = fragments
        self.variables = variables
        self.memo: dict[tuple[str, tuple[int, ...], int | None], int] = {}
        self.problems: list[GraphQLError] = []
        self.introspection = 0
        self.uses_variables = False
        """Whether an argument read here came from a variable."""

    def selections(
        self, type_: Any, selection_sets: tuple[SelectionSetNode, ...], page: int | None
    ) -> int:
        key = (type_.name, tuple(map(id, selection_sets)), page)
        found = self.memo.get(key)
        if found is not None:
            return found
        self.memo[key] = 0  # a cycle (refused by validation) costs nothing more
        if is_abstract_type(type_):
            possible = self.schema.get_possible_types(type_)
            cost = max((self.selections(t, selection_sets, page) for t in possible), default=0)
        else:
            collected: dict[str, list[FieldNode]] = {}
            for selection_set in selection_sets:
                self._collect(type_, selection_set, collected, set())
            cost = sum(self._field(type_, nodes, page) for nodes in collected.values())
        self.memo[key] = cost
        return cost

    def _field(self, owner: GraphQLObjectType, nodes: list[FieldNode], page: int | None) -> int:
        name = nodes[0].name.value
        field_def = _field_def(self.schema, owner, name)
        if field_def is None:
            return 0
        named = get_named_type(field_def.type)
        spec = spec_of(field_def)
        args = self._arguments(spec, field_def, nodes[0])
        if not is_composite_type(named):
            return 0
        inner: int | None = None
        if isinstance(spec, kinds.Listing):
            many, inner = 1, _page_size(args.get("first"))
        elif isinstance(spec, kinds.PageNodes | kinds.PageEdges):
            many = DEFAULT_PAGE if page is None else page
        elif isinstance(spec, kinds.Search):
            many = _page_size(args.get("first"))
        elif isinstance(spec, kinds.Entities):
            representations = args.get("representations")
            many = len(representations) if isinstance(representations, list) else MAX_PAGE
        elif _is_list(field_def.type):
            many = self.bounds.get((owner.name, name), UNKNOWN_LIST_BOUND)
        else:
            many = 1
        selection_sets = tuple(node.selection_set for node in nodes if node.selection_set)
        cost = many * (1 + self.selections(named, selection_sets, inner))
        if name in INTROSPECTION_ROOTS:
            self.introspection += cost
        return cost

    def _arguments(
        self, spec: kinds.FieldSpec | None, field_def: GraphQLField, node: FieldNode
    ) -> dict[str, Any]:
        """The arguments of a page, a search or a filter (the ones that matter here),
        with searched text checked; others are not looked at."""
        sized = kinds.Listing | kinds.Search | kinds.Entities
        if not node.arguments or not isinstance(spec, sized):
            return {}
        if not self.uses_variables and _has_variables(node.arguments):
            self.uses_variables = True
        try:
            args = get_argument_values(field_def, node, self.variables)
        except GraphQLError:
            return {}  # execution reports it, with its path
        if self.max_search is not None:
            texts = [args.get("query")] if isinstance(spec, kinds.Search) else []
            texts += _contained(args.get("filter"))
            for text in texts:
                if isinstance(text, str) and len(text) > self.max_search:
                    self.problems.append(
                        refusal(
                            SEARCH_TOO_LONG,
                            f"The text to search for is {len(text):,} characters long",
                            "max_search_length",
                            self.max_search,
                            node,
                        )
                    )
        return args

    def _collect(
        self,
        type_: GraphQLObjectType,
        selection_set: SelectionSetNode,
        into: dict[str, list[FieldNode]],
        seen: set[str],
    ) -> None:
        """The fields of a selection set on an object type, by response key, as
        execution collects them (conditional directives count as included)."""
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                into.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if applies(self.schema, selection, type_):
                    self._collect(type_, selection.selection_set, into, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue
                seen.add(name)
                if applies(self.schema, fragment, type_):
                    self._collect(type_, fragment.selection_set, into, seen)


def _field_def(schema: GraphQLSchema, owner: GraphQLObjectType, name: str) -> GraphQLField | None:
    if owner is schema.query_type:
        if name == "__schema":
            return SchemaMetaFieldDef
        if name == "__type":
            return TypeMetaFieldDef
    found: GraphQLField | None = owner.fields.get(name)
    return found


def _has_variables(nodes: Any) -> bool:
    """Whether argument (or value) nodes refer to a variable anywhere inside."""
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if isinstance(node, VariableNode):
            return True
        if isinstance(node, ArgumentNode | ObjectFieldNode):
            stack.append(node.value)
        elif isinstance(node, ListValueNode):
            stack.extend(node.values)
        elif isinstance(node, ObjectValueNode):
            stack.extend(node.fields)
    return False


def _is_list(type_: Any) -> bool:
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


def _page_size(first: Any) -> int:
    """`first` as the page will be: its default when absent, at most MAX_PAGE (a value
    out of range is an error at execution, not here)."""
    if not isinstance(first, int):
        return DEFAULT_PAGE
    return max(0, min(first, MAX_PAGE))


def _contained(value: Any) -> list[Any]:
    if not isinstance(value, dict):
        return []
    return [v for k, v in value.items() if isinstance(k, str) and k.endswith(TEXT_SUFFIX)]


def _introspection_bounds(schema: GraphQLSchema) -> dict[tuple[str, str], int]:
    """The most items each introspection list can hold: its bound is the schema's."""
    types = list(schema.type_map.values())
    with_fields = [t for t in types if isinstance(t, GraphQLObjectType | GraphQLInterfaceType)]
    all_fields = [f for t in with_fields for f in t.fields.values()]
    return {
        ("__Schema", "types"): len(types),
        ("__Schema", "directives"): len(schema.directives),
        ("__Type", "fields"): max((len(t.fields) for t in with_fields), default=0),
        ("__Type", "interfaces"): max((len(t.interfaces) for t in with_fields), default=0),
        ("__Type", "possibleTypes"): max(
            (len(schema.get_possible_types(t)) for t in types if is_abstract_type(t)),
            default=0,
        ),
        ("__Type", "enumValues"): max(
            (len(t.values) for t in types if isinstance(t, GraphQLEnumType)),
            default=0,
        ),
        ("__Type", "inputFields"): max(
            (len(t.fields) for t in types if isinstance(t, GraphQLInputObjectType)), default=0
        ),
        ("__Field", "args"): max((len(f.args) for f in all_fields), default=0),
        ("__Directive", "args"): max((len(d.args) for d in schema.directives), default=0),
    }


# -- sizes -------------------------------------------------------------------------------


_TOO_DEEP = 1 << 62


def json_size(value: Any, limit: int) -> int:
    """About how many bytes `value` takes as JSON, counted only until it passes `limit`
    (then any larger number is returned); _TOO_DEEP when nested past VARIABLES_DEPTH."""
    size = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > VARIABLES_DEPTH:
            return _TOO_DEEP
        if isinstance(item, str):
            size += len(item.encode("utf-8", "surrogatepass")) + 2
        elif isinstance(item, dict):
            size += 2
            for key, inner in item.items():
                size += len(str(key)) + 4
                stack.append((inner, depth + 1))
        elif isinstance(item, list | tuple):
            size += 2
            stack.extend((inner, depth + 1) for inner in item)
        else:
            size += 5
        if size > limit:
            return size
    return size
