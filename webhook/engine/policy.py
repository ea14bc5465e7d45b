"""Which ConfigMaps are node-agent configs, and what each admission operation gets.

The Decisions of the Velero reference, as one pure function: the admission layer turns an
AdmissionReview into `review(...)` and the `Decision` back into a response; nothing here does I/O.
The CLI asks the same questions (`why_target`, `choose_version`) of the files it reads, so the two
never disagree on which ConfigMaps are checked, nor against which Velero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from webhook.engine.cluster import ClusterView, NodeAgentDaemonSet
from webhook.engine.evaluate import evaluate_configmap
from webhook.engine.field import ROOT, ErrorType, FieldError, Literal, render_value
from webhook.engine.limits import limit_warnings
from webhook.engine.verdict import FieldValidation, Options, Verdict
from webhook.engine.versions import NEWEST, Version

DEFAULT_CONFIGMAP = "node-agent-config"  # hard-coded by Velero 1.13-1.14, used by the docs since
NODE_AGENT_DAEMONSETS = ("node-agent", "node-agent-windows")
FLAG_ADDED = Version(1, 15, 0)  # --node-agent-configmap; before it the name was fixed
MISSING_IS_FATAL = Version(1, 17, 0)


@dataclass(frozen=True, slots=True)
class Targeting:
    """What the webhook is configured to check (the `serve` flags)."""

    configmap_names: frozenset[str] = frozenset({DEFAULT_CONFIGMAP})
    namespaces: frozenset[str] | None = None  # None: every namespace the apiserver sends
    velero_version: Version | None = None  # None: read it from the DaemonSet, else `fallback_version`
    field_validation: FieldValidation = FieldValidation.STRICT
    fallback_version: Version = NEWEST  # the CLI passes the newest release


class VersionSource(Enum):
    CONFIGURED = "configured"  # --velero-version
    DAEMONSET = "daemonset"  # the image tag of a node-agent DaemonSet
    FALLBACK = "fallback"  # neither: Targeting.fallback_version


@dataclass(frozen=True, slots=True)
class VersionChoice:
    """The Velero a ConfigMap is checked against, and where that came from (the CLI says which)."""

    version: Version
    source: VersionSource
    daemonset: NodeAgentDaemonSet | None = None  # the one whose tag gave the version


@dataclass(frozen=True, slots=True)
class Request:
    """The parts of an AdmissionReview request that the decision needs."""

    operation: str  # CREATE, UPDATE, DELETE, CONNECT
    namespace: str
    name: str
    object: Mapping[str, Any] | None = None
    old_object: Mapping[str, Any] | None = None
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class Decision:
    applies: bool  # False: not a node-agent config, allowed untouched
    allowed: bool = True
    errors: Sequence[FieldError] = ()
    warnings: Sequence[str] = ()
    message: str = ""  # the one denial message, every error in it
    verdict: Verdict | None = field(default=None, compare=False)


ALLOW_UNTOUCHED = Decision(applies=False)


def daemonsets_in(cluster: ClusterView, namespace: str | None) -> list[NodeAgentDaemonSet]:
    """The node-agent DaemonSets of a namespace; None (a bare config, a manifest without namespace):
    those of every namespace."""
    return [
        ds
        for ds in cluster.daemonsets or ()
        if namespace in (None, ds.namespace) and ds.name in NODE_AGENT_DAEMONSETS
    ]


def reads(ds: NodeAgentDaemonSet, name: str) -> bool:
    """Whether this DaemonSet's node-agent reads the ConfigMap `name` at start."""
    version = Version.parse(ds.velero_version or "")
    if version is not None and version < FLAG_ADDED:
        return name == DEFAULT_CONFIGMAP
    return ds.configmap == name


def is_target(targeting: Targeting, cluster: ClusterView, namespace: str, name: str) -> bool:
    return why_target(targeting, cluster, namespace, name) is not None


def why_target(
    targeting: Targeting, cluster: ClusterView, namespace: str | None, name: str
) -> NodeAgentDaemonSet | str | None:
    """Why this ConfigMap is a node-agent config: its name is configured (the name), or a node-agent
    DaemonSet reads it (that DaemonSet); None when it is not one."""
    if targeting.namespaces is not None and namespace is not None and namespace not in targeting.namespaces:
        return None
    if name in targeting.configmap_names:
        return name
    return next((ds for ds in daemonsets_in(cluster, namespace) if reads(ds, name)), None)


def target_version(targeting: Targeting, cluster: ClusterView, namespace: str) -> Version:
    return choose_version(targeting, cluster, namespace).version


def choose_version(targeting: Targeting, cluster: ClusterView, namespace: str | None) -> VersionChoice:
    """Configured, else the oldest node-agent image tag in the namespace, else the fallback."""
    if targeting.velero_version is not None:
        return VersionChoice(targeting.velero_version, VersionSource.CONFIGURED)
    tagged = [(v, ds) for ds in daemonsets_in(cluster, namespace) if (v := _tag(ds)) is not None]
    if not tagged:
        return VersionChoice(targeting.fallback_version, VersionSource.FALLBACK)
    version, daemonset = min(tagged, key=lambda pair: pair[0])
    return VersionChoice(version, VersionSource.DAEMONSET, daemonset)


def _tag(ds: NodeAgentDaemonSet) -> Version | None:
    return Version.parse(ds.velero_version or "")


def review(request: Request, cluster: ClusterView, targeting: Targeting) -> Decision:
    if not is_target(targeting, cluster, request.namespace, request.name):
        return ALLOW_UNTOUCHED
    if request.operation == "DELETE":
        return _on_delete(request, cluster)
    if request.operation not in ("CREATE", "UPDATE") or request.object is None:
        return ALLOW_UNTOUCHED
    version = target_version(targeting, cluster, request.namespace)
    options = Options(velero_version=version, field_validation=targeting.field_validation)
    verdict = evaluate_configmap(request.object, cluster, options)
    warnings = [*verdict.warnings, *_reading_warnings(request, cluster, verdict)]
    return Decision(
        applies=True,
        allowed=verdict.allowed,
        errors=verdict.errors,
        warnings=limit_warnings(warnings),
        message=denial_message(request.name, verdict.errors),
        verdict=verdict,
    )


# The denial goes back through the API server to kubectl, which prints it whole: past 32 KiB it stops
# being read. The engine caps the errors (webhook.engine.budget); this caps their text.
MESSAGE_LIMIT = 32 * 1024  # UTF-8 bytes
ERROR_LIMIT = 2048  # one error's text; a longer one shows the start of its value only
SHOWN_VALUE = 200


def denial_message(name: str, errors: Sequence[FieldError]) -> str:
    """apimachinery's `NewInvalid` form, which kubectl users know: one error bare, several in [..];
    the errors that fit in MESSAGE_LIMIT, then one that says how many more the list holds."""
    if not errors:
        return ""
    head = f'ConfigMap "{name}" is invalid: '
    texts = _fitting([_short(e) for e in errors], MESSAGE_LIMIT - len(head.encode()) - 2)
    body = texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"
    return head + body


def _short(err: FieldError) -> str:
    text = str(err)
    if len(text) <= ERROR_LIMIT or not err.has_value:
        return text
    shown = render_value(err.value)
    return str(replace(err, value=Literal(f"{shown[:SHOWN_VALUE]}... ({len(shown)} characters)")))


def _fitting(texts: list[str], limit: int) -> list[str]:
    """Whole errors while they fit, keeping room for the last one, which counts the rest."""
    kept: list[str] = []
    size = len(MORE_PATTERN) + 40  # the last error, its numbers at most 20 digits each
    for text in texts:
        size += len(text.encode("utf-8", "surrogatepass")) + 2
        if size > limit:
            more = MORE_PATTERN.format(total=len(texts), more=len(texts) - len(kept))
            return [*kept, more]
        kept.append(text)
    return kept


MORE_PATTERN = str(
    FieldError(
        ErrorType.TOO_MANY,
        ROOT.child("data"),
        "{more} more errors not listed here (the message stays under 32 KiB); "
        "node-agent-webhook validate lists them",
        Literal("{total}"),
    )
)


def _reading_warnings(request: Request, cluster: ClusterView, verdict: Verdict) -> list[str]:
    """W20 (who reads this ConfigMap) and W19 (node-agent reads it only at start)."""
    daemonsets = daemonsets_in(cluster, request.namespace)
    if cluster.daemonsets is not None and not daemonsets:
        # node-agent reads its ConfigMap from its own namespace: no restart would make this one count
        namespace = request.namespace
        return [f"no node-agent DaemonSet in namespace {namespace}: no node-agent reads this ConfigMap"]
    out = [_not_read_warning(ds, request.name) for ds in daemonsets if not reads(ds, request.name)]
    readers = [ds.name for ds in daemonsets if reads(ds, request.name)] or (
        [] if daemonsets else ["node-agent"]
    )
    if verdict.allowed and readers and _data_changed(request):
        restarts = " and ".join(f"daemonset/{n}" for n in readers)
        out.append(
            "node-agent reads this ConfigMap only at start: "
            f"kubectl -n {request.namespace} rollout restart {restarts}"
        )
    return out


def _not_read_warning(ds: NodeAgentDaemonSet, name: str) -> str:
    if ds.configmap is None:
        return f"daemonset/{ds.name} has no --node-agent-configmap flag: it reads no ConfigMap, not {name!r}"
    return f"daemonset/{ds.name} reads ConfigMap {ds.configmap!r} (--node-agent-configmap), not {name!r}"


def _data_changed(request: Request) -> bool:
    if request.operation != "UPDATE" or request.old_object is None or request.object is None:
        return True
    keys = ("data", "binaryData")
    return any(request.object.get(k) != request.old_object.get(k) for k in keys)


def _on_delete(request: Request, cluster: ClusterView) -> Decision:
    names = [ds.name for ds in daemonsets_in(cluster, request.namespace) if reads(ds, request.name)]
    if not names:
        return Decision(applies=True)
    who = " and ".join(f"daemonset/{n}" for n in names)
    text = (
        f"{who} reads this ConfigMap: node-agent 1.17 and later will not start without it, "
        "older ones run with defaults"
    )
    return Decision(applies=True, warnings=[text])
