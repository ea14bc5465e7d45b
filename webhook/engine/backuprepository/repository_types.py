"""The data keys: one per repository type (BR6). Velero looks up `data[spec.repositoryType]` exactly
(getBackupRepositoryConfig), and node-agent 1.18 only `data["kopia"]` (ClientSideCacheLimit).

restic repositories get their key's config copied into spec.repositoryConfig up to 1.18, but the
restic provider never reads it (pkg/repository/provider/restic.go); main removed the type.
"""

from __future__ import annotations

from collections.abc import Sequence

from webhook.engine.core.cluster import ClusterView
from webhook.engine.core.configmap import DATA
from webhook.engine.core.decode import fold
from webhook.engine.core.findings import Findings
from webhook.engine.core.kind import Document
from webhook.engine.core.versions import Version, describe

KOPIA = "kopia"
RESTIC = "restic"
RESTIC_REMOVED = Version(1, 19, 0)  # main after v1.18.2 has no restic repository type


def check(documents: Sequence[Document], version: Version, cluster: ClusterView, out: Findings) -> None:
    for doc in documents:
        if doc.key is not None and doc.key != KOPIA:
            out.warn(DATA.key(doc.key), unread(doc.key, version))


def unread(key: str, version: Version) -> str:
    if key == RESTIC and version < RESTIC_REMOVED:
        return "restic repositories never read it: only kopia ones do"
    if key == RESTIC:
        return f"Velero {describe(version)} has no restic repositories: never read"
    case = " (keys are case-sensitive)" if fold(key) == KOPIA else ""
    return f'not a repository type: Velero reads only "{KOPIA}"{case}'
