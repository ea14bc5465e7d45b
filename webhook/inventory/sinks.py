"""Where reflectors deliver: cells that readers take by reference, changed only through `dispatch`.

Nodes are many and change often, so their index is updated in place, one node per event, and a
relist builds a whole new index in the reflector's thread and swaps it in with one assignment.
StorageClasses, PriorityClasses and Velero's workloads are a handful each: their sink keeps the
projections privately (reflector thread only) and publishes a fresh immutable snapshot per change,
which costs O(objects of that kind) and spares every reader any thought about consistency.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from webhook.engine import BackupRepositoryInfo, StorageClassInfo, VeleroWorkload
from webhook.inventory import gcpause
from webhook.inventory.nodeindex import Dispatch, NodeIndex
from webhook.inventory.projection import (
    metadata,
    node_labels,
    priority_class,
    repository,
    storage_class,
    storage_location,
    workload,
)

T = TypeVar("T")
P = TypeVar("P")
Key = tuple[str, str]  # (namespace, name); namespace "" for cluster-scoped kinds


class Cell(Generic[T]):
    """One published value: None until the first list, then whatever the last dispatch put there."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value: T | None = None

    def setter(self, value: T) -> Callable[[], None]:
        """The mutation to dispatch; the value is built before, in the writer's thread."""

        def assign() -> None:
            self.value = value

        return assign


class NodeSink:
    def __init__(self, cell: Cell[NodeIndex], dispatch: Dispatch) -> None:
        self._cell = cell
        self._dispatch = dispatch

    def keep(self, obj: Any) -> tuple[str, dict[str, str]] | None:
        return node_labels(obj)

    def replace(self, kept: list[tuple[str, dict[str, str]] | None]) -> None:
        entries = (entry for entry in kept if entry is not None)
        with gcpause.paused():
            index = NodeIndex.build(entries)
        gcpause.freeze()
        self._dispatch(self._cell.setter(index))

    def apply(self, event_type: str, obj: Any) -> None:
        entry = node_labels(obj)
        if entry is None:
            return
        name, labels = entry
        if event_type == "DELETED":
            self._dispatch(lambda: self._index().delete(name))
        else:
            self._dispatch(lambda: self._index().upsert(name, labels))

    def _index(self) -> NodeIndex:
        # Read when the mutation runs, not when it is queued, so that an event queued after a
        # relist's swap lands in the new index.
        index = self._cell.value
        return index if index is not None else NodeIndex()


class SnapshotSink(Generic[P, T]):
    """Projects each object (None: not one we keep) and republishes `freeze(projections)`."""

    def __init__(
        self,
        cell: Cell[T],
        dispatch: Dispatch,
        project: Callable[[Any], P | None],
        freeze: Callable[[Mapping[Key, P]], T],
    ) -> None:
        self._cell = cell
        self._dispatch = dispatch
        self._project = project
        self._freeze = freeze
        self._kept: dict[Key, P] = {}  # touched by the reflector thread only

    def keep(self, obj: Any) -> tuple[Key, P | None]:
        return _key(obj), self._project(obj)

    def replace(self, kept: list[tuple[Key, P | None]]) -> None:
        self._kept = {}
        for key, projection in kept:
            self._hold(key, projection)
        self._publish()

    def apply(self, event_type: str, obj: Any) -> None:
        if event_type == "DELETED":
            self._kept.pop(_key(obj), None)
        else:
            self._hold(*self.keep(obj))
        self._publish()

    def _hold(self, key: Key, projection: P | None) -> None:
        if projection is None:
            self._kept.pop(key, None)
        else:
            self._kept[key] = projection

    def _publish(self) -> None:
        self._dispatch(self._cell.setter(self._freeze(self._kept)))


def _key(obj: Any) -> Key:
    meta = metadata(obj)
    return (str(meta.get("namespace") or ""), str(meta.get("name") or ""))


def storage_class_sink(
    cell: Cell[Mapping[str, StorageClassInfo]], dispatch: Dispatch
) -> SnapshotSink[Any, Any]:
    return SnapshotSink(cell, dispatch, storage_class, freeze_storage_classes)


def priority_class_sink(cell: Cell[frozenset[str]], dispatch: Dispatch) -> SnapshotSink[Any, Any]:
    return SnapshotSink(cell, dispatch, priority_class, frozenset_of_values)


def workload_sink(
    cell: Cell[tuple[VeleroWorkload, ...]], dispatch: Dispatch, kind: str
) -> SnapshotSink[Any, Any]:
    return SnapshotSink(cell, dispatch, lambda obj: workload(obj, kind), sorted_values)


def freeze_storage_classes(kept: Mapping[Key, StorageClassInfo]) -> Mapping[str, StorageClassInfo]:
    return MappingProxyType({info.name: info for info in kept.values()})


def frozenset_of_values(kept: Mapping[Key, str]) -> frozenset[str]:
    return frozenset(kept.values())


def storage_location_sink(cell: Cell[frozenset[Key]], dispatch: Dispatch) -> SnapshotSink[Any, Any]:
    return SnapshotSink(cell, dispatch, storage_location, frozenset_of_values)


def repository_sink(
    cell: Cell[tuple[BackupRepositoryInfo, ...]], dispatch: Dispatch
) -> SnapshotSink[Any, Any]:
    return SnapshotSink(cell, dispatch, repository, sorted_values)


def sorted_values(kept: Mapping[Key, Any]) -> tuple[Any, ...]:
    return tuple(kept[key] for key in sorted(kept))
