"""The repository maintenance job config kind: Velero's `--repo-maintenance-job-configmap` (v1.15+),
read by the Velero server each time it builds a maintenance job.

Every data key holds a JobConfigs of its own: `global`, and `<namespace>-<bsl>-<type>` for one
repository. Everything particular to it lives in this package: its schema, its checks (one module
per section, the reference's RM table), how its keys combine and whom they reach, and who reads it.
"""

from __future__ import annotations

from webhook.engine.core.configmap import EveryKey
from webhook.engine.core.kind import ConfigKind, Reader, Wording
from webhook.engine.core.resources import section_check
from webhook.engine.core.versions import Version
from webhook.engine.repomaintenance import (
    cluster_checks,
    keep_jobs,
    load_affinity,
    merge,
    pod_meta,
    repository_keys,
)
from webhook.engine.repomaintenance.jobs import MaintenanceJobs, effect
from webhook.engine.repomaintenance.schema import SCHEMA

REPO_MAINTENANCE = ConfigKind(
    name="repo-maintenance",
    title="repository maintenance job config",
    schema=SCHEMA,
    wording=Wording(
        reader="Velero",
        undecodable=(
            "Velero cannot decode this key: the jobs it applies to run with defaults, global's settings "
            "dropped too, and Velero 1.17.1+ does not start (1.17.0 checks one key at random)"
        ),
    ),
    layout=EveryKey(
        missing=(
            'Velero reads "global" and <namespace>-<bsl>-<type> keys: '
            "without data every job runs with defaults and 1.17+ servers exit at start"
        ),
    ),
    readers=(
        Reader(
            workload="Deployment",
            names=("velero",),
            flag="--repo-maintenance-job-configmap",
            since=Version(1, 15, 0),
            at_start=False,  # read each time a job is built (and, from 1.17, checked at start)
            required_from=Version(1, 17, 0),
            without_it="and maintenance jobs run with the defaults",
        ),
    ),
    since=Version(1, 15, 0),
    checks=(
        load_affinity.check,
        section_check(SCHEMA, "podResources"),  # an invalid value: buildJob fails, no job is created
        keep_jobs.check,
        pod_meta.check,
    ),
    cluster_checks=(
        cluster_checks.check_priority_class,
        cluster_checks.check_inherited_metadata,
        cluster_checks.check_nodes,
    ),
    needs=frozenset({"nodes", "priority_classes", "workloads", "storage_locations", "repositories"}),
    configmap_checks=(repository_keys.check, merge.check_overrides),
    mistakes={
        ("", "loadAffinities"): "loadAffinity",
        ("", "resources"): "podResources",
        ("", "keepLatestJobs"): "keepLatestMaintenanceJobs",
        ("", "keep-latest-maintenance-jobs"): "keepLatestMaintenanceJobs",  # the server flag before 1.17
    },
    explain=effect,
)

__all__ = ["REPO_MAINTENANCE", "MaintenanceJobs"]
