"""What the engine may know about the cluster, as read-only views it is handed.

The engine never asks the API server anything. The inventory (live list-then-watch) or a static file
builds these views; the engine only reads them. Every part is optional: an unknown part means the
checks that need it are not made (and, when the inventory says why, a warning says so).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol


class NodeIndexView(Protocol):
    """Nodes and their labels, indexed so that a selector never has to scan every node."""

    def __len__(self) -> int: ...

    def names(self) -> Iterable[str]:
        """Every node name, in a stable (sorted) order."""
        ...

    def labels(self, name: str) -> Mapping[str, str]:
        """The labels of one node (empty for an unknown node)."""
        ...

    def with_label(self, key: str, value: str) -> Collection[str]:
        """The names of the nodes labelled key=value (empty if none)."""
        ...

    def with_key(self, key: str) -> Collection[str]:
        """The names of the nodes that carry the label key, whatever its value."""
        ...


@dataclass(frozen=True, slots=True)
class StorageClassInfo:
    name: str
    reclaim_policy: str = "Delete"  # Kubernetes' default when the StorageClass does not set one


@dataclass(frozen=True, slots=True)
class NodeAgentDaemonSet:
    """A `node-agent` or `node-agent-windows` DaemonSet, as far as the config checks care."""

    namespace: str
    name: str
    configmap: str | None  # the value of --node-agent-configmap=, None when the flag is absent
    velero_version: str | None  # from the image tag (velero/velero:v1.17.1 -> "1.17.1"), None if unreadable
    template_labels: Mapping[str, str] = field(default_factory=dict)
    template_annotations: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ClusterView:
    """A snapshot of what the inventory knows. `None` for a part means: not known, skip its checks.

    `unavailable` carries the reason when an inventory exists but could not be synced (API server
    unreachable, RBAC); the engine then says in a warning that cluster checks were skipped.
    """

    nodes: NodeIndexView | None = None
    storage_classes: Mapping[str, StorageClassInfo] | None = None
    priority_classes: Collection[str] | None = None
    daemonsets: Sequence[NodeAgentDaemonSet] | None = None
    unavailable: str | None = None


NO_CLUSTER = ClusterView()
