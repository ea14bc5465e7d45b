"""A ConfigMap (or a bare config file) through a kind: its data keys, each document, and the verdict.

The kind's layout says which data keys hold documents (node-agent: exactly one; the repository
maintenance config: every key); each document goes through webhook.engine.core.document; the
kind's ConfigMap checks then look across documents. What the ConfigMap's namespace holds is all
that concerns it: Velero reads its ConfigMaps from its own namespace.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from webhook.engine.core import field as f
from webhook.engine.core.cluster import NO_CLUSTER, ClusterView
from webhook.engine.core.document import Checked, check_document, sort_errors
from webhook.engine.core.findings import MAX_ERRORS, MAX_WARNINGS, Findings, more_errors, more_warnings
from webhook.engine.core.kind import ConfigKind, Document, Slot
from webhook.engine.core.verdict import Options, Verdict

DATA = f.ROOT.child("data")
BARE = f.ROOT.child("<config>")  # names a bare config file in whole-document errors
DEFAULT_OPTIONS = Options()


@dataclass(frozen=True)
class OneKey:
    """Exactly one data key, of any name, holds the config (node-agent, resource policies). With one
    key, paths are the config's own; with several (an error), each is prefixed by its key."""

    missing: str
    several: str  # why more than one key is an error

    def slots(self, data: Mapping[str, Any], out: Findings) -> list[Slot]:
        if len(data) > 1:
            out.error(f.too_many(DATA, f.Literal(str(len(data))), self.several, "dataKeys"))
            return [Slot(k, DATA.key(k), DATA.key(k)) for k in sorted(data)]
        return [Slot(k, DATA.key(k), f.ROOT) for k in data]


@dataclass(frozen=True)
class EveryKey:
    """Every data key holds a config of its own (the repository maintenance and backup repository
    configs): paths are always prefixed by their key."""

    missing: str

    def slots(self, data: Mapping[str, Any], out: Findings) -> list[Slot]:
        return [Slot(k, DATA.key(k), DATA.key(k)) for k in sorted(data)]


def evaluate_configmap(
    cm: Mapping[str, Any],
    kind: ConfigKind,
    cluster: ClusterView = NO_CLUSTER,
    options: Options = DEFAULT_OPTIONS,
) -> Verdict:
    cluster = scoped(cluster, (cm.get("metadata") or {}).get("namespace"))
    data, out = cm.get("data") or {}, Findings()
    _binary_data(kind, bool(cm.get("binaryData")), isinstance(data, Mapping) and bool(data), out)
    if not isinstance(data, Mapping) or not data:
        errors, warnings = _warned_only(kind, options, out.errors, out.warnings)
        return Verdict(errors, warnings, options.velero_version, _explainer(kind, [], cluster, options))
    slots = kind.layout.slots(data, out)
    checked, unchecked = _documents(slots, data, kind, cluster, options)
    for result in checked:
        out.errors += [_placed(e, result.slot) for e in result.checked.errors]
        out.warnings += [w.moved(result.slot.prefix) for w in result.checked.warnings]
    documents = [r.checked.document for r in checked]
    for check in kind.configmap_checks:
        check(documents, options.velero_version, cluster, out)
    errors = out.errors if len(slots) == 1 else _cut_errors(out.errors, unchecked)
    explain = _explainer(kind, documents, cluster, options)
    errors, warnings = _warned_only(kind, options, errors, out.warnings)
    return Verdict(errors, _cut_warnings(warnings), options.velero_version, explain)


def evaluate_config(
    text: str,
    kind: ConfigKind,
    cluster: ClusterView = NO_CLUSTER,
    options: Options = DEFAULT_OPTIONS,
    where: f.FieldPath = BARE,
) -> Verdict:
    """One bare config document (what a data key holds), as a file of its own."""
    checked = check_document(text, kind, cluster, options, where, None)
    errors = [_placed(e, Slot("", where, f.ROOT)) for e in checked.errors]
    explain = _explainer(kind, [checked.document], cluster, options)
    errors, warnings = _warned_only(kind, options, errors, checked.warnings)
    return Verdict(errors, warnings, options.velero_version, explain)


def _warned_only(
    kind: ConfigKind, options: Options, errors: list[f.FieldError], warnings: list[f.FieldWarning]
) -> tuple[list[f.FieldError], list[f.FieldWarning]]:
    """In a role where Velero only warns about a config it cannot use, its errors are warnings."""
    reason = (
        kind.warn_only(kind.purposes_of(options.purposes), options.velero_version) if kind.warn_only else ""
    )
    if not reason or not errors:
        return errors, warnings
    return [], [*(f.FieldWarning.of(e, reason) for e in errors), *warnings]


def _placed(err: f.FieldError, slot: Slot) -> f.FieldError:
    """A document's error seen from its ConfigMap: one about the whole document names its key."""
    return replace(err, path=slot.where) if err.path == f.ROOT else err.moved(slot.prefix)


@dataclass(frozen=True, slots=True)
class _Result:
    slot: Slot
    checked: Checked


def _documents(
    slots: Sequence[Slot], data: Mapping[str, Any], kind: ConfigKind, cluster: ClusterView, options: Options
) -> tuple[list[_Result], int]:
    """The documents in order, until their errors reach the cap; and how many keys were left unread."""
    results: list[_Result] = []
    total = 0
    for n, slot in enumerate(slots):
        if total >= MAX_ERRORS:
            return results, len(slots) - n
        results.append(_Result(slot, _document(slot, data[slot.key], kind, cluster, options)))
        total += len(results[-1].checked.errors)
    return results, 0


def _document(slot: Slot, value: Any, kind: ConfigKind, cluster: ClusterView, options: Options) -> Checked:
    if not isinstance(value, str):
        err = f.invalid(
            f.ROOT, value, f"must be a string holding the {kind.reading.format} config", "dataType"
        )
        return Checked([err], [], Document(slot.where, slot.key, None, True))
    return check_document(value, kind, cluster, options, slot.where, slot.key)


def _cut_errors(errors: list[f.FieldError], unchecked: int) -> list[f.FieldError]:
    errors = sort_errors(errors)
    if len(errors) <= MAX_ERRORS and not unchecked:
        return errors
    kept = errors[: MAX_ERRORS - 1]
    last = more_errors(DATA, len(kept), len(errors) - len(kept))
    if unchecked:
        last = replace(last, detail=f"{last.detail}; {unchecked} more data keys not checked")
    return [*kept, last]


def _cut_warnings(warnings: list[f.FieldWarning]) -> list[f.FieldWarning]:
    if len(warnings) <= MAX_WARNINGS:
        return warnings
    return [*warnings[:MAX_WARNINGS], more_warnings(len(warnings) - MAX_WARNINGS)]


def scoped(cluster: ClusterView, namespace: str | None) -> ClusterView:
    """Only the Velero objects of the ConfigMap's own namespace concern it."""
    if namespace is None:
        return cluster
    workloads = (
        None if cluster.workloads is None else [w for w in cluster.workloads if w.namespace == namespace]
    )
    locations = cluster.storage_locations
    repositories = cluster.repositories
    return replace(
        cluster,
        workloads=workloads,
        storage_locations=None if locations is None else [loc for loc in locations if loc[0] == namespace],
        repositories=None if repositories is None else [r for r in repositories if r.namespace == namespace],
    )


def _binary_data(kind: ConfigKind, has_binary: bool, has_data: bool, out: Findings) -> None:
    if has_binary and has_data:
        out.warn(f.ROOT.child("binaryData"), f"never read by {kind.wording.reader}")
    elif has_binary:
        detail = (
            f"{kind.wording.reader} reads only data; binaryData is never read "
            "(kubectl create configmap --from-file puts non-UTF-8 files there)"
        )
        out.error(f.required(DATA, detail, "noData"))
    elif not has_data:
        # `data: {}` does not survive the API server either: the reader sees no data
        out.error(f.required(DATA, kind.layout.missing, "noData"))


def _explainer(kind: ConfigKind, documents: list[Document], cluster: ClusterView, options: Options) -> Any:
    explain = kind.explain
    if explain is None:
        return lambda: None
    return lambda: explain(documents, cluster, options.velero_version)
