"""The seed loader: the curated YAML files under `seeds/`, and JSON files of the
same shapes (what `spacerace generate` writes)."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import Any

import orjson
import yaml

from spacerace.loaders import yamlstream
from spacerace.loaders.problems import Problem
from spacerace.loaders.records import Curated, Part, RawDataset, Record, SourceDefinition
from spacerace.loaders.yamlstream import Parsed
from spacerace.store.layout import SEEDS, of_sources

FOLDERS = ("sources", *of_sources({SEEDS}))
SUFFIXES = {".yaml", ".yml", ".json"}


class SeedLoader:
    """Reads a seeds folder (sources/, programs/, missions/, persons/, events/)
    or a single YAML or JSON file inside one of those folders."""

    source = SEEDS

    def accepts(self, path: str) -> bool:
        target = Path(path)
        if target.is_dir():
            return any((target / folder).is_dir() for folder in FOLDERS)
        return target.suffix in SUFFIXES and target.parent.name in FOLDERS

    def parts(self, path: str, curated: Curated | None = None) -> list[Part]:
        """One part per file, sources first."""
        target = Path(path)
        files = (
            [f for folder in FOLDERS for f in sorted(_seed_files(target / folder))]
            if target.is_dir()
            else [target]
        )
        return [Part(file.parent.name, partial(read_file, file)) for file in files]


def _seed_files(folder: Path) -> list[Path]:
    return [f for f in folder.glob("*") if f.suffix in SUFFIXES and f.is_file()]


class _Unreadable(Exception):
    """A file that is not text of its format: the message, and the line if known."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _Lines:
    """Where each top-level entry of a parsed file starts. A JSON file has no
    positions (orjson gives none), so every line is 0 and problems name the file,
    record index and slug instead."""

    def __init__(self, parsed: Parsed | None = None) -> None:
        self._parsed = parsed

    def of_keys(self) -> dict[Any, int]:
        return dict(self._parsed.key_lines) if self._parsed else {}

    def of_items(self, count: int) -> list[int]:
        if self._parsed is None or len(self._parsed.item_lines) != count:
            return [0] * count
        return list(self._parsed.item_lines)


def read_file(file: Path) -> RawDataset:
    """One seed file, its kind given by the folder it is in, its format by its suffix."""
    name = _display(file)
    dataset = RawDataset()
    try:
        data, lines = _parse_json(file) if file.suffix == ".json" else _parse_yaml(file)
    except _Unreadable as error:
        dataset.problems.append(Problem(name, error.line, "", "", error.message))
        return dataset
    kind = file.parent.name
    if kind == "sources":
        _read_sources(name, lines, data, dataset)
    else:
        _read_records(kind, name, lines, data, dataset)
    return dataset


def _read_sources(name: str, lines: _Lines, data: Any, dataset: RawDataset) -> None:
    if data is None:
        return
    if not isinstance(data, dict):
        dataset.problems.append(Problem(name, 1, "", "", "must be a mapping of source keys"))
        return
    key_lines = lines.of_keys()
    for key, value in data.items():
        dataset.sources.append(SourceDefinition(str(key), name, key_lines.get(key, 0), value))


def _read_records(kind: str, name: str, lines: _Lines, data: Any, dataset: RawDataset) -> None:
    if data is None:
        return
    if not isinstance(data, list):
        dataset.problems.append(Problem(name, 1, "", "", f"must be a list of {kind} records"))
        return
    item_lines = lines.of_items(len(data))
    for index, (line, item) in enumerate(zip(item_lines, data, strict=True), start=1):
        if not isinstance(item, dict):
            dataset.problems.append(Problem(name, line, f"record {index}", "", "is not a mapping"))
            continue
        dataset.records.append(Record(kind, name, line, index, item))


def _parse_yaml(file: Path) -> tuple[Any, _Lines]:
    """The data a YAML file holds, and where its entries start (see `yamlstream`)."""
    try:
        with file.open("rb") as stream:  # read by the parser a chunk at a time
            parsed = yamlstream.parse(stream)
    except yaml.reader.ReaderError as error:
        raise _Unreadable(0, f"is not UTF-8: {error}") from None
    except yamlstream.YamlRefused as error:
        raise _Unreadable(error.line, error.message) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise _Unreadable(mark.line + 1 if mark else 0, f"is not valid YAML: {error}") from None
    return parsed.data, _Lines(parsed)


def _parse_json(file: Path) -> tuple[Any, _Lines]:
    """The data a JSON file holds (no line numbers: see `_Lines`)."""
    raw = file.read_bytes()
    try:
        return orjson.loads(raw), _Lines()
    except orjson.JSONDecodeError as error:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as not_utf8:
            raise _Unreadable(0, f"is not UTF-8: {not_utf8}") from None
        raise _Unreadable(error.lineno, f"is not valid JSON: {error}") from None


def _display(file: Path) -> str:
    """A path as a person would type it: relative to the working folder if inside it."""
    try:
        relative = os.path.relpath(file)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(file)
    return str(file.resolve()) if relative.startswith("..") else relative
