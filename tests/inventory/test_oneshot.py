"""The CLI's one-shot calls: a ConfigMap fetched once, a ClusterView listed once."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from webhook.inventory import (
    ApiError,
    ApiUnreachableError,
    KubeConfigError,
    fetch_configmap,
    live_cluster_view,
)

from . import fakeapi
from .conftest import FAST
from .fakeapi import FakeApiServer

pytestmark = pytest.mark.timeout(30)

CONFIGMAP = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "cfg", "namespace": "velero"},
    "data": {},
}


def test_fetch_configmap(fake: FakeApiServer, kubeconfig: str) -> None:
    fake.cluster.objects["configmaps"] = {("velero", "cfg"): CONFIGMAP}
    assert fetch_configmap(kubeconfig, "velero", "cfg") == CONFIGMAP


def test_a_missing_configmap_names_itself(fake: FakeApiServer, kubeconfig: str) -> None:
    with pytest.raises(ApiError) as caught:
        fetch_configmap(kubeconfig, "velero", "nope")
    assert caught.value.status == 404
    assert str(caught.value) == 'configmap velero/nope: HTTP 404: configmaps "nope" not found'


def test_an_unreachable_server_fails_fast(fake: FakeApiServer, kubeconfig: str) -> None:
    fake.stop()
    started = time.monotonic()
    with pytest.raises(
        ApiUnreachableError, match=r"^configmap velero/cfg: API server unreachable: .*refused"
    ):
        fetch_configmap(kubeconfig, "velero", "cfg", timeout=2.0)
    assert time.monotonic() - started < 3


def test_no_kubeconfig(tmp_path: Path) -> None:
    with pytest.raises(KubeConfigError):
        fetch_configmap(str(tmp_path / "missing"), "velero", "cfg")


def test_live_cluster_view(fake: FakeApiServer, kubeconfig: str) -> None:
    fake.cluster.put("nodes", fakeapi.node("a", {"zone": "z1"}))
    fake.cluster.put("storageclasses", fakeapi.storage_class("gp3"))
    fake.cluster.put("daemonsets", fakeapi.daemonset("velero", "node-agent", "velero/velero:v1.17.1", []))
    view = live_cluster_view(kubeconfig, ["velero"], settings=FAST)
    assert view.unavailable is None
    assert view.nodes is not None and list(view.nodes.names()) == ["a"]
    assert view.storage_classes is not None and set(view.storage_classes) == {"gp3"}
    assert view.priority_classes == frozenset()
    assert [d.velero_version for d in view.workloads or ()] == ["1.17.1"]
    assert not any("watch" in query for _, query, _ in fake.requests), "list once, never watch"


def test_live_cluster_view_never_raises_for_the_api(fake: FakeApiServer, kubeconfig: str) -> None:
    fake.stop()
    view = live_cluster_view(kubeconfig, settings=FAST)
    assert view.nodes is None and view.storage_classes is None
    every_kind = "nodes, DaemonSets, Deployments, storage classes and priority classes"
    assert (view.unavailable or "").startswith(f"{every_kind} unknown: API server unreachable: ")
    assert view.stale == frozenset(), "nothing was listed: unknown, not stale"
