"""loadAffinity: nil elements, node-affinity rules, and the elements Velero never uses."""

from __future__ import annotations

from typing import Any

from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings
from webhook.engine.core.selectors import value_count_errors
from webhook.engine.core.versions import Version

PATH = f.ROOT.child("loadAffinity")
PER_STORAGE_CLASS = Version(1, 17, 0)  # before: only loadAffinity[0], for backups only
OS_LABEL = "kubernetes.io/os"


def check(ctx: Context, out: Findings) -> None:
    entries = ctx.section("loadAffinity")
    if not isinstance(entries, list):
        return
    for i, entry in enumerate(entries):
        if out.full:
            break  # past the cap (webhook.engine.core.findings) more entries would only be counted
        _entry(entry, PATH.index(i), out)
    if ctx.reads(PER_STORAGE_CLASS):
        _shadowed(entries, out)
        _restore_note(ctx, out)
    else:
        for i in range(1, len(entries)):
            out.warn(PATH.index(i), f"ignored by {ctx.velero}: only loadAffinity[0] is used before 1.17")


def _entry(entry: Any, path: f.FieldPath, out: Findings) -> None:
    if entry is None:
        detail = "must be an object: Velero dereferences it and every data-mover reconcile fails"
        out.error(f.invalid(path, None, detail, "nil"))
        return
    selector = entry.get("nodeSelector") or {}
    where = path.child("nodeSelector").child("matchExpressions")
    for j, expr in enumerate(selector.get("matchExpressions") or []):
        for err in value_count_errors(expr, where.index(j), affinity=True):
            out.error(err)
        if isinstance(expr, dict) and expr.get("key") == OS_LABEL:
            out.warn(
                where.index(j),
                "Velero adds its own kubernetes.io/os term to data-mover pods: they may conflict",
            )
    if OS_LABEL in (selector.get("matchLabels") or {}):
        out.warn(
            path.child("nodeSelector").child("matchLabels").key(OS_LABEL),
            "Velero adds its own kubernetes.io/os term to data-mover pods: they may conflict",
        )


def _shadowed(entries: list[Any], out: Findings) -> None:
    """Velero takes the first element per StorageClass (and the first with none as the global one)."""
    first: dict[str, int] = {}
    for i, entry in enumerate(entries):
        if entry is None:
            continue
        sc = entry.get("storageClass", "")
        if sc in first:
            what = f'storageClass "{sc}"' if sc else "every other StorageClass (no storageClass)"
            out.warn(PATH.index(i), f"never used: loadAffinity[{first[sc]}] already applies to {what}")
        else:
            first[sc] = i


def _restore_note(ctx: Context, out: Findings) -> None:
    restore = ctx.section("restorePVC") or {}
    if ctx.section("loadAffinity") and not restore.get("ignoreDelayBinding"):
        out.warn(
            PATH,
            "not applied to restores into WaitForFirstConsumer volumes unless "
            "restorePVC.ignoreDelayBinding is true",
        )
