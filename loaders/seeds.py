"""The seed loader: the curated YAML files under `seeds/`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from loaders.problems import Problem
from loaders.records import COLLECTIONS, RawDataset, Record, SourceDefinition

try:
    _YamlLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _YamlLoader = yaml.SafeLoader

FOLDERS = ("sources", *COLLECTIONS)


class SeedLoader:
    """Reads a seeds folder (sources/, programs/, missions/, persons/, events/)
    or a single YAML file inside one of those folders."""

    def accepts(self, path: str) -> bool:
        target = Path(path)
        if target.is_dir():
            return any((target / folder).is_dir() for folder in FOLDERS)
        return target.suffix in {".yaml", ".yml"} and target.parent.name in FOLDERS

    def read(self, path: str) -> RawDataset:
        target = Path(path)
        files = (
            sorted(f for folder in FOLDERS for f in _yaml_files(target / folder))
            if target.is_dir()
            else [target]
        )
        dataset = RawDataset()
        for file in files:
            dataset.extend(read_file(file))
        return dataset


def _yaml_files(folder: Path) -> list[Path]:
    return [f for f in folder.glob("*.y*ml") if f.suffix in {".yaml", ".yml"}]


def read_file(file: Path) -> RawDataset:
    """One seed file, its kind given by the folder it is in."""
    name = _display(file)
    dataset = RawDataset()
    try:
        node, data = _parse(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        dataset.problems.append(Problem(name, 0, "", "", f"is not UTF-8: {error}"))
        return dataset
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        dataset.problems.append(Problem(name, line, "", "", f"is not valid YAML: {error}"))
        return dataset
    kind = file.parent.name
    if kind == "sources":
        _read_sources(name, node, data, dataset)
    else:
        _read_records(kind, name, node, data, dataset)
    return dataset


def _read_sources(name: str, node: Any, data: Any, dataset: RawDataset) -> None:
    if data is None:
        return
    if not isinstance(data, dict):
        dataset.problems.append(Problem(name, 1, "", "", "must be a mapping of source keys"))
        return
    lines = {key_node.value: key_node.start_mark.line + 1 for key_node, _ in node.value}
    for key, value in data.items():
        dataset.sources.append(SourceDefinition(str(key), name, lines.get(key, 0), value))


def _read_records(kind: str, name: str, node: Any, data: Any, dataset: RawDataset) -> None:
    if data is None:
        return
    if not isinstance(data, list):
        dataset.problems.append(Problem(name, 1, "", "", f"must be a list of {kind} records"))
        return
    for index, (item_node, item) in enumerate(zip(node.value, data, strict=True), start=1):
        line = item_node.start_mark.line + 1
        if not isinstance(item, dict):
            dataset.problems.append(Problem(name, line, f"record {index}", "", "is not a mapping"))
            continue
        dataset.records.append(Record(kind, name, line, index, item))


def _parse(text: str) -> tuple[Any, Any]:
    """The YAML node tree (for line numbers) and the data it holds."""
    loader = _YamlLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return node, data


def _display(file: Path) -> str:
    """A path as a person would type it: relative to the working folder if inside it."""
    try:
        relative = os.path.relpath(file)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(file)
    return str(file.resolve()) if relative.startswith("..") else relative
