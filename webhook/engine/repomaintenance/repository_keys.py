"""The data keys: `global`, or the key of one repository, `<volumeNamespace>-<bsl>-<repositoryType>`.

getJobConfig (pkg/repository/maintenance/maintenance.go, v1.16+; repository.GetMaintenanceJobConfig
in v1.15) looks up exactly two keys for a repository, case-sensitively: its own, built as
`spec.volumeNamespace + "-" + spec.backupStorageLocation + "-" + spec.repositoryType`, and
`global`. Any other key is never read at runtime (yet validated at start from 1.17). The namespace
is a DNS-1123 label and a BackupStorageLocation name a DNS-1123 subdomain, both may hold '-': a key
can split in several ways, and only the cluster's BackupStorageLocations tell which are real.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from webhook.engine.core.cluster import BackupRepositoryInfo, ClusterView
from webhook.engine.core.decode import fold
from webhook.engine.core.field import FieldPath
from webhook.engine.core.findings import Findings
from webhook.engine.core.kind import Document
from webhook.engine.core.predicates import DNS1123_SUBDOMAIN_FMT
from webhook.engine.core.versions import Version

GLOBAL = "global"
WITHOUT_RESTIC = Version(1, 19, 0)  # main after v1.18.2 drops the restic repository type
_NAMESPACE = "[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?"  # a DNS-1123 label: 63 characters at most
_NAMESPACE_RE = re.compile(f"^{_NAMESPACE}$")
_LOCATION_RE = re.compile(f"^{DNS1123_SUBDOMAIN_FMT}$")
# <namespace>-<bsl> as one expression (C speed, and a ConfigMap key is at most 253 characters, so
# the BackupStorageLocation part is never longer than a subdomain may be)
_REPOSITORY_RE = re.compile(f"^{_NAMESPACE}-{DNS1123_SUBDOMAIN_FMT}$")
FILE_SUFFIXES = (".json", ".yaml", ".yml", ".txt", ".conf")
SHOWN_LOCATIONS = 5


@dataclass(frozen=True, slots=True)
class Split:
    """One reading of a repository key."""

    namespace: str
    location: str
    type: str


def repository_types(version: Version) -> tuple[str, ...]:
    return ("kopia",) if version >= WITHOUT_RESTIC else ("kopia", "restic")


def repository_key(repo: BackupRepositoryInfo) -> str:
    return f"{repo.volume_namespace}-{repo.storage_location}-{repo.repository_type}"


def type_of(key: str, version: Version) -> str | None:
    """The repository type a key of the right shape ends in; None for a key no job reads."""
    for kind in repository_types(version):
        rest = key.removesuffix(f"-{kind}")
        if rest != key and "\n" not in rest and _REPOSITORY_RE.match(rest):
            return kind
    return None


def splits(key: str, kind: str, locations: Collection[str] | None = None) -> list[Split]:
    """Every reading of a key of type `kind` as a namespace and a BackupStorageLocation (one of
    `locations` when given)."""
    rest = key.removesuffix(f"-{kind}")
    found = []
    for at in (i for i, c in enumerate(rest) if c == "-"):
        namespace, location = rest[:at], rest[at + 1 :]
        if locations is not None and location not in locations:
            continue
        if _NAMESPACE_RE.match(namespace) and _LOCATION_RE.match(location):
            found.append(Split(namespace, location, kind))
    return found


@dataclass(frozen=True, slots=True)
class _Known:
    """What the cluster holds, each part None when the inventory does not know it."""

    locations: frozenset[str] | None  # BackupStorageLocation names
    repositories: frozenset[str] | None  # the keys of the BackupRepositories

    @staticmethod
    def of(cluster: ClusterView) -> _Known:
        cluster = cluster.checkable()
        locations, repositories = cluster.storage_locations, cluster.repositories
        return _Known(
            None if locations is None else frozenset(name for _, name in locations),
            None if repositories is None else frozenset(repository_key(r) for r in repositories),
        )


def check(documents: Sequence[Document], version: Version, cluster: ClusterView, out: Findings) -> None:
    known = _Known.of(cluster)
    for doc in documents:
        if doc.key is not None and doc.key != GLOBAL:
            _check_key(doc.key, doc.where, version, known, out)


def _check_key(key: str, where: FieldPath, version: Version, known: _Known, out: Findings) -> None:
    kind = type_of(key, version)
    if kind is None:
        _warn(out, where, lambda: _not_a_key(key, version))
        return
    found: list[Split] = []
    if known.locations is not None:
        found = splits(key, kind, known.locations)
        if not found:
            _warn(out, where, lambda: _no_location(known.locations or frozenset()))
            return
    if len(found) > 1:
        _warn(out, where, lambda: _ambiguous(found))
    if known.repositories is not None and key not in known.repositories:
        _warn(out, where, lambda: _no_repository(found or splits(key, kind)))


def _warn(out: Findings, where: FieldPath, detail: Callable[[], str]) -> None:
    """A warning whose words are only made when it fits under the cap (a ConfigMap holds thousands
    of keys)."""
    if not out.counted(as_error=False):
        out.warn(where, detail())


def _not_a_key(key: str, version: Version) -> str:
    shape = f"<namespace>-<bsl>-<{'|'.join(repository_types(version))}>"
    text = f'key is neither "{GLOBAL}" nor {shape}: no maintenance job reads it'
    if fold(key) == GLOBAL:
        return f'{text}; did you mean "{GLOBAL}"?'
    if key.lower().endswith(FILE_SUFFIXES):
        return f"{text} (kubectl create configmap --from-file names keys after files)"
    return text


def _no_location(locations: frozenset[str]) -> str:
    if not locations:
        return "there is no BackupStorageLocation: no maintenance job reads this key"
    names = sorted(locations)
    shown = ", ".join(names[:SHOWN_LOCATIONS]) + (", ..." if len(names) > SHOWN_LOCATIONS else "")
    return f"names no existing BackupStorageLocation ({shown}): no maintenance job reads it"


def _ambiguous(found: list[Split]) -> str:
    readings = " and ".join(
        f'namespace "{s.namespace}" in BackupStorageLocation "{s.location}"' for s in found
    )
    return f"applies to the {found[0].type} repository of {readings}"


def _no_repository(found: list[Split]) -> str:
    if len(found) != 1:
        return "no BackupRepository matches it yet: it applies once Velero creates one with this key"
    s = found[0]
    return (
        f"no BackupRepository matches it yet: it applies once Velero creates the {s.type} repository "
        f'of namespace "{s.namespace}" in BackupStorageLocation "{s.location}"'
    )
