"""What the engine may know about the cluster, as read-only views it is handed.

The engine never asks the API server anything. The inventory (live list-then-watch) or a static file
builds these views; the engine only reads them. Every part is optional: an unknown part means the
checks that need it are not made (and, when the inventory says why, a warning says so).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol


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
class VeleroWorkload:
    """A Velero server Deployment or node-agent DaemonSet, as far as the config checks care."""

    namespace: str
    name: str
    workload: str  # "Deployment" or "DaemonSet"
    flags: Mapping[str, str]  # the ConfigMap flags it was given (--node-agent-configmap=...), by name
    velero_version: str | None  # from the image tag (velero/velero:v1.17.1 -> "1.17.1"), None if unreadable
    template_labels: Mapping[str, str] = field(default_factory=dict)
    template_annotations: Mapping[str, str] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        """How kubectl names it: daemonset/node-agent, deployment/velero."""
        return f"{self.workload.lower()}/{self.name}"


@dataclass(frozen=True, slots=True)
class BackupRepositoryInfo:
    """A BackupRepository: the repository a maintenance job and a repository config apply to."""

    namespace: str
    name: str
    volume_namespace: str
    storage_location: str
    repository_type: str
    config: Mapping[str, str] = field(default_factory=dict)  # spec.repositoryConfig


@dataclass(frozen=True, slots=True)
class APIResourceInfo:
    """A resource the API server's discovery serves (no subresources), as Velero's discovery helper
    resolves names against it: by plural, singular (the lower-case kind when discovery gives none)
    and short names, in any group."""

    group: str  # "" for the core group
    resource: str  # the plural: "deployments"
    kind: str  # "Deployment"
    namespaced: bool
    singular: str = ""  # discovery's singularName
    short_names: tuple[str, ...] = ()

    @property
    def group_resource(self) -> str:
        """schema.GroupResource.String(): "pods", "deployments.apps"."""
        return f"{self.resource}.{self.group}" if self.group else self.resource


@dataclass(frozen=True, slots=True)
class Gap:
    """A part of the view that is unknown right now, and why (for the warning that its checks were
    skipped): `part` is the ClusterView attribute, `label` how people call it ("storage classes")."""

    part: str
    label: str
    reason: str


def describe_gaps(gaps: Iterable[Gap]) -> str | None:
    """One short sentence: kinds failing for the same reason share a clause, so an API server outage
    reads "nodes, DaemonSets and storage classes unknown: API server unreachable: ..."."""
    by_reason: dict[str, list[str]] = {}
    for gap in gaps:
        by_reason.setdefault(gap.reason, []).append(gap.label)
    clauses = [f"{_listing(labels)} unknown: {reason}" for reason, labels in by_reason.items()]
    return "; ".join(clauses) or None


def _listing(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"


@dataclass(frozen=True, slots=True)
class ClusterView:
    """A snapshot of what the inventory knows. `None` for a part means: not known, skip its checks.

    Each part counts on its own. `stale` names the parts (by attribute name) kept from before their
    kind's watch began failing: still read for which ConfigMaps Velero reads and its version,
    but not checked against, as the cluster may have changed meanwhile. `gaps` say which parts are
    unknown and why (API server unreachable, RBAC), for the one warning that their checks were
    skipped; the checks of the other parts are made.
    """

    nodes: NodeIndexView | None = None
    storage_classes: Mapping[str, StorageClassInfo] | None = None
    priority_classes: Collection[str] | None = None
    workloads: Sequence[VeleroWorkload] | None = None
    storage_locations: Collection[tuple[str, str]] | None = None  # (namespace, name) of each BSL
    repositories: Sequence[BackupRepositoryInfo] | None = None
    csi_drivers: Collection[str] | None = None  # names of the CSIDriver objects (storage.k8s.io/v1)
    api_resources: Sequence[APIResourceInfo] | None = None  # what discovery serves, every group
    gaps: tuple[Gap, ...] = ()
    stale: frozenset[str] = frozenset()

    @property
    def unavailable(self) -> str | None:
        """Every gap, in one sentence (None when every part is known)."""
        return describe_gaps(self.gaps)

    def unavailable_of(self, parts: Collection[str]) -> str | None:
        """The gaps among `parts` only: a kind is told about the parts its checks read."""
        return describe_gaps(g for g in self.gaps if g.part in parts)

    def checkable(self) -> ClusterView:
        """This view without its stale parts: what cluster checks may be made against."""
        if not self.stale:
            return self
        dropped: dict[str, Any] = dict.fromkeys(self.stale)
        return replace(self, stale=frozenset(), **dropped)


NO_CLUSTER = ClusterView()
