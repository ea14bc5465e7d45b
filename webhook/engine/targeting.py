"""Which ConfigMaps are which kind, and which Velero release each is checked for: one pure decision
that the webhook and the CLI share, so `validate --kubeconfig` reads a ConfigMap as the webhook does.

A ConfigMap has a role for a kind when its name is one configured for that kind (flags, chart
values), or when a Velero workload of its namespace reads it (a reader's flag names it; before the
flag existed, the kind's fixed name). The release is the configured one, else the oldest image tag
of the kind's workloads in the namespace, else the newest release this tool knows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from webhook.engine.core.cluster import ClusterView, VeleroWorkload
from webhook.engine.core.kind import ConfigKind, Reader
from webhook.engine.core.verdict import FieldValidation
from webhook.engine.core.versions import NEWEST_RELEASE, Version
from webhook.engine.kinds import KINDS
from webhook.engine.nodeagent import DEFAULT_CONFIGMAP, NODE_AGENT


def _default_names() -> Mapping[str, frozenset[str]]:
    return {NODE_AGENT.name: frozenset({DEFAULT_CONFIGMAP})}


@dataclass(frozen=True, slots=True)
class Targeting:
    """What is configured to be checked (the `serve` flags, the CLI's options)."""

    names: Mapping[str, frozenset[str]] = field(default_factory=_default_names)  # kind -> names
    namespaces: frozenset[str] | None = None  # None: every namespace the apiserver sends
    velero_version: Version | None = None  # None: read it from the workloads, else the newest release
    field_validation: FieldValidation = FieldValidation.STRICT


class VersionSource(Enum):
    CONFIGURED = "configured"  # --velero-version
    WORKLOAD = "workload"  # the image tag of a Velero workload that reads the kind
    FALLBACK = "fallback"  # neither: the newest release this tool knows


@dataclass(frozen=True, slots=True)
class VersionChoice:
    """The Velero a ConfigMap is checked against, and where that came from (the CLI says which)."""

    version: Version
    source: VersionSource
    workload: VeleroWorkload | None = None  # the one whose tag gave the version


@dataclass(frozen=True, slots=True)
class Role:
    """A kind a ConfigMap is read as, the release it is checked for, and the workloads that read it."""

    kind: ConfigKind
    choice: VersionChoice
    readers: tuple[VeleroWorkload, ...]  # of its namespace; empty when none reads it (or none known)
    # what it is read as (Options.purposes): the readers' flags say, a configured name is the
    # kind's usual role; None: the usual one
    purposes: frozenset[str] | None = None

    @property
    def version(self) -> Version:
        return self.choice.version


def workloads_of(reader: Reader, cluster: ClusterView, namespace: str | None) -> list[VeleroWorkload]:
    """The reader's workloads in a namespace; None (a bare config, a manifest naming no namespace):
    in every namespace."""
    return [
        w
        for w in cluster.workloads or ()
        if namespace in (None, w.namespace) and w.workload == reader.workload and w.name in reader.names
    ]


def reads(reader: Reader, workload: VeleroWorkload, name: str) -> bool:
    """Whether this workload reads the ConfigMap `name` through this reader's flag."""
    version = Version.parse(workload.velero_version or "")
    if version is not None and version < reader.since:
        return name == reader.fixed_name
    return workload.flags.get(reader.flag) == name


def readers_of(
    kind: ConfigKind, cluster: ClusterView, namespace: str | None, name: str
) -> tuple[VeleroWorkload, ...]:
    return tuple(w for r in kind.readers for w in workloads_of(r, cluster, namespace) if reads(r, w, name))


def roles(targeting: Targeting, cluster: ClusterView, namespace: str | None, name: str) -> list[Role]:
    """Every kind this ConfigMap is read as; empty when it is none of them (allowed untouched)."""
    if targeting.namespaces is not None and namespace is not None and namespace not in targeting.namespaces:
        return []
    found = []
    for kind in KINDS:
        readers = readers_of(kind, cluster, namespace, name)
        configured = name in targeting.names.get(kind.name, ())
        if readers or configured:
            choice = choose_version(targeting, kind, cluster, namespace)
            found.append(Role(kind, choice, readers, _purposes(kind, cluster, namespace, name, configured)))
    return found


def _purposes(
    kind: ConfigKind, cluster: ClusterView, namespace: str | None, name: str, configured: bool
) -> frozenset[str] | None:
    """The roles the flags naming it give (a reader's purpose), and the usual ones if configured."""
    found = {
        r.purpose
        for r in kind.readers
        if r.purpose is not None and any(reads(r, w, name) for w in workloads_of(r, cluster, namespace))
    }
    if not found:
        return None
    return frozenset(found) | (kind.default_purposes if configured else frozenset())


def role_of(targeting: Targeting, kind: ConfigKind, cluster: ClusterView, namespace: str | None) -> Role:
    """A document read as `kind` whatever its name (a bare config file, `--kind`)."""
    return Role(kind, choose_version(targeting, kind, cluster, namespace), ())


def read_names(
    targeting: Targeting, kind: ConfigKind, cluster: ClusterView, namespace: str | None
) -> set[str]:
    """The names checked as `kind` here: the configured ones and those its workloads read."""
    names = set(targeting.names.get(kind.name, ()))
    for reader in kind.readers:
        for workload in workloads_of(reader, cluster, namespace):
            candidates = {workload.flags.get(reader.flag, ""), reader.fixed_name or ""}
            names.update(n for n in candidates if n and reads(reader, workload, n))
    return names


def target_version(
    targeting: Targeting, kind: ConfigKind, cluster: ClusterView, namespace: str | None
) -> Version:
    return choose_version(targeting, kind, cluster, namespace).version


def choose_version(
    targeting: Targeting, kind: ConfigKind, cluster: ClusterView, namespace: str | None
) -> VersionChoice:
    """Configured, else the oldest image tag of the kind's workloads in the namespace, else the newest
    release this tool knows."""
    if targeting.velero_version is not None:
        return VersionChoice(targeting.velero_version, VersionSource.CONFIGURED)
    workloads = [w for r in kind.readers for w in workloads_of(r, cluster, namespace)]
    tagged = [(v, w) for w in workloads if (v := Version.parse(w.velero_version or "")) is not None]
    if not tagged:
        return VersionChoice(NEWEST_RELEASE, VersionSource.FALLBACK)
    version, workload = min(tagged, key=lambda pair: pair[0])
    return VersionChoice(version, VersionSource.WORKLOAD, workload)
