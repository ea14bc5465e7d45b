"""Options shared by `validate` and `explain`: where the cluster facts come from, which Velero."""

from __future__ import annotations

import argparse

from webhook.engine import NO_CLUSTER, ClusterView, FieldValidation, Version
from webhook.inventory import InventoryError, live_cluster_view, load_cluster_file


def version_arg(text: str) -> Version:
    version = Version.parse(text)
    if version is None:
        raise argparse.ArgumentTypeError(f"not a Velero version: {text!r} (expected X.Y.Z)")
    return version


def add_cluster_args(parser: argparse.ArgumentParser, nodes_required: bool = False) -> None:
    source = parser.add_mutually_exclusive_group(required=nodes_required)
    source.add_argument(
        "--nodes",
        metavar="FILE",
        help="what `kubectl get nodes -o json` prints (may also hold "
        "StorageClasses, PriorityClasses, DaemonSets)",
    )
    source.add_argument("--kubeconfig", metavar="FILE", help="check against a live cluster")
    source.add_argument("--in-cluster", action="store_true", help="use the in-cluster configuration")
    parser.add_argument(
        "--velero-version",
        type=version_arg,
        metavar="X.Y.Z",
        help="the node-agent to check for (default: the DaemonSet's image tag, else the newest)",
    )
    parser.add_argument("--output", "-o", choices=("text", "json"), default="text")


def add_field_validation(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--field-validation",
        choices=("Strict", "Warn"),
        default="Strict",
        help="Strict denies unknown and duplicate keys; Warn only warns (default Strict)",
    )


def field_validation(args: argparse.Namespace) -> FieldValidation:
    return FieldValidation(args.field_validation)


def cluster_view(args: argparse.Namespace, namespaces: tuple[str, ...] = ()) -> ClusterView:
    """Raises InventoryError (a file that cannot be read, no kubeconfig) for the caller to report."""
    if args.nodes:
        return load_cluster_file(args.nodes)
    if args.kubeconfig or args.in_cluster:
        return live_cluster_view(args.kubeconfig, namespaces)
    return NO_CLUSTER


__all__ = ["InventoryError", "add_cluster_args", "add_field_validation", "cluster_view", "field_validation"]
