"""The resource policies kind: the YAML a Backup's (or Schedule's) `resourcePolicy` names, and on
release-1.18 and main a Restore's and the server's `--global-backup-volume-policies-configmap`.

Velero reads it when each backup (restore) runs, with yaml.v3 and KnownFields: everything this
package finds would make the backup end FailedValidation, or the policy silently never match. Its
checks follow the reference's rules RP1-RP12 (velero-other-configs.md §C), one module per part.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from webhook.engine.core.configmap import OneKey
from webhook.engine.core.content import written_keys
from webhook.engine.core.kind import ConfigKind, Reader, Wording
from webhook.engine.core.versions import Version
from webhook.engine.core.yamlread import YAML_V3
from webhook.engine.resourcepolicies import (
    actions,
    cluster_checks,
    conditions,
    filters,
    include_exclude,
    roles,
    shadowing,
)
from webhook.engine.resourcepolicies.releases import RELEASE_1_18
from webhook.engine.resourcepolicies.schema import SCHEMA

_SECTIONS = (
    "volumePolicies",
    "includeExcludePolicy",
    "clusterScopedFilterPolicy",
    "namespacedFilterPolicies",
)


def looks_like(data: Mapping[str, Any]) -> bool:
    """A `version` and one of the policy sections, as keys (case-sensitive: so Velero reads them)."""
    found = written_keys(data, ("version", *_SECTIONS))
    return "version" in found and len(found) > 1


RESOURCE_POLICIES = ConfigKind(
    name="resource-policies",
    title="resource policies",
    schema=SCHEMA,
    wording=Wording(reader="Velero", undecodable="Velero cannot decode the resource policies"),
    layout=OneKey(
        missing="Velero needs exactly one key holding the YAML resource policies",
        several="must have exactly one key: Velero refuses the ConfigMap (illegal resource policies)",
    ),
    readers=(
        Reader(
            workload="Deployment",
            names=("velero",),
            flag="--global-backup-volume-policies-configmap",
            since=RELEASE_1_18,
            at_start=False,  # validated at start, and read again for every backup
            required_from=RELEASE_1_18,
            without_it="and every backup fails while it is missing",
            purpose=roles.GLOBAL,
        ),
    ),
    since=Version(1, 13, 0),
    checks=(
        roles.check,
        actions.check,
        conditions.check,
        include_exclude.check,
        filters.check,
        shadowing.check,
    ),
    cluster_checks=(
        cluster_checks.check_storage_classes,
        cluster_checks.check_csi_drivers,
        cluster_checks.check_filter_kinds,
    ),
    needs=frozenset({"storage_classes", "csi_drivers", "api_resources"}),
    mistakes={("", "volumePolicy"): "volumePolicies"},
    reading=YAML_V3,
    purposes=roles.PURPOSES,
    default_purposes=frozenset({roles.BACKUP}),
    looks_like=looks_like,
)

__all__ = ["RESOURCE_POLICIES"]
