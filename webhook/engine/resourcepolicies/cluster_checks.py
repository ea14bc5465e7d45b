"""What the cluster says a policy can never match (RP11, warnings): a StorageClass or CSI driver
it does not have, and filter kinds its discovery does not know or serves in the other scope (the
warnings Velero itself logs at backup time, pkg/backup/backup.go on release-1.18 and main)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.discovery import resources_for
from webhook.engine.core.findings import Findings
from webhook.engine.resourcepolicies.filters import CLUSTER, NAMESPACED, catch_all, filters
from webhook.engine.resourcepolicies.releases import RELEASE_1_18
from webhook.engine.resourcepolicies.walk import conditions, strings

NEVER = "the policy never matches it"


def check_storage_classes(ctx: Context, out: Findings) -> None:
    classes = ctx.cluster.storage_classes
    if classes is None:
        return
    for path, cond in conditions(ctx):
        for i, name in strings(cond.get("storageClass")):
            if name not in classes:
                out.warn(
                    path.child("storageClass").index(i), f'no StorageClass "{name}" in the cluster: {NEVER}'
                )


def check_csi_drivers(ctx: Context, out: Findings) -> None:
    drivers = ctx.cluster.csi_drivers
    if drivers is None:
        return
    for path, cond in conditions(ctx):
        csi = cond.get("csi")
        driver = csi.get("driver") if isinstance(csi, Mapping) else None
        if isinstance(driver, str) and driver and driver not in drivers:
            out.warn(path.child("csi").child("driver"), f'no CSIDriver "{driver}" in the cluster: {NEVER}')


def check_filter_kinds(ctx: Context, out: Findings) -> None:
    if ctx.cluster.api_resources is None or ctx.version < RELEASE_1_18:
        return
    cluster = ctx.config.get("clusterScopedFilterPolicy")
    if isinstance(cluster, Mapping):
        for path, rf in filters(cluster.get("resourceFilters"), CLUSTER.child("resourceFilters")):
            _kinds(ctx, rf, path, namespaced_scope=False, out=out)
    for i, policy in enumerate(ctx.config.get("namespacedFilterPolicies") or ()):
        if isinstance(policy, Mapping):
            for path, rf in filters(
                policy.get("resourceFilters"), NAMESPACED.index(i).child("resourceFilters")
            ):
                if not catch_all(rf):
                    _kinds(ctx, rf, path, namespaced_scope=True, out=out)


def _kinds(
    ctx: Context, rf: Mapping[str, Any], path: f.FieldPath, namespaced_scope: bool, out: Findings
) -> None:
    resources = ctx.cluster.api_resources or ()
    for k, kind in strings(rf.get("kinds")):
        if kind == "*":
            continue
        # what discovery resolves; else Velero uses the kind as written, as a group resource
        found = resources_for(kind, resources) or [r for r in resources if r.group_resource == kind]
        where = path.child("kinds").index(k)
        if not found:
            out.warn(where, "unknown to discovery: Velero uses it as written and it matches nothing")
        elif all(r.namespaced != namespaced_scope for r in found):
            out.warn(where, _wrong_scope(namespaced_scope))


def _wrong_scope(namespaced_scope: bool) -> str:
    """Velero's own warning (pkg/backup/backup.go, main)."""
    if namespaced_scope:
        return "cluster-scoped: it never matches here; did you mean clusterScopedFilterPolicy?"
    return "namespace-scoped: it never matches here; did you mean namespacedFilterPolicies?"
