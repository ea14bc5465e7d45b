"""A document to results: which kinds a document is read as, and against which Velero.

Both questions are the webhook's own (webhook.engine: `roles`, `choose_version`); this module only
adds what files have and admission requests do not: objects of other kinds, bare configs, ConfigMaps
that name no namespace, and `--kind`, which reads every input as one kind.
"""

from __future__ import annotations

from dataclasses import dataclass

from webhook.cli.manifests import Document
from webhook.cli.results import Outcome, Result
from webhook.engine import (
    DEFAULT_KIND,
    KINDS,
    ClusterView,
    ConfigKind,
    Options,
    Role,
    Targeting,
    evaluate_config,
    evaluate_configmap,
    read_names,
    role_of,
    roles,
)


@dataclass(frozen=True, slots=True)
class Checking:
    targeting: Targeting
    cluster: ClusterView
    namespace: str | None = None  # -n: the namespace of a ConfigMap that names none
    kind: ConfigKind | None = None  # --kind: every input read as this kind


def check(doc: Document, checking: Checking) -> list[Result]:
    """One result per kind the document is read as (most have one), or why it is not checked."""
    if doc.problem is not None:
        return [Result(doc, Outcome.ERROR, reason=doc.problem)]
    if doc.skip is not None:
        return [Result(doc, Outcome.SKIPPED, reason=doc.skip)]
    namespace = doc.namespace or checking.namespace
    if doc.text is not None:  # a bare config is always checked: it was named as one
        kind = checking.kind or DEFAULT_KIND
        return [_evaluate(doc, checking, role_of(checking.targeting, kind, checking.cluster, namespace))]
    if doc.kind != "ConfigMap":
        return [Result(doc, Outcome.SKIPPED, reason="not a ConfigMap")]
    if doc.name is None:
        return [Result(doc, Outcome.SKIPPED, reason="a ConfigMap without metadata.name")]
    found = _roles(doc.name, namespace, checking)
    if not found:
        return [Result(doc, Outcome.SKIPPED, reason=_not_a_target(checking, namespace))]
    return [_evaluate(doc, checking, role) for role in found]


def _roles(name: str, namespace: str | None, checking: Checking) -> list[Role]:
    if checking.kind is not None:
        return [role_of(checking.targeting, checking.kind, checking.cluster, namespace)]
    return roles(checking.targeting, checking.cluster, namespace, name)


def _evaluate(doc: Document, checking: Checking, role: Role) -> Result:
    options = Options(velero_version=role.version, field_validation=checking.targeting.field_validation)
    if doc.obj is not None:
        verdict = evaluate_configmap(doc.obj, role.kind, checking.cluster, options)
    else:
        verdict = evaluate_config(doc.text or "", role.kind, checking.cluster, options)
    outcome = Outcome.ALLOWED if verdict.allowed else Outcome.DENIED
    return Result(doc, outcome, verdict, role.choice, kind=role.kind)


def _not_a_target(checking: Checking, namespace: str | None) -> str:
    """Which names are checked here, per kind: the configured ones and those Velero's workloads read."""
    listed = []
    for kind in KINDS:
        names = read_names(checking.targeting, kind, checking.cluster, namespace)
        if names:
            listed.append(f"{kind.name}: {', '.join(sorted(names))}")
    checked = "; ".join(listed) or "none"
    return f"not a config name (checked: {checked}; --configmap-name [KIND=]NAME adds one)"
