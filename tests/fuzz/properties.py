"""What must hold for every input the fuzzers try: a Verdict, a Decision within the apiserver's limits.

`decide` runs one ConfigMap through `check_write` (which calls `evaluate_configmap`) as the server
does, against a small cluster that has nodes, StorageClasses, PriorityClasses and node-agent
DaemonSets, so the cluster checks and the per-node concurrency run too. `check_decision` states the
properties; an exception anywhere (engine or check) is a failure.
"""

from __future__ import annotations

import random
from typing import Any

import orjson

from tests.engine.nodeagent import evaluate_config, node_agent_daemonset
from webhook.admission.review.message import ERROR_LIMIT, MESSAGE_LIMIT
from webhook.admission.review.respond import from_decision
from webhook.admission.review.warnings import ITEM_LIMIT, TOTAL_LIMIT
from webhook.engine import (
    NEWEST,
    OLDEST,
    ClusterView,
    Decision,
    FieldError,
    FieldValidation,
    Gap,
    Options,
    Request,
    StorageClassInfo,
    Targeting,
    Verdict,
    Version,
    check_write,
)
from webhook.inventory import NodeIndex

NODES = [
    (f"node-{i}", {"kubernetes.io/os": "linux", "kubernetes.io/arch": arch, "cpu-count": str(2**i)})
    for i, arch in enumerate(["amd64", "arm64", "amd64", "amd64"])
]
CLUSTER = ClusterView(
    nodes=NodeIndex.build(NODES),
    storage_classes={n: StorageClassInfo(n, p) for n, p in [("gp3", "Delete"), ("gp3-backup", "Retain")]},
    priority_classes=["velero-critical"],
    workloads=[node_agent_daemonset(velero_version="1.18.2", template_labels={"app": "x"})],
)
UNAVAILABLE = ClusterView(gaps=(Gap("nodes", "nodes", "the API server is unreachable"),))
CLUSTERS = [CLUSTER, CLUSTER, ClusterView(), UNAVAILABLE]
VERSIONS = [None, OLDEST, Version(1, 15, 0), Version(1, 17, 0), NEWEST, Version(2, 0, 0)]
CONTROL = {chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]}
CONFIGMAP = "node-agent-config"


def targeting(rng: random.Random) -> Targeting:
    """Every Velero version path and both field validation modes get their share of the inputs."""
    return Targeting(
        velero_version=rng.choice(VERSIONS),
        field_validation=rng.choice([FieldValidation.STRICT, FieldValidation.WARN]),
    )


def decide(
    cm: dict[str, Any], rng: random.Random | None = None, cluster: ClusterView | None = None
) -> Decision:
    """`rng` picks the cluster and the targeting; without it, CLUSTER and the defaults."""
    request = Request("velero", CONFIGMAP, cm, old_object={"data": {}})
    if rng is None:
        return check_write(request, cluster or CLUSTER, Targeting())
    return check_write(request, cluster or rng.choice(CLUSTERS), targeting(rng))


def check_decision(decision: Decision, wire: bool = True) -> None:
    """`wire`: the input could have come over the wire (UTF-8 encodable), so the output must be too.
    The decision is checked as the admission layer renders it for the apiserver."""
    assert decision.applies
    [verdict] = decision.verdicts
    assert isinstance(verdict, Verdict)
    assert all(isinstance(e, FieldError) for e in verdict.errors)
    assert decision.allowed == verdict.allowed == (not decision.errors)
    response = from_decision("uid", CONFIGMAP, decision)["response"]
    warnings = response.get("warnings", [])
    message = response["status"]["message"] if "status" in response else ""
    check_warnings(warnings)
    check_message(decision, message)
    effect = verdict.effect
    assert effect is not None and all(row[1] >= 1 for row in effect.rows())  # explain must not raise
    if wire:
        orjson.dumps({"message": message, "warnings": warnings})


def check_warnings(warnings: Any) -> None:
    """The apiserver's 256 and 4096 rune limits (webhook.admission.review.warnings), one line each,
    no repeats."""
    assert all(isinstance(w, str) and w for w in warnings)
    assert all(len(w) <= ITEM_LIMIT for w in warnings)
    assert sum(len(w) for w in warnings) <= TOTAL_LIMIT
    assert not any(CONTROL & set(w) for w in warnings)
    assert len(set(warnings)) == len(warnings)


def check_message(decision: Decision, message: str, name: str = CONFIGMAP) -> None:
    """apimachinery's NewInvalid form, naming every error, or as many as fit in MESSAGE_LIMIT and
    then how many more (an error too long to show whole shows the start of its value); empty when
    the ConfigMap is allowed."""
    if decision.allowed:
        assert message == ""
        return
    assert message.startswith(f'ConfigMap "{name}" is invalid: ')
    assert len(message.encode("utf-8", "surrogatepass")) <= MESSAGE_LIMIT
    missing = [e for e in decision.errors if str(e) not in message]
    cut = message.endswith("node-agent-webhook validate lists them]")
    assert cut or all(len(str(e)) > ERROR_LIMIT for e in missing)


def check_bare(text: str) -> None:
    """The CLI's path: a bare config file, without a ConfigMap around it."""
    verdict = evaluate_config(text, CLUSTER, Options())
    assert isinstance(verdict, Verdict)
    assert all(isinstance(str(e), str) for e in verdict.errors)


def wire_safe(cm: Any) -> bool:
    try:
        orjson.dumps(cm)
    except TypeError:
        return False
    return True
