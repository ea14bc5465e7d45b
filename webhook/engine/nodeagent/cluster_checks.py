"""What the cluster contradicts: rules no node matches, classes that do not exist, lost inheritance.

Only warnings: the cluster changes after the config is written, and an inventory can lag. Node
matching goes through the label index, never a scan of every node for a `matchLabels` rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations, islice
from typing import Any

from webhook.engine.core import field as f
from webhook.engine.core.cluster import NodeIndexView
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings
from webhook.engine.core.inheritance import check_lost_inheritance
from webhook.engine.core.references import priority_class_check
from webhook.engine.core.selectors import AFFINITY_OPERATORS, build, first_match
from webhook.engine.nodeagent.concurrency import Rule, valid_rules

RULES = f.ROOT.child("loadConcurrency").child("perNodeConfig")
NODE_AGENTS = ("node-agent", "node-agent-windows")  # the DaemonSets whose pods data-mover pods copy
OVERLAP_PAIRS_MAX = 200  # 20 rules' worth of pairs; beyond that the warning list is noise anyway
# Pairs looked at, at most: n rules make n²/2 pairs, and a ConfigMap holds 10,000 rules (0.8 MB):
# listing every pair took 19 s and 1.8 GB, enough to have the pod killed.
OVERLAP_SCAN_MAX = 20_000


def _nodes(ctx: Context) -> NodeIndexView | None:
    return ctx.cluster.nodes


def check_nodes(ctx: Context, out: Findings) -> None:
    nodes = _nodes(ctx)
    if nodes is None:
        return
    rules = valid_rules(ctx.config)
    for rule in rules:
        if first_match(rule.selector, nodes) is None:
            out.warn(
                RULES.index(rule.index),
                f"nodeSelector matches none of the {len(nodes)} nodes: the rule has no effect",
            )
    _overlaps(rules, nodes, out)
    _affinity_matches(ctx.section("loadAffinity"), nodes, out)


def _overlaps(rules: list[Rule], nodes: NodeIndexView, out: Findings) -> None:
    scanned = islice(combinations(rules, 2), OVERLAP_SCAN_MAX)
    for a, b in islice(((a, b) for a, b in scanned if a.number != b.number), OVERLAP_PAIRS_MAX):
        node = first_match(a.selector & b.selector, nodes)
        if node is not None:
            low = min(a.number, b.number)
            out.warn(
                RULES.index(b.index),
                f'overlaps perNodeConfig[{a.index}] on node "{node}" '
                f"(maybe more): it gets {low}, the smaller of {a.number} and {b.number}",
            )


def _affinity_matches(entries: Any, nodes: NodeIndexView, out: Findings) -> None:
    for i, entry in enumerate(entries or []):
        selector = build((entry or {}).get("nodeSelector") or {}, AFFINITY_OPERATORS)
        if entry is None or selector is None or selector.everything:
            continue
        if first_match(selector, nodes) is None:
            out.warn(
                f.ROOT.child("loadAffinity").index(i),
                f"nodeSelector matches none of the {len(nodes)} nodes: data-mover pods using it cannot run",
            )


def _storage_class_uses(ctx: Context) -> Iterator[tuple[f.FieldPath, str]]:
    for i, entry in enumerate(ctx.section("loadAffinity") or []):
        if entry and entry.get("storageClass"):
            yield f.ROOT.child("loadAffinity").index(i).child("storageClass"), entry["storageClass"]
    for sc, item in (ctx.section("backupPVC") or {}).items():
        yield f.ROOT.child("backupPVC").key(sc), sc
        if isinstance(item, dict) and item.get("storageClass"):
            yield f.ROOT.child("backupPVC").key(sc).child("storageClass"), item["storageClass"]
    cache = ctx.section("cachePVC") or {}
    if cache.get("storageClass"):
        yield f.ROOT.child("cachePVC").child("storageClass"), cache["storageClass"]


def check_storage_classes(ctx: Context, out: Findings) -> None:
    classes = ctx.cluster.storage_classes
    if classes is None:
        return
    for path, name in _storage_class_uses(ctx):
        if name not in classes:
            out.warn(path, f'StorageClass "{name}" does not exist in the cluster')
    cache = ctx.section("cachePVC") or {}
    info = classes.get(cache.get("storageClass", ""))
    if info is not None and info.reclaim_policy != "Delete":
        out.warn(
            f.ROOT.child("cachePVC").child("storageClass"),
            f"reclaimPolicy is {info.reclaim_policy}, not Delete: node-agent disables the cache",
        )


check_priority_class = priority_class_check("node-agent drops it at start (default priority)")


def check_inherited_metadata(ctx: Context, out: Findings) -> None:
    """nodeagent.GetLabelValue / GetAnnotationValue: the key copied when the template has it."""
    daemonsets = [
        w for w in ctx.cluster.workloads or () if w.workload == "DaemonSet" and w.name in NODE_AGENTS
    ]
    check_lost_inheritance(ctx, daemonsets, "data-mover pods", lambda template, key: key in template, out)
