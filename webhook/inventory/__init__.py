"""What the cluster says, kept in memory so that the request path never calls the API server.

`Inventory` (live list-then-watch, for the server), `load_cluster_file` (a static file, for local
runs and tests) and the one-shot helpers of the CLI all hand the engine the same `ClusterView`.
"""

from webhook.inventory.clusterfile import load_cluster_file
from webhook.inventory.errors import (
    ApiError,
    ApiUnreachableError,
    ClusterFileError,
    InventoryError,
    KubeConfigError,
)
from webhook.inventory.inventory import NOT_LISTED, Inventory, InventoryStats, KindStats
from webhook.inventory.live import LiveInventory
from webhook.inventory.nodeindex import Dispatch, NodeIndex, direct
from webhook.inventory.oneshot import fetch_configmap, live_cluster_view
from webhook.inventory.projection import flags, image_version, node_labels, storage_class, workload
from webhook.inventory.reflector import ReflectorSettings
from webhook.inventory.static import StaticInventory

__all__ = [
    "NOT_LISTED",
    "ApiError",
    "ApiUnreachableError",
    "ClusterFileError",
    "Dispatch",
    "Inventory",
    "InventoryError",
    "InventoryStats",
    "KindStats",
    "KubeConfigError",
    "LiveInventory",
    "NodeIndex",
    "ReflectorSettings",
    "StaticInventory",
    "direct",
    "fetch_configmap",
    "flags",
    "image_version",
    "live_cluster_view",
    "load_cluster_file",
    "node_labels",
    "storage_class",
    "workload",
]
