"""A bare control plane on 127.0.0.1: etcd and kube-apiserver, built by `make kube-tools`.

No kubelet, no controller manager, no scheduler: Nodes, DaemonSets and ConfigMaps are plain API
objects, which is all the webhook reads. The flags follow kube-apiserver's own test server and envtest
(shared/reference/real-kube-apiserver.md). The apiserver serves with a certificate from the same test
CA as the webhook, so kubectl, the webhook's inventory and the tests verify every TLS peer; users
authenticate with a static token (`admin` in system:masters) or a ServiceAccount token.
"""

from __future__ import annotations

import ssl
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.e2e.processes import TOOLS, Child, free_port, require_tool

ADMIN_TOKEN = "e2e-admin-token"  # a test cluster on loopback, gone with the session
START_TIMEOUT = 90  # seconds: 5-15 s usually, far more on a loaded 2-core machine


@dataclass(frozen=True)
class Pki:
    """The files of `node-agent-webhook certs`: one test CA for the apiserver and the webhook."""

    dir: Path

    @property
    def ca(self) -> Path:
        return self.dir / "ca.crt"

    @property
    def cert(self) -> Path:
        return self.dir / "tls.crt"

    @property
    def key(self) -> Path:
        return self.dir / "tls.key"


class Etcd(Child):
    def __init__(self, workdir: Path) -> None:
        self.client_url = f"http://127.0.0.1:{free_port()}"
        peer = f"http://127.0.0.1:{free_port()}"
        argv = [
            str(require_tool(TOOLS / "etcd", "kube-tools")),
            f"--data-dir={workdir / 'etcd'}",
            f"--listen-client-urls={self.client_url}",
            f"--advertise-client-urls={self.client_url}",
            f"--listen-peer-urls={peer}",
            f"--initial-advertise-peer-urls={peer}",
            f"--initial-cluster=default={peer}",
            "--log-level=warn",
            "--quota-backend-bytes=1073741824",
        ]
        super().__init__("etcd", argv, workdir / "etcd.log")

    def wait_ready(self) -> None:
        self.wait_until(self._healthy, "healthy", START_TIMEOUT)

    def _healthy(self) -> bool:
        with urllib.request.urlopen(f"{self.client_url}/health", timeout=2) as r:
            return b'"health":"true"' in r.read()


class ApiServer(Child):
    """kube-apiserver on a fixed port, so that it can be stopped and started again at the same address."""

    def __init__(self, name: str, workdir: Path, etcd: Etcd, pki: Pki, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.pki = pki
        sa_key = _service_account_key(workdir)
        tokens = workdir / "tokens.csv"
        tokens.write_text(f'{ADMIN_TOKEN},admin,admin,"system:masters"\n')
        argv = [
            str(require_tool(TOOLS / "kube-apiserver", "kube-tools")),
            f"--etcd-servers={etcd.client_url}",
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            # 1.37 refuses a loopback advertise address for the `kubernetes` Service endpoints; nothing
            # here needs that Service, so no endpoint reconciler at all (two apiservers share one etcd).
            "--endpoint-reconciler-type=none",
            f"--secure-port={self.port}",
            f"--tls-cert-file={pki.cert}",
            f"--tls-private-key-file={pki.key}",
            f"--cert-dir={workdir / 'pki'}",
            "--service-cluster-ip-range=10.0.0.0/24",
            "--service-account-issuer=https://kubernetes.default.svc",
            f"--service-account-key-file={sa_key}",
            f"--service-account-signing-key-file={sa_key}",
            f"--token-auth-file={tokens}",
            "--authorization-mode=RBAC",
            "--disable-admission-plugins=ServiceAccount",
            "--v=0",
        ]
        super().__init__(name, argv, workdir / f"{name}.log")
        self.context = ssl.create_default_context(cafile=str(pki.ca))

    def wait_ready(self) -> None:
        self.wait_until(lambda: self.get("/readyz") == "ok", "ready", START_TIMEOUT)

    def get(self, path: str) -> str:
        """A GET as admin, the body as text (metrics, readyz)."""
        req = urllib.request.Request(self.url + path, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        with urllib.request.urlopen(req, timeout=10, context=self.context) as r:
            return str(r.read().decode())

    def kubeconfig(self, path: Path, token: str = ADMIN_TOKEN, user: str = "admin") -> Path:
        """A kubeconfig for this apiserver, verifying it with the test CA, authenticating with `token`."""
        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [
                {"name": "e2e", "cluster": {"server": self.url, "certificate-authority": str(self.pki.ca)}}
            ],
            "users": [{"name": user, "user": {"token": token}}],
            "contexts": [{"name": "e2e", "context": {"cluster": "e2e", "user": user}}],
            "current-context": "e2e",
        }
        path.write_text(yaml.safe_dump(config))
        path.chmod(0o600)
        return path


def _service_account_key(workdir: Path) -> Path:
    """The key that signs and verifies ServiceAccount tokens (the inventory's `kubectl create token`)."""
    path = workdir / "sa.key"
    if not path.exists():
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        path.write_bytes(pem)
    return path
