"""A valid config that the cluster contradicts: stored, with a `Warning:` line kubectl prints.

The rule below selects nodes labelled gpu=true, and no Node has that label: the webhook warns. Once a
Node is labelled, the inventory (a watch on Nodes) learns it and the next apply is silent. The
inventory follows the cluster with a short delay, so the test polls rather than sleeping.

kubectl apply sends nothing when the object is unchanged ("configmap/... unchanged": no request, so no
webhook and no warning), so every apply here carries a new revision annotation: an UPDATE the webhook
really sees.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from tests.e2e.kubectl import Result
from tests.e2e.manifests import NAMESPACES, configmap
from tests.e2e.processes import poll
from tests.e2e.session import Cluster

pytestmark = pytest.mark.e2e

GPU_RULE = {
    "loadConcurrency": {
        "globalConfig": 2,
        "perNodeConfig": [{"nodeSelector": {"matchLabels": {"gpu": "true"}}, "number": 1}],
    }
}
NO_MATCH = "loadConcurrency.perNodeConfig[0]: nodeSelector matches none of the"
GPU_NODE = "node-c"


REVISIONS = itertools.count()


def apply_gpu_rule(cluster: Cluster, *flags: str) -> Result:
    manifest = configmap("node-agent-config", NAMESPACES[0], GPU_RULE)
    manifest["metadata"]["annotations"] = {"e2e.example/revision": str(next(REVISIONS))}
    return cluster.kubectl.apply(manifest, *flags)


def rule_warning(result: Result) -> list[str]:
    return [w for w in result.warnings if w.startswith(NO_MATCH)]


@pytest.fixture
def unlabelled(clean: Cluster) -> Iterator[Cluster]:
    """No Node carries gpu=true during the test, nor after it (and the inventory knows)."""
    clean.kubectl.ok("label", "node", GPU_NODE, "gpu-")
    assert poll(lambda: bool(rule_warning(apply_gpu_rule(clean, "--dry-run=server"))), 30), "inventory lags"
    yield clean
    clean.kubectl.ok("label", "node", GPU_NODE, "gpu-")


def test_a_rule_that_matches_no_node_is_stored_with_a_warning_naming_it(unlabelled: Cluster) -> None:
    result = apply_gpu_rule(unlabelled)
    assert result.rc == 0, str(result)
    assert result.stdout == "configmap/node-agent-config created\n"
    assert rule_warning(result) == [f"{NO_MATCH} 3 nodes: the rule has no effect"], result.stderr
    assert unlabelled.kubectl.exists("configmap", "node-agent-config", NAMESPACES[0])


def test_labelling_a_node_to_match_makes_the_warning_go_away(unlabelled: Cluster) -> None:
    assert rule_warning(apply_gpu_rule(unlabelled))
    unlabelled.kubectl.ok("label", "node", GPU_NODE, "gpu=true")
    silent = poll(lambda: not rule_warning(configured(apply_gpu_rule(unlabelled))), 30)
    assert silent, f"still warned after labelling {GPU_NODE}:\n{apply_gpu_rule(unlabelled)}"


def configured(result: Result) -> Result:
    """An apply that reached the API server as an update (so the webhook answered it)."""
    assert (result.rc, result.stdout) == (0, "configmap/node-agent-config configured\n"), str(result)
    return result


def test_a_server_side_dry_run_warns_the_same_and_stores_nothing(unlabelled: Cluster) -> None:
    dry = apply_gpu_rule(unlabelled, "--dry-run=server")
    assert dry.rc == 0, str(dry)
    assert dry.stdout == "configmap/node-agent-config created (server dry run)\n"
    assert not unlabelled.kubectl.exists("configmap", "node-agent-config", NAMESPACES[0])
    real = apply_gpu_rule(unlabelled)
    assert dry.warnings == real.warnings and rule_warning(dry), f"{dry}\n{real}"


def test_warnings_as_errors_fails_a_dry_run_that_warns(unlabelled: Cluster) -> None:
    result = apply_gpu_rule(unlabelled, "--dry-run=server", "--warnings-as-errors")
    assert result.rc == 1, str(result)
    assert rule_warning(result), result.stderr
    assert "error:" in result.stderr
    assert not unlabelled.kubectl.exists("configmap", "node-agent-config", NAMESPACES[0])


def test_warnings_as_errors_fails_the_command_but_the_apiserver_has_stored_the_object(
    unlabelled: Cluster,
) -> None:
    """Why CI pipelines pair it with --dry-run=server: the warning comes with the stored object."""
    result = apply_gpu_rule(unlabelled, "--warnings-as-errors")
    assert result.rc == 1, str(result)
    assert unlabelled.kubectl.exists("configmap", "node-agent-config", NAMESPACES[0])
