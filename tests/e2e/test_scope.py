"""What kube-apiserver sends to the webhook, and what it never sends.

The chart scopes the webhook configuration to the Velero namespaces (namespaceSelector) and to the
node-agent ConfigMap names (matchConditions, kube-root-ca.crt excluded by name), so with
failurePolicy Fail the rest of the cluster never depends on the webhook. The webhook's own request
counter shows it: writes out of scope leave it where it was; one write in scope moves it by one, which
proves the counter is the right witness. kube-apiserver's per-webhook request counter must agree.
"""

from __future__ import annotations

import pytest

from tests.e2e.manifests import NAMESPACES, OTHER_NAMESPACE, configmap
from tests.e2e.session import WEBHOOK_NAME, Cluster
from tests.e2e.webhook_server import sum_samples

pytestmark = pytest.mark.e2e

WEBHOOK_COUNTER = "node_agent_webhook_admission_requests_total"
APISERVER_COUNTER = "apiserver_admission_webhook_request_total"
BAD = {"loadConcurrency": {"globalConfig": 0}}  # denied wherever the webhook is asked
OUT_OF_SCOPE = [
    ("a node-agent-config in a namespace that is not Velero's", "node-agent-config", OTHER_NAMESPACE),
    ("another ConfigMap name in a Velero namespace", "app-settings", NAMESPACES[0]),
    ("kube-root-ca.crt in a Velero namespace", "kube-root-ca.crt", NAMESPACES[0]),
    ("kube-root-ca.crt in another namespace", "kube-root-ca.crt", OTHER_NAMESPACE),
]


def calls(cluster: Cluster) -> tuple[float, float]:
    """(what the webhook counted, what kube-apiserver counted for it)."""
    seen = cluster.webhook.metric(WEBHOOK_COUNTER)
    sent = sum_samples(cluster.apiserver.get("/metrics"), APISERVER_COUNTER, {"name": WEBHOOK_NAME})
    return seen, sent


def write_create_update_delete(cluster: Cluster, name: str, namespace: str) -> None:
    """Create, update and delete, each allowed: a BAD config passes only where the webhook is not asked."""
    kubectl = cluster.kubectl
    kubectl.apply_ok(configmap(name, namespace, BAD))
    kubectl.apply_ok(configmap(name, namespace, {**BAD, "changed": True}))
    kubectl.ok("delete", "configmap", name, "-n", namespace)


@pytest.mark.parametrize(("case", "name", "namespace"), OUT_OF_SCOPE, ids=[c[0] for c in OUT_OF_SCOPE])
def test_configmaps_out_of_scope_never_reach_the_webhook(
    clean: Cluster, case: str, name: str, namespace: str
) -> None:
    before = calls(clean)
    write_create_update_delete(clean, name, namespace)
    assert calls(clean) == before, case


def test_a_node_agent_configmap_write_reaches_the_webhook_once(clean: Cluster) -> None:
    seen, sent = calls(clean)
    result = clean.kubectl.apply(configmap("node-agent-config", NAMESPACES[0], BAD))
    assert result.rc == 1, str(result)
    assert calls(clean) == (seen + 1, sent + 1)


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_each_velero_namespace_is_served_by_the_one_webhook(clean: Cluster, namespace: str) -> None:
    denied = clean.kubectl.apply(configmap("node-agent-config", namespace, BAD))
    assert denied.rc == 1 and f'admission webhook "{WEBHOOK_NAME}" denied' in denied.stderr, str(denied)
    allowed = clean.kubectl.apply(
        configmap("node-agent-config", namespace, {"loadConcurrency": {"globalConfig": 1}})
    )
    assert allowed.rc == 0, str(allowed)
    assert clean.kubectl.exists("configmap", "node-agent-config", namespace)
