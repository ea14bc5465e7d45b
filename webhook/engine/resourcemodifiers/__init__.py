"""The restore resource modifiers kind: the YAML a Restore's `resourceModifier` names, and on main
the server's `--default-resource-modifier-configmap`.

Velero reads it once per restore with sigs.k8s.io/yaml's UnmarshalStrict and validates it; most
mistakes pass that and fail only when a rule is applied, item by item, which leaves the restore
PartiallyFailed with those items unpatched. The checks follow the reference's rules MOD1-MOD11
(velero-other-configs.md §D), one module per part.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from webhook.engine.core.configmap import OneKey
from webhook.engine.core.content import written_keys
from webhook.engine.core.kind import ConfigKind, Reader, Wording
from webhook.engine.core.versions import Version
from webhook.engine.core.yamlread import SIGS_YAML
from webhook.engine.resourcemodifiers import cluster_checks, conditions, patch_data, patches, roles, validate
from webhook.engine.resourcemodifiers.schema import SCHEMA


def looks_like(data: Mapping[str, Any]) -> bool:
    """`resourceModifierRules` as a key, in any case (Velero matches keys case-insensitively)."""
    return bool(written_keys(data, ("resourceModifierRules",), fold=True))


RESOURCE_MODIFIERS = ConfigKind(
    name="resource-modifiers",
    title="resource modifiers",
    schema=SCHEMA,
    wording=Wording(reader="Velero", undecodable="Velero cannot decode the resource modifiers"),
    layout=OneKey(
        missing="Velero needs exactly one key holding the YAML resource modifiers",
        several="must have exactly one key: Velero refuses the ConfigMap (illegal resource modifiers)",
    ),
    readers=(
        Reader(
            workload="Deployment",
            names=("velero",),
            flag=roles.FLAG,
            since=roles.DEFAULTS,
            at_start=False,  # read for each restore that names no modifiers
            purpose=roles.DEFAULT,
        ),
    ),
    since=Version(1, 13, 0),
    checks=(roles.check, validate.check, patches.check, conditions.check, patch_data.check),
    cluster_checks=(cluster_checks.check_discovery,),
    needs=frozenset({"api_resources"}),
    reading=SIGS_YAML,
    purposes=roles.PURPOSES,
    default_purposes=frozenset({roles.RESTORE}),
    warn_only=roles.warn_only,
    looks_like=looks_like,
)

__all__ = ["RESOURCE_MODIFIERS"]
