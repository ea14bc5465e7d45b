"""A volume policy's action: the types each release's Action.validate accepts (RP4), and the
parameters each type reads: main validates dataMover and snapshotClass; the rest are unused (RP10)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings
from webhook.engine.core.versions import Version, describe
from webhook.engine.resourcepolicies.releases import CUSTOM_ACTION, MAIN, SNAPSHOT_ACTIONS
from webhook.engine.resourcepolicies.walk import policies, quoted, type_in_go

_TYPES = (
    ("skip", Version(1, 13, 0)),
    ("snapshot", SNAPSHOT_ACTIONS),
    ("fs-backup", SNAPSHOT_ACTIONS),
    ("custom", CUSTOM_ACTION),
)
DATA_MOVERS = ("", "velero", "velero-fs", "velero-block")  # pkg/util/datamover on main
SNAPSHOT_PARAMETERS = ("dataMover", "snapshotClass")


def supported(version: Version) -> list[str]:
    return [name for name, since in _TYPES if version >= since]


def check(ctx: Context, out: Findings) -> None:
    for path, policy in policies(ctx):
        action = policy.get("action")
        where = path.child("action")
        if ctx.dropped(where):
            continue
        action = action if isinstance(action, Mapping) else {}
        _type(ctx, action, where.child("type"), out)
        parameters = action.get("parameters")
        if isinstance(parameters, Mapping):
            _parameters(ctx, str(action.get("type") or ""), parameters, where.child("parameters"), out)


def _type(ctx: Context, action: Mapping[str, Any], path: f.FieldPath, out: Findings) -> None:
    kind, allowed = action.get("type"), supported(ctx.version)
    if ctx.dropped(path) or kind in allowed:
        return
    if not kind:
        detail = f"one of {quoted(allowed)}: Velero refuses a policy without an action (invalid action type)"
        out.error(f.required(path, detail, "actionType"))
        return
    detail = f"supported values: {quoted(allowed)}"
    newer = next((since for name, since in _TYPES if name == kind and since > ctx.version), None)
    if newer is not None:
        detail += f'; "{kind}" from Velero {describe(newer)}'
    out.error(f.FieldError(f.ErrorType.NOT_SUPPORTED, path, detail, kind, "actionType"))


def _parameters(
    ctx: Context, kind: str, parameters: Mapping[str, Any], path: f.FieldPath, out: Findings
) -> None:
    validated = ctx.version >= MAIN
    for name, value in parameters.items():
        where = path.key(name)
        if validated and name in SNAPSHOT_PARAMETERS:
            _validated(ctx, kind, name, value, where, out)
        else:
            _unused(ctx, kind, name, where, out)


def _validated(ctx: Context, kind: str, name: str, value: Any, path: f.FieldPath, out: Findings) -> None:
    """Action.validate on main: dataMover and snapshotClass are snapshot parameters, strings, and
    valid (a data mover Velero has; a class named)."""
    if kind != "snapshot":
        detail = f'only for the "snapshot" action, not "{kind}": Velero refuses the policy'
        out.error(f.forbidden(path, detail, "snapshotParameter"))
        return
    go = type_in_go(ctx, path, value)
    if go != "string":
        out.error(
            f.type_invalid(
                path, value, f"must be a string, got {go}: Velero refuses the policy", "parameterType"
            )
        )
    elif name == "dataMover" and value not in DATA_MOVERS:
        out.error(f.not_supported(path, value, list(DATA_MOVERS), "dataMover"))
    elif name == "snapshotClass" and not value:
        out.error(
            f.required(path, "a VolumeSnapshotClass name: Velero refuses an empty one", "snapshotClass")
        )


def _unused(ctx: Context, kind: str, name: str, path: f.FieldPath, out: Findings) -> None:
    if kind == "custom":
        return  # read by the plugin that handles the volume
    if kind == "snapshot" and name in SNAPSHOT_PARAMETERS:
        out.warn(path, f"ignored by Velero {describe(ctx.version)}: read from {describe(MAIN)}")
    elif kind == "snapshot":
        out.warn(
            path, f"ignored: the snapshot action reads only dataMover and snapshotClass ({describe(MAIN)})"
        )
    elif kind in ("skip", "fs-backup"):
        out.warn(path, f"ignored: the {kind} action reads no parameters")
