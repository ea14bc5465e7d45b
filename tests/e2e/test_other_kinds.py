"""Velero's other JSON configurations through the real kube-apiserver and kubectl (issue 12): the
repository maintenance job config and the backup repository config, named for the webhook by the
chart's `velero.kindConfigMapNames`, denied and warned as `kubectl apply` prints it, with the keys of
the maintenance config matched against the cluster's real BackupStorageLocations (Velero's CRDs are
installed, one BackupStorageLocation `default` in the first Velero namespace).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.kubectl import Result
from tests.e2e.manifests import NAMESPACES
from tests.e2e.session import BSL, KIND_NAMES, WEBHOOK_NAME, Cluster

pytestmark = pytest.mark.e2e

MAINTENANCE, REPOSITORY = KIND_NAMES["repo-maintenance"], KIND_NAMES["backup-repository"]
REVISIONS = itertools.count()


def manifest(name: str, data: dict[str, Any]) -> dict[str, Any]:
    """A ConfigMap of JSON values, with a new revision each time so that every apply is sent."""
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": name,
            "namespace": NAMESPACES[0],
            "annotations": {"e2e.example/revision": str(next(REVISIONS))},
        },
        "data": {key: json.dumps(value) for key, value in data.items()},
    }


@pytest.fixture
def kinds(cluster: Cluster) -> Iterator[Cluster]:
    delete = ("delete", "configmap", MAINTENANCE, REPOSITORY, "-n", NAMESPACES[0], "--ignore-not-found")
    cluster.kubectl.ok(*delete)
    yield cluster
    cluster.kubectl.ok(*delete)


def denial(result: Result, name: str) -> str:
    assert result.rc != 0, str(result)
    prefix = f'admission webhook "{WEBHOOK_NAME}" denied the request: ConfigMap "{name}" is invalid: '
    assert prefix in result.stderr, result.stderr
    return result.stderr


def test_a_partial_podresources_in_global_is_denied_naming_the_key(kinds: Cluster) -> None:
    result = kinds.kubectl.apply(manifest(MAINTENANCE, {"global": {"podResources": {"cpuRequest": "1"}}}))
    text = denial(result, MAINTENANCE)
    for field in ("cpuLimit", "memoryRequest", "memoryLimit"):
        assert f"data[global].podResources.{field}: Required value" in text, text


def test_maintenance_keys_are_matched_against_the_real_backup_storage_locations(kinds: Cluster) -> None:
    data = {f"app-{BSL}-kopia": {"keepLatestMaintenanceJobs": 3}, "app-nope-kopia": {}, "config.json": {}}
    result = kinds.kubectl.apply(manifest(MAINTENANCE, data))
    assert result.rc == 0, str(result)
    warnings = result.warnings
    assert any(
        w.startswith("data[app-nope-kopia]: names no existing BackupStorageLocation (default)")
        for w in warnings
    ), warnings
    assert any(w.startswith('data[config.json]: key is neither "global"') for w in warnings), warnings
    assert not any(w.startswith(f"data[app-{BSL}-kopia]: names no") for w in warnings), warnings


def test_a_bad_full_maintenance_interval_is_denied(kinds: Cluster) -> None:
    result = kinds.kubectl.apply(manifest(REPOSITORY, {"kopia": {"fullMaintenanceInterval": "weekly"}}))
    assert 'data[kopia].fullMaintenanceInterval: Unsupported value: "weekly"' in denial(result, REPOSITORY)


def test_a_repository_type_velero_never_reads_is_stored_with_a_warning(kinds: Cluster) -> None:
    result = kinds.kubectl.apply(manifest(REPOSITORY, {"Kopia": {"cacheLimitMB": 2048}}))
    assert result.rc == 0, str(result)
    assert any(w.startswith("data[Kopia]:") for w in result.warnings), result.warnings
