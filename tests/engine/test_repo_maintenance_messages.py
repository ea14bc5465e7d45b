"""One exact-format test per message family of the repository maintenance kind, character for
character: the cases compare errors by type and path and warnings by a phrase; the words are here."""

from __future__ import annotations

from typing import Any

import pytest

from tests.engine.casefile import cluster_of
from webhook.engine import NO_CLUSTER, ClusterView, Options, Verdict, Version, evaluate_configmap
from webhook.engine.repomaintenance import REPO_MAINTENANCE

UNDECODABLE = (
    "Velero cannot decode this key: the jobs it applies to run with defaults, global's settings "
    "dropped too, and Velero 1.17.1+ does not start (1.17.0 checks one key at random)"
)
MISSING_QUANTITY = (
    'Velero reads a missing value as "", which does not parse: no maintenance job can be created '
    '(set all four; "0" means no limit)'
)
KEY_SHAPE = 'key is neither "global" nor <namespace>-<bsl>-<kopia|restic>: no maintenance job reads it'


def judged(data: dict[str, Any], cluster: ClusterView = NO_CLUSTER, version: str = "1.18.2") -> Verdict:
    options = Options(velero_version=Version.parse(version) or Version(0, 0))
    cm = {"metadata": {"name": "maintenance", "namespace": "velero"}, "data": data}
    return evaluate_configmap(cm, REPO_MAINTENANCE, cluster, options)


def resources(cpu: str = "1", cpu_limit: str = "1") -> str:
    return (
        f'{{"podResources": {{"cpuRequest": "{cpu}", "cpuLimit": "{cpu_limit}", '
        '"memoryRequest": "1Gi", "memoryLimit": "1Gi"}}'
    )


ERRORS = {
    "a type error, with what it costs": (
        {"global": '{"keepLatestMaintenanceJobs": "3"}'},
        "1.18.2",
        'data[global].keepLatestMaintenanceJobs: Invalid value: "3": must be an integer, not a string: '
        + UNDECODABLE,
    ),
    "a type error in a field the target does not read yet": (
        {"global": '{"priorityClassName": 7}'},
        "1.16.2",
        "data[global].priorityClassName: Invalid value: 7: must be a string, not a number: "
        "Velero cannot decode it once it reads it (1.16.2 does not)",
    ),
    "a missing podResources value": (
        {"global": '{"podResources": {"cpuRequest": "1", "cpuLimit": "1", "memoryRequest": "1Gi"}}'},
        "1.18.2",
        f"data[global].podResources.memoryLimit: Required value: {MISSING_QUANTITY}",
    ),
    "a quantity that does not parse": (
        {"global": resources(cpu="1 core")},
        "1.18.2",
        'data[global].podResources.cpuRequest: Invalid value: "1 core": quantities must match the regular '
        "expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': "
        "no maintenance job can be created with it",
    ),
    "a request above its limit": (
        {"app-default-kopia": resources(cpu="2")},
        "1.18.2",
        'data[app-default-kopia].podResources.cpuRequest: Invalid value: "2": must be less than or equal to '
        'cpuLimit "1" ("0" means no limit): no maintenance job can be created with it',
    ),
    "a negative number of jobs to keep": (
        {"global": '{"keepLatestMaintenanceJobs": -1}'},
        "1.18.2",
        "data[global].keepLatestMaintenanceJobs: Invalid value: -1: must be greater than or equal to 0: "
        "Velero panics pruning the repository's old jobs, at every reconcile",
    ),
    "a null loadAffinity element up to 1.18.0": (
        {"global": '{"loadAffinity": [null]}'},
        "1.18.0",
        "data[global].loadAffinity[0]: Invalid value: null: must be an object: "
        "Velero dereferences it and panics building the maintenance job",
    ),
    "an empty node selector term up to 1.18.0": (
        {"global": '{"loadAffinity": [{"nodeSelector": {}}]}'},
        "1.17.2",
        "data[global].loadAffinity[0].nodeSelector: Required value: an empty node selector term matches "
        "no node: the maintenance job would never be scheduled",
    ),
    "an unknown field, with the one Velero's Go code names": (
        {"global": '{"loadAffinities": []}'},
        "1.18.2",
        "data[global].loadAffinities: Unknown field: Velero ignores it; did you mean loadAffinity?",
    ),
    "the server flag of 1.16 written as a field": (
        {"global": '{"keep-latest-maintenance-jobs": 3}'},
        "1.18.2",
        "data[global][keep-latest-maintenance-jobs]: Unknown field: Velero ignores it; "
        "did you mean keepLatestMaintenanceJobs?",
    ),
}


@pytest.mark.parametrize(("data", "version", "expected"), ERRORS.values(), ids=ERRORS.keys())
def test_error_message(data: dict[str, Any], version: str, expected: str) -> None:
    assert judged(data, version=version).error_strings == [expected]


def test_no_data() -> None:
    verdict = evaluate_configmap({}, REPO_MAINTENANCE)
    assert verdict.error_strings == [
        'data: Required value: Velero reads "global" and <namespace>-<bsl>-<type> keys: '
        "without data every job runs with defaults and 1.17+ servers exit at start"
    ]


LOCATIONS = cluster_of({"storageLocations": ["default", "west", "eu-west"], "repositories": []})
WARNINGS = {
    "a key of no shape Velero reads": (
        {"maintenance": "{}"},
        ClusterView(),
        "1.18.2",
        f"data[maintenance]: {KEY_SHAPE}",
    ),
    "a key named after a file": (
        {"config.json": "{}"},
        ClusterView(),
        "1.18.2",
        f"data[config.json]: {KEY_SHAPE} (kubectl create configmap --from-file names keys after files)",
    ),
    "global spelt with capitals": (
        {"GLOBAL": "{}"},
        ClusterView(),
        "1.18.2",
        f'data[GLOBAL]: {KEY_SHAPE}; did you mean "global"?',
    ),
    "a key naming no existing BackupStorageLocation": (
        {"app-aws-kopia": "{}"},
        LOCATIONS,
        "1.18.2",
        "data[app-aws-kopia]: names no existing BackupStorageLocation (default, eu-west, west): "
        "no maintenance job reads it",
    ),
    "a key when there is no BackupStorageLocation": (
        {"app-default-kopia": "{}"},
        cluster_of({"storageLocations": []}),
        "1.18.2",
        "data[app-default-kopia]: there is no BackupStorageLocation: no maintenance job reads this key",
    ),
    "a key that reads two ways": (
        {"my-eu-west-kopia": "{}"},
        cluster_of(
            {
                "storageLocations": ["west", "eu-west"],
                "repositories": [{"volumeNamespace": "my", "storageLocation": "eu-west"}],
            }
        ),
        "1.18.2",
        'data[my-eu-west-kopia]: applies to the kopia repository of namespace "my" in BackupStorageLocation '
        '"eu-west" and namespace "my-eu" in BackupStorageLocation "west"',
    ),
    "a key no repository matches yet": (
        {"app-default-restic": "{}"},
        LOCATIONS,
        "1.18.2",
        "data[app-default-restic]: no BackupRepository matches it yet: it applies once Velero creates "
        'the restic repository of namespace "app" in BackupStorageLocation "default"',
    ),
    "a repository's value global replaces": (
        {"global": '{"priorityClassName": "low"}', "app-default-kopia": '{"priorityClassName": "high"}'},
        ClusterView(),
        "1.18.2",
        'data[app-default-kopia].priorityClassName: not used: "global" sets priorityClassName too, '
        "and Velero takes global's over a repository's",
    ),
    "a repository's map global replaces": (
        {"global": '{"podAnnotations": {"a": "1"}}', "app-default-kopia": '{"podAnnotations": {"b": "2"}}'},
        ClusterView(),
        "1.18.2",
        'data[app-default-kopia].podAnnotations: not used: "global" sets podAnnotations too, '
        "and Velero takes global's over a repository's (the whole map: no merge)",
    ),
    "a loadAffinity element past the first": (
        {"global": '{"loadAffinity": [{"nodeSelector": {"matchLabels": {"a": "b"}}}, {}]}'},
        ClusterView(),
        "1.18.2",
        "data[global].loadAffinity[1]: ignored by Velero 1.18.2: a maintenance job uses only loadAffinity[0]",
    ),
    "a storageClass in loadAffinity": (
        {"global": '{"loadAffinity": [{"nodeSelector": {"matchLabels": {"a": "b"}}, "storageClass": "sc"}]}'},
        ClusterView(),
        "1.18.2",
        "data[global].loadAffinity[0].storageClass: unused: "
        "a maintenance job's affinity holds for every StorageClass",
    ),
    "a null first loadAffinity element from 1.18.1": (
        {"global": '{"loadAffinity": [null]}'},
        ClusterView(),
        "1.18.1",
        "data[global].loadAffinity[0]: null: the maintenance job gets no node affinity",
    ),
    "an empty term beside a real one up to 1.17": (
        {"global": '{"loadAffinity": [{"nodeSelector": {"matchLabels": {"a": "b"}}}, {"nodeSelector": {}}]}'},
        ClusterView(),
        "1.17.2",
        "data[global].loadAffinity[1].nodeSelector: empty: this node selector term matches no node",
    ),
    "Velero's own pod label": (
        {"global": '{"podLabels": {"velero.io/repo-name": "x"}}'},
        ClusterView(),
        "1.18.2",
        "data[global].podLabels[velero.io/repo-name]: Velero sets this label on the job pod to the "
        "repository's name: this value replaces it there",
    ),
    "Velero's own pod label on the unreleased 1.19": (
        {"global": '{"podLabels": {"velero.io/repo-name": "x"}}'},
        ClusterView(),
        "1.19.0",
        "data[global].podLabels[velero.io/repo-name]: skipped by Velero 1.19 (unreleased): Velero sets "
        "this label on the job pod to the repository's name",
    ),
    "no job kept": (
        {"global": '{"keepLatestMaintenanceJobs": 0}'},
        ClusterView(),
        "1.18.2",
        "data[global].keepLatestMaintenanceJobs: 0 deletes every maintenance job as soon as it ends: "
        "none is left to inspect (default 3)",
    ),
    "a PriorityClass that does not exist": (
        {"global": '{"priorityClassName": "low"}'},
        cluster_of({"priorityClasses": []}),
        "1.18.2",
        'data[global].priorityClassName: PriorityClass "low" does not exist: '
        "Velero keeps the name and the job pod is refused",
    ),
    "labels the job pods stop inheriting": (
        {"global": '{"podLabels": {"team": "ops"}}'},
        cluster_of({"deployments": [{"labels": {"azure.workload.identity/use": "true"}}]}),
        "1.18.2",
        "data[global].podLabels: set, so maintenance job pods no longer inherit azure.workload.identity/use "
        "from deployment/velero: add it here if they need it",
    ),
    "an affinity no node meets": (
        {"global": '{"loadAffinity": [{"nodeSelector": {"matchLabels": {"pool": "x"}}}]}'},
        cluster_of({"nodes": {"n1": {}}}),
        "1.18.2",
        "data[global].loadAffinity[0]: nodeSelector matches none of the 1 nodes: "
        "the maintenance job cannot be scheduled",
    ),
}


@pytest.mark.parametrize(("data", "cluster", "version", "expected"), WARNINGS.values(), ids=WARNINGS.keys())
def test_warning_message(data: dict[str, Any], cluster: ClusterView, version: str, expected: str) -> None:
    verdict = judged(data, cluster, version)
    assert verdict.errors == []
    assert verdict.warning_strings == [expected]


def test_binary_data_beside_data() -> None:
    cm = {"data": {"global": "{}"}, "binaryData": {"x": "e30K"}}
    assert evaluate_configmap(cm, REPO_MAINTENANCE).warning_strings == ["binaryData: never read by Velero"]
