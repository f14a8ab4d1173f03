"""Which fragments of a selection set apply to an object type: the rule both the
compiled executor's planner and the cost estimate follow, as execution does."""

from __future__ import annotations

from graphql import (
    FragmentDefinitionNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    is_abstract_type,
)


def applies(
    schema: GraphQLSchema,
    fragment: FragmentDefinitionNode | InlineFragmentNode,
    type_: GraphQLObjectType,
) -> bool:
    """Whether `fragment`'s type condition holds for objects of `type_`: none, the type
    itself, or an interface or union the type belongs to."""
    condition = fragment.type_condition
    if condition is None or condition.name.value == type_.name:
        return True
    abstract = schema.get_type(condition.name.value)
    return (
        abstract is not None and is_abstract_type(abstract) and schema.is_sub_type(abstract, type_)
    )
