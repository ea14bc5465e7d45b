"""The rules the schema cannot express, one module per config section.

Each check reads the decoded config (what node-agent holds after decoding) and adds to `Findings`:
errors for what Velero crashes on, breaks or misreads (the reference's Reject table and Decisions),
warnings for what it ignores or what the cluster contradicts (the Warn table).
"""

from __future__ import annotations

from collections.abc import Callable

from webhook.engine.checks import cache_pvc, cluster, load_affinity, load_concurrency, pod_meta, pod_resources
from webhook.engine.checks.context import Context, Findings

Check = Callable[[Context, Findings], None]

CONFIG_CHECKS: tuple[Check, ...] = (
    load_concurrency.check,
    load_affinity.check,
    pod_resources.check,
    pod_meta.check,
    cache_pvc.check,
)
CLUSTER_CHECKS: tuple[Check, ...] = (
    cluster.check_nodes,
    cluster.check_storage_classes,
    cluster.check_priority_class,
    cluster.check_inherited_metadata,
)

__all__ = ["CLUSTER_CHECKS", "CONFIG_CHECKS", "Check", "Context", "Findings"]
