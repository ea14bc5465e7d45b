"""A malformed node-agent ConfigMap, as kubectl shows its refusal: every error with its field path.

The config is the one of examples/bad-config.yaml, what Velero's docs lead people to write. Each error
below is one line of the denial; the apiserver stores nothing, on create or on update, and a
server-side dry run gives the same answer.
"""

from __future__ import annotations

import pytest

from tests.e2e.manifests import NAMESPACES, configmap
from tests.e2e.session import WEBHOOK_NAME, Cluster

pytestmark = pytest.mark.e2e

BAD = {
    "prepareQueueLength": 10,
    "loadConcurrency": {
        "globalConfig": 0,
        "perNodeConfig": [
            {
                "nodeSelector": {"matchExpressions": [{"key": "zone", "operator": "in", "values": ["a"]}]},
                "number": 2,
            }
        ],
    },
    "podResources": {"memoryLimit": "1Gi"},
    "backupPVC": {"gp3": {"annotations": {"some-csi.provider.io/readOnlyClone": True}}},
}
# (field path, what the denial says about it): one row per mistake in BAD
ERRORS = [
    (
        "backupPVC[gp3].annotations[some-csi.provider.io/readOnlyClone]",
        "Invalid value: true: must be a string",
    ),
    ("loadConcurrency.globalConfig", "Invalid value: 0: must be greater than or equal to 1"),
    ("loadConcurrency.perNodeConfig[0].nodeSelector.matchExpressions[0].operator", 'Unsupported value: "in"'),
    ("podResources.cpuLimit", "Required value"),
    ("podResources.cpuRequest", "Required value"),
    ("podResources.memoryRequest", "Required value"),
    ("prepareQueueLength", "Unknown field"),
]
GOOD = {"loadConcurrency": {"globalConfig": 2}}
DENIED = f'admission webhook "{WEBHOOK_NAME}" denied the request:'


def assert_denied_with_every_error(stderr: str) -> None:
    assert DENIED in stderr, stderr
    for path, says in ERRORS:
        assert f"{path}: {says}" in stderr, f"missing {path}: {says}\n{stderr}"


@pytest.mark.parametrize("flags", [(), ("--dry-run=server",)], ids=["apply", "dry-run"])
def test_a_new_malformed_configmap_is_refused_with_every_error_and_not_stored(
    clean: Cluster, flags: tuple[str, ...]
) -> None:
    result = clean.kubectl.apply(configmap("node-agent-config", NAMESPACES[0], BAD), *flags)
    assert result.rc == 1, str(result)
    assert_denied_with_every_error(result.stderr)
    assert result.stdout == ""
    assert not clean.kubectl.exists("configmap", "node-agent-config", NAMESPACES[0])


@pytest.mark.parametrize("flags", [(), ("--dry-run=server",)], ids=["apply", "dry-run"])
def test_a_malformed_update_is_refused_and_the_stored_configmap_is_unchanged(
    clean: Cluster, flags: tuple[str, ...]
) -> None:
    clean.kubectl.apply_ok(configmap("node-agent-config", NAMESPACES[0], GOOD))
    before = clean.kubectl.get_json("configmap", "node-agent-config", "-n", NAMESPACES[0])
    result = clean.kubectl.apply(configmap("node-agent-config", NAMESPACES[0], BAD), *flags)
    assert result.rc == 1, str(result)
    assert_denied_with_every_error(result.stderr)
    after = clean.kubectl.get_json("configmap", "node-agent-config", "-n", NAMESPACES[0])
    assert after["data"] == before["data"]
    assert after["metadata"]["resourceVersion"] == before["metadata"]["resourceVersion"]


def test_the_denial_is_one_line_of_kubectl_naming_the_webhook_and_the_object(clean: Cluster) -> None:
    result = clean.kubectl.apply(configmap("node-agent-config", NAMESPACES[0], BAD))
    denial = [line for line in result.stderr.splitlines() if DENIED in line]
    assert len(denial) == 1, result.stderr
    assert denial[0].startswith(f'The request is invalid: error when creating "STDIN": {DENIED} ConfigMap')
    assert '"node-agent-config" is invalid: [' in denial[0]


def test_a_server_side_dry_run_prints_the_same_denial_as_a_real_apply(clean: Cluster) -> None:
    manifest = configmap("node-agent-config", NAMESPACES[0], BAD)
    real = clean.kubectl.apply(manifest)
    dry = clean.kubectl.apply(manifest, "--dry-run=server")
    assert (dry.rc, dry.stderr) == (real.rc, real.stderr)
