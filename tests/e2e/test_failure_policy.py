"""The webhook stopped, failurePolicy Fail: node-agent ConfigMap writes are refused, nothing else is.

kubectl's message when the webhook cannot be reached is what a user will paste into a search box, so
it is written to .e2e/failure-policy-message.txt for the troubleshooting docs. The webhook is started
again on the same port afterwards (the webhook configuration's URL names it), whatever happens.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.manifests import NAMESPACES, OTHER_NAMESPACE, configmap
from tests.e2e.processes import REPO
from tests.e2e.session import EXTRA_NAME, WEBHOOK_NAME, Cluster, start_webhook

pytestmark = pytest.mark.e2e

MESSAGE_FILE = REPO / ".e2e" / "failure-policy-message.txt"
GOOD = {"loadConcurrency": {"globalConfig": 2}}
EXISTING = (EXTRA_NAME, NAMESPACES[1])
REFUSED = [
    ("node-agent-config", NAMESPACES[0]),
    ("node-agent-config", NAMESPACES[1]),
    (EXTRA_NAME, NAMESPACES[0]),
]
UNTOUCHED = [
    ("node-agent-config", OTHER_NAMESPACE),
    ("app-settings", NAMESPACES[0]),
    ("kube-root-ca.crt", NAMESPACES[1]),
]


@pytest.fixture(scope="module")
def webhook_down(cluster: Cluster) -> Iterator[Cluster]:
    """Stopped once for the module, with one node-agent ConfigMap stored before (EXISTING)."""
    cluster.delete_node_agent_configmaps()
    cluster.kubectl.apply_ok(configmap(*EXISTING, GOOD))
    cluster.webhook.stop_gracefully()
    try:
        yield cluster
    finally:
        cluster.webhook = start_webhook(cluster, "webhook", cluster.apiserver, cluster.webhook_port)
        cluster.wait_webhook_called()
        cluster.delete_node_agent_configmaps()


@pytest.mark.parametrize(("name", "namespace"), REFUSED)
def test_node_agent_configmap_writes_are_refused(webhook_down: Cluster, name: str, namespace: str) -> None:
    result = webhook_down.kubectl.apply(configmap(name, namespace, GOOD))
    assert result.rc == 1, str(result)
    assert f'failed calling webhook "{WEBHOOK_NAME}"' in result.stderr
    assert "connection refused" in result.stderr
    assert not webhook_down.kubectl.exists("configmap", name, namespace)
    MESSAGE_FILE.parent.mkdir(exist_ok=True)
    MESSAGE_FILE.write_text(result.stderr)


def test_updating_or_deleting_a_stored_one_is_refused_too(webhook_down: Cluster) -> None:
    name, namespace = EXISTING
    update = webhook_down.kubectl.apply(configmap(name, namespace, {"loadConcurrency": {"globalConfig": 3}}))
    delete = webhook_down.kubectl("delete", "configmap", name, "-n", namespace)
    for result in (update, delete):
        assert result.rc == 1, str(result)
        assert f'failed calling webhook "{WEBHOOK_NAME}"' in result.stderr
    stored = webhook_down.kubectl.get_json("configmap", name, "-n", namespace)
    assert stored["data"] == configmap(name, namespace, GOOD)["data"]


@pytest.mark.parametrize(("name", "namespace"), UNTOUCHED)
def test_every_other_configmap_is_written_as_usual(webhook_down: Cluster, name: str, namespace: str) -> None:
    webhook_down.kubectl.apply_ok(configmap(name, namespace, GOOD))
    webhook_down.kubectl.ok("delete", "configmap", name, "-n", namespace)
