"""The names the chart sends are checked from the start; the node-agent DaemonSet says which Velero.

The chart sends `custom-name` to the webhook (velero.extraConfigMapNames) and the server checks it
before any node-agent DaemonSet names it (issue 11: it used to be let through unchecked until then).
The DaemonSet's image tag says which Velero reads the config, so fields that Velero 1.16.2 does not
know become warnings. The DaemonSet lives in the second Velero namespace and is deleted afterwards,
and the test waits until the inventory has forgotten it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.kubectl import Result
from tests.e2e.manifests import NAMESPACES, configmap, node_agent_daemonset
from tests.e2e.processes import poll
from tests.e2e.session import EXTRA_NAME, WEBHOOK_NAME, Cluster

pytestmark = pytest.mark.e2e

NS = NAMESPACES[1]
IMAGE = "velero/velero:v1.16.2"
BAD = {"loadConcurrency": {"globalConfig": 0}}
NEWER_FIELDS = {
    "loadConcurrency": {"globalConfig": 2},
    "priorityClassName": "velero-critical",
    "cachePVC": {"storageClass": "standard", "residentThresholdInMB": 10},
}
# Velero 1.16.2 ignores these fields: warnings, not errors, for a config that is otherwise valid
VERSION_WARNINGS = [
    "cachePVC: ignored by Velero 1.16.2; added in 1.18",
    "priorityClassName: ignored by Velero 1.16.2; added in 1.17",
]


def apply_custom(cluster: Cluster, config: object, *flags: str) -> Result:
    return cluster.kubectl.apply(configmap(EXTRA_NAME, NS, config), *flags)


def read_as_1_16(cluster: Cluster) -> bool:
    """Whether the webhook checks custom-name against the DaemonSet's Velero 1.16.2."""
    result = apply_custom(cluster, NEWER_FIELDS, "--dry-run=server")
    return all(warning in result.warnings for warning in VERSION_WARNINGS)


@pytest.fixture
def node_agent(clean: Cluster) -> Iterator[Cluster]:
    daemonset = node_agent_daemonset(NS, IMAGE, [f"--node-agent-configmap={EXTRA_NAME}"])
    clean.kubectl.apply_ok(daemonset)
    try:
        assert poll(lambda: read_as_1_16(clean), 30), "the inventory never saw the DaemonSet"
        yield clean
    finally:
        clean.kubectl.ok("delete", "daemonset", "node-agent", "-n", NS, "--ignore-not-found")
        assert poll(lambda: not read_as_1_16(clean), 30), "the inventory never saw the DaemonSet go"


def test_without_a_daemonset_naming_it_custom_name_is_checked_all_the_same(clean: Cluster) -> None:
    result = apply_custom(clean, BAD, "--dry-run=server")
    assert result.rc == 1, str(result)
    assert "loadConcurrency.globalConfig: Invalid value: 0" in result.stderr


def test_the_configmap_named_by_the_daemonset_is_checked(node_agent: Cluster) -> None:
    result = apply_custom(node_agent, BAD)
    assert result.rc == 1, str(result)
    assert f'admission webhook "{WEBHOOK_NAME}" denied the request:' in result.stderr
    assert "loadConcurrency.globalConfig: Invalid value: 0" in result.stderr


def test_fields_newer_than_the_daemonsets_velero_are_warnings(node_agent: Cluster) -> None:
    result = apply_custom(node_agent, NEWER_FIELDS)
    assert result.rc == 0, str(result)
    for warning in VERSION_WARNINGS:
        assert warning in result.warnings, result.stderr
