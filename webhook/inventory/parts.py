"""The parts of a ClusterView the inventory can keep, each fed by its reflectors.

A part is one ClusterView attribute (`nodes`, `workloads`, ...): one reflector for a cluster-scoped
kind, one per Velero namespace (or one for all) for a namespaced one, each publishing into its own
cell; the part's value merges the cells, and is unknown (None) while any of them is. Which parts are
kept follows from the registered config kinds (`needed_parts`): a cluster without Velero's CRDs is
never asked for BackupStorageLocations unless a kind checks against them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from webhook.engine import KINDS
from webhook.inventory import resources
from webhook.inventory.client import KubeClient
from webhook.inventory.nodeindex import Dispatch
from webhook.inventory.reflector import Reflector, ReflectorSettings, Sink
from webhook.inventory.resources import Resource
from webhook.inventory.sinks import (
    Cell,
    NodeSink,
    priority_class_sink,
    repository_sink,
    storage_class_sink,
    storage_location_sink,
    workload_sink,
)

ALWAYS = frozenset({"nodes", "workloads"})  # the ready gate, and which ConfigMaps are which kind


def needed_parts() -> frozenset[str]:
    return ALWAYS | frozenset(part for kind in KINDS for part in kind.needs)


@dataclass
class Part:
    name: str  # the ClusterView attribute it feeds
    reflectors: list[Reflector]
    cells: list[Cell[Any]]
    merge: Callable[[list[Any]], Any]

    def value(self) -> Any:
        values = [cell.value for cell in self.cells]
        # A namespace not listed yet would look like one without Velero: better say "unknown".
        return None if any(v is None for v in values) else self.merge(values)

    @staticmethod
    def all(
        client: KubeClient, namespaces: Sequence[str], dispatch: Dispatch, settings: ReflectorSettings
    ) -> list[Part]:
        """Every part, in the order warnings name them."""
        build = _Builder(client, list(namespaces) or [None], dispatch, settings)
        return [
            build.one("nodes", resources.NODES, lambda cell: NodeSink(cell, dispatch)),
            build.namespaced("workloads", _workload_kinds(), _concat),
            build.one(
                "storage_classes", resources.STORAGE_CLASSES, lambda c: storage_class_sink(c, dispatch)
            ),
            build.one(
                "priority_classes", resources.PRIORITY_CLASSES, lambda c: priority_class_sink(c, dispatch)
            ),
            build.namespaced(
                "storage_locations", [(resources.storage_locations, storage_location_sink)], _union
            ),
            build.namespaced("repositories", [(resources.repositories, repository_sink)], _concat),
        ]


Placed = Callable[[str | None], Resource]
SinkOf = Callable[[Cell[Any], Dispatch], Sink]


def _workload_kinds() -> list[tuple[Placed, SinkOf]]:
    return [
        (partial(_workloads_in, kind), partial(_workload_sink, kind)) for kind in resources.WORKLOAD_KINDS
    ]


def _workloads_in(kind: str, namespace: str | None) -> Resource:
    return resources.workloads(kind, namespace)


def _workload_sink(kind: str, cell: Cell[Any], dispatch: Dispatch) -> Sink:
    return workload_sink(cell, dispatch, kind)


def _single(values: list[Any]) -> Any:
    return values[0]


def _concat(values: list[Any]) -> tuple[Any, ...]:
    return tuple(item for value in values for item in value)


def _union(values: list[Any]) -> frozenset[Any]:
    return frozenset(item for value in values for item in value)


@dataclass
class _Builder:
    client: KubeClient
    namespaces: list[str | None]
    dispatch: Dispatch
    settings: ReflectorSettings

    def one(self, name: str, resource: Resource, sink: Callable[[Cell[Any]], Sink]) -> Part:
        cell: Cell[Any] = Cell()
        return Part(name, [Reflector(self.client, resource, sink(cell), self.settings)], [cell], _single)

    def namespaced(
        self, name: str, kinds: list[tuple[Placed, SinkOf]], merge: Callable[[list[Any]], Any]
    ) -> Part:
        places = [(resource, sink, ns) for resource, sink in kinds for ns in self.namespaces]
        cells: list[Cell[Any]] = [Cell() for _ in places]
        reflectors = [
            Reflector(self.client, resource(ns), sink(cell, self.dispatch), self.settings)
            for (resource, sink, ns), cell in zip(places, cells, strict=True)
        ]
        return Part(name, reflectors, cells, merge)
