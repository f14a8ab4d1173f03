"""Compare the served schema with the public contract."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
)


def missing_from(served: GraphQLSchema, contract: GraphQLSchema) -> Iterator[str]:
    """Everything the contract has that the served schema lacks or types differently."""
    for name, wanted in contract.type_map.items():
        if name.startswith("__"):
            continue
        have = served.type_map.get(name)
        if have is None:
            yield f"type {name} is missing"
            continue
        if not isinstance(have, type(wanted)):
            yield f"{name} is a {type(have).__name__}, not a {type(wanted).__name__}"
            continue
        if isinstance(wanted, GraphQLEnumType):
            yield from (f"{name}.{v} is missing" for v in set(wanted.values) - set(have.values))
        if isinstance(wanted, GraphQLUnionType):
            wanted_members = {t.name for t in wanted.types}
            have_members = {t.name for t in have.types}  # type: ignore[attr-defined]
            yield from (f"{name} lacks member {m}" for m in wanted_members - have_members)
        if isinstance(wanted, GraphQLObjectType | GraphQLInterfaceType):
            have_interfaces = {i.name for i in have.interfaces}  # type: ignore[attr-defined]
            for interface in wanted.interfaces:
                if interface.name not in have_interfaces:
                    yield f"{name} does not implement {interface.name}"
        if isinstance(wanted, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            yield from _fields(name, have, wanted)


def _fields(name: str, have: object, wanted: object) -> Iterator[str]:
    have_fields = have.fields  # type: ignore[attr-defined]
    for field_name, field in wanted.fields.items():  # type: ignore[attr-defined]
        served = have_fields.get(field_name)
        if served is None:
            yield f"{name}.{field_name} is missing"
            continue
        if str(served.type) != str(field.type):
            yield f"{name}.{field_name} is {served.type}, not {field.type}"
        for arg_name, arg in getattr(field, "args", {}).items():
            served_arg = served.args.get(arg_name)
            if served_arg is None:
                yield f"{name}.{field_name}({arg_name}:) is missing"
            elif str(served_arg.type) != str(arg.type):
                yield f"{name}.{field_name}({arg_name}:) is {served_arg.type}, not {arg.type}"
