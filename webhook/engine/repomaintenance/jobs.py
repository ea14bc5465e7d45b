"""The settings each repository's maintenance job gets: its key and `global` merged as getJobConfig
merges them (webhook.engine.repomaintenance.merge), then what buildJob makes of them.

One row per BackupRepository the inventory knows (else per repository key of the ConfigMap), and a
last row for any other repository, which reads `global` alone. What a release does without a
value: podResources "0" (unbounded; 1.15-1.16 the server's --maintenance-job-* flags), three jobs
kept (1.15-1.16 the server's --keep-latest-maintenance-jobs), no priority class, no affinity.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from webhook.engine.core.cluster import ClusterView
from webhook.engine.core.kind import Document
from webhook.engine.core.versions import Version
from webhook.engine.repomaintenance.load_affinity import is_empty, used
from webhook.engine.repomaintenance.merge import global_document, merged
from webhook.engine.repomaintenance.repository_keys import GLOBAL, repository_key, type_of

FROM_CONFIGMAP = Version(1, 17, 0)  # before, job resources and the jobs kept came from server flags
DEFAULT_KEEP = 3
OTHERS = "(any other)"


@dataclass(frozen=True, slots=True)
class Job:
    """The maintenance settings of one repository (or of every repository without a key)."""

    repository: str  # its key, <namespace>-<bsl>-<type>, or OTHERS
    keys: tuple[str, ...]  # the data keys it reads
    config: Mapping[str, Any] | None  # merged; None: defaults (no key, or one does not decode)
    version: Version

    @property
    def undecodable(self) -> bool:
        return self.config is None and bool(self.keys)

    def affinity(self) -> list[dict[str, Any]]:
        """The node selector terms of the job pod, as Velero builds them from loadAffinity."""
        entries = used((self.config or {}).get("loadAffinity") or [], self.version)
        return [dict(e.get("nodeSelector") or {}) for e in entries if e and not is_empty(e)]

    def resources(self) -> dict[str, str] | None:
        res = (self.config or {}).get("podResources")
        return dict(res) if isinstance(res, Mapping) else None

    def keep(self) -> int | None:
        """None: a server flag decides (1.15, 1.16)."""
        if self.version < FROM_CONFIGMAP:
            return None
        kept = (self.config or {}).get("keepLatestMaintenanceJobs")
        return kept if isinstance(kept, int) else DEFAULT_KEEP

    def priority_class(self) -> str:
        return str((self.config or {}).get("priorityClassName") or "")


@dataclass(frozen=True, slots=True)
class MaintenanceJobs:
    """The effect of a repository maintenance config: every known repository's job settings."""

    jobs: tuple[Job, ...]

    def columns(self) -> tuple[str, ...]:
        return ("REPOSITORY", "KEYS", "LOAD AFFINITY", "POD RESOURCES", "KEEP", "PRIORITY CLASS")

    def rows(self) -> list[tuple[object, ...]]:
        return [_row(job) for job in self.jobs]

    def empty(self) -> str:
        return "no repository"

    def as_json(self) -> dict[str, object]:
        return {"repositories": [_as_json(job) for job in self.jobs]}


def _row(job: Job) -> tuple[object, ...]:
    keys = ", ".join(job.keys) or "none"
    if job.undecodable:
        keys += " (undecodable: defaults)"
    terms = " | ".join(_term(t) for t in job.affinity()) or "-"
    keep = "flag" if job.keep() is None else job.keep()
    return (job.repository, keys, terms, _resources(job), keep, job.priority_class() or "-")


def _term(selector: Mapping[str, Any]) -> str:
    labels = [f"{k}={v}" for k, v in sorted((selector.get("matchLabels") or {}).items())]
    expressions = [
        f"{e.get('key')} {e.get('operator')} ({','.join(e.get('values') or [])})".replace(" ()", "")
        for e in selector.get("matchExpressions") or []
        if isinstance(e, Mapping)
    ]
    return ",".join(labels + expressions)


def _resources(job: Job) -> str:
    res = job.resources()
    if res is None:
        return "server flags" if job.version < FROM_CONFIGMAP else "unbounded"
    written = [n for n in ("cpu", "memory", "ephemeralStorage") if f"{n}Request" in res or f"{n}Limit" in res]
    return ", ".join(f"{n} {res.get(f'{n}Request', '')}/{res.get(f'{n}Limit', '')}" for n in written)


def _as_json(job: Job) -> dict[str, object]:
    config = job.config or {}
    return {
        "repository": None if job.repository == OTHERS else job.repository,
        "keys": list(job.keys),
        "undecodable": job.undecodable,
        "loadAffinity": job.affinity(),
        "podResources": job.resources(),
        "keepLatestMaintenanceJobs": job.keep(),
        "priorityClassName": job.priority_class(),
        "podLabels": dict(config.get("podLabels") or {}),
        "podAnnotations": dict(config.get("podAnnotations") or {}),
    }


def effect(documents: Sequence[Document], cluster: ClusterView, version: Version) -> MaintenanceJobs:
    """A bare config file (no key) is read as `global`: what every repository would get from it."""
    by_key = {d.key: d for d in documents if d.key is not None}
    common = global_document(documents) or next((d for d in documents if d.key is None), None)
    if cluster.repositories is not None:
        repositories = sorted({repository_key(r) for r in cluster.repositories})
    else:
        repositories = sorted(k for k in by_key if k != GLOBAL and type_of(k, version))
    jobs = [_job(name, by_key.get(name), common, version) for name in repositories]
    return MaintenanceJobs((*jobs, _job(OTHERS, None, common, version)))


def _job(repository: str, own: Document | None, common: Document | None, version: Version) -> Job:
    keys = tuple(d.key or "<config>" for d in (own, common) if d is not None)
    return Job(repository, keys, merged(own, common, version), version)
