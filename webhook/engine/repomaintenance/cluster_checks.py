"""What the cluster contradicts in one key's config: a PriorityClass that does not exist, labels the
job pods stop inheriting from deployment/velero, node affinity no node meets. Only warnings: the
cluster changes after the config is written, and an inventory can lag.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings
from webhook.engine.core.inheritance import check_lost_inheritance
from webhook.engine.core.references import priority_class_check
from webhook.engine.core.selectors import AFFINITY_OPERATORS, Selector, build, first_match
from webhook.engine.repomaintenance.load_affinity import PATH as AFFINITY
from webhook.engine.repomaintenance.load_affinity import is_empty, used

SERVER = "velero"  # buildJob reads the Deployment of this name, whatever the install called others


# getPriorityClassName (v1.17+) logs a warning and keeps the name ("let Kubernetes handle the error")
check_priority_class = priority_class_check("Velero keeps the name and the job pod is refused")


def check_inherited_metadata(ctx: Context, out: Findings) -> None:
    """buildJob (v1.18): without podLabels (podAnnotations) the job pod copies the allowlisted key
    from deployment/velero's pod template when its value is not empty."""
    servers = [w for w in ctx.cluster.workloads or () if w.workload == "Deployment" and w.name == SERVER]
    check_lost_inheritance(ctx, servers, "maintenance job pods", _non_empty, out)


def _non_empty(template: Mapping[str, str], key: str) -> bool:
    return bool(template.get(key))  # GetVeleroServerLabelValue(...) != ""


def check_nodes(ctx: Context, out: Findings) -> None:
    """Each node selector term that no node meets; when none can place the job, it stays Pending."""
    nodes, entries = ctx.cluster.nodes, ctx.section("loadAffinity")
    if nodes is None or not isinstance(entries, list):
        return
    terms = [(i, _selector(e)) for i, e in enumerate(used(entries, ctx.version))]
    placed = [(i, s) for i, s in terms if s is not None]
    unmet = [i for i, s in placed if first_match(s, nodes) is None]
    some_placed = len(unmet) < len(placed)
    cost = "this term never applies" if some_placed else "the maintenance job cannot be scheduled"
    for i in unmet:
        out.warn(AFFINITY.index(i), f"nodeSelector matches none of the {len(nodes)} nodes: {cost}")


def _selector(entry: Any) -> Selector | None:
    """The term Velero builds from an element; None where there is none to match (null, empty, invalid)."""
    if entry is None or is_empty(entry):
        return None
    return build(entry.get("nodeSelector") or {}, AFFINITY_OPERATORS)
