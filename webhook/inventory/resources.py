"""The kinds the inventory watches: where each lives and how to ask for it."""

from __future__ import annotations

from dataclasses import dataclass

# Nodes are listed and watched as metadata only: their labels are all a selector needs, and a full
# Node (status, images, conditions) is ten times bigger (admission-webhooks.md §5.3.4).
METADATA_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
METADATA_WATCH = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1"
JSON = "application/json"


@dataclass(frozen=True, slots=True)
class Resource:
    """One collection to list and watch. `metadata_only`: ask for PartialObjectMetadata, and fall
    back to plain JSON if the server answers 406 (an aggregated API or a proxy that cannot)."""

    kind: str  # for logs and stats: "nodes", "daemonsets", ...
    path: str
    label: str  # for the warnings an admission request gets: "nodes", "storage classes", ...
    metadata_only: bool = False

    def accept(self, *, watch: bool, metadata: bool) -> str:
        if not (self.metadata_only and metadata):
            return JSON
        return METADATA_WATCH if watch else METADATA_LIST


NODES = Resource("nodes", "/api/v1/nodes", "nodes", metadata_only=True)
STORAGE_CLASSES = Resource("storageclasses", "/apis/storage.k8s.io/v1/storageclasses", "storage classes")
PRIORITY_CLASSES = Resource(
    "priorityclasses", "/apis/scheduling.k8s.io/v1/priorityclasses", "priority classes"
)


def workloads(kind: str, namespace: str | None) -> Resource:
    """DaemonSets or Deployments (`kind`) of one namespace, or of all when None. All of them are
    listed: a field selector can name only one object, and node-agent and node-agent-windows are two;
    the projection keeps only Velero's own (webhook.inventory.projection.WORKLOADS)."""
    plural = f"{kind.lower()}s"
    if namespace is None:
        return Resource(plural, f"/apis/apps/v1/{plural}", f"{kind}s")
    path = f"/apis/apps/v1/namespaces/{namespace}/{plural}"
    return Resource(f"{plural}/{namespace}", path, f"{kind}s in {namespace}")


WORKLOAD_KINDS = ("DaemonSet", "Deployment")


# Velero's own kinds (velero.io/v1), listed per Velero namespace: only where a config kind checks
# against them. A BackupStorageLocation's name is all that is read: metadata only.
def storage_locations(namespace: str | None) -> Resource:
    return _velero("backupstoragelocations", "BackupStorageLocations", namespace, metadata_only=True)


def repositories(namespace: str | None) -> Resource:
    return _velero("backuprepositories", "BackupRepositories", namespace)


def _velero(plural: str, label: str, namespace: str | None, metadata_only: bool = False) -> Resource:
    if namespace is None:
        return Resource(plural, f"/apis/velero.io/v1/{plural}", label, metadata_only)
    path = f"/apis/velero.io/v1/namespaces/{namespace}/{plural}"
    return Resource(f"{plural}/{namespace}", path, f"{label} in {namespace}", metadata_only)
