"""The webhook's inventory when its API server is away: at start, and across a restart (issue 8).

A second kube-apiserver on the session's etcd is the one this module's webhook watches, so it can be
started late and restarted without disturbing the session's apiserver (whose metrics the latency
report reads). While it is down, the session's apiserver changes a Node: the same etcd, so the
watching apiserver, once back, must deliver the change. The webhook is asked directly, as kube-apiserver
would ask it (an AdmissionReview over TLS), and it is never restarted: its pid stays the same.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.e2e.cluster import ApiServer
from tests.e2e.manifests import NAMESPACES, admission_review, configmap
from tests.e2e.processes import poll
from tests.e2e.session import NODES, Cluster, start_webhook
from tests.e2e.webhook_server import WebhookServer

pytestmark = pytest.mark.e2e

LABEL = "fault-test"
RULE = {
    "loadConcurrency": {
        "globalConfig": 2,
        "perNodeConfig": [{"nodeSelector": {"matchLabels": {LABEL: "yes"}}, "number": 1}],
    }
}
NO_MATCH = "loadConcurrency.perNodeConfig[0]: nodeSelector matches none of the"
SKIPPED = "cluster checks skipped:"
RELABELLED = "node-b"
# After an outage the reflectors retry with a backoff capped at 30 s (and a freshly started apiserver
# may answer 403 until its RBAC cache has synced): converging can take that long.
CONVERGE_TIMEOUT = 90


@dataclass
class Watched:
    cluster: Cluster
    apiserver: ApiServer  # the one the webhook below watches; may be down
    webhook: WebhookServer
    pid: int

    def warnings(self) -> list[str]:
        review = admission_review(str(uuid.uuid4()), configmap("node-agent-config", NAMESPACES[0], RULE))
        response = self.webhook.review(review)
        assert response["allowed"] is True, response
        return list(response.get("warnings") or [])

    def ready(self) -> tuple[int, str]:
        return self.webhook.probe("/readyz")

    def converged(self, *, matched: bool) -> bool:
        """In sync with the cluster: no check skipped, and the rule matches a node or not, as expected."""
        warnings = self.warnings()
        unmatched = f"{NO_MATCH} {len(NODES)} nodes: the rule has no effect" in warnings
        return not any(w.startswith(SKIPPED) for w in warnings) and unmatched != matched

    def wait_converged(self, *, matched: bool) -> None:
        if not poll(lambda: self.converged(matched=matched), CONVERGE_TIMEOUT, 0.5):
            raise AssertionError(f"not converged: {self.warnings()}\n{self.webhook.tail()}")

    def up(self) -> None:
        if not self.apiserver.running:
            self.apiserver.start()
            self.apiserver.wait_ready()


@pytest.fixture(scope="module")
def watched(cluster: Cluster) -> Iterator[Watched]:
    """A webhook started while its API server is not running yet."""
    apiserver = ApiServer("kube-apiserver-b", cluster.workdir, cluster.etcd, cluster.pki)
    webhook = start_webhook(cluster, "webhook-b", apiserver, ready=False)
    try:
        webhook.wait_serving()
        assert webhook.proc is not None
        yield Watched(cluster, apiserver, webhook, webhook.proc.pid)
    finally:
        webhook.stop()
        apiserver.stop()
        cluster.kubectl.ok("label", "node", RELABELLED, f"{LABEL}-")


def test_with_the_api_server_down_at_start_it_serves_and_says_why_it_is_not_ready(watched: Watched) -> None:
    if watched.apiserver.running:
        pytest.fail("the API server of this module was started before this test", pytrace=False)
    status, body = watched.ready()
    assert status == 503, body
    for why in ("node inventory not synced yet", "API server unreachable", "Connection refused"):
        assert why in body, body
    warnings = watched.warnings()
    assert any(w.startswith(SKIPPED) for w in warnings), warnings
    assert not any(w.startswith(NO_MATCH) for w in warnings), warnings


def test_once_the_api_server_is_up_the_inventory_fills_without_a_restart(watched: Watched) -> None:
    watched.up()
    assert poll(lambda: watched.ready()[0] == 200, CONVERGE_TIMEOUT), watched.ready()
    watched.wait_converged(matched=False)
    assert watched.webhook.proc is not None and watched.webhook.proc.pid == watched.pid


def test_a_label_changed_while_the_api_server_was_restarting_is_seen_afterwards(watched: Watched) -> None:
    watched.up()
    watched.wait_converged(matched=False)
    # SIGTERM, then SIGKILL after 5 s: a stopping kube-apiserver holds open watches for long
    watched.apiserver.stop(timeout=5)
    watched.cluster.kubectl.ok("label", "node", RELABELLED, f"{LABEL}=yes")  # through the other apiserver
    # Still answered meanwhile: from what was listed before, or saying the node checks were skipped
    # once the failures count (never the new label, which the webhook cannot know yet).
    meanwhile = watched.warnings()
    assert any(w.startswith((NO_MATCH, SKIPPED)) for w in meanwhile), meanwhile
    watched.up()
    watched.wait_converged(matched=True)
    assert watched.ready()[0] == 200
    assert watched.webhook.proc is not None and watched.webhook.proc.pid == watched.pid
