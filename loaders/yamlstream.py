"""YAML read from parser events, with bounded alias expansion and small memory.

PyYAML's usual path composes the whole node tree (every scalar a node with two
position marks) and then builds the data from it: for a 103 MB seed file the
tree alone took gigabytes. Here the data is built straight from the parser's
events (libyaml's where available), keeping only the line where each top-level
entry starts, so memory is the data itself plus one event.

Aliases are resolved to the anchored value (shared, as PyYAML does), and the
expanded size of the document is counted as it is read: a document whose
aliases would make it more than `ALIAS_GROWTH` times its own nodes (plus
`ALIAS_ALLOWANCE`) is refused at the alias that crosses the bound, so a
"billion laughs" bomb is a clear error after a few hundred events. An alias to
a node that contains it is refused too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any

import yaml

try:
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

ALIAS_GROWTH = 10
ALIAS_ALLOWANCE = 100_000
_DEFAULT = {
    yaml.SequenceStartEvent: "tag:yaml.org,2002:seq",
    yaml.MappingStartEvent: "tag:yaml.org,2002:map",
}


class YamlRefused(Exception):
    """The document is valid YAML but is not accepted (aliases, tags)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Parsed:
    data: Any
    key_lines: dict[Any, int] = field(default_factory=dict)
    """For a top-level mapping: the line of each key."""
    item_lines: list[int] = field(default_factory=list)
    """For a top-level list: the line where each item starts."""


def parse(stream: str | IO[bytes]) -> Parsed:
    """The single document in `stream` (text, or a binary file read a chunk at a
    time). Raises yaml.YAMLError for invalid YAML (yaml.reader.ReaderError for
    bytes that are not UTF-8) and YamlRefused for what is refused."""
    loader = _Loader(stream)
    try:
        return _Builder(loader).document()
    finally:
        loader.dispose()


class _Builder:
    def __init__(self, loader: Any) -> None:
        self.loader: Any = loader  # PyYAML's stubs type its events loosely
        self.anchors: dict[str, tuple[Any, int] | None] = {}
        self.distinct = 0
        self.expanded = 0

    def document(self) -> Parsed:
        loader = self.loader
        loader.get_event()  # StreamStart
        if loader.check_event(yaml.StreamEndEvent):
            return Parsed(None)
        loader.get_event()  # DocumentStart
        parsed = Parsed(None)
        if loader.check_event(yaml.SequenceStartEvent) and not self._anchored():
            loader.get_event()
            items = []
            while not loader.check_event(yaml.SequenceEndEvent):
                parsed.item_lines.append(loader.peek_event().start_mark.line + 1)
                items.append(self.value()[0])
            loader.get_event()
            parsed.data = items
        elif loader.check_event(yaml.MappingStartEvent) and not self._anchored():
            loader.get_event()
            mapping: dict[Any, Any] = {}
            while not loader.check_event(yaml.MappingEndEvent):
                line = loader.peek_event().start_mark.line + 1
                key = self._key()
                parsed.key_lines[key] = line
                mapping[key] = self.value()[0]
            loader.get_event()
            parsed.data = mapping
        else:
            parsed.data = self.value()[0]
        loader.get_event()  # DocumentEnd
        if not loader.check_event(yaml.StreamEndEvent):
            line = loader.peek_event().start_mark.line + 1
            raise YamlRefused(line, "holds more than one YAML document")
        return parsed

    def _anchored(self) -> bool:
        return getattr(self.loader.peek_event(), "anchor", None) is not None

    def _key(self) -> Any:
        start = self.loader.peek_event()
        key = self.value()[0]
        try:
            hash(key)
        except TypeError:
            raise YamlRefused(
                start.start_mark.line + 1, "has a mapping key that is not a value"
            ) from None
        return key

    def value(self) -> tuple[Any, int]:
        """The next value and its expanded size in nodes."""
        loader = self.loader
        event: Any = loader.get_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                raise YamlRefused(line, f"uses the undefined alias *{event.anchor}")
            found = self.anchors[event.anchor]
            if found is None:
                raise YamlRefused(
                    line, "is not accepted: an alias refers to the node that contains it"
                )
            value, size = found
            self.expanded += size  # the alias stands for a whole copy of the node
            limit = ALIAS_GROWTH * self.distinct + ALIAS_ALLOWANCE
            if self.expanded > limit:
                raise YamlRefused(
                    line,
                    f"is not accepted: its aliases expand {self.distinct:,} YAML nodes to more "
                    f"than {limit:,} (an alias bomb?); write the data out instead",
                )
            return value, size
        self.distinct += 1
        self.expanded += 1
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self.anchors[anchor] = None  # being built: an alias to it now is a cycle
        if isinstance(event, yaml.ScalarEvent):
            value, size = self._scalar(event), 1
        elif isinstance(event, yaml.SequenceStartEvent):
            self._plain_tag(event, line)
            items, size = [], 1
            while not loader.check_event(yaml.SequenceEndEvent):
                item, item_size = self.value()
                items.append(item)
                size += item_size
            loader.get_event()
            value = items
        elif isinstance(event, yaml.MappingStartEvent):
            self._plain_tag(event, line)
            mapping: dict[Any, Any] = {}
            size = 1
            while not loader.check_event(yaml.MappingEndEvent):
                key = self._key()
                if key == "<<":
                    raise YamlRefused(line, "uses a merge key (<<), which seed files may not")
                mapping[key], item_size = self.value()
                size += 1 + item_size
            loader.get_event()
            value = mapping
        else:  # pragma: no cover - the parser yields no other event here
            raise YamlRefused(line, f"has an unexpected {type(event).__name__}")
        if anchor is not None:
            self.anchors[anchor] = (value, size)
        return value, size

    def _plain_tag(self, event: Any, line: int) -> None:
        if event.tag not in (None, "!", _DEFAULT[type(event)]):
            raise YamlRefused(line, f"uses the tag {event.tag}, which seed files may not")

    def _scalar(self, event: Any) -> Any:
        loader = self.loader
        tag = event.tag
        if tag is None or tag == "!":
            tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
        construct = loader.yaml_constructors.get(tag)
        if construct is None:
            raise YamlRefused(
                event.start_mark.line + 1, f"uses the tag {tag}, which seed files may not"
            )
        return construct(loader, node)
