"""A document to a result: which documents are node-agent configs, and against which Velero.

Both questions are the webhook's own (webhook.engine.policy: `why_target`, `choose_version`); this
module only adds what files have and admission requests do not: objects of other kinds, bare configs,
ConfigMaps that name no namespace.
"""

from __future__ import annotations

from dataclasses import dataclass

from webhook.cli.manifests import Document
from webhook.cli.results import Outcome, Result
from webhook.engine.cluster import ClusterView
from webhook.engine.evaluate import evaluate_config, evaluate_configmap
from webhook.engine.policy import (
    DEFAULT_CONFIGMAP,
    Targeting,
    choose_version,
    daemonsets_in,
    reads,
    why_target,
)
from webhook.engine.verdict import Options


@dataclass(frozen=True, slots=True)
class Checking:
    targeting: Targeting
    cluster: ClusterView
    namespace: str | None = None  # -n: the namespace of a ConfigMap that names none


def check(doc: Document, checking: Checking) -> Result:
    if doc.problem is not None:
        return Result(doc, Outcome.ERROR, reason=doc.problem)
    if doc.skip is not None:
        return Result(doc, Outcome.SKIPPED, reason=doc.skip)
    if doc.text is not None:  # a bare config is always checked: it was named as one
        return _evaluate(doc, checking, None)
    if doc.kind != "ConfigMap":
        return Result(doc, Outcome.SKIPPED, reason="not a ConfigMap")
    namespace = doc.namespace or checking.namespace
    if doc.name is None:
        return Result(doc, Outcome.SKIPPED, reason="a ConfigMap without metadata.name")
    if why_target(checking.targeting, checking.cluster, namespace, doc.name) is None:
        return Result(doc, Outcome.SKIPPED, reason=_not_a_target(checking, namespace))
    return _evaluate(doc, checking, namespace)


def _evaluate(doc: Document, checking: Checking, namespace: str | None) -> Result:
    choice = choose_version(checking.targeting, checking.cluster, namespace)
    options = Options(velero_version=choice.version, field_validation=checking.targeting.field_validation)
    if doc.obj is not None:
        verdict = evaluate_configmap(doc.obj, checking.cluster, options)
    else:
        verdict = evaluate_config(doc.text or "", checking.cluster, options)
    return Result(doc, Outcome.ALLOWED if verdict.allowed else Outcome.DENIED, verdict, choice)


def _not_a_target(checking: Checking, namespace: str | None) -> str:
    """Which names are checked here: the configured ones and those the DaemonSets read."""
    names = set(checking.targeting.configmap_names)
    for ds in daemonsets_in(checking.cluster, namespace):
        names.update(n for n in {ds.configmap, DEFAULT_CONFIGMAP} if n and reads(ds, n))
    listed = ", ".join(sorted(names))
    return f"not a node-agent config name (checked: {listed}; --configmap-name NAME adds one)"
