"""The one cluster of an end-to-end session: control plane, chart, webhook, Nodes, in that order.

1. `node-agent-webhook certs`: one test CA; its serving certificate (loopback SANs) serves both the
   apiserver and the webhook.
2. etcd and kube-apiserver; the namespaces and Nodes (plain API objects).
3. `helm install` of the chart with the webhook outside the cluster (ci/url-values.yaml): the
   ValidatingWebhookConfiguration pointed at the webhook's URL with the test CA, and the RBAC.
4. The webhook with a token of the chart's own ServiceAccount, so its inventory runs with exactly the
   chart's RBAC, and the chart Deployment's arguments.
5. Wait until kube-apiserver calls the webhook: a server-side dry run answered by it.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.e2e.cluster import ApiServer, Etcd, Pki
from tests.e2e.kubectl import Kubectl, Result, helm
from tests.e2e.manifests import NAMESPACES, OTHER_NAMESPACE, configmap, node, storage_location
from tests.e2e.processes import REPO, VENV_BIN, Child, free_port, poll
from tests.e2e.webhook_server import WebhookServer
from webhook.engine import NEWEST_RELEASE

CHART = REPO / "charts" / "node-agent-webhook"
RELEASE = "r"
FULLNAME = f"{RELEASE}-node-agent-webhook"
WEBHOOK_NAME = "node-agent-config.velero.io"  # the chart's default webhook.name
EXTRA_NAME = "custom-name"  # velero.extraConfigMapNames: sent to the webhook and checked from the start
VELERO_CRDS = REPO / ".bin" / f"velero-crds-v{NEWEST_RELEASE}"  # mk/velero-crds.mk
BSL = "default"  # the BackupStorageLocation of the first Velero namespace
# the ConfigMap name the chart sends to the webhook for each other config kind (kindConfigMapNames)
KIND_NAMES = {"repo-maintenance": "repo-maintenance-config", "backup-repository": "backup-repository-config"}
NODES = {
    "node-a": {"topology.kubernetes.io/zone": "a", "node.kubernetes.io/instance-type": "m5.large"},
    "node-b": {"topology.kubernetes.io/zone": "b", "node.kubernetes.io/instance-type": "m5.large"},
    "node-c": {"topology.kubernetes.io/zone": "b", "node.kubernetes.io/instance-type": "m5.2xlarge"},
}


@dataclass
class Cluster:
    workdir: Path
    pki: Pki
    etcd: Etcd
    apiserver: ApiServer
    kubectl: Kubectl
    chart_args: list[str]  # the chart Deployment's server arguments
    webhook_port: int
    children: list[Child]
    webhook: WebhookServer = field(init=False)

    def helm(self, *args: str) -> Result:
        return run_helm(self.workdir, self.kubectl, *args)

    def webhook_answers(self) -> bool:
        """A dry-run create of a node-agent ConfigMap got the webhook's answer, not a call failure.

        A create, not an apply: an apply of an unchanged object sends nothing, and admission runs
        before the store would say the object already exists.
        """
        manifest = yaml.safe_dump(configmap("node-agent-config", NAMESPACES[0], {}))
        result = self.kubectl("create", "--dry-run=server", "-f", "-", stdin=manifest)
        return "failed calling webhook" not in result.stderr

    def wait_webhook_called(self) -> None:
        if not poll(self.webhook_answers, 60, 0.2):
            raise AssertionError(f"the apiserver cannot call the webhook\n{self.webhook.tail()}")

    def delete_node_agent_configmaps(self) -> None:
        for ns in NAMESPACES:
            args = ("delete", "configmap", "node-agent-config", EXTRA_NAME, "-n", ns, "--ignore-not-found")
            self.kubectl.ok(*args)

    def token(self, service_account: str, namespace: str) -> str:
        args = ("create", "token", service_account, "-n", namespace, "--duration=24h")
        return self.kubectl.ok(*args).stdout.strip()

    def stop(self) -> None:
        for child in reversed(self.children):
            child.stop()


def run_helm(workdir: Path, kubectl: Kubectl, *args: str) -> Result:
    return helm(workdir / "home", kubectl.kubeconfig, *args)


def make_certs(directory: Path) -> Pki:
    out = subprocess.run(
        [str(VENV_BIN / "node-agent-webhook"), "certs", "--out-dir", str(directory)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    return Pki(directory)


def start(workdir: Path) -> Cluster:
    pki = make_certs(workdir / "certs")
    (workdir / "home").mkdir()
    etcd = Etcd(workdir)
    children: list[Child] = [etcd]
    try:
        return _start(workdir, pki, etcd, children)
    except BaseException:
        for child in reversed(children):
            child.stop()
        raise


def _start(workdir: Path, pki: Pki, etcd: Etcd, children: list[Child]) -> Cluster:
    etcd.start()
    etcd.wait_ready()
    apiserver = ApiServer("kube-apiserver", workdir, etcd, pki)
    children.append(apiserver)
    apiserver.start()
    apiserver.wait_ready()
    kubectl = Kubectl(apiserver.kubeconfig(workdir / "admin.kubeconfig"), workdir / "home")
    _populate(kubectl)
    values = _values_file(workdir)
    port = free_port()  # fixed for the session: the webhook configuration's URL names it
    _install_chart(workdir, kubectl, pki, values, f"https://127.0.0.1:{port}/validate")
    chart_args = deployment_args(workdir, kubectl, values)
    cluster = Cluster(workdir, pki, etcd, apiserver, kubectl, chart_args, port, children)
    cluster.webhook = start_webhook(cluster, "webhook", apiserver, port)
    cluster.wait_webhook_called()
    return cluster


def _populate(kubectl: Kubectl) -> None:
    for ns in (*NAMESPACES, OTHER_NAMESPACE):
        kubectl.ok("create", "namespace", ns)
    for name, labels in NODES.items():
        kubectl.ok("apply", "-f", "-", stdin=yaml.safe_dump(node(name, labels)))
    # Velero's own CRDs (make velero-crds), established before the webhook's inventory lists them
    kubectl.ok("apply", "--server-side", "-f", str(VELERO_CRDS))
    kubectl.ok("wait", "--for=condition=Established", "crd", "--all", "--timeout=60s")
    kubectl.ok("apply", "-f", "-", stdin=yaml.safe_dump(storage_location(NAMESPACES[0], BSL)))


def _values_file(workdir: Path) -> Path:
    values = {
        "velero": {
            "namespaces": list(NAMESPACES),
            "extraConfigMapNames": [EXTRA_NAME],
            "kindConfigMapNames": {kind: [name] for kind, name in KIND_NAMES.items()},
        },
        "tests": {"enabled": True},
    }
    path = workdir / "values.yaml"
    path.write_text(yaml.safe_dump(values))
    return path


def _install_chart(workdir: Path, kubectl: Kubectl, pki: Pki, values: Path, url: str) -> None:
    result = run_helm(
        workdir, kubectl, "install", RELEASE, str(CHART), "--namespace", NAMESPACES[0],
        "--values", str(CHART / "ci" / "url-values.yaml"), "--values", str(values),
        "--set", f"webhook.url={url}", "--set-file", f"webhook.caBundle={pki.ca}",
        "--wait", "--timeout", "2m",
    )  # fmt: skip
    assert result.rc == 0, f"helm install: {result}"


def deployment_args(workdir: Path, kubectl: Kubectl, values: Path) -> list[str]:
    """The container args of the chart's Deployment for the same values (server enabled)."""
    result = run_helm(
        workdir, kubectl, "template", RELEASE, str(CHART), "--namespace", NAMESPACES[0],
        "--values", str(values), "--show-only", "templates/deployment.yaml",
    )  # fmt: skip
    assert result.rc == 0, f"helm template: {result}"
    deployment: dict[str, Any] = yaml.safe_load(result.stdout)
    containers = deployment["spec"]["template"]["spec"]["containers"]
    return [str(a) for a in containers[0]["args"]]


def start_webhook(
    cluster: Cluster, name: str, apiserver: ApiServer, port: int | None = None, ready: bool = True
) -> WebhookServer:
    """A webhook whose inventory watches `apiserver` as the chart's ServiceAccount."""
    token = cluster.token(FULLNAME, NAMESPACES[0])
    kubeconfig = apiserver.kubeconfig(cluster.workdir / f"{name}.kubeconfig", token, FULLNAME)
    log = cluster.workdir / f"{name}.log"
    server = WebhookServer(name, cluster.chart_args, cluster.pki, kubeconfig, log, port)
    server.start()
    cluster.children.append(server)
    if ready:
        server.wait_ready()
    return server
