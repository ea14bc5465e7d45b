"""BR8: the config reaches only BackupRepositories created after it.

The server reads the ConfigMap only in initializeRepo, when a BackupRepository is new, and writes what
it read into the CR's spec.repositoryConfig for good (design PR #7963: the ConfigMap "is never
visited" again); kopia applies fullMaintenanceInterval only when it initialises the repository in
the storage location. So a write while repositories of a type exist changes nothing for them: the
warning names those whose stored settings differ from what Velero would store now.
"""

from __future__ import annotations

from collections.abc import Sequence

from webhook.engine.backuprepository.gotext import go_text
from webhook.engine.core.cluster import BackupRepositoryInfo, ClusterView
from webhook.engine.core.configmap import DATA
from webhook.engine.core.findings import Findings
from webhook.engine.core.kind import Document
from webhook.engine.core.versions import Version

NAMED = 3  # repositories named in the warning; the others are counted


def check(documents: Sequence[Document], version: Version, cluster: ClusterView, out: Findings) -> None:
    repositories = cluster.checkable().repositories
    if repositories is None:
        return
    for doc in documents:
        existing = [r for r in repositories if r.repository_type == doc.key]
        if doc.config is not None and doc.key is not None and existing:
            stored = {k: go_text(v) for k, v in doc.config.items()}
            out.warn(DATA.key(doc.key), _kept(doc.key, existing, stored))


def _kept(key: str, existing: list[BackupRepositoryInfo], stored: dict[str, str]) -> str:
    differ = sorted(r.name for r in existing if dict(r.config) != stored)
    head = f"only new BackupRepositories get it, existing {key} ones keep theirs"
    if not differ:
        return f"{head}; none of the {len(existing)} differs"
    more = len(differ) - NAMED
    names = ", ".join(differ[:NAMED]) + (f" and {more} more" if more > 0 else "")
    return f"{head}; differing: {names} ({len(differ)} of {len(existing)})"
