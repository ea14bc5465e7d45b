"""loadConcurrency: selectors Velero would skip, numbers it would replace, rules that match everything."""

from __future__ import annotations

from typing import Any

from webhook.engine import field as f
from webhook.engine.checks.context import Context, Findings
from webhook.engine.selectors import value_count_errors

PATH = f.ROOT.child("loadConcurrency")


def check(ctx: Context, out: Findings) -> None:
    load = ctx.section("loadConcurrency")
    if not isinstance(load, dict):
        return
    rules = load.get("perNodeConfig") or []
    if "globalConfig" not in load and not ctx.dropped(PATH.child("globalConfig")):
        # node-agent logs "Global number 0 is invalid" and uses 1, with or without rules
        who = "nodes that no perNodeConfig rule matches get 1" if rules else "every node gets 1"
        out.warn(PATH.child("globalConfig"), f"not set: {who}")
    if load.get("prepareQueueLength") == 0:
        out.warn(PATH.child("prepareQueueLength"), "0 means no limit, as if it were not set")
    for i, rule in enumerate(rules):
        if out.full:
            break  # past the cap (webhook.engine.budget) more rules would only be counted
        if isinstance(rule, dict):
            _rule(rule, PATH.child("perNodeConfig").index(i), out)


def _rule(rule: dict[str, Any], path: f.FieldPath, out: Findings) -> None:
    selector = rule.get("nodeSelector") or {}
    if not selector.get("matchLabels") and not selector.get("matchExpressions"):
        out.warn(path.child("nodeSelector"), "empty: this rule matches every node")
    where = path.child("nodeSelector").child("matchExpressions")
    for j, expr in enumerate(selector.get("matchExpressions") or []):
        for err in value_count_errors(expr, where.index(j), affinity=False):
            out.error(err)
