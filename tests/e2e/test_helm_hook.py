"""The chart's `helm test` hook, run without a kubelet: its own script, as its own ServiceAccount.

Nothing schedules pods in this cluster, so `helm test` would wait forever for its Pod. The next best
thing is what the Pod would do: the hook's ServiceAccount, Role and RoleBinding are created from the
installed release (`helm get hooks`), and the Pod's shell script runs here with the Pod's environment
and a token of that ServiceAccount, through the same kubectl version as the hook's image.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from tests.e2e.processes import VENV_BIN
from tests.e2e.session import FULLNAME, RELEASE, Cluster

pytestmark = pytest.mark.e2e

NS = "velero"
RBAC_KINDS = ("ServiceAccount", "Role", "RoleBinding")


def hooks(cluster: Cluster) -> list[dict[str, Any]]:
    result = cluster.helm("get", "hooks", RELEASE, "--namespace", NS)
    assert result.rc == 0, str(result)
    return [d for d in yaml.safe_load_all(result.stdout) if d]


@pytest.fixture
def hook(cluster: Cluster) -> Iterator[tuple[Cluster, dict[str, Any]]]:
    """The test Pod's manifest, with its RBAC created for the duration of the test."""
    docs = hooks(cluster)
    rbac = [d for d in docs if d["kind"] in RBAC_KINDS]
    assert [d["kind"] for d in rbac] == list(RBAC_KINDS), [d["kind"] for d in docs]
    for doc in rbac:
        cluster.kubectl.apply_ok(doc)
    try:
        yield cluster, next(d for d in docs if d["kind"] == "Pod")
    finally:
        for doc in reversed(rbac):
            meta = doc["metadata"]
            cluster.kubectl.ok("delete", doc["kind"], meta["name"], "-n", meta["namespace"])


def run_like_the_pod(cluster: Cluster, pod: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    spec = pod["spec"]
    container = spec["containers"][0]
    account = spec["serviceAccountName"]
    token = cluster.token(account, pod["metadata"]["namespace"])
    home = cluster.workdir / "hook-home"
    home.mkdir(exist_ok=True)
    kubeconfig = cluster.apiserver.kubeconfig(home / "kubeconfig", token, account)
    env = {e["name"]: e["value"] for e in container["env"]}
    env |= {"HOME": str(home), "KUBECONFIG": str(kubeconfig), "PATH": f"{VENV_BIN}:{os.environ['PATH']}"}
    argv = [*container["command"], *container["args"]]
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_the_test_hook_renders_as_a_pod_running_kubectl(cluster: Cluster) -> None:
    pod = next(d for d in hooks(cluster) if d["kind"] == "Pod")
    assert pod["metadata"]["name"] == f"{FULLNAME}-test"
    assert pod["metadata"]["annotations"]["helm.sh/hook"] == "test"
    assert pod["spec"]["containers"][0]["image"].startswith("registry.k8s.io/kubectl:")


def test_the_hooks_checks_pass_against_this_cluster(hook: tuple[Cluster, dict[str, Any]]) -> None:
    cluster, pod = hook
    result = run_like_the_pod(cluster, pod)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    lines = result.stdout.splitlines()
    assert lines.count("ok") == 2, result.stdout
    assert not cluster.kubectl.exists("configmap", "node-agent-config", NS)
