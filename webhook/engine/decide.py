"""What a write or a deletion of a ConfigMap gets: every role's verdict, and who reads it.

The admission layer maps each operation to one of these (CREATE and UPDATE: `check_write`,
DELETE: `check_delete`) and turns the `Decision` into a response; the CLI calls `check_write` for
each ConfigMap it is given. Nothing here does I/O or knows about HTTP.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from webhook.engine.core.cluster import ClusterView, VeleroWorkload
from webhook.engine.core.configmap import evaluate_configmap
from webhook.engine.core.field import ROOT, FieldError, FieldWarning
from webhook.engine.core.kind import Reader
from webhook.engine.core.verdict import Options, Verdict
from webhook.engine.core.versions import NEWEST, Version, describe
from webhook.engine.targeting import Role, Targeting, reads, roles, workloads_of


@dataclass(frozen=True, slots=True)
class Request:
    """The ConfigMap written or deleted: where, and its content before and after."""

    namespace: str
    name: str
    object: Mapping[str, Any] | None = None
    old_object: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    roles: Sequence[Role] = ()  # empty: none of ours, allowed untouched
    errors: Sequence[FieldError] = ()
    warnings: Sequence[FieldWarning] = ()
    verdicts: Sequence[Verdict] = field(default=(), compare=False)  # one per role, in order

    @property
    def applies(self) -> bool:
        return bool(self.roles)

    @property
    def allowed(self) -> bool:
        return not self.errors


ALLOW_UNTOUCHED = Decision()


def check_write(request: Request, cluster: ClusterView, targeting: Targeting) -> Decision:
    """A CREATE or UPDATE: the new object checked in every role it has."""
    found = roles(targeting, cluster, request.namespace, request.name)
    if not found or request.object is None:
        return ALLOW_UNTOUCHED
    verdicts = [_verdict(role, request.object, cluster, targeting) for role in found]
    errors = [e for v in verdicts for e in v.errors]
    warnings = [
        w for role, v in zip(found, verdicts, strict=True) for w in _warnings(role, v, request, cluster)
    ]
    return Decision(found, errors, warnings, verdicts)


def _verdict(role: Role, cm: Mapping[str, Any], cluster: ClusterView, targeting: Targeting) -> Verdict:
    options = Options(
        velero_version=role.version, field_validation=targeting.field_validation, purposes=role.purposes
    )
    return evaluate_configmap(cm, role.kind, cluster, options)


def _warnings(role: Role, verdict: Verdict, request: Request, cluster: ClusterView) -> list[FieldWarning]:
    out = [*verdict.warnings, *newer_than_known(role)]
    out += [FieldWarning(ROOT, text) for text in _reading(role, request, cluster, verdict.allowed)]
    return out


def newer_than_known(role: Role) -> list[FieldWarning]:
    if role.version <= NEWEST:
        return []
    text = (
        f"Velero {describe(role.version)} is newer than this tool knows ({describe(NEWEST)}): "
        "fields it added since are unknown here"
    )
    return [FieldWarning(ROOT, text)]


def _reading(role: Role, request: Request, cluster: ClusterView, allowed: bool) -> list[str]:
    """Who reads this ConfigMap (W20), and that a change needs a restart where it is read at start (W19)."""
    namespace, kind = request.namespace, role.kind
    present = [(r, w) for r in kind.readers for w in workloads_of(r, cluster, namespace)]
    if cluster.workloads is not None and not present:
        # Velero reads its ConfigMaps from its own namespace: no restart would make this one count
        first = kind.readers[0]
        absent = f"no {first.names[0]} {first.workload} in namespace {namespace}"
        return [f"{absent}: no {kind.wording.reader} reads this ConfigMap"]
    out = [
        _not_read(r, w, request.name) for r, w in present if _has_flag(r, w) and not reads(r, w, request.name)
    ]
    if allowed and _data_changed(request):
        out += _restart(role, request, present)
    return out


def _has_flag(reader: Reader, workload: VeleroWorkload) -> bool:
    """A workload older than the reader's flag that reads no fixed name reads nothing through it."""
    version = Version.parse(workload.velero_version or "")
    return reader.fixed_name is not None or version is None or version >= reader.since


def _not_read(reader: Reader, workload: VeleroWorkload, name: str) -> str:
    flag, given = reader.flag, workload.flags.get(reader.flag)
    if given is None:
        return f"{workload.ref} has no {flag} flag: it reads no ConfigMap, not {name!r}"
    return f"{workload.ref} reads ConfigMap {given!r} ({flag}), not {name!r}"


def _restart(role: Role, request: Request, present: list[tuple[Reader, VeleroWorkload]]) -> list[str]:
    at_start = [r for r in role.kind.readers if r.at_start and r.reads_at(role.version)]
    refs = [w.ref for r, w in present if r in at_start and reads(r, w, request.name)]
    if not present:  # the cluster's workloads are not known: name the usual ones
        refs = [f"{r.resource}/{r.names[0]}" for r in at_start]
    if not refs:
        return []
    restart = f"kubectl -n {request.namespace} rollout restart {' and '.join(refs)}"
    return [f"{role.kind.wording.reader} reads this ConfigMap only at start: {restart}"]


def _data_changed(request: Request) -> bool:
    if request.old_object is None or request.object is None:
        return True
    keys = ("data", "binaryData")
    return any(request.object.get(k) != request.old_object.get(k) for k in keys)


def check_delete(request: Request, cluster: ClusterView, targeting: Targeting) -> Decision:
    """A DELETE is never refused; the workloads that read the ConfigMap get named."""
    found = roles(targeting, cluster, request.namespace, request.name)
    warnings = [FieldWarning(ROOT, text) for role in found for text in _on_delete(role)]
    return Decision(found, (), warnings)


def _on_delete(role: Role) -> list[str]:
    out = []
    for reader in role.kind.readers:
        refs = [w.ref for w in role.readers if w.workload == reader.workload and w.name in reader.names]
        if refs and reader.required_from is not None:
            out.append(
                f"{' and '.join(refs)} reads this ConfigMap: {role.kind.wording.reader} "
                f"{reader.required_from.minor_text} and later will not start without it, {reader.without_it}"
            )
    return out
