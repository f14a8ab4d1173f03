"""The committed SDL is what the code serves, covers the contract, and documents itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    build_schema,
)

from spacerace.schema import schema
from tests.schema.contract import missing_from

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT.parent / "shared" / "api-contract.graphql"


def test_committed_sdl_matches_the_code() -> None:
    committed = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert committed == schema.as_str() + "\n", (
        "schema.graphql is out of date: run `python -m spacerace.schema.sdl > schema.graphql`"
    )


def test_the_contract_is_a_subset_of_the_served_schema() -> None:
    if not CONTRACT.exists():
        pytest.skip(f"the public contract is not at {CONTRACT} (shared/ beside the repo)")
    contract = build_schema(CONTRACT.read_text(encoding="utf-8"))
    assert list(missing_from(schema._schema, contract)) == []


def test_every_type_field_and_argument_has_a_description() -> None:
    undocumented = []
    for name, type_ in schema._schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Boolean", "ID", "Float"}:
            continue
        if not type_.description:
            undocumented.append(name)
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in type_.fields.items():
                if not field.description:
                    undocumented.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        undocumented.append(f"{name}.{field_name}({arg_name}:)")
        if isinstance(type_, GraphQLEnumType):
            undocumented += [
                f"{name}.{v}" for v, value in type_.values.items() if not value.description
            ]
    assert undocumented == []
