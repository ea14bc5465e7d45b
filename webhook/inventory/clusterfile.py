"""A ClusterView from a file, for local runs and tests: no API server, nothing kept up to date.

Accepted: what `kubectl get nodes -o json` (or `-o yaml`) prints, a v1 List; a List mixing Nodes,
StorageClasses, PriorityClasses, DaemonSets, Deployments, BackupStorageLocations and
BackupRepositories (`kubectl get nodes,storageclasses,priorityclasses` and `kubectl get
ds,deploy,bsl,backuprepositories -A` merged into one List); several such documents one
after another (YAML `---`, or JSON objects simply concatenated); or a single object.

A part of the view is known only if the file says something about that kind: at least one object
of it, or a typed list such as an empty `NodeList`. A file of Nodes alone leaves StorageClasses
unknown (their checks are skipped) rather than empty (every storageClass would be "not found").
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import orjson
import yaml

from webhook.engine import BackupRepositoryInfo, ClusterView, StorageClassInfo, VeleroWorkload
from webhook.inventory.errors import ClusterFileError
from webhook.inventory.nodeindex import NodeIndex
from webhook.inventory.projection import (
    node_labels,
    priority_class,
    repository,
    storage_class,
    storage_location,
    workload,
)

KINDS = (
    "Node",
    "StorageClass",
    "PriorityClass",
    "DaemonSet",
    "Deployment",
    "BackupStorageLocation",
    "BackupRepository",
)
WORKLOADS = ("DaemonSet", "Deployment")


def load_cluster_file(path: str | Path) -> ClusterView:
    """Raises ClusterFileError naming the file and the problem; the CLI prints it and exits 2."""
    where = str(path)
    documents = _documents(where, _read(where))
    found = _Found()
    for document in documents:
        found.add_document(where, document)
    return found.view()


def _read(where: str) -> str:
    try:
        return Path(where).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ClusterFileError(where, "no such file") from None
    except IsADirectoryError:
        raise ClusterFileError(where, "is a directory, not a file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ClusterFileError(where, f"cannot read: {exc}") from None


def _documents(where: str, text: str) -> list[Any]:
    """JSON when it looks like JSON (fast for 10,000 nodes), YAML otherwise."""
    stripped = text.lstrip()
    if not stripped:
        raise ClusterFileError(where, "is empty")
    if stripped[0] in "{[":
        try:
            return list(_json_documents(stripped))
        except ValueError as exc:
            raise ClusterFileError(where, f"invalid JSON: {exc}") from None
    try:
        return [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError as exc:
        raise ClusterFileError(where, f"invalid YAML: {exc}") from None


def _json_documents(text: str) -> Iterator[Any]:
    try:
        yield orjson.loads(text)
        return
    except orjson.JSONDecodeError:
        pass  # maybe several documents one after another: `kubectl ... -o json; kubectl ... -o json`
    decoder, position = json.JSONDecoder(), 0
    while position < len(text):
        document, end = decoder.raw_decode(text, position)
        yield document
        position = _skip_space(text, end)


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position


@dataclass
class _Found:
    """What the documents said, by kind; `seen` records which kinds they mentioned at all."""

    nodes: list[tuple[str, Mapping[str, str]]] = field(default_factory=list)
    storage_classes: dict[str, StorageClassInfo] = field(default_factory=dict)
    priority_classes: set[str] = field(default_factory=set)
    workloads: list[VeleroWorkload] = field(default_factory=list)
    storage_locations: set[tuple[str, str]] = field(default_factory=set)
    repositories: list[BackupRepositoryInfo] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def add_document(self, where: str, document: Any) -> None:
        if not isinstance(document, dict):
            raise ClusterFileError(where, f"expected a Kubernetes object or List, found {_type(document)}")
        kind = document.get("kind")
        if isinstance(kind, str) and kind.endswith("List") and kind[: -len("List")] in KINDS:
            self.seen.add(kind[: -len("List")])  # a typed list says "these are all of them", even empty
        if "items" not in document:
            self._add(where, document)
            return
        items = document["items"]
        if not isinstance(items, list):
            raise ClusterFileError(where, f"`items` must be a list, found {_type(items)}")
        for item in items:
            self._add(where, item)

    def _add(self, where: str, obj: Any) -> None:
        kind = obj.get("kind") if isinstance(obj, dict) else None
        if not isinstance(kind, str):
            raise ClusterFileError(where, "every object needs a `kind` (is this a Kubernetes List?)")
        if kind in KINDS:
            self.seen.add(kind)
            self._keep(kind, obj)
        # Other kinds (Pods, ConfigMaps, ...) may ride along in a mixed List; they say nothing here.

    def _keep(self, kind: str, obj: Any) -> None:
        if kind == "Node" and (entry := node_labels(obj)) is not None:
            self.nodes.append(entry)
        elif kind == "StorageClass" and (info := storage_class(obj)) is not None:
            self.storage_classes[info.name] = info
        elif kind == "PriorityClass" and (name := priority_class(obj)) is not None:
            self.priority_classes.add(name)
        elif kind in WORKLOADS and (found := workload(obj, kind)) is not None:
            self.workloads.append(found)
        elif kind == "BackupStorageLocation" and (location := storage_location(obj)) is not None:
            self.storage_locations.add(location)
        elif kind == "BackupRepository" and (repo := repository(obj)) is not None:
            self.repositories.append(repo)

    def view(self) -> ClusterView:
        return ClusterView(
            nodes=NodeIndex.build(self.nodes) if "Node" in self.seen else None,
            storage_classes=MappingProxyType(self.storage_classes) if "StorageClass" in self.seen else None,
            priority_classes=frozenset(self.priority_classes) if "PriorityClass" in self.seen else None,
            workloads=tuple(self.workloads) if self.seen & set(WORKLOADS) else None,
            storage_locations=frozenset(self.storage_locations)
            if "BackupStorageLocation" in self.seen
            else None,
            repositories=tuple(self.repositories) if "BackupRepository" in self.seen else None,
        )


def _type(value: Any) -> str:
    return "null" if value is None else type(value).__name__
