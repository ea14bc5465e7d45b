"""loadConcurrency: selectors Velero would skip, numbers it would replace, rules that match everything."""

from __future__ import annotations

from typing import Any

from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings
from webhook.engine.core.selectors import value_count_errors

PATH = f.ROOT.child("loadConcurrency")
GLOBAL = PATH.child("globalConfig")
RULES = PATH.child("perNodeConfig")


def check(ctx: Context, out: Findings) -> None:
    load = ctx.section("loadConcurrency")
    if not isinstance(load, dict):
        return
    rules = load.get("perNodeConfig") or []
    if "globalConfig" not in load and not ctx.dropped(GLOBAL):
        # node-agent logs "Global number 0 is invalid" and uses 1, with or without rules
        who = "nodes that no perNodeConfig rule matches get 1" if rules else "every node gets 1"
        out.warn(GLOBAL, f"not set: {who}")
    if load.get("prepareQueueLength") == 0:
        out.warn(PATH.child("prepareQueueLength"), "0 means no limit, as if it were not set")
    for i, rule in enumerate(rules):
        if out.full:
            break  # past the cap (webhook.engine.core.findings) more rules would only be counted
        if isinstance(rule, dict):
            _rule(ctx, rule, i, out)


def _rule(ctx: Context, rule: dict[str, Any], i: int, out: Findings) -> None:
    """A rule's paths are built only for a finding: most rules have none, and every request reads them."""
    selector = rule.get("nodeSelector") or {}
    exprs = selector.get("matchExpressions")
    if not selector.get("matchLabels") and not exprs and not _undecodable(ctx, i):
        out.warn(RULES.index(i).child("nodeSelector"), "empty: this rule matches every node")
    if not exprs:
        return
    where = RULES.index(i).child("nodeSelector").child("matchExpressions")
    for j, expr in enumerate(exprs):
        for err in value_count_errors(expr, where.index(j), affinity=False):
            out.error(err)


def _undecodable(ctx: Context, i: int) -> bool:
    """Whether the rule's selector only looks empty because Go could not decode what it held (a type
    error already says so; node-agent does not start): then "matches every node" is not true."""
    selector = RULES.index(i).child("nodeSelector")
    return any(path.within({selector}) for path in ctx.typed)
