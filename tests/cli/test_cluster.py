"""Cluster access as kubectl does it, and a cluster asked for that cannot be reached is an error
(issue 11, finding 6).

Before, `validate --kubeconfig kc.yaml` with nothing listening exited 0 ("cluster checks skipped");
`explain` printed "no nodes in the inventory" and exited 0; the retry log said "attempt 1 failed"
four times; `-n velero NAME` without --kubeconfig refused to run although KUBECONFIG or
~/.kube/config existed. The API server here is the inventory tests' fake, on 127.0.0.1.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
import yaml

from tests.inventory import fakeapi
from tests.inventory.fakeapi import FakeApiServer

from .conftest import Cli, case

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def fake() -> Iterator[FakeApiServer]:
    server = FakeApiServer().start()
    server.cluster.put("nodes", fakeapi.node("node-a", {"zone": "a"}))
    server.cluster.objects["configmaps"] = {
        ("velero", "node-agent-config"): yaml.safe_load(case("bad.yaml").read_text()),
        ("velero", "custom"): yaml.safe_load(case("custom-name.yaml").read_text()),
    }
    yield server
    server.stop()


@pytest.fixture
def kubeconfig(fake: FakeApiServer, tmp_path: Path) -> Path:
    return fake.kubeconfig(tmp_path / "kubeconfig")


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def dead_kubeconfig(fake: FakeApiServer, path: Path) -> tuple[Path, str]:
    """A kubeconfig whose server nothing listens on, and that server's address."""
    address = f"http://127.0.0.1:{closed_port()}"
    config = orjson.loads(fake.kubeconfig(path).read_bytes())
    config["clusters"][0]["cluster"]["server"] = address
    path.write_bytes(orjson.dumps(config))
    return path, address


@pytest.mark.parametrize("command", ["validate", "explain"])
def test_a_cluster_that_cannot_be_reached_is_exit_2_naming_the_address(
    cli: Cli, fake: FakeApiServer, tmp_path: Path, command: str
) -> None:
    kubeconfig, address = dead_kubeconfig(fake, tmp_path / "dead")
    ran = cli(command, "--kubeconfig", kubeconfig, case("good.yaml"))
    assert ran.code == 2
    prefix = f"{case('good.yaml')}: ConfigMap velero/node-agent-config: error: cluster: {address}: "
    assert ran.out.startswith(prefix + "API server unreachable: "), ran.out
    assert "attempt" not in ran.err and "retrying" not in ran.err, ran.err


def test_json_says_so_for_every_input(cli: Cli, fake: FakeApiServer, tmp_path: Path) -> None:
    kubeconfig, address = dead_kubeconfig(fake, tmp_path / "dead")
    entries = cli(
        "validate", "-o", "json", "--kubeconfig", kubeconfig, case("good.yaml"), case("config.json")
    ).json()
    assert [e["error"].startswith(f"cluster: {address}: API server unreachable") for e in entries] == [
        True,
        True,
    ]
    assert [e["allowed"] for e in entries] == [None, None]


def test_names_read_from_the_cluster_with_kubeconfig_from_the_environment(
    cli: Cli, kubeconfig: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KUBECONFIG", str(kubeconfig))
    ran = cli("validate", "-n", "velero", "node-agent-config")
    assert ran.out.splitlines() == [
        "cluster: ConfigMap velero/node-agent-config: denied "
        "(node-agent config, Velero 1.18.2, the newest release this tool knows)",
        "  error: loadConcurrency.globalConfig: Invalid value: 0: must be greater than or equal to 1",
    ]
    assert ran.code == 1


def test_kubeconfig_from_the_home_directory(
    cli: Cli, fake: FakeApiServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".kube").mkdir()
    fake.kubeconfig(tmp_path / ".kube" / "config")
    monkeypatch.delenv("KUBECONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    [entry] = cli("validate", "-o", "json", "-n", "velero", "custom").json()
    assert (entry["name"], entry["allowed"]) == ("velero/custom", False), (
        "named with -n: checked whatever its name"
    )


def test_context_picks_the_cluster(cli: Cli, fake: FakeApiServer, tmp_path: Path) -> None:
    """The current context points at nothing; --context names the one that answers."""
    path = tmp_path / "two-contexts"
    config = orjson.loads(fake.kubeconfig(path).read_bytes())
    config["clusters"].append({"name": "dead", "cluster": {"server": f"http://127.0.0.1:{closed_port()}"}})
    config["contexts"].append({"name": "dead", "context": {"cluster": "dead", "user": "fake"}})
    config["current-context"] = "dead"
    path.write_bytes(orjson.dumps(config))
    assert cli("validate", "--kubeconfig", path, "-n", "velero", "custom").code == 2
    assert cli("validate", "--kubeconfig", path, "--context", "fake", "-n", "velero", "custom").code == 1


def test_a_missing_name_is_an_error_in_place_and_the_others_are_checked(cli: Cli, kubeconfig: Path) -> None:
    entries = cli(
        "validate", "-o", "json", "--kubeconfig", kubeconfig, "-n", "velero", "nope", "custom"
    ).json()
    assert entries[0]["error"] == 'configmap velero/nope: HTTP 404: configmaps "nope" not found'
    assert (entries[1]["name"], entries[1]["allowed"]) == ("velero/custom", False)


def test_the_clusters_daemonset_gives_names_and_version(
    cli: Cli, fake: FakeApiServer, kubeconfig: Path
) -> None:
    args = ["node-agent", "server", "--node-agent-configmap=custom"]
    fake.cluster.put("daemonsets", fakeapi.daemonset("velero", "node-agent", "velero/velero:v1.16.2", args))
    [entry] = cli("validate", "-o", "json", "--kubeconfig", kubeconfig, case("custom-name.yaml")).json()
    assert (entry["name"], entry["version"], entry["allowed"]) == ("velero/custom", "1.16.2", False)


def test_explain_reads_the_nodes_of_the_cluster(cli: Cli, kubeconfig: Path) -> None:
    ran = cli("explain", "--kubeconfig", kubeconfig, case("good.yaml"))
    assert ran.out.splitlines()[1:] == ["NODE    CONCURRENCY  FROM", "node-a            2  global"]
    assert ran.code == 0


def test_explain_without_nodes_is_an_error(cli: Cli) -> None:
    ran = cli("explain", "-o", "json", "--nodes", case("nodes-daemonset-1.16.json"), case("good.yaml"))
    assert ran.code == 0, "nodes listed"
    ran = cli("explain", "-o", "json", "--nodes", case("deployment-only.yaml"), case("good.yaml"))
    [entry] = ran.json()
    assert entry["error"] == "nodes unknown: the --nodes file lists no Node"
    assert ran.code == 2
