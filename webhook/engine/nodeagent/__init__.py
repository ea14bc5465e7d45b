"""The node-agent config kind: Velero's `--node-agent-configmap` (load concurrency, load affinity,
pod resources, backup/restore/cache PVCs), read once by node-agent at start.

Everything particular to it lives in this package: its schema, its checks (one module per section,
the reference's Reject and Warn tables), the per-node concurrency it explains, and who reads it.
"""

from __future__ import annotations

from webhook.engine.core.configmap import OneKey
from webhook.engine.core.kind import ConfigKind, Reader, Wording
from webhook.engine.core.resources import section_check
from webhook.engine.core.versions import Version
from webhook.engine.nodeagent import (
    cache_pvc,
    cluster_checks,
    load_affinity,
    load_concurrency,
    pod_meta,
)
from webhook.engine.nodeagent.concurrency import NodeConcurrency, effect
from webhook.engine.nodeagent.schema import SCHEMA

DEFAULT_CONFIGMAP = "node-agent-config"  # hard-coded by Velero 1.13-1.14, used by the docs since

NODE_AGENT = ConfigKind(
    name="node-agent",
    title="node-agent config",
    schema=SCHEMA,
    wording=Wording(reader="node-agent", undecodable="node-agent cannot decode the config"),
    layout=OneKey(
        missing="node-agent needs exactly one key holding the JSON config",
        several="must have exactly one key: node-agent 1.18 and later exit, older ones read one at random",
    ),
    readers=(
        Reader(
            workload="DaemonSet",
            names=("node-agent", "node-agent-windows"),
            flag="--node-agent-configmap",
            since=Version(1, 15, 0),
            at_start=True,
            required_from=Version(1, 17, 0),
            without_it="older ones run with defaults",
            fixed_name=DEFAULT_CONFIGMAP,
        ),
    ),
    since=Version(1, 13, 0),
    checks=(
        load_concurrency.check,
        load_affinity.check,
        section_check(SCHEMA, "podResources"),  # Velero drops the whole section on one bad value
        pod_meta.check,
        cache_pvc.check,
    ),
    cluster_checks=(
        cluster_checks.check_nodes,
        cluster_checks.check_storage_classes,
        cluster_checks.check_priority_class,
        cluster_checks.check_inherited_metadata,
    ),
    needs=frozenset({"nodes", "storage_classes", "priority_classes", "workloads"}),
    mistakes={
        ("", "prepareQueueLength"): "loadConcurrency.prepareQueueLength",
        ("cachePVC", "thresholdInGB"): "residentThresholdInMB (in MiB)",
    },
    explain=effect,
)

__all__ = ["DEFAULT_CONFIGMAP", "NODE_AGENT", "NodeConcurrency"]
