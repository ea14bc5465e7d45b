"""Filter policies (release-1.18 and main): validateClusterScopedFilterPolicy and
validateNamespacedFilterPolicies, which Validate and ValidateForRestore both run (RP4). Label
selectors are checked as metav1.LabelSelectorAsSelector does (keys, values and operators by the
schema, value counts here), glob patterns as gobwas/glob compiles them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings
from webhook.engine.core.globs import glob_error
from webhook.engine.core.selectors import value_count_errors
from webhook.engine.resourcepolicies.releases import RELEASE_1_18
from webhook.engine.resourcepolicies.walk import strings

CLUSTER = f.ROOT.child("clusterScopedFilterPolicy")
NAMESPACED = f.ROOT.child("namespacedFilterPolicies")
REFUSED = "Velero refuses the policy"


def check(ctx: Context, out: Findings) -> None:
    if ctx.version < RELEASE_1_18:
        return
    cluster = ctx.config.get("clusterScopedFilterPolicy")
    if isinstance(cluster, Mapping):
        _cluster(cluster, out)
    namespaced = ctx.config.get("namespacedFilterPolicies")
    if isinstance(namespaced, list):
        _namespaced(namespaced, out)


def filters(value: Any, path: f.FieldPath) -> Iterator[tuple[f.FieldPath, Mapping[str, Any]]]:
    for j, rf in enumerate(value if isinstance(value, list) else ()):
        if isinstance(rf, Mapping):
            yield path.index(j), rf


def catch_all(rf: Mapping[str, Any]) -> bool:
    kinds = rf.get("kinds") or []
    return not kinds or kinds == ["*"]


def _cluster(policy: Mapping[str, Any], out: Findings) -> None:
    where = CLUSTER.child("resourceFilters")
    if not policy.get("resourceFilters"):
        detail = f"cannot be empty; remove the policy block entirely if it is not needed: {REFUSED}"
        out.error(f.required(where, detail, "resourceFilters"))
    seen: dict[str, f.FieldPath] = {}
    for path, rf in filters(policy.get("resourceFilters"), where):
        if catch_all(rf):
            detail = f"kinds must be specified (catch-all is not supported): {REFUSED}"
            out.error(f.required(path.child("kinds"), detail, "catchAll"))
        _kinds(rf, path, seen, skip_wildcard=False, out=out)
        _filter(rf, path, out)


def _kinds(
    rf: Mapping[str, Any], path: f.FieldPath, seen: dict[str, f.FieldPath], skip_wildcard: bool, out: Findings
) -> None:
    for k, kind in strings(rf.get("kinds")):
        if skip_wildcard and kind == "*":
            continue
        if kind in seen:
            detail = f"also in {seen[kind]}: {REFUSED}"
            out.error(f.duplicate(path.child("kinds").index(k), kind, detail, "duplicateKind"))
        else:
            seen[kind] = path


def _filter(rf: Mapping[str, Any], path: f.FieldPath, out: Findings) -> None:
    selector, alternatives = rf.get("labelSelector"), rf.get("orLabelSelectors") or []
    if _present(selector) and alternatives:
        detail = f"labelSelector and orLabelSelectors cannot co-exist: {REFUSED}"
        out.error(f.forbidden(path.child("orLabelSelectors"), detail, "orLabelSelectors"))
    _selector(selector, path.child("labelSelector"), out)
    for k, alternative in enumerate(alternatives if isinstance(alternatives, list) else ()):
        _selector(alternative, path.child("orLabelSelectors").index(k), out)
    for name in ("names", "excludedNames"):
        for k, pattern in strings(rf.get(name)):
            problem = glob_error(pattern)
            if problem:
                detail = f"invalid glob pattern: {problem}: {REFUSED}"
                out.error(f.invalid(path.child(name).index(k), pattern, detail, "glob"))


def _present(selector: Any) -> bool:
    """IsPresentLabelSelector: `{}` counts as absent."""
    return isinstance(selector, Mapping) and bool(
        selector.get("matchLabels") or selector.get("matchExpressions")
    )


def _selector(selector: Any, path: f.FieldPath, out: Findings) -> None:
    if not _present(selector):
        return
    for i, expr in enumerate(selector.get("matchExpressions") or ()):
        for err in value_count_errors(expr, path.child("matchExpressions").index(i), affinity=False):
            out.error(err)


def _namespaced(policies: list[Any], out: Findings) -> None:
    occurrences: dict[str, list[f.FieldPath]] = {}
    for i, policy in enumerate(policies):
        if not isinstance(policy, Mapping):
            continue
        path = NAMESPACED.index(i)
        _required_parts(policy, path, out)
        for j, pattern in strings(policy.get("namespaces")):
            where = path.child("namespaces").index(j)
            _namespace_pattern(pattern, where, out)
            occurrences.setdefault(pattern, []).append(where)
        _namespaced_filters(policy, path, out)
    for pattern, places in occurrences.items():
        for place in places[1:]:
            detail = f"duplicate namespace pattern, also at {places[0]}: {REFUSED}"
            out.error(f.duplicate(place, pattern, detail, "duplicatePattern"))


def _required_parts(policy: Mapping[str, Any], path: f.FieldPath, out: Findings) -> None:
    if not policy.get("namespaces"):
        out.error(
            f.required(
                path.child("namespaces"), f"at least one namespace must be specified: {REFUSED}", "namespaces"
            )
        )
    if not policy.get("resourceFilters"):
        detail = f"at least one resourceFilter must be specified: {REFUSED}"
        out.error(f.required(path.child("resourceFilters"), detail, "resourceFilters"))


def _namespaced_filters(policy: Mapping[str, Any], path: f.FieldPath, out: Findings) -> None:
    seen: dict[str, f.FieldPath] = {}
    catch_all_at: f.FieldPath | None = None
    for where, rf in filters(policy.get("resourceFilters"), path.child("resourceFilters")):
        if catch_all(rf):
            if catch_all_at is not None:
                detail = (
                    f"only one catch-all resource filter is allowed, and {catch_all_at} is one: {REFUSED}"
                )
                out.error(f.forbidden(where, detail, "catchAll"))
            catch_all_at = catch_all_at or where
            if rf.get("names") or rf.get("excludedNames"):
                detail = f"names or excludedNames cannot be specified for catch-all filters: {REFUSED}"
                out.error(f.forbidden(where, detail, "catchAllNames"))
        _kinds(rf, where, seen, skip_wildcard=True, out=out)
        _filter(rf, where, out)


_UNSUPPORTED = "|()!{},"


def namespace_pattern_problem(pattern: str) -> str | None:
    """wildcard.ValidateNamespaceName (pkg/util/wildcard on release-1.18 and main)."""
    if any(c in pattern for c in _UNSUPPORTED):
        return "wildcard pattern contains unsupported characters: |, (, ), !, {, }, ,"
    if "**" in pattern:
        return "wildcard pattern contains consecutive asterisks (only single * allowed)"
    return _bracket_problem(pattern)


def _bracket_problem(pattern: str) -> str | None:
    i = 0
    while i < len(pattern):
        if pattern[i] == "[":
            close = pattern.find("]", i + 1)
            if close < 0:
                return "wildcard pattern contains unclosed bracket '['"
            if close == i + 1:
                return "wildcard pattern contains empty bracket pattern '[]'"
            i = close
        elif pattern[i] == "]":
            return "wildcard pattern contains unmatched closing bracket ']'"
        i += 1
    return None


def _namespace_pattern(pattern: str, path: f.FieldPath, out: Findings) -> None:
    problem = namespace_pattern_problem(pattern)
    if problem:
        out.error(f.invalid(path, pattern, f"{problem}: {REFUSED}", "namespacePattern"))
