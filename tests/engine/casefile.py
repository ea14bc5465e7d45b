"""Loads the engine's cases (YAML data files beside this module) and runs one through the engine.

A case is one mapping. Input: `config` (the text of the data key) or `configmap` (a ConfigMap's
fields), optional `cluster` (nodes with labels, storage classes with reclaim policies, priority
classes, node-agent DaemonSets, velero Deployments (`deployments`, with `flags` or a
`--repo-maintenance-job-configmap` as `configmap`), BackupStorageLocations (`storageLocations`),
BackupRepositories (`repositories`), CSI drivers (`csiDrivers`, names), discovery (`apiResources`:
"standard" for a usual cluster's, or a list of {resource, group, kind, namespaced, shortNames}),
parts `unavailable` as {part: [label, reason]}), `version`
(the target Velero), `fieldValidation` (Strict or Warn), `purposes` (the roles the ConfigMap is read
in) and `request` (an admission operation: then
the case goes through the policy, as the webhook does; `request.configured: true` names the
ConfigMap for the case's kind as `serve --configmap-name KIND=NAME` does). Expected: `errors` as
[type, path] or [type, path, value] (the value where several errors share a path, as the bad keys of
one map do), `warnings` as phrases (each matches exactly one warning, and there are no others),
optional `concurrency` as {node: [number, perNodeConfig index or null]}, optional `effect` as the
rows of any kind's explanation table (as `explain` prints them). `refs` names the rows of the
reference it shows. In a config text or a ConfigMap's data value, `{{c*n}}` stands for the character
c written n times (for size limits).

The cases of the node-agent kind are the files in cases/; another kind's are in cases/<kind name>/.
"""

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
    BackupRepositoryInfo,
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
    | {"errors", "warnings", "concurrency", "effect"}
)


@dataclass
class Case:
    name: str
    source: str
    raw: dict[str, Any] = field(repr=False)
    kind: ConfigKind = DEFAULT_KIND

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
    directory = CASES if kind is DEFAULT_KIND else CASES / kind.name
    for path in sorted(directory.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            _expand(raw)
            out.append(Case(raw["name"], path.stem, raw, kind))
    return out


def _expand(raw: dict[str, Any]) -> None:
    """`{{c*n}}` in a config text, or in the data values of a ConfigMap."""
    if isinstance(raw.get("config"), str):
        raw["config"] = _REPEAT.sub(lambda m: m[1] * int(m[2]), raw["config"])
    data = (raw.get("configmap") or {}).get("data")
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str):
                data[key] = _REPEAT.sub(lambda m: m[1] * int(m[2]), value)


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
        storage_locations=_locations(spec["storageLocations"]) if "storageLocations" in spec else None,
        repositories=[repository(r) for r in spec["repositories"]] if "repositories" in spec else None,
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


def daemonset(d: dict[str, Any]) -> VeleroWorkload:
    configmap = d.get("configmap")
    return VeleroWorkload(
        namespace=d.get("namespace", "velero"),
        name=d.get("name", "node-agent"),
        workload="DaemonSet",
        flags={**({"--node-agent-configmap": configmap} if configmap else {}), **d.get("flags", {})},
        velero_version=d.get("version"),
        template_labels=d.get("labels", {}),
        template_annotations=d.get("annotations", {}),
    )


def deployment(d: dict[str, Any]) -> VeleroWorkload:
    """The velero server Deployment: its ConfigMap flags (`configmap` is the maintenance one), its
    image's version, its pod template's labels and annotations."""
    configmap = d.get("configmap")
    flags = {**({"--repo-maintenance-job-configmap": configmap} if configmap else {}), **d.get("flags", {})}
    return VeleroWorkload(
        namespace=d.get("namespace", "velero"),
        name=d.get("name", "velero"),
        workload="Deployment",
        flags=flags,
        velero_version=d.get("version"),
        template_labels=d.get("labels", {}),
        template_annotations=d.get("annotations", {}),
    )


def _locations(names: list[Any]) -> list[tuple[str, str]]:
    """A bare name is a BackupStorageLocation of namespace velero; [namespace, name] names both."""
    return [("velero", n) if isinstance(n, str) else (n[0], n[1]) for n in names]


def repository(r: dict[str, Any]) -> BackupRepositoryInfo:
    """Its name is Velero's <volumeNamespace>-<location>-<type> unless the case gives one."""
    volume_namespace = r.get("volumeNamespace", "app")
    location, kind = r.get("storageLocation", "default"), r.get("type", "kopia")
    return BackupRepositoryInfo(
        namespace=r.get("namespace", "velero"),
        name=r.get("name", f"{volume_namespace}-{location}-{kind}"),
        volume_namespace=volume_namespace,
        storage_location=location,
        repository_type=kind,
        config=r.get("config", {}),
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
    effect: list[list[object]]


def run(raw: dict[str, Any], kind: ConfigKind = DEFAULT_KIND) -> Outcome:
    if "request" in raw:
        return _through_policy(raw, kind)
    verdict = evaluate(raw, kind)
    errors, warnings = list(verdict.errors), verdict.warning_strings
    return Outcome(verdict.allowed, errors, warnings, concurrency_of(verdict), rows_of(verdict))


def rows_of(verdict: Verdict) -> list[list[object]]:
    effect = verdict.effect
    return [] if effect is None else [list(row) for row in effect.rows()]


def concurrency_of(verdict: Verdict) -> list[NodeConcurrency]:
    effect = verdict.effect
    return list(getattr(effect, "nodes", ()))


def evaluate(raw: dict[str, Any], kind: ConfigKind = DEFAULT_KIND) -> Verdict:
    cluster, options = cluster_of(raw.get("cluster")), options_of(raw)
    if "configmap" in raw:
        return evaluate_configmap(raw["configmap"], kind, cluster, options)
    return evaluate_config(raw["config"], kind, cluster, options)


def _through_policy(raw: dict[str, Any], kind: ConfigKind) -> Outcome:
    """The ConfigMap named by `request.name` is the node-agent config's default name, or one the
    workloads' flags name; `request.configured: true` names it for the case's kind as `serve` does."""
    req = raw["request"]
    name = req.get("name", "node-agent-config" if kind == DEFAULT_KIND else f"{kind.name}-config")
    metadata = {"name": name, "namespace": req.get("namespace", "velero")}
    obj = {**raw["configmap"], "metadata": metadata} if "configmap" in raw else None
    old = {**req["old"], "metadata": metadata} if "old" in req else None
    request = Request(metadata["namespace"], metadata["name"], obj, old)
    configured = {kind.name: frozenset({metadata["name"]})} if req.get("configured") else {}
    targeting = Targeting(
        names={**Targeting().names, **configured},
        velero_version=version_of(raw),
        field_validation=FieldValidation(raw.get("fieldValidation", "Strict")),
    )
    decision = by_operation(req["operation"], request, cluster_of(raw.get("cluster")), targeting)
    concurrency = concurrency_of(decision.verdicts[0]) if decision.verdicts else []
    rows = rows_of(decision.verdicts[0]) if decision.verdicts else []
    warnings = [str(w) for w in decision.warnings]
    return Outcome(decision.allowed, list(decision.errors), warnings, concurrency, rows)


def checked(case: Case) -> Outcome:
    """The case run, its errors, decision and warnings compared with what it expects."""
    outcome = run(case.raw, case.kind)
    match_errors(outcome.errors, case.raw.get("errors", []))
    assert outcome.allowed == case.allowed
    match_warnings(outcome.warnings, case.raw.get("warnings", []))
    return outcome


def match_errors(got: list[FieldError], want: list[list[Any]]) -> None:
    """Each expected [type, path] or [type, path, value] takes one error; the ones naming a value
    first, as several bad keys of one map share its path and differ only by the value."""
    remaining = [(e.type.value, str(e.path), e.value if e.has_value else None) for e in got]
    for expected in sorted(want, key=len, reverse=True):
        hit = next((g for g in remaining if g[: len(expected)] == tuple(expected)), None)
        assert hit is not None, f"{expected} should match one of {[str(e) for e in got]}"
        remaining.remove(hit)
    assert not remaining, f"unexpected errors: {[str(e) for e in got]}"


def match_warnings(got: list[str], want: list[str]) -> None:
    remaining = list(got)
    for phrase in want:
        hits = [w for w in remaining if phrase in w]
        assert len(hits) == 1, f"{phrase!r} should match exactly one of {remaining}"
        remaining.remove(hits[0])
    assert not remaining, f"unexpected warnings: {remaining}"
