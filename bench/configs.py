"""The ConfigMaps the benchmark validates: the sample of examples/, and a large one (100 rules, every
section filled), plus the AdmissionReview that carries a ConfigMap to the server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from bench.cluster import TYPES, ZONES

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "node-agent-config.yaml"
RULES = 100


def sample_configmap() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    return loaded


def _rule(k: int) -> dict[str, Any]:
    """A node group, narrowed by zone or instance type for most rules: some overlap, some do not."""
    selector: dict[str, Any] = {"matchLabels": {"eks.amazonaws.com/nodegroup": f"ng-{k % 20:02d}"}}
    if k >= 20:
        key, values = (
            ("topology.kubernetes.io/zone", [ZONES[k % 3]])
            if k % 2
            else ("node.kubernetes.io/instance-type", [TYPES[k % 5], TYPES[(k + 1) % 5]])
        )
        selector["matchExpressions"] = [{"key": key, "operator": "In", "values": values}]
    return {"nodeSelector": selector, "number": 1 + k % 8}


def large_config() -> dict[str, Any]:
    affinity = [
        {
            "nodeSelector": {
                "matchLabels": {"eks.amazonaws.com/capacityType": "ON_DEMAND"},
                "matchExpressions": [{"key": "topology.kubernetes.io/zone", "operator": "In", "values": [z]}],
            },
            "storageClass": f"gp3-{z}",
        }
        for z in ZONES
    ]
    pvc = {"storageClass": "gp3", "readOnly": True, "spcNoRelabeling": True, "annotations": {"a.io/b": "c"}}
    return {
        "loadConcurrency": {
            "globalConfig": 2,
            "perNodeConfig": [_rule(k) for k in range(RULES)],
            "prepareQueueLength": 10,
        },
        "loadAffinity": affinity,
        "backupPVC": {"gp3": pvc, "io2": {**pvc, "secretNames": ["s1"], "configMapNames": ["c1"]}},
        "restorePVC": {"ignoreDelayBinding": True, "secretNames": ["s1"], "configMapNames": ["c1"]},
        "podResources": {
            "cpuRequest": "500m",
            "cpuLimit": "2",
            "memoryRequest": "512Mi",
            "memoryLimit": "2Gi",
        },
        "priorityClassName": "velero-data-mover",
        "privilegedFsBackup": False,
        "cachePVC": {"storageClass": "gp3", "residentThresholdInMB": 2048},
        "podAnnotations": {"example.com/team": "storage", "iam.amazonaws.com/role": "velero"},
        "podLabels": {"team": "storage", "azure.workload.identity/use": "true"},
        "csiSnapshotMetadataServiceConfigs": {"saName": "velero-csi"},
    }


def configmap(config: dict[str, Any]) -> dict[str, Any]:
    cm = sample_configmap()
    cm["data"] = {"node-agent-config": json.dumps(config, indent=2)}
    return cm


def admission_review(cm: dict[str, Any], uid: str = "5a0b4d7e-8f3c-4e2a-9b61-0c7d2e4f8a13") -> dict[str, Any]:
    """A CREATE of the ConfigMap, as the apiserver sends it (admission.k8s.io/v1)."""
    gvk = {"group": "", "version": "v1", "kind": "ConfigMap"}
    gvr = {"group": "", "version": "v1", "resource": "configmaps"}
    request = {
        "uid": uid,
        "kind": gvk,
        "resource": gvr,
        "requestKind": gvk,
        "requestResource": gvr,
        "name": cm["metadata"]["name"],
        "namespace": cm["metadata"]["namespace"],
        "operation": "CREATE",
        "userInfo": {"username": "kubernetes-admin", "groups": ["system:masters", "system:authenticated"]},
        "object": cm,
        "oldObject": None,
        "dryRun": False,
        "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions", "fieldManager": "kubectl"},
    }
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": request}
