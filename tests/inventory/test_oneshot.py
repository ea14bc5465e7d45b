"""The CLI's one-shot cluster: reachable or an error naming the address, a ConfigMap fetched once, a
ClusterView listed once without a watch and without a retry."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from webhook.inventory import ApiError, ApiUnreachableError, KubeConfigError, OneShotCluster
from webhook.inventory.client import kubeconfig_in_use

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


def test_a_configmap_fetched_once(fake: FakeApiServer, kubeconfig: str) -> None:
    fake.cluster.objects["configmaps"] = {("velero", "cfg"): CONFIGMAP}
    with OneShotCluster.connect(kubeconfig) as cluster:
        assert cluster.configmap("velero", "cfg") == CONFIGMAP
        assert cluster.address == fake.url


def test_a_missing_configmap_names_itself(fake: FakeApiServer, kubeconfig: str) -> None:
    with OneShotCluster.connect(kubeconfig) as cluster, pytest.raises(ApiError) as caught:
        cluster.configmap("velero", "nope")
    assert caught.value.status == 404
    assert str(caught.value) == 'configmap velero/nope: HTTP 404: configmaps "nope" not found'


def test_an_unreachable_server_fails_fast_naming_the_address(fake: FakeApiServer, kubeconfig: str) -> None:
    fake.stop()
    started = time.monotonic()
    with pytest.raises(ApiUnreachableError) as caught:
        OneShotCluster.connect(kubeconfig, timeout=2.0)
    assert str(caught.value).startswith(f"{fake.url}: API server unreachable: ")
    assert "refused" in str(caught.value)
    assert time.monotonic() - started < 3


def test_no_kubeconfig(tmp_path: Path) -> None:
    with pytest.raises(KubeConfigError):
        OneShotCluster.connect(str(tmp_path / "missing"))


def test_a_context_that_the_kubeconfig_lacks(kubeconfig: str) -> None:
    with pytest.raises(KubeConfigError, match="elsewhere"):
        OneShotCluster.connect(kubeconfig, context="elsewhere")


def test_a_view_listed_once(fake: FakeApiServer, kubeconfig: str) -> None:
    fake.cluster.put("nodes", fakeapi.node("a", {"zone": "z1"}))
    fake.cluster.put("storageclasses", fakeapi.storage_class("gp3"))
    fake.cluster.put("daemonsets", fakeapi.daemonset("velero", "node-agent", "velero/velero:v1.17.1", []))
    with OneShotCluster.connect(kubeconfig) as cluster:
        view = cluster.view(["velero"], settings=FAST)
    assert view.unavailable is None
    assert view.nodes is not None and list(view.nodes.names()) == ["a"]
    assert view.storage_classes is not None and set(view.storage_classes) == {"gp3"}
    assert view.priority_classes == frozenset()
    assert [d.velero_version for d in view.workloads or ()] == ["1.17.1"]
    assert not any("watch" in query for _, query, _ in fake.requests), "list once, never watch"


def test_a_refused_kind_is_unknown_in_the_view_and_nothing_is_logged_as_retried(
    fake: FakeApiServer, kubeconfig: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake.forbidden.add("storageclasses")
    with caplog.at_level(logging.DEBUG), OneShotCluster.connect(kubeconfig) as cluster:
        view = cluster.view(settings=FAST)
    assert view.nodes is not None and view.storage_classes is None
    assert "storage classes unknown" in (view.unavailable or "")
    assert not [r for r in caplog.records if "retrying" in r.getMessage()], "one-shot: nothing is retried"
    lists = [path for path, query, _ in fake.requests if path.endswith("/storageclasses")]
    assert len(lists) == 1, "one attempt per kind"


KUBECONFIG_ORDER = {
    "--kubeconfig wins over everything": ("given.yaml", {"KUBECONFIG": "env.yaml"}, True, "given.yaml"),
    "then $KUBECONFIG, a list kept whole": (None, {"KUBECONFIG": "a.yaml:b.yaml"}, True, "a.yaml:b.yaml"),
    "then ~/.kube/config": (None, {}, True, "HOME/.kube/config"),
    "an empty $KUBECONFIG counts as unset": (None, {"KUBECONFIG": ""}, True, "HOME/.kube/config"),
    "else nothing: the in-cluster service account": (None, {}, False, None),
}


@pytest.mark.parametrize(
    ("given", "environ", "home_config", "expected"), KUBECONFIG_ORDER.values(), ids=list(KUBECONFIG_ORDER)
)
def test_the_kubeconfig_is_found_as_kubectl_finds_it(
    given: str | None, environ: dict[str, str], home_config: bool, expected: str | None, tmp_path: Path
) -> None:
    if home_config:
        (tmp_path / ".kube").mkdir()
        (tmp_path / ".kube" / "config").write_text("{}")
    found = kubeconfig_in_use(given, environ, tmp_path)
    assert found == (expected.replace("HOME", str(tmp_path)) if expected else None)
