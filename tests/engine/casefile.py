"""Loads the engine's cases (YAML data files beside this module) and runs one through the engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from webhook.engine.cluster import ClusterView, NodeAgentDaemonSet, StorageClassInfo
from webhook.engine.evaluate import evaluate_config, evaluate_configmap
from webhook.engine.verdict import FieldValidation, Options, Verdict
from webhook.engine.versions import Version
from webhook.inventory import NodeIndex

CASES = Path(__file__).parent / "cases"


@dataclass
class Case:
    name: str
    source: str
    raw: dict[str, Any] = field(repr=False)

    @property
    def id(self) -> str:
        return f"{self.source}: {self.name}"


def load_cases() -> list[Case]:
    out = []
    for path in sorted(CASES.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text()) or []:
            out.append(Case(raw["name"], path.stem, raw))
    return out


def cluster_of(spec: dict[str, Any] | None) -> ClusterView:
    if not spec:
        return ClusterView()
    nodes = spec.get("nodes")
    classes = spec.get("storageClasses")
    return ClusterView(
        nodes=NodeIndex.build(nodes.items()) if nodes is not None else None,
        storage_classes={k: StorageClassInfo(k, v) for k, v in classes.items()}
        if classes is not None
        else None,
        priority_classes=spec.get("priorityClasses"),
        daemonsets=[_daemonset(d) for d in spec["daemonsets"]] if "daemonsets" in spec else None,
        unavailable=spec.get("unavailable"),
    )


def _daemonset(d: dict[str, Any]) -> NodeAgentDaemonSet:
    return NodeAgentDaemonSet(
        namespace=d.get("namespace", "velero"),
        name=d.get("name", "node-agent"),
        configmap=d.get("configmap"),
        velero_version=d.get("version"),
        template_labels=d.get("labels", {}),
        template_annotations=d.get("annotations", {}),
    )


def options_of(raw: dict[str, Any]) -> Options:
    version = Version.parse(str(raw["version"])) if "version" in raw else None
    return Options(
        velero_version=version, field_validation=FieldValidation(raw.get("fieldValidation", "Strict"))
    )


def run(raw: dict[str, Any]) -> Verdict:
    cluster, options = cluster_of(raw.get("cluster")), options_of(raw)
    if "configmap" in raw:
        return evaluate_configmap(raw["configmap"], cluster, options)
    return evaluate_config(raw["config"], cluster, options)
