"""What the cluster says, kept in memory so that the request path never calls the API server.

`Inventory` (live list-then-watch, for the server), `load_cluster_file` (a static file, for local
runs and tests) and `OneShotCluster` (the CLI's read-once view) all hand the engine the same
`ClusterView`.

The names that need the kubernetes client (about half a second of imports) or orjson (which imports
uuid and platform) are loaded on first use, so that the CLI checking files, which reads the cluster
from a file or not at all, never pays for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from webhook.inventory.errors import (
    ApiError,
    ApiUnreachableError,
    ClusterFileError,
    InventoryError,
    KubeConfigError,
)
from webhook.inventory.gaps import NOT_LISTED
from webhook.inventory.nodeindex import Dispatch, NodeIndex, direct
from webhook.inventory.projection import configmap_flag, daemonset, image_version, node_labels, storage_class

if TYPE_CHECKING:
    from webhook.inventory.inventory import Inventory, InventoryStats, KindStats
    from webhook.inventory.oneshot import OneShotCluster
    from webhook.inventory.reflector import ReflectorSettings
    from webhook.inventory.static import load_cluster_file


def __getattr__(name: str) -> Any:
    """The names that need the kubernetes client or orjson, each imported on first use (PEP 562)."""
    if name in ("Inventory", "InventoryStats", "KindStats"):
        from webhook.inventory import inventory

        value = getattr(inventory, name)
    elif name == "OneShotCluster":
        from webhook.inventory import oneshot

        value = oneshot.OneShotCluster
    elif name == "ReflectorSettings":
        from webhook.inventory import reflector

        value = reflector.ReflectorSettings
    elif name == "load_cluster_file":
        from webhook.inventory import static

        value = static.load_cluster_file
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


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
    "NodeIndex",
    "OneShotCluster",
    "ReflectorSettings",
    "configmap_flag",
    "daemonset",
    "direct",
    "image_version",
    "load_cluster_file",
    "node_labels",
    "storage_class",
]
