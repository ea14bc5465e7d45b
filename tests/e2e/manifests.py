"""The objects the end-to-end tests write, as a user would write them."""

from __future__ import annotations

import json
from typing import Any

Manifest = dict[str, Any]

NAMESPACES = ("velero", "velero2")  # two Velero namespaces, one webhook
OTHER_NAMESPACE = "apps"  # not a Velero namespace: the apiserver never calls the webhook for it
CONFIG_KEY = "node-agent-config"  # the data key; node-agent reads the first key, whatever its name


def configmap(name: str, namespace: str, config: Any) -> Manifest:
    """A ConfigMap holding `config`: a dict is written as JSON, a string as it is."""
    text = config if isinstance(config, str) else json.dumps(config)
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": namespace},
        "data": {CONFIG_KEY: text},
    }


def node(name: str, labels: dict[str, str]) -> Manifest:
    """A Node as an API object: no kubelet behind it, which the inventory does not need."""
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": labels}}


def storage_location(namespace: str, name: str) -> Manifest:
    """A BackupStorageLocation as Velero's CRD accepts it: a provider and a bucket."""
    spec = {"provider": "aws", "objectStorage": {"bucket": "backups"}}
    return {
        "apiVersion": "velero.io/v1",
        "kind": "BackupStorageLocation",
        "metadata": {"name": name, "namespace": namespace},
        "spec": spec,
    }


def velero_deployment(namespace: str, image: str, args: list[str]) -> Manifest:
    """Velero's server Deployment, reduced to what the webhook reads: name, container, image, args."""
    labels = {"component": "velero"}
    container = {"name": "velero", "image": image, "command": ["/velero"], "args": ["server", *args]}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "velero", "namespace": namespace},
        "spec": {
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [container]}},
        },
    }


def node_agent_daemonset(namespace: str, image: str, args: list[str]) -> Manifest:
    """Velero's node-agent DaemonSet, reduced to what the webhook reads: name, container, image, args."""
    labels = {"name": "node-agent"}
    container = {
        "name": "node-agent",
        "image": image,
        "command": ["/velero"],
        "args": ["node-agent", "server", *args],
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": "node-agent", "namespace": namespace},
        "spec": {
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [container]}},
        },
    }


def admission_review(uid: str, obj: Manifest, operation: str = "CREATE") -> Manifest:
    """The AdmissionReview kube-apiserver would send for writing `obj` (to POST to a webhook directly)."""
    meta = obj["metadata"]
    gvk = {"group": "", "version": "v1", "kind": obj["kind"]}
    gvr = {"group": "", "version": "v1", "resource": "configmaps"}
    request = {
        "uid": uid,
        "kind": gvk,
        "resource": gvr,
        "requestKind": gvk,
        "requestResource": gvr,
        "name": meta["name"],
        "namespace": meta["namespace"],
        "operation": operation,
        "userInfo": {"username": "admin", "groups": ["system:masters", "system:authenticated"]},
        "object": obj,
        "oldObject": None,
        "dryRun": False,
    }
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": request}
