"""The repository maintenance kind over the bulk fuzzers' inputs: every one must get a decision within
the apiserver's limits, and its explanation must not raise.

The texts of generate.draw (random JSON, deep nesting, huge values, odd keys, large maps, invalid
UTF-8 and odd ConfigMaps) are put under the data keys this kind reads (`global`, repository keys,
keys of no shape, keys that read two ways), with a bent JobConfigs as the near-valid class, against a
cluster that has every part this kind checks. `draw_maintenance(class, seed)` replays a failure.
"""

from __future__ import annotations

import random
import traceback
from typing import Any

import orjson
import pytest

from tests.fuzz.generate import CLASSES, bend, draw
from tests.fuzz.properties import NODES, check_message, check_warnings, targeting, wire_safe
from tests.fuzz.tally import TALLY
from webhook.admission.review.respond import from_decision
from webhook.engine import (
    BackupRepositoryInfo,
    ClusterView,
    Decision,
    FieldError,
    Gap,
    Request,
    Targeting,
    VeleroWorkload,
    check_write,
)
from webhook.inventory import NodeIndex

NAME = "repo-maintenance-config"
FULL_CONFIG: dict[str, Any] = {
    "loadAffinity": [
        {"nodeSelector": {"matchLabels": {"kubernetes.io/os": "linux"}}, "storageClass": "gp3"},
        {"nodeSelector": {"matchExpressions": [{"key": "cpu-count", "operator": "Gt", "values": ["2"]}]}},
    ],
    "podResources": {
        "cpuRequest": "100m", "cpuLimit": "1", "memoryRequest": "128Mi", "memoryLimit": "1Gi",
        "ephemeralStorageRequest": "1Gi", "ephemeralStorageLimit": "0",
    },
    "keepLatestMaintenanceJobs": 3,
    "priorityClassName": "velero-critical",
    "podLabels": {"team": "storage"},
    "podAnnotations": {"example.com/owner": "ops"},
}  # fmt: skip
KEYS = ["global", "app-default-kopia", "my-eu-west-kopia", "web-west-restic", "Global", "config.json"]
_FULL = orjson.dumps(FULL_CONFIG)
SERVER = VeleroWorkload(
    "velero", "velero", "Deployment", {"--repo-maintenance-job-configmap": NAME}, "1.18.2",
    {"azure.workload.identity/use": "true"}, {"iam.amazonaws.com/role": "backup"},
)  # fmt: skip
CLUSTER = ClusterView(
    nodes=NodeIndex.build(NODES),
    priority_classes=["velero-critical"],
    workloads=[SERVER],
    storage_locations=[("velero", "default"), ("velero", "west"), ("velero", "eu-west")],
    repositories=[BackupRepositoryInfo("velero", "app-default-kopia", "app", "default", "kopia")],
)
CLUSTERS = [
    CLUSTER,
    CLUSTER,
    ClusterView(),
    ClusterView(gaps=(Gap("nodes", "nodes", "the API server is unreachable"),)),
]
COUNTS = dict.fromkeys(CLASSES, 1_500) | {"random JSON": 3_000, "large maps and lists": 300}
NEAR_VALID = "near-valid bent at one spot"
SHOWN = 3


def draw_maintenance(kind: str, seed: int) -> dict[str, Any]:
    """The fuzzers' ConfigMap number `seed`, its texts under this kind's keys."""
    rng = random.Random(f"maintenance/{kind}/{seed}")
    cm = draw(kind, seed)
    data = cm.get("data")
    if not isinstance(data, dict) or (kind == "invalid UTF-8 and odd ConfigMaps" and rng.random() < 0.5):
        return cm
    texts = [bend(rng, orjson.loads(_FULL)) if kind == NEAR_VALID else v for v in data.values()]
    texts += [bend(rng, orjson.loads(_FULL))] if rng.random() < 0.3 else []
    keys = rng.sample(KEYS, min(len(texts), len(KEYS))) + [
        f"extra-{i}" for i in range(len(texts) - len(KEYS))
    ]
    return {**cm, "data": dict(zip(keys, texts, strict=True))}


def decide(cm: dict[str, Any], rng: random.Random) -> Decision:
    request = Request("velero", NAME, cm, old_object={"data": {}})
    configured = targeting(rng)
    names = {"repo-maintenance": frozenset({NAME})}
    chosen = Targeting(names, None, configured.velero_version, configured.field_validation)
    return check_write(request, rng.choice(CLUSTERS), chosen)


def check(decision: Decision, wire: bool) -> None:
    assert decision.applies
    [verdict] = decision.verdicts
    assert all(isinstance(e, FieldError) for e in verdict.errors)
    assert decision.allowed == verdict.allowed == (not decision.errors)
    response = from_decision("uid", NAME, decision)["response"]
    check_warnings(response.get("warnings", []))
    check_message(decision, response["status"]["message"] if "status" in response else "", NAME)
    effect = verdict.effect
    if effect is not None:
        effect.rows()
        effect.as_json()
    if wire:
        orjson.dumps(response)


@pytest.mark.slow
@pytest.mark.parametrize("kind", CLASSES)
def test_every_input_gets_a_verdict_within_the_limits(kind: str) -> None:
    tally, failures = TALLY[f"repo-maintenance, {kind}"], []
    for seed in range(COUNTS[kind]):
        cm = draw_maintenance(kind, seed)
        try:
            decision = decide(cm, random.Random(seed))
            check(decision, wire_safe(cm))
        except Exception as exc:  # any exception, an assertion included, is a finding
            failures.append(
                f"draw_maintenance({kind!r}, {seed}): {type(exc).__name__}\n{traceback.format_exc(limit=-4)}"
            )
            continue
        tally["inputs"] += 1
        tally["denied" if decision.errors else "allowed"] += 1
    assert not failures, f"{len(failures)} inputs failed; the first:\n" + "\n".join(failures[:SHOWN])


def test_the_full_config_is_allowed_so_each_bend_is_what_is_judged() -> None:
    cm = {"data": {"global": orjson.dumps(FULL_CONFIG).decode()}}
    request = Request("velero", NAME, cm)
    decision = check_write(request, CLUSTER, Targeting({"repo-maintenance": frozenset({NAME})}))
    assert decision.allowed, decision.errors
