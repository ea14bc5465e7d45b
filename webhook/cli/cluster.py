"""Where a run's cluster facts come from: `--nodes FILE`, a live cluster read once, or nothing.

The live cluster is asked for by `--kubeconfig`, `--context`, `--in-cluster`, `-n` (names read from
it), or by `explain` without `--nodes`; the kubeconfig is then found as kubectl finds it. Only then
is the kubernetes client imported: a run on files starts without it.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from webhook.engine import NO_CLUSTER, ClusterView
from webhook.inventory import InventoryError

if TYPE_CHECKING:
    from webhook.inventory import OneShotCluster


class ClusterUnavailableError(Exception):
    """The cluster facts asked for cannot be had: every document's result says so (exit 2)."""


def live_wanted(args: argparse.Namespace, needs_nodes: bool) -> bool:
    asked = args.kubeconfig or args.context or args.in_cluster or args.namespace
    return bool(asked or (needs_nodes and not args.nodes))


def connect(args: argparse.Namespace) -> OneShotCluster:
    from webhook.inventory import OneShotCluster, kubeconfig_in_use

    kubeconfig = None if args.in_cluster else kubeconfig_in_use(args.kubeconfig, os.environ, Path.home())
    try:
        return OneShotCluster.connect(kubeconfig, args.context)
    except InventoryError as exc:
        raise ClusterUnavailableError(f"cluster: {exc}") from exc


def view(args: argparse.Namespace, live: OneShotCluster | None, namespaces: Collection[str]) -> ClusterView:
    """From --nodes, else from the live cluster (node-agent DaemonSets of `namespaces`, empty: all)."""
    if args.nodes:
        from webhook.inventory import load_cluster_file

        try:
            return load_cluster_file(args.nodes)
        except InventoryError as exc:
            raise ClusterUnavailableError(f"--nodes {exc}") from exc
    if live is not None:
        return live.view(namespaces)
    return NO_CLUSTER
