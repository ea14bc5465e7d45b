"""ResourceModifiers.Validate (resource_modifiers_validator.go, the same from 1.13 to main), which
Velero runs before a restore: what fails it ends the restore in FailedValidation (MOD3)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings
from webhook.engine.resourcemodifiers.walk import PATCH_LISTS, RULES, conditions, items, rules

VERSION = f.ROOT.child("version")
OPERATIONS = ["add", "remove", "replace", "test", "move", "copy"]
REFUSED = "Velero refuses the modifiers"


def check(ctx: Context, out: Findings) -> None:
    _version(ctx, out)
    if not ctx.config.get("resourceModifierRules") and not ctx.dropped(RULES):
        out.error(
            f.required(
                RULES, f"at least one rule: {REFUSED} (resource modifier rules cannot be empty)", "rules"
            )
        )
    for path, rule in rules(ctx):
        where = path.child("conditions").child("groupResource")
        if not conditions(rule).get("groupResource") and not ctx.dropped(where):
            out.error(f.required(where, f"pods, deployments.apps, ...: {REFUSED}", "groupResource"))
        written = [name for name in PATCH_LISTS if rule.get(name)]
        if len(written) > 1:
            detail = f"only one of patches, mergePatches, strategicPatches can be specified: {REFUSED}"
            out.error(f.forbidden(path.child(written[1]), detail, "patchLists"))
        for patch_path, patch in items(rule, "patches", path):
            _patch(ctx, patch, patch_path, out)


def _version(ctx: Context, out: Findings) -> None:
    version = ctx.config.get("version")
    if ctx.dropped(VERSION) or (isinstance(version, str) and version.lower() == "v1"):
        return
    if not version:
        out.error(
            f.required(
                VERSION,
                f'must be "v1" (any case): {REFUSED} (unsupported resource modifier version)',
                "version",
            )
        )
    else:
        detail = 'supported values: "v1" (in any case)'
        out.error(f.FieldError(f.ErrorType.NOT_SUPPORTED, VERSION, detail, version, "version"))


def _patch(ctx: Context, patch: Mapping[str, Any], path: f.FieldPath, out: Findings) -> None:
    operation, target = patch.get("operation"), patch.get("path")
    if not operation and not ctx.dropped(path.child("operation")):
        out.error(
            f.required(path.child("operation"), f"one of {', '.join(OPERATIONS)}: {REFUSED}", "operation")
        )
    elif isinstance(operation, str) and operation.lower() not in OPERATIONS:
        out.error(f.not_supported(path.child("operation"), operation, OPERATIONS, "operation"))
    if not target and not ctx.dropped(path.child("path")):
        out.error(
            f.required(path.child("path"), f"a JSON pointer such as /metadata/labels/app: {REFUSED}", "path")
        )
