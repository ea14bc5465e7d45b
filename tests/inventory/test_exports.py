"""The public names of webhook.inventory, pinned: a change here is a change of the package's API."""

import webhook.inventory


def test_exported_members() -> None:
    assert webhook.inventory.__all__ == [
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
    for name in webhook.inventory.__all__:
        assert getattr(webhook.inventory, name) is not None
