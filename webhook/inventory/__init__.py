"""What the cluster says, kept in memory so that the request path never calls the API server.

`Inventory` (live list-then-watch, for the server), `load_cluster_file` (a static file, for local
runs and tests) and `OneShotCluster` (the CLI's read-once view) all hand the engine the same
`ClusterView`; `LiveInventory` and `StaticInventory` are what the server holds.

The names that need the kubernetes client (about half a second of imports) or orjson (which imports
uuid and platform) are loaded on first use, so that the CLI checking files, which reads the cluster
from a file or not at all, never pays for them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from webhook.inventory.errors import (
    ApiError,
    ApiUnreachableError,
    ClusterFileError,
    InventoryError,
    KubeConfigError,
)
from webhook.inventory.nodeindex import Dispatch, NodeIndex, direct
from webhook.inventory.projection import flags, image_version, node_labels, storage_class, workload

if TYPE_CHECKING:
    from webhook.inventory.client import KubeClient, kubeconfig_in_use
    from webhook.inventory.clusterfile import load_cluster_file
    from webhook.inventory.inventory import NOT_LISTED, Inventory, InventoryStats, KindStats
    from webhook.inventory.live import LiveInventory
    from webhook.inventory.oneshot import OneShotCluster
    from webhook.inventory.reflector import ReflectorSettings
    from webhook.inventory.static import StaticInventory

# name -> the module that holds it, imported on first use (PEP 562)
_LAZY = {
    "KubeClient": "client",
    "kubeconfig_in_use": "client",
    "load_cluster_file": "clusterfile",
    "NOT_LISTED": "inventory",
    "Inventory": "inventory",
    "InventoryStats": "inventory",
    "KindStats": "inventory",
    "LiveInventory": "live",
    "OneShotCluster": "oneshot",
    "ReflectorSettings": "reflector",
    "StaticInventory": "static",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
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
    "KubeClient",
    "KubeConfigError",
    "LiveInventory",
    "NodeIndex",
    "OneShotCluster",
    "ReflectorSettings",
    "StaticInventory",
    "direct",
    "flags",
    "image_version",
    "kubeconfig_in_use",
    "load_cluster_file",
    "node_labels",
    "storage_class",
    "workload",
]
