"""mergePatches and strategicPatches (MOD4): Velero turns each patchData into JSON with
sigs.k8s.io/yaml's YAMLToJSON when it applies it; text that is no YAML, or no object, fails every
object the rule matches. A strategic merge patch needs the object's kind in Velero's own scheme
(pkg/cmd/server/server.go): a kind outside it is "not registered"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings
from webhook.engine.core.gojson import Pairs
from webhook.engine.core.goyaml import GoYAMLError
from webhook.engine.core.versions import Version
from webhook.engine.core.yamlnodes import YAMLSyntaxError
from webhook.engine.core.yamlread import yaml_to_json
from webhook.engine.resourcemodifiers.walk import conditions, items, rules

FAILS = "every object the rule matches fails to restore patched"
# the API groups whose kinds Velero's scheme registers, and from which release
SCHEME_GROUPS = (
    ("", Version(1, 13, 0)),
    ("velero.io", Version(1, 13, 0)),
    ("snapshot.storage.k8s.io", Version(1, 13, 0)),
    ("apps", Version(1, 14, 0)),
    ("batch", Version(1, 14, 0)),
    ("groupsnapshot.storage.k8s.io", Version(1, 17, 0)),
)
_GLOB = frozenset("*?[{\\")


def scheme_groups(version: Version) -> frozenset[str]:
    return frozenset(group for group, since in SCHEME_GROUPS if version >= since)


def check(ctx: Context, out: Findings) -> None:
    for path, rule in rules(ctx):
        for name in ("mergePatches", "strategicPatches"):
            for where, patch in items(rule, name, path):
                _patch_data(patch, where.child("patchData"), out)
        if rule.get("strategicPatches"):
            _registered(ctx, conditions(rule), path.child("conditions").child("groupResource"), out)


def _patch_data(patch: Mapping[str, Any], path: f.FieldPath, out: Findings) -> None:
    data = patch.get("patchData")
    if not isinstance(data, str):
        return
    try:
        value = yaml_to_json(data)
    except (YAMLSyntaxError, GoYAMLError) as exc:
        detail = f"not YAML sigs.k8s.io/yaml reads ({getattr(exc, 'problem', None) or exc}): {FAILS}"
        out.error(f.invalid(path, data, detail, "patchData"))
        return
    if not isinstance(value, Pairs):
        out.error(f.invalid(path, data, f"must be a YAML or JSON object: {FAILS}", "patchData"))


def _registered(ctx: Context, cond: Mapping[str, Any], path: f.FieldPath, out: Findings) -> None:
    """A groupResource without glob characters names its group: outside the scheme, every object fails."""
    group_resource = cond.get("groupResource")
    if not isinstance(group_resource, str) or not group_resource or _GLOB & set(group_resource):
        return
    group = group_resource.partition(".")[2]
    if group not in scheme_groups(ctx.version):
        out.error(f.invalid(path, group_resource, unregistered(group), "scheme"))


def unregistered(group: str) -> str:
    return (
        f"Velero's scheme has no kind of group {group!r}, so a strategic merge patch cannot apply "
        f"(no kind is registered): {FAILS}; use patches or mergePatches"
    )
