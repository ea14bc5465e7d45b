"""The real server with a live inventory: list-then-watch against a small fake API server.

One story, in the order a cluster tells it: the API server is down when the webhook starts (it answers,
not ready, and says node checks were skipped), comes up refusing PriorityClasses (node checks are made
at once, and the warning names only the kind still unknown), then grants them (the inventory fills
without a restart), a
node's labels change (the watch brings it), a change whose event was compacted away arrives behind a
410 Gone (only a relist sees it), and a watch is cut mid-stream (the reflector resumes). After each
step the webhook's answer to the example warning review is what the cluster says at that moment.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from process_support import review_body, wait_until
from tls_process import Pki, WebhookProcess, client_context, once

from tests.inventory.fakeapi import FakeApiServer, FakeCluster, forbidden, node

pytestmark = pytest.mark.timeout(120)

TYPE = "node.kubernetes.io/instance-type"
# review-warn.json's second rule selects p5.48xlarge nodes; none at first
NO_GPU_NODE = (
    "loadConcurrency.perNodeConfig[1]: nodeSelector matches none of the {} nodes: the rule has no effect"
)


def warnings(server: WebhookProcess) -> list[str]:
    reply = once(
        server.port, client_context(server.pki.ca_file), "POST", "/validate", review_body("warn", "live")
    )
    assert reply.status == 200 and reply.body["response"]["allowed"] is True
    return list(reply.body["response"].get("warnings", []))


def wait_for_answer(server: WebhookProcess, has: str | None, lacks: str | None, what: str) -> None:
    """Until a warning holds `has` and none holds `lacks` (phrases)."""

    def answered() -> bool:
        got = warnings(server)
        return (has is None or any(has in w for w in got)) and (
            lacks is None or not any(lacks in w for w in got)
        )

    wait_until(answered, 60, what, step=0.2)


def test_the_inventory_follows_the_cluster(pki: Pki, tmp_path: Path) -> None:
    cluster = FakeCluster()
    for name, kind in (("node-0", "r6g.4xlarge"), ("node-1", "r6g.4xlarge"), ("node-2", "m6i.xlarge")):
        cluster.put("nodes", node(name, {TYPE: kind, "kubernetes.io/os": "linux"}))
    api = FakeApiServer(cluster).start()
    kubeconfig = api.kubeconfig(tmp_path / "kubeconfig")
    api.stop()  # down when the webhook starts; restarted later on the same port
    try:
        with WebhookProcess(pki, "--kubeconfig", str(kubeconfig), ready=False) as server:
            not_ready = once(server.port, client_context(pki.ca_file), "GET", "/readyz")
            assert not_ready.status == 503
            assert not_ready.body["reason"].startswith("node inventory not synced yet")
            assert any(w.startswith("cluster checks skipped: ") for w in warnings(server))

            api.forbidden.add("priorityclasses")
            api.start()
            server.wait_until_ready(timeout=60)
            # ready once the nodes are listed, and their checks made while PriorityClasses are refused
            only_priority = (
                f"cluster checks skipped: priority classes unknown: HTTP 403: {forbidden('priorityclasses')}"
            )
            wait_for_answer(server, NO_GPU_NODE.format(3), None, "node checks with the nodes listed")
            wait_for_answer(server, only_priority, None, "a warning naming the kind refused")
            api.forbidden.clear()
            wait_for_answer(
                server, NO_GPU_NODE.format(3), "cluster checks skipped", "every kind listed again"
            )

            cluster.set_labels("node-2", {TYPE: "p5.48xlarge"})
            wait_for_answer(server, None, NO_GPU_NODE.format(3), "the watch to bring the new label")

            lists_before = _lists(api)
            cluster.set_labels("node-2", {TYPE: "m6i.xlarge"}, event=False)  # compacted: no event
            api.gone_next_watches(1)
            api.kick_watches()
            wait_for_answer(server, NO_GPU_NODE.format(3), None, "a relist after 410 to see the change")
            assert _lists(api) > lists_before

            api.drop_watches()
            cluster.put("nodes", node("node-3", {TYPE: "p5.48xlarge"}))
            wait_for_answer(server, None, NO_GPU_NODE.format(4), "the watch to resume after the cut")
            assert not any("cluster checks skipped" in w for w in warnings(server))
    finally:
        api.stop()


def _lists(api: FakeApiServer) -> int:
    return sum(1 for path, query, _ in api.requests if path == "/api/v1/nodes" and "watch" not in query)
