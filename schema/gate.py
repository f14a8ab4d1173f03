"""The one way into the schema: parse, validate, apply the request rules, choose an
executor, and shape every error.

HTTP (GET and POST), `schema.execute` in tests and the benchmarks all pass
through `Gate.run`, so a rule added here holds for every request and both
executors. The compiled executor answers what it fully understands; anything
else, and any surprise inside it, is answered by graphql-core, the reference.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from inspect import isawaitable
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    ExecutionResult,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    execute,
)
from graphql.execution.values import VariableValues, get_variable_values
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from spacerace.schema import compiled, errors
from spacerace.schema.answers import Encoded, Tag, answer_tag, operation_digest
from spacerace.schema.context import Context
from spacerace.schema.errors import code_of, coded
from spacerace.schema.limits import Cost, Limits, LimitSettings, SettingsError, Verdict
from spacerace.schema.protocols import Protocols, non_negative_int
from spacerace.store.connection import StoreUnavailable
from spacerace.store.reads import Reader

log = logging.getLogger("spacerace.gate")

EXECUTORS = ("compiled", "reference")


@dataclass(frozen=True)
class GateSettings:
    """How the gate answers. Every setting has a default and an environment variable."""

    executor: str = "compiled"
    """SPACERACE_EXECUTOR: `compiled` (graphql-core where it cannot answer) or
    `reference` (graphql-core for everything)."""
    document_cache_bytes: int = 32 * 1024 * 1024
    """SPACERACE_DOCUMENT_CACHE_BYTES: the parsed and validated documents kept,
    estimated from their query text."""
    limits: LimitSettings = field(default_factory=LimitSettings)
    """What one request may ask for (`schema.limits`: SPACERACE_MAX_COST and the others)."""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> GateSettings:
        env = os.environ if env is None else env
        executor = env.get("SPACERACE_EXECUTOR", "").strip() or cls.executor
        if executor not in EXECUTORS:
            raise SettingsError(
                f"SPACERACE_EXECUTOR must be one of {', '.join(EXECUTORS)}, got {executor!r}"
            )
        return cls(
            executor=executor,
            document_cache_bytes=non_negative_int(
                env, "SPACERACE_DOCUMENT_CACHE_BYTES", cls.document_cache_bytes
            ),
            limits=LimitSettings.from_env(env),
        )


@dataclass
class Request:
    """A GraphQL request, whatever carried it."""

    query: Any
    variables: Any = None
    operation_name: Any = None
    extensions: Any = None
    http_method: str = "POST"
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    revalidate: frozenset[str] = frozenset()
    """Answer tags (ETags) the client already holds, "*" for any (HTTP If-None-Match):
    when the answer's tag is one of them, the gate says so without executing."""


@dataclass
class Answer:
    """What the gate made of a request."""

    data: dict[str, Any] | None
    errors: list[GraphQLError]
    operation_name: str | None = None
    executor: str | None = None
    """Which executor answered; None when the request never reached one."""
    request_error: bool = False
    """True when nothing was executed: the request itself was wrong."""
    # -- protocols (issue 9) --
    etag: str | None = None
    """The answer's tag when it is a success read from a known dataset version: the
    same dataset, operation and variables always have the same tag."""
    encoded: Encoded | None = None
    """The answer encoded as JSON, when the gate encoded it (to cache it)."""
    not_modified: bool = False
    """The client already holds this answer (its tag was in `Request.revalidate`)."""
    cost: Cost | None = None
    """What the operation was estimated to return (sent as `extensions.cost`)."""

    @property
    def unavailable(self) -> bool:
        return any(code_of(e) == errors.SERVICE_UNAVAILABLE for e in self.errors)

    def json(self) -> bytes:
        """`formatted()` as JSON bytes, encoded once."""
        if self.encoded is not None:
            return self.encoded.json
        return orjson.dumps(self.formatted())

    def formatted(self) -> dict[str, Any]:
        """The answer as JSON, as GraphQL over HTTP sends it."""
        out: dict[str, Any] = {}
        if not self.request_error:
            out["data"] = self.data
        if self.errors:
            out["errors"] = [error.formatted for error in self.errors]
        if self.cost is not None:
            out["extensions"] = {"cost": self.cost.formatted()}
        return out


class _CachedAnswer(Answer):
    """An answer from the answer cache: its JSON, decoded only when `data` is asked for
    (HTTP sends the JSON as it is)."""

    _decoded: dict[str, Any] | None = None

    @property
    def data(self) -> dict[str, Any] | None:
        if self._decoded is None and self.encoded is not None:
            self._decoded = orjson.loads(self.encoded.json)["data"]
        return self._decoded

    @data.setter
    def data(self, value: dict[str, Any] | None) -> None:
        self._decoded = value


@dataclass
class _Prepared:
    """A parsed document: its validation errors, and its plans by operation name."""

    document: DocumentNode | None
    errors: list[GraphQLError]
    size: int
    """About how many bytes it holds (see _DocumentCache)."""
    plans: dict[str | None, compiled.Plan | compiled.Unsupported] = field(default_factory=dict)
    digests: dict[str | None, bytes] = field(default_factory=dict)
    """By operation name: the digest of the operation as it runs (issue 9, answer tags)."""
    verdicts: dict[str | None, Verdict] = field(default_factory=dict)
    """The limits' verdicts by operation name, where no variable changes them."""
    kinds: dict[str | None, OperationType] = field(default_factory=dict)
    """Each operation's kind by name, kept even when the document is refused (a GET
    mutation is 405 whatever else is wrong with it); None names a lone operation."""


class _DocumentCache:
    """Parsed and validated documents by query text, bounded by an estimate of the
    memory they hold: the text's length times what an AST, its validation and its
    plans cost per character (measured with tracemalloc by tests/schema/test_limits.py:
    70 to 190 bytes), and what its errors hold."""

    AST_BYTES_PER_CHARACTER = 200
    ERROR_BYTES = 2_000

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self._entries: OrderedDict[str, _Prepared] = OrderedDict()

    def get(self, query: str) -> _Prepared | None:
        found = self._entries.get(query)
        if found is not None:
            self._entries.move_to_end(query)
        return found

    def put(self, query: str, prepared: _Prepared) -> None:
        if prepared.size > self.max_bytes:
            return
        self._entries[query] = prepared
        self.bytes += prepared.size
        while self.bytes > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self.bytes -= evicted.size


class Gate:
    """Answers GraphQL requests against one schema."""

    def __init__(
        self,
        schema: GraphQLSchema,
        settings: GateSettings | None = None,
        protocols: Protocols | None = None,
    ) -> None:
        self.schema = schema
        self.settings = settings or GateSettings()
        self.protocols = protocols or Protocols()
        """Persisted queries, trusted documents and the answer cache (issue 9)."""
        self.limits = Limits(schema, self.settings.limits)
        self._documents = _DocumentCache(self.settings.document_cache_bytes)
        self._fallbacks_logged: set[tuple[str, str | None]] = set()

    async def run(self, request: Request, reader: Reader) -> Answer:
        """The answer to `request`, reading through `reader`. Never raises for
        anything a client sent or the database did."""
        try:
            answer = await self._run(request, reader)
        except Exception:
            log.exception("unexpected error [request %s]", request.request_id)
            return Answer(None, [self._internal(request.request_id)], executor=None)
        _log_refusal(answer, request.request_id)
        return answer

    async def _run(self, request: Request, reader: Reader) -> Answer:
        # -- protocols hook (issue 9): documents by hash, before anything is parsed --
        resolved = self.protocols.document(request.query, request.extensions)
        if isinstance(resolved, GraphQLError):
            return Answer(None, [resolved], request_error=True)
        if resolved is not None:
            request.query = resolved.query
        # -- end of the protocols hook --
        problem = _shape_problem(request)
        if problem is not None:
            return _refused(problem, errors.BAD_REQUEST)
        query: str = request.query
        too_large = self.limits.check_request(query, request.variables)
        if too_large is not None:
            return Answer(None, [too_large], request_error=True)
        prepared = self._prepare(query)
        # -- protocols hook (issue 9): GET runs queries only (GraphQL over HTTP) --
        refused = _method_refusal(prepared, request)
        if refused is not None:
            return refused
        # -- end of the protocols hook --
        if prepared.errors:
            return Answer(None, prepared.errors, request_error=True)
        assert prepared.document is not None
        operation, fragments = _operation(prepared.document, request.operation_name)
        if isinstance(operation, GraphQLError):
            return Answer(None, [operation], request_error=True)
        name = operation.name.value if operation.name else None
        if operation.operation is not OperationType.QUERY:
            error = GraphQLError(f"This API serves queries only, not {operation.operation.value}s.")
            return Answer(None, [coded(error, errors.BAD_REQUEST)], name, request_error=True)
        variables = get_variable_values(
            self.schema,
            operation.variable_definitions or (),
            request.variables or {},
            hide_suggestions=self.limits.hide_suggestions,
        )
        if not isinstance(variables, VariableValues):
            found = [coded(e, errors.BAD_USER_INPUT) for e in variables]
            return Answer(None, found, name, request_error=True)
        # -- protocols hook (issue 9): remember an APQ document --
        self.protocols.remember(resolved)
        # -- end of the protocols hook --
        verdict = prepared.verdicts.get(name)
        if verdict is None:
            verdict = self.limits.check_operation(operation, fragments, variables)
            if verdict.reusable:
                prepared.verdicts[name] = verdict
        cost = verdict.cost
        if verdict.errors:
            return Answer(None, verdict.errors, name, request_error=True, cost=cost)
        # -- protocols hook (issue 9): the answer's tag, revalidation and the answer cache --
        tag = self._tag(prepared, operation, fragments, variables, reader)
        if tag is not None:
            if tag.key in request.revalidate or "*" in request.revalidate:
                return Answer(
                    None, [], name, executor="cache", etag=tag.key, not_modified=True, cost=cost
                )
            hit = self.protocols.answers.get(tag)
            if hit is not None:
                return _CachedAnswer(None, [], name, "cache", etag=tag.key, encoded=hit, cost=cost)
        # -- end of the protocols hook --
        try:
            async with self.limits.deadline():
                answer = await self._execute(
                    prepared, operation, fragments, variables, reader, request, cost
                )
        except TimeoutError:
            answer = Answer(None, [self.limits.deadline_error()], name)
        answer.cost = cost
        return self._keep(tag, answer)  # protocols hook (issue 9)

    async def _execute(
        self,
        prepared: _Prepared,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
        variables: VariableValues,
        reader: Reader,
        request: Request,
        cost: Cost,
    ) -> Answer:
        assert prepared.document is not None
        name = operation.name.value if operation.name else None
        if self.settings.executor == "compiled":
            answer = await self._compiled(
                prepared, operation, fragments, variables, reader, request
            )
            if isinstance(answer, Answer):
                return answer
            refused = self.limits.check_fallback(cost, answer)
            if refused is not None:
                return Answer(None, [refused], name, request_error=True)
        return await self._reference(prepared.document, name, request, reader)

    # -- protocols hook (issue 9): answer tags and the answer cache ------------------

    def _tag(
        self,
        prepared: _Prepared,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
        variables: VariableValues,
        reader: Reader,
    ) -> Tag | None:
        """The answer's tag, from the dataset version the request reads (None while
        the version is unknown: nothing is tagged or cached then)."""
        version = reader.snapshot.version
        if version is None:
            return None
        name = operation.name.value if operation.name else None
        digest = prepared.digests.get(name)
        if digest is None:
            digest = prepared.digests[name] = operation_digest(operation, fragments)
        return answer_tag(version, digest, variables.coerced)

    def _keep(self, tag: Tag | None, answer: Answer) -> Answer:
        """A successful answer, tagged, encoded and cached; any other as it is."""
        if tag is None or answer.errors or answer.data is None:
            return answer
        answer.etag = tag.key
        answer.encoded = self.protocols.answers.put(tag, orjson.dumps(answer.formatted()))
        return answer

    # -- end of the protocols hook -------------------------------------------------

    def _prepare(self, query: str) -> _Prepared:
        found = self._documents.get(query)
        if found is not None:
            return found
        # A refusal is decided once, and kept: a syntax error holds only the text,
        # other errors hold the document's nodes.
        try:
            document = self.limits.parse(query)
        except GraphQLError as error:
            error = coded(error.with_traceback(None), errors.PARSE_FAILED)
            prepared = _Prepared(None, [error], len(query) + _DocumentCache.ERROR_BYTES)
        else:
            problems = self.limits.check_document(document) or [
                coded(e, errors.VALIDATION_FAILED) for e in self.limits.validate(document)
            ]
            size = len(query) * _DocumentCache.AST_BYTES_PER_CHARACTER
            size += _DocumentCache.ERROR_BYTES * len(problems)
            prepared = _Prepared(None if problems else document, problems, size)
            prepared.kinds = _kinds(document)
        self._documents.put(query, prepared)
        return prepared

    async def _compiled(
        self,
        prepared: _Prepared,
        operation: OperationDefinitionNode,
        fragments: dict[str, FragmentDefinitionNode],
        variables: VariableValues,
        reader: Reader,
        request: Request,
    ) -> Answer | str:
        """The compiled executor's answer, or why graphql-core must answer instead."""
        name = operation.name.value if operation.name else None
        plan = prepared.plans.get(name)
        if plan is None:
            try:
                plan = compiled.Compiler(self.schema, operation, fragments).root()
            except compiled.Unsupported as unsupported:
                plan = unsupported
            prepared.plans[name] = plan
        if isinstance(plan, compiled.Unsupported):
            self._fell_back(name, str(plan), query=request.query)
            return str(plan)
        try:
            data = await compiled.execute(plan, reader, variables)
        except compiled.Unsupported as unsupported:
            self._fell_back(name, str(unsupported), query=request.query)
            return str(unsupported)
        except StoreUnavailable as error:
            return Answer(None, [self._unavailable(error)], name, executor="compiled")
        except Exception:
            log.exception(
                "compiled executor failed on %s; graphql-core answers [request %s]",
                name or "an anonymous operation",
                request.request_id,
            )
            return "the compiled executor failed"
        return Answer(data, [], name, executor="compiled")

    async def _reference(
        self, document: DocumentNode, name: str | None, request: Request, reader: Reader
    ) -> Answer:
        result = execute(
            self.schema,
            document,
            context_value=Context(reader),
            variable_values=request.variables or {},
            operation_name=name,
            executor_class=StrawberryGraphQLCoreExecutionContext,
            hide_suggestions=self.limits.hide_suggestions,
        )
        if isawaitable(result):
            result = await result
        assert isinstance(result, ExecutionResult)
        shaped = [self._shaped(error, request.request_id) for error in result.errors or []]
        return Answer(result.data, shaped, name, executor="reference")

    def _shaped(self, error: GraphQLError, request_id: str) -> GraphQLError:
        """What a client may see of an error raised while executing."""
        original = error.original_error
        if isinstance(original, StoreUnavailable):
            return self._unavailable(original, error)
        if isinstance(original, GraphQLError) and code_of(original):
            return coded(error, code_of(original) or errors.BAD_USER_INPUT)
        if original is None:
            return coded(error, errors.INTERNAL_SERVER_ERROR)
        log.error(
            "error at %s [request %s]",
            ".".join(map(str, error.path or [])),
            request_id,
            exc_info=(type(original), original, original.__traceback__),
        )
        return self._internal(request_id, error)

    def _unavailable(
        self, error: StoreUnavailable, located: GraphQLError | None = None
    ) -> GraphQLError:
        log.warning("database unavailable: %s", error)
        return GraphQLError(
            f"The database is not available ({error}); try again shortly.",
            path=located.path if located else None,
            extensions={"code": errors.SERVICE_UNAVAILABLE},
        )

    def _internal(self, request_id: str, located: GraphQLError | None = None) -> GraphQLError:
        return GraphQLError(
            f"Internal server error (request {request_id}).",
            nodes=located.nodes if located else None,
            path=located.path if located else None,
            extensions={"code": errors.INTERNAL_SERVER_ERROR, "requestId": request_id},
        )

    def _fell_back(self, name: str | None, reason: str, *, query: str) -> None:
        """Log once per operation that graphql-core answers it, and why."""
        key = (name or f"anonymous:{hash(query)}", reason)
        if key in self._fallbacks_logged:
            return
        if len(self._fallbacks_logged) > 10_000:
            self._fallbacks_logged.clear()
        self._fallbacks_logged.add(key)
        log.info("graphql-core answers %s: %s", name or "an anonymous operation", reason)


def _log_refusal(answer: Answer, request_id: str) -> None:
    """One short line for a request refused as it was sent: what a client got wrong
    is not the server's problem, and is never worth a traceback."""
    if not answer.request_error or not answer.errors:
        return
    first = answer.errors[0]
    more = f" (and {len(answer.errors) - 1:,} more)" if len(answer.errors) > 1 else ""
    message = first.message if len(first.message) <= 200 else first.message[:200] + "…"
    log.info("refused [request %s]: %s: %s%s", request_id, code_of(first), message, more)


def _shape_problem(request: Request) -> str | None:
    if not isinstance(request.query, str) or not request.query.strip():
        return "The request has no query: send the GraphQL document as `query`."
    if request.variables is not None and not isinstance(request.variables, dict):
        return "`variables` must be a JSON object."
    if request.operation_name is not None and not isinstance(request.operation_name, str):
        return "`operationName` must be a string."
    if request.extensions is not None and not isinstance(request.extensions, dict):
        return "`extensions` must be a JSON object."
    return None


def _method_refusal(prepared: _Prepared, request: Request) -> Answer | None:
    """GraphQL over HTTP: a GET (or HEAD) may not run a mutation (nor a subscription),
    whatever else is wrong with the document (protocols hook, issue 9)."""
    if request.http_method not in ("GET", "HEAD"):
        return None
    kind = prepared.kinds.get(request.operation_name)
    if kind is None or kind is OperationType.QUERY:
        return None
    error = GraphQLError(
        f"A {kind.value} cannot be sent with GET: use POST.",
        extensions={"code": errors.METHOD_NOT_ALLOWED},
    )
    return Answer(None, [error], request_error=True)


def _kinds(document: DocumentNode) -> dict[str | None, OperationType]:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    kinds: dict[str | None, OperationType] = {
        d.name.value: d.operation for d in operations if d.name is not None
    }
    if len(operations) == 1:
        kinds[None] = operations[0].operation
    return kinds


def _refused(message: str, code: str) -> Answer:
    return Answer(None, [GraphQLError(message, extensions={"code": code})], request_error=True)


def _operation(
    document: DocumentNode, name: str | None
) -> tuple[OperationDefinitionNode | GraphQLError, dict[str, FragmentDefinitionNode]]:
    """The operation to run, as the spec chooses it, and the document's fragments."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    if name is None:
        if len(operations) == 1:
            return operations[0], fragments
        message = "The document has several operations: say which to run with `operationName`."
    else:
        named = [o for o in operations if o.name and o.name.value == name]
        if named:
            return named[0], fragments
        message = f"The document has no operation named {name!r}."
    error = GraphQLError(message, extensions={"code": errors.OPERATION_RESOLUTION_FAILURE})
    return error, fragments
