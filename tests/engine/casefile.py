"""Loads the engine's cases (YAML data files beside this module) and runs one through the engine.

A case is one mapping. Input: `config` (the text of the data key) or `configmap` (a ConfigMap's
fields), optional `cluster` (nodes with labels, storage classes with reclaim policies, priority
classes, node-agent DaemonSets, velero Deployments ({flags, version}), parts `unavailable` as
{part: [label, reason]}), `version` (the target Velero), `fieldValidation` (Strict or Warn) and
`request` (an admission operation: then the case goes through the policy, as the webhook does, not
only the evaluator). Expected: `errors` as [type, path] or [type, path, value] (the value where
several errors share a path, as the bad keys of one map do), `warnings` as phrases (each matches
exactly one warning, and there are no others), optional `concurrency` as {node: [number,
perNodeConfig index or null]}. `refs` names the rows of the reference it shows. In a config text,
`{{c*n}}` stands for the character c written n times (for size limits). A request's
`configured: false` leaves the ConfigMap's name out of the configured ones.

The cases directly under cases/ are node-agent's; a kind's own cases live in cases/<kind name>/ and
run through that kind (`load_cases(kind)`). Those may also give `purposes` (the roles the ConfigMap
is read in) and, in `cluster`, `csiDrivers` (names) and `apiResources` ("standard" for a usual
cluster's discovery, or a list of {resource, group, kind, namespaced, shortNames})."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from webhook.admission.review.admit import by_operation
from webhook.engine import (
    DEFAULT_KIND,
    APIResourceInfo,
    ClusterView,
    ConfigKind,
    FieldError,
    FieldValidation,
    Gap,
    Options,
    Request,
    StorageClassInfo,
    Targeting,
    VeleroWorkload,
    Verdict,
    Version,
    evaluate_config,
    evaluate_configmap,
)
from webhook.engine.nodeagent import NodeConcurrency
from webhook.inventory import NodeIndex

CASES = Path(__file__).parent / "cases"
KEYS = frozenset(
    {"name", "refs", "config", "configmap", "cluster", "version", "fieldValidation", "request", "purposes"}
    | {"errors", "warnings", "concurrency"}
)


@dataclass
class Case:
    name: str
    source: str
    raw: dict[str, Any] = field(repr=False)

    @property
    def id(self) -> str:
        return f"{self.source}: {self.name}"

    @property
    def refs(self) -> list[str]:
        refs = self.raw.get("refs", [])
        return [refs] if isinstance(refs, str) else list(refs)

    @property
    def allowed(self) -> bool:
        return not self.raw.get("errors")


_REPEAT = re.compile(r"\{\{(.)\*(\d+)\}\}")


def load_cases(kind: ConfigKind = DEFAULT_KIND) -> list[Case]:
    out = []
    where = CASES if kind == DEFAULT_KIND else CASES / kind.name
    for path in sorted(where.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if isinstance(raw.get("config"), str):
                raw["config"] = _REPEAT.sub(lambda m: m[1] * int(m[2]), raw["config"])
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
        workloads=workloads_of(spec),
        csi_drivers=spec.get("csiDrivers"),
        api_resources=api_resources(spec["apiResources"]) if "apiResources" in spec else None,
        gaps=tuple(Gap(part, label, reason) for part, (label, reason) in spec.get("unavailable", {}).items()),
    )


# a usual cluster's discovery, enough for the cases: (group, resource, kind, namespaced, short names)
STANDARD_RESOURCES = [
    ("", "pods", "Pod", True, ("po",)),
    ("", "configmaps", "ConfigMap", True, ("cm",)),
    ("", "persistentvolumeclaims", "PersistentVolumeClaim", True, ("pvc",)),
    ("", "persistentvolumes", "PersistentVolume", False, ("pv",)),
    ("", "namespaces", "Namespace", False, ("ns",)),
    ("", "services", "Service", True, ("svc",)),
    ("apps", "deployments", "Deployment", True, ("deploy",)),
    ("apps", "statefulsets", "StatefulSet", True, ("sts",)),
    ("networking.k8s.io", "ingresses", "Ingress", True, ("ing",)),
    ("rbac.authorization.k8s.io", "clusterroles", "ClusterRole", False, ()),
    ("storage.k8s.io", "storageclasses", "StorageClass", False, ("sc",)),
    ("velero.io", "backups", "Backup", True, ()),
]


def api_resources(spec: Any) -> list[APIResourceInfo]:
    rows = STANDARD_RESOURCES if spec == "standard" else [_resource_row(r) for r in spec]
    return [
        APIResourceInfo(g, res, kind, namespaced, "", shorts) for g, res, kind, namespaced, shorts in rows
    ]


def _resource_row(r: dict[str, Any]) -> tuple[str, str, str, bool, tuple[str, ...]]:
    shorts = tuple(r.get("shortNames", ()))
    return r.get("group", ""), r["resource"], r.get("kind", ""), r.get("namespaced", True), shorts


def workloads_of(spec: dict[str, Any]) -> list[VeleroWorkload] | None:
    if "daemonsets" not in spec and "deployments" not in spec:
        return None
    return [daemonset(d) for d in spec.get("daemonsets", [])] + [
        deployment(d) for d in spec.get("deployments", [])
    ]


def deployment(d: dict[str, Any]) -> VeleroWorkload:
    """A Velero server Deployment with the ConfigMap flags given ({flag: name})."""
    return VeleroWorkload(
        namespace=d.get("namespace", "velero"),
        name=d.get("name", "velero"),
        workload="Deployment",
        flags=d.get("flags", {}),
        velero_version=d.get("version"),
    )


def daemonset(d: dict[str, Any]) -> VeleroWorkload:
    configmap = d.get("configmap")
    return VeleroWorkload(
        namespace=d.get("namespace", "velero"),
        name=d.get("name", "node-agent"),
        workload="DaemonSet",
        flags={"--node-agent-configmap": configmap} if configmap else {},
        velero_version=d.get("version"),
        template_labels=d.get("labels", {}),
        template_annotations=d.get("annotations", {}),
    )


def version_of(raw: dict[str, Any]) -> Version | None:
    return Version.parse(str(raw["version"])) if "version" in raw else None


def options_of(raw: dict[str, Any]) -> Options:
    return Options(
        velero_version=version_of(raw) or Options().velero_version,
        field_validation=FieldValidation(raw.get("fieldValidation", "Strict")),
        purposes=frozenset(raw["purposes"]) if "purposes" in raw else None,
    )


@dataclass(frozen=True)
class Outcome:
    """What a case is compared on, whether it went through the evaluator or the whole policy."""

    allowed: bool
    errors: list[FieldError]
    warnings: list[str]
    concurrency: list[NodeConcurrency]


def run(raw: dict[str, Any], kind: ConfigKind = DEFAULT_KIND) -> Outcome:
    if "request" in raw:
        return _through_policy(raw, kind)
    verdict = evaluate(raw, kind)
    return Outcome(verdict.allowed, list(verdict.errors), verdict.warning_strings, concurrency_of(verdict))


def concurrency_of(verdict: Verdict) -> list[NodeConcurrency]:
    effect = verdict.effect
    return list(getattr(effect, "nodes", ()))


def evaluate(raw: dict[str, Any], kind: ConfigKind = DEFAULT_KIND) -> Verdict:
    cluster, options = cluster_of(raw.get("cluster")), options_of(raw)
    if "configmap" in raw:
        return evaluate_configmap(raw["configmap"], kind, cluster, options)
    return evaluate_config(raw["config"], kind, cluster, options)


def _through_policy(raw: dict[str, Any], kind: ConfigKind) -> Outcome:
    """A kind other than node-agent is configured by the ConfigMap's name, as `--configmap-name KIND=NAME`."""
    req = raw["request"]
    name = req.get("name", "node-agent-config" if kind == DEFAULT_KIND else f"{kind.name}-config")
    metadata = {"name": name, "namespace": req.get("namespace", "velero")}
    obj = {**raw["configmap"], "metadata": metadata} if "configmap" in raw else None
    old = {**req["old"], "metadata": metadata} if "old" in req else None
    request = Request(metadata["namespace"], metadata["name"], obj, old)
    names = Targeting().names if kind == DEFAULT_KIND else {kind.name: frozenset({name})}
    if req.get("configured") is False:  # only a workload's flag names it
        names = {}
    targeting = Targeting(
        names=names,
        velero_version=version_of(raw),
        field_validation=FieldValidation(raw.get("fieldValidation", "Strict")),
    )
    decision = by_operation(req["operation"], request, cluster_of(raw.get("cluster")), targeting)
    concurrency = concurrency_of(decision.verdicts[0]) if decision.verdicts else []
    warnings = [str(w) for w in decision.warnings]
    return Outcome(decision.allowed, list(decision.errors), warnings, concurrency)
