"""What every role checks (the version, RP4), and what one role adds: a Restore's policies hold
no volume or include/exclude policy (ValidateForRestore, RP7); the global ones apply only their
volume policies (RP12). Restores and global policies exist from release-1.18 on."""

from __future__ import annotations

from collections.abc import Mapping

from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings
from webhook.engine.core.versions import describe
from webhook.engine.resourcepolicies.releases import RELEASE_1_18

BACKUP, RESTORE, GLOBAL = "backup", "restore", "global"
PURPOSES = frozenset({BACKUP, RESTORE, GLOBAL})
VERSION = f.ROOT.child("version")
_FILTERS = ("includeExcludePolicy", "clusterScopedFilterPolicy", "namespacedFilterPolicies")


def check(ctx: Context, out: Findings) -> None:
    _version(ctx, out)
    if RESTORE in ctx.purposes:
        _restore(ctx, out)
    if GLOBAL in ctx.purposes:
        _global(ctx, out)


def _version(ctx: Context, out: Findings) -> None:
    version = ctx.config.get("version")
    if ctx.dropped(VERSION) or version == "v1":
        return
    if not version:
        detail = 'must be "v1": Velero refuses the policies (incompatible version number)'
        out.error(f.required(VERSION, detail, "version"))
        return
    detail = 'supported values: "v1"' + (
        " (compared case-sensitively)" if str(version).lower() == "v1" else ""
    )
    out.error(f.FieldError(f.ErrorType.NOT_SUPPORTED, VERSION, detail, version, "version"))


def _written(ctx: Context, name: str) -> bool:
    """Set, as Velero tests it: a pointer not nil, a list not empty."""
    value = ctx.config.get(name)
    return bool(value) if isinstance(value, list) else isinstance(value, Mapping)


def _restore(ctx: Context, out: Findings) -> None:
    if ctx.version < RELEASE_1_18:
        since = describe(RELEASE_1_18)
        out.warn(
            f.ROOT, f"Velero {describe(ctx.version)} reads no resource policy for a Restore (from {since})"
        )
        return
    for name in ("volumePolicies", "includeExcludePolicy"):
        if _written(ctx, name):
            detail = f"not supported for restore: a Restore using this ConfigMap fails validation ({name})"
            out.error(f.forbidden(f.ROOT.child(name), detail, "restore"))


def _global(ctx: Context, out: Findings) -> None:
    if ctx.version < RELEASE_1_18:
        reader = "--global-backup-volume-policies-configmap"
        since = describe(RELEASE_1_18)
        out.warn(
            f.ROOT, f"Velero {describe(ctx.version)} has no global volume policies ({reader} from {since})"
        )
        return
    for name in _FILTERS:
        if _written(ctx, name):
            out.warn(f.ROOT.child(name), "ignored in the global policies: only volumePolicies apply globally")
