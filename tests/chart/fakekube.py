"""Just enough of a Kubernetes API for `helm template --dry-run=server`, so that `lookup` finds Secrets.

helm asks for the version and the discovery documents, lists its own release Secrets (none here), and
the chart's `lookup "v1" "Secret"` GETs one Secret by name. Everything else is 404. Plain HTTP on
127.0.0.1, for this process only; the Secrets are a dict the test fills.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

VERSION = {"major": "1", "minor": "34", "gitVersion": "v1.34.0", "platform": "linux/amd64"}
# (group, version, kind, plural, namespaced): every kind the chart renders, for helm's REST mapping
KINDS = [
    ("", "v1", "Secret", "secrets", True),
    ("", "v1", "ServiceAccount", "serviceaccounts", True),
    ("", "v1", "Service", "services", True),
    ("", "v1", "Pod", "pods", True),
    ("apps", "v1", "Deployment", "deployments", True),
    ("batch", "v1", "Job", "jobs", True),
    ("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", True),
    ("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", False),
    ("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", False),
    ("rbac.authorization.k8s.io", "v1", "Role", "roles", True),
    ("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", True),
    (
        "admissionregistration.k8s.io",
        "v1",
        "ValidatingWebhookConfiguration",
        "validatingwebhookconfigurations",
        False,
    ),
    ("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", True),
    ("monitoring.coreos.com", "v1", "ServiceMonitor", "servicemonitors", True),
    ("cert-manager.io", "v1", "Certificate", "certificates", True),
    ("cert-manager.io", "v1", "Issuer", "issuers", True),
]


def resource_list(group: str, version: str) -> dict[str, Any]:
    resources = [
        {
            "name": plural,
            "singularName": kind.lower(),
            "namespaced": namespaced,
            "kind": kind,
            "verbs": ["get"],
        }
        for g, v, kind, plural, namespaced in KINDS
        if (g, v) == (group, version)
    ]
    group_version = f"{group}/{version}" if group else version
    return {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": group_version,
        "resources": resources,
    }


def group_list() -> dict[str, Any]:
    groups = sorted({(g, v) for g, v, *_ in KINDS if g})
    return {
        "kind": "APIGroupList",
        "apiVersion": "v1",
        "groups": [
            {
                "name": g,
                "versions": [{"groupVersion": f"{g}/{v}", "version": v}],
                "preferredVersion": {"groupVersion": f"{g}/{v}", "version": v},
            }
            for g, v in groups
        ],
    }


class FakeKube:
    """Secrets by (namespace, name), served until the context ends."""

    def __init__(self) -> None:
        self.secrets: dict[tuple[str, str], dict[str, Any]] = {}
        self.requests: list[str] = []
        self.port = 0

    def put(self, secret: dict[str, Any], release: str = "r") -> None:
        """Store a Secret as an install of `release` left it (helm checks the ownership marks)."""
        meta = dict(secret["metadata"])
        meta["labels"] = {**meta.get("labels", {}), "app.kubernetes.io/managed-by": "Helm"}
        owner = {"meta.helm.sh/release-name": release, "meta.helm.sh/release-namespace": meta["namespace"]}
        meta["annotations"] = {**meta.get("annotations", {}), **owner}
        stored = {"apiVersion": "v1", "kind": "Secret", **secret, "metadata": meta}
        self.secrets[(meta["namespace"], meta["name"])] = stored

    def remove(self, namespace: str, name: str) -> None:
        del self.secrets[(namespace, name)]

    def kubeconfig(self, path: Path) -> Path:
        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": "fake", "cluster": {"server": f"http://127.0.0.1:{self.port}"}}],
            "users": [{"name": "fake", "user": {"token": "fake"}}],
            "contexts": [{"name": "fake", "context": {"cluster": "fake", "user": "fake"}}],
            "current-context": "fake",
        }
        path.write_text(json.dumps(config))
        return path

    def answer(self, path: str) -> tuple[int, Any]:
        self.requests.append(path)
        route = path.split("?", 1)[0].strip("/").split("/")
        if route == ["version"]:
            return 200, VERSION
        if route == ["api"]:
            return 200, {"kind": "APIVersions", "versions": ["v1"]}
        if route == ["api", "v1"]:
            return 200, resource_list("", "v1")
        if route == ["apis"]:
            return 200, group_list()
        if route[0] == "apis" and len(route) == 3:
            return 200, resource_list(route[1], route[2])
        if route[:3] == ["api", "v1", "namespaces"] and route[4:5] == ["secrets"]:
            return self._secrets(route[3], route[5] if len(route) > 5 else None)
        return 404, _status(404, "NotFound", f"{path} is not served here")

    def _secrets(self, namespace: str, name: str | None) -> tuple[int, Any]:
        if name is None:  # helm's own release records: there are none
            return 200, {"kind": "SecretList", "apiVersion": "v1", "metadata": {}, "items": []}
        found = self.secrets.get((namespace, name))
        if found is None:
            return 404, _status(404, "NotFound", f'secrets "{name}" not found')
        return 200, found


def _status(code: int, reason: str, message: str) -> dict[str, Any]:
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "status": "Failure",
        "code": code,
        "reason": reason,
        "message": message,
    }


@contextlib.contextmanager
def serving(kube: FakeKube) -> Iterator[FakeKube]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            code, body = kube.answer(self.path)
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    kube.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield kube
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
