"""includeExcludePolicy (1.17+): IncludeExcludePolicy.Validate refuses `*` and an item both included
and excluded in the same scope (cluster-scoped lists are compared with each other only) (RP4)."""

from __future__ import annotations

from collections.abc import Mapping

from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings
from webhook.engine.resourcepolicies.releases import INCLUDE_EXCLUDE
from webhook.engine.resourcepolicies.walk import strings

POLICY = f.ROOT.child("includeExcludePolicy")
SCOPES = (
    ("includedClusterScopedResources", "excludedClusterScopedResources"),
    ("includedNamespaceScopedResources", "excludedNamespaceScopedResources"),
)


def check(ctx: Context, out: Findings) -> None:
    policy = ctx.config.get("includeExcludePolicy")
    if not isinstance(policy, Mapping) or ctx.version < INCLUDE_EXCLUDE:
        return
    for included, excluded in SCOPES:
        for name in (included, excluded):
            for i, item in strings(policy.get(name)):
                if item == "*":
                    detail = "cannot use '*' in includes or excludes filters in the policy: Velero refuses it"
                    out.error(f.invalid(POLICY.child(name).index(i), item, detail, "wildcard"))
        _overlap(policy, included, excluded, out)


def _overlap(policy: Mapping[str, object], included: str, excluded: str, out: Findings) -> None:
    kept = {item for _, item in strings(policy.get(included))}
    for i, item in strings(policy.get(excluded)):
        if item in kept and item != "*":
            detail = f"also in {included}: Velero refuses an item both included and excluded"
            out.error(f.duplicate(POLICY.child(excluded).index(i), item, detail, "includedAndExcluded"))
