"""The Node interface and its global IDs ("Mission:voskhod-2", base64-encoded)."""

from __future__ import annotations

import base64
import binascii

import strawberry

NODE_TYPES = ("Program", "Mission", "Person", "Event")


@strawberry.interface(description="An object with a global ID, resolvable through `node(id:)`.")
class Node:
    id: strawberry.ID = strawberry.field(
        description="The global ID: opaque, stable, and unique across all types."
    )


def global_id(type_name: str, slug: str) -> strawberry.ID:
    return strawberry.ID(base64.b64encode(f"{type_name}:{slug}".encode()).decode())


def parse_global_id(value: str) -> tuple[str, str] | None:
    """(type name, slug) for an ID this API made; None for anything else."""
    try:
        type_name, _, slug = base64.b64decode(value, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return (type_name, slug) if type_name in NODE_TYPES and slug else None
