"""A few hundred calls through kube-apiserver, so the latency report's p99 rests on a real sample.

The other tests make a few dozen calls, too few for a 99th percentile. One kubectl process sends a List
of server-side dry-run creates, each a separate admission call; the test checks only that every one
was answered by the webhook (timing goes to the report, never to an assertion).
"""

from __future__ import annotations

import pytest
import yaml

from tests.e2e.manifests import NAMESPACES, configmap
from tests.e2e.session import Cluster

pytestmark = pytest.mark.e2e

CALLS = 300
COUNTER = "node_agent_webhook_admission_requests_total"
CONFIG = {
    "loadConcurrency": {
        "globalConfig": 2,
        "perNodeConfig": [
            {"nodeSelector": {"matchLabels": {"topology.kubernetes.io/zone": "a"}}, "number": 3}
        ],
    }
}


def test_hundreds_of_dry_run_creates_are_each_answered_by_the_webhook(clean: Cluster) -> None:
    items = [configmap("node-agent-config", NAMESPACES[i % 2], CONFIG) for i in range(CALLS)]
    listing = yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": items})
    before = clean.webhook.metric(COUNTER)
    result = clean.kubectl("create", "--dry-run=server", "-f", "-", stdin=listing, timeout=300)
    assert result.rc == 0, str(result)
    assert result.stdout.splitlines() == ["configmap/node-agent-config created (server dry run)"] * CALLS
    assert clean.webhook.metric(COUNTER) == before + CALLS
