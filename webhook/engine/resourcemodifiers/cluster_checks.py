"""What discovery says about a rule (warnings, but one error): a groupResource that matches no
resource the cluster serves never applies (MOD8); namespaces do not narrow a cluster-scoped
resource (MOD9); strategic patches fail on a matched resource outside Velero's scheme (MOD4)."""

from __future__ import annotations

from collections.abc import Sequence

from webhook.engine.core import field as f
from webhook.engine.core.cluster import APIResourceInfo
from webhook.engine.core.context import Context
from webhook.engine.core.discovery import resources_for
from webhook.engine.core.findings import Findings
from webhook.engine.core.globs import glob_error, glob_matches
from webhook.engine.resourcemodifiers.patch_data import scheme_groups, unregistered
from webhook.engine.resourcemodifiers.walk import conditions, rules


def check_discovery(ctx: Context, out: Findings) -> None:
    resources = ctx.cluster.api_resources
    if resources is None:
        return
    for path, rule in rules(ctx):
        cond, where = conditions(rule), path.child("conditions")
        pattern = cond.get("groupResource")
        if not isinstance(pattern, str) or not pattern or glob_error(pattern, "."):
            continue
        matched = [r for r in resources if glob_matches(pattern, r.group_resource, ".")]
        if not matched:
            out.warn(where.child("groupResource"), _nothing(pattern, resources))
            continue
        if cond.get("namespaces") and not any(r.namespaced for r in matched):
            detail = "ignored: the groupResource is cluster-scoped, so the rule applies to all of it"
            out.warn(where.child("namespaces"), detail)
        if rule.get("strategicPatches"):
            _registered(ctx, matched, where.child("groupResource"), pattern, out)


def _nothing(pattern: str, resources: Sequence[APIResourceInfo]) -> str:
    """No resource matches: a hint when the pattern names one by another of its names."""
    named = resources_for(pattern, resources) if "." not in pattern else []
    hint = f"; did you mean {named[0].group_resource}?" if named else ""
    return f"matches no resource the cluster serves: the rule never applies{hint}"


def _registered(
    ctx: Context, matched: list[APIResourceInfo], path: f.FieldPath, pattern: str, out: Findings
) -> None:
    outside = sorted({r.group for r in matched} - scheme_groups(ctx.version))
    if outside and any(c in pattern for c in "*?[{\\"):  # a plain name is checked without a cluster
        out.error(f.invalid(path, pattern, unregistered(outside[0]), "scheme"))
