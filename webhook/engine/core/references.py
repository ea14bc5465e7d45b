"""Names in a config that the cluster must hold: checked only where the inventory knows that part.

A top-level `priorityClassName` is how every Velero kind names the PriorityClass of the pods it
makes; what a missing one costs differs (node-agent drops it, the maintenance job keeps it and its
pod is refused), so each kind says it.
"""

from __future__ import annotations

from collections.abc import Callable

from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings

PRIORITY_CLASS = f.ROOT.child("priorityClassName")


def priority_class_check(cost: str) -> Callable[[Context, Findings], None]:
    def check(ctx: Context, out: Findings) -> None:
        name = ctx.section("priorityClassName")
        known = ctx.cluster.priority_classes
        if known is not None and name and name not in known:
            out.warn(PRIORITY_CLASS, f'PriorityClass "{name}" does not exist: {cost}')

    return check
