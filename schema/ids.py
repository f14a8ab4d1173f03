"""Global IDs: "Mission:voskhod-2", base64-encoded, opaque to clients."""

from __future__ import annotations

import base64
import binascii

import strawberry


def global_id(type_name: str, slug: str) -> strawberry.ID:
    return strawberry.ID(base64.b64encode(f"{type_name}:{slug}".encode()).decode())


def parse_global_id(value: str) -> tuple[str, str] | None:
    """(type name, slug) of an ID of this shape; None for anything else."""
    try:
        type_name, _, slug = base64.b64decode(value, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return (type_name, slug) if type_name and slug else None
