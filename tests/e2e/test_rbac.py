"""The chart's RBAC is all the webhook's inventory needs, and it needs no more than the chart grants.

The session's webhook authenticates with a token of the chart's own ServiceAccount, so any kind its
inventory cannot list would show as a `cluster checks skipped: ... forbidden` warning. And the same
account must not be able to read what the webhook never needs (ConfigMaps and Secrets come in the
review, never through the API).
"""

from __future__ import annotations

import pytest

from tests.e2e.manifests import NAMESPACES, configmap
from tests.e2e.processes import poll
from tests.e2e.session import FULLNAME, Cluster

pytestmark = pytest.mark.e2e

ACCOUNT = f"system:serviceaccount:{NAMESPACES[0]}:{FULLNAME}"
# (verb, resource, namespace or "" for cluster scope, allowed?)
ACCESS = [
    ("list", "nodes", "", True),
    ("watch", "nodes", "", True),
    ("list", "storageclasses.storage.k8s.io", "", True),
    ("list", "priorityclasses.scheduling.k8s.io", "", True),
    ("watch", "daemonsets.apps", NAMESPACES[0], True),
    ("watch", "daemonsets.apps", NAMESPACES[1], True),
    ("list", "daemonsets.apps", "default", False),
    ("watch", "deployments.apps", NAMESPACES[0], True),
    ("list", "deployments.apps", "default", False),
    ("watch", "backupstoragelocations.velero.io", NAMESPACES[0], True),
    ("watch", "backuprepositories.velero.io", NAMESPACES[0], True),
    ("list", "backups.velero.io", NAMESPACES[0], False),
    ("get", "configmaps", NAMESPACES[0], False),
    ("list", "secrets", NAMESPACES[0], False),
    ("update", "nodes", "", False),
]


def skipped(cluster: Cluster) -> list[str]:
    result = cluster.kubectl.apply(configmap("node-agent-config", NAMESPACES[0], {}), "--dry-run=server")
    assert result.rc == 0, str(result)
    return [w for w in result.warnings if w.startswith("cluster checks skipped")]


def test_with_the_charts_rbac_no_cluster_check_is_skipped(clean: Cluster) -> None:
    assert poll(lambda: not skipped(clean), 30), skipped(clean)


@pytest.mark.parametrize(("verb", "resource", "namespace", "allowed"), ACCESS)
def test_the_charts_service_account_may_do_exactly_this(
    cluster: Cluster, verb: str, resource: str, namespace: str, allowed: bool
) -> None:
    scope = ["-n", namespace] if namespace else []
    result = cluster.kubectl("auth", "can-i", verb, resource, *scope, f"--as={ACCOUNT}")
    assert result.stdout.strip() == ("yes" if allowed else "no"), str(result)
