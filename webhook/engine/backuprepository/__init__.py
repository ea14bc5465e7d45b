"""The backup repository config kind: Velero's `--backup-repository-configmap` (v1.15+), one data key
per repository type (`kopia`) holding a JSON object; only `cacheLimitMB` and (1.16+)
`fullMaintenanceInterval` have an effect.

The server reads it when it creates a BackupRepository and keeps what it read in the CR; node-agent
(1.18+) reads it at start to size cache volumes. Rules: shared/reference/velero-other-configs.md §B
(BR1-BR9), checked against Velero's code where cited in each module.
"""

from __future__ import annotations

from webhook.engine.backuprepository import (
    cache_limit,
    existing_repositories,
    maintenance_interval,
    repository_types,
)
from webhook.engine.backuprepository.schema import SCHEMA
from webhook.engine.core.configmap import EveryKey
from webhook.engine.core.kind import ConfigKind, Reader, Wording
from webhook.engine.core.versions import Version

FLAG = "--backup-repository-configmap"

BACKUP_REPOSITORY = ConfigKind(
    name="backup-repository",
    title="backup repository config",
    schema=SCHEMA,
    wording=Wording(
        reader="Velero",
        # server: VerifyJSONConfigs at start (1.17+); getBackupRepositoryConfig's error at runtime
        undecodable="Velero cannot decode it: 1.17+ exits at start, new repositories get no config",
    ),
    layout=EveryKey(missing="Velero 1.17+ exits at start without it: one key per repository type (kopia)"),
    readers=(
        Reader(
            workload="Deployment",
            names=("velero",),
            flag=FLAG,
            since=Version(1, 15, 0),
            at_start=False,  # read when a BackupRepository is created
            required_from=Version(1, 17, 0),  # VerifyJSONConfigs in pkg/cmd/server/server.go
            without_it="new repositories get no config meanwhile",
        ),
        Reader(
            workload="DaemonSet",
            names=("node-agent", "node-agent-windows"),
            flag=FLAG,
            since=Version(1, 18, 0),
            at_start=True,  # getBackupRepoConfigs in pkg/cmd/cli/nodeagent/server.go
            required_from=Version(1, 18, 0),
            without_it="a running one keeps what it read",
        ),
    ),
    since=Version(1, 15, 0),
    checks=(cache_limit.check, maintenance_interval.check),
    needs=frozenset({"workloads", "repositories"}),
    configmap_checks=(repository_types.check, existing_repositories.check),
)

__all__ = ["BACKUP_REPOSITORY", "FLAG"]
