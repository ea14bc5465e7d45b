"""Every kind of Decision, through the ASGI app and the real engine, as a table of sentences."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from admission_support import NODES, FakeInventory, admission_review, client, configmap, example, post

from tests.engine.nodeagent import node_agent_daemonset
from webhook.engine import ClusterView, Targeting

GOOD = {"loadConcurrency": {"globalConfig": 2}}
GOOD_V2 = {"loadConcurrency": {"globalConfig": 3}}
BAD = {"loadConcurrency": {"globalConfig": "2"}}
READER = node_agent_daemonset(configmap="node-agent-config", velero_version="1.17.1")
WITH_DAEMONSET = replace(NODES, workloads=[READER])


def relabelled(cm: dict[str, Any]) -> dict[str, Any]:
    return {**cm, "metadata": {**cm["metadata"], "labels": {"team": "storage"}}}


@dataclass
class Case:
    review: dict[str, Any]
    allowed: bool
    denied_with: tuple[str, ...] = ()  # substrings of status.message
    warned: tuple[str, ...] = ()  # substrings, each of some warning
    no_warnings: bool = False
    cluster: ClusterView = NODES
    targeting: Targeting = field(default_factory=Targeting)


CASES = {
    "a config with errors is denied, every error in one message": Case(
        example("review-deny.json"),
        allowed=False,
        denied_with=(
            'ConfigMap "node-agent-config" is invalid: [',
            "loadConcurrency.globalConfig",
            "operator",
        ),
    ),
    "a rule that matches no node is allowed with a warning": Case(
        example("review-warn.json"), allowed=True, warned=("matches none of the 6 nodes",)
    ),
    "a ConfigMap with another name is allowed untouched": Case(
        admission_review("CREATE", configmap(BAD, name="something-else")), allowed=True, no_warnings=True
    ),
    "a ConfigMap outside the checked namespaces is allowed untouched": Case(
        admission_review("CREATE", configmap(BAD, namespace="default")),
        allowed=True,
        no_warnings=True,
        targeting=Targeting(namespaces=frozenset({"velero"})),
    ),
    "another kind is allowed untouched, whatever it holds": Case(
        admission_review(
            "CREATE",
            {"kind": "Secret", "metadata": {"name": "node-agent-config"}, "data": 7},
            kind={"group": "", "version": "v1", "kind": "Secret"},
        ),
        allowed=True,
        no_warnings=True,
    ),
    "a ConfigMap-named kind of another group is allowed untouched": Case(
        admission_review(
            "CREATE", configmap(BAD), kind={"group": "example.com", "version": "v1", "kind": "ConfigMap"}
        ),
        allowed=True,
        no_warnings=True,
    ),
    "a subresource is allowed untouched": Case(
        admission_review("UPDATE", configmap(BAD), configmap(GOOD), subResource="status"),
        allowed=True,
        no_warnings=True,
    ),
    "a DELETE of the ConfigMap node-agent reads is allowed with a warning": Case(
        admission_review("DELETE", None, configmap(GOOD)),
        allowed=True,
        warned=("daemonset/node-agent reads this ConfigMap",),
        cluster=WITH_DAEMONSET,
    ),
    "a DELETE of a ConfigMap nobody reads is allowed silently": Case(
        admission_review("DELETE", None, configmap(GOOD)), allowed=True, no_warnings=True
    ),
    "a dry run is decided like the real thing": Case(
        admission_review("CREATE", configmap(BAD), dry_run=True), allowed=False, denied_with=("globalConfig",)
    ),
    "an UPDATE that breaks the config is denied": Case(
        admission_review("UPDATE", configmap(BAD), configmap(GOOD)),
        allowed=False,
        denied_with=("globalConfig",),
    ),
    "an UPDATE that changes the config reminds to restart node-agent": Case(
        admission_review("UPDATE", configmap(GOOD_V2), configmap(GOOD)),
        allowed=True,
        warned=("rollout restart daemonset/node-agent",),
        cluster=WITH_DAEMONSET,
    ),
    "an UPDATE of labels only does not remind to restart": Case(
        admission_review("UPDATE", relabelled(configmap(GOOD)), configmap(GOOD)),
        allowed=True,
        no_warnings=True,
        cluster=WITH_DAEMONSET,
    ),
    "a CONNECT is allowed untouched": Case(
        admission_review("CONNECT", configmap(BAD)), allowed=True, no_warnings=True
    ),
    "a name given only in the object is still checked": Case(
        admission_review("CREATE", configmap(BAD), name=""), allowed=False, denied_with=("globalConfig",)
    ),
    "a name listed with --configmap-name is checked": Case(
        admission_review("CREATE", configmap(BAD, name="my-node-agent")),
        allowed=False,
        denied_with=('ConfigMap "my-node-agent" is invalid',),
        targeting=Targeting(names={"node-agent": frozenset({"my-node-agent"})}),
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_decision(case: Case) -> None:
    with client(FakeInventory(case.cluster), targeting=case.targeting) as c:
        http = post(c, case.review)
    assert http.status_code == 200
    response = http.json()["response"]
    assert response["uid"] == case.review["request"]["uid"]
    assert response["allowed"] is case.allowed
    if case.allowed:
        assert "status" not in response
    else:
        assert response["status"]["code"] == 422
        assert response["status"]["reason"] == "Invalid"
        for text in case.denied_with:
            assert text in response["status"]["message"]
    warnings = response.get("warnings", [])
    for text in case.warned:
        assert any(text in w for w in warnings), warnings
    if case.no_warnings:
        assert "warnings" not in response
    assert "patch" not in response and "patchType" not in response
