"""From API objects to what the engine reads: tables of the shapes met in real clusters."""

from __future__ import annotations

from typing import Any

import pytest

from tests.engine.nodeagent import node_agent_daemonset
from webhook.engine import StorageClassInfo, VeleroWorkload
from webhook.inventory import flags, image_version, node_labels, storage_class, workload
from webhook.inventory.projection import priority_class

from . import fakeapi


@pytest.mark.parametrize(
    ("image", "version"),
    [
        ("velero/velero:v1.17.1", "1.17.1"),
        ("velero/velero:1.16.0", "1.16.0"),
        ("registry.example/velero/velero:v1.16.2@sha256:" + "ab" * 32, "1.16.2"),
        ("registry.example:5000/velero/velero:v1.15.0", "1.15.0"),
        ("docker.io/velero/velero:v1.18.0-rc.1", "1.18.0-rc.1"),
        ("velero/velero@sha256:" + "cd" * 32, None),
        ("registry.example:5000/velero/velero", None),
        ("velero/velero:latest", None),
        ("velero/velero:main", None),
        ("velero/velero", None),
        ("", None),
    ],
)
def test_image_version(image: str, version: str | None) -> None:
    assert image_version(image) == version


@pytest.mark.parametrize(
    ("tokens", "name"),
    [
        (["node-agent", "server", "--node-agent-configmap=cfg"], "cfg"),
        (["node-agent", "server", "--node-agent-configmap", "cfg"], "cfg"),
        (["--node-agent-configmap=a", "--node-agent-configmap=b"], "b"),
        (["node-agent", "server"], None),
        (["--node-agent-configmap="], None),
        (["--node-agent-configmap"], None),
        (["--node-agent-configmapx=cfg"], None),
        (["--uploader-type=kopia", "--node-agent-configmap=node-agent-config"], "node-agent-config"),
    ],
)
def test_configmap_flag(tokens: list[str], name: str | None) -> None:
    assert flags(tokens).get("--node-agent-configmap") == name


def velero_daemonset(**container: Any) -> dict[str, Any]:
    obj = fakeapi.daemonset("velero", "node-agent", "velero/velero:v1.17.1", [])
    obj["spec"]["template"]["spec"]["containers"] = [container]
    obj["spec"]["template"]["metadata"]["annotations"] = {"a": "b"}
    return obj


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        pytest.param(
            fakeapi.daemonset(
                "velero", "node-agent", "velero/velero:v1.17.1", ["server", "--node-agent-configmap=c"]
            ),
            node_agent_daemonset(
                "velero", "node-agent", "c", "1.17.1", template_labels={"name": "node-agent"}
            ),
            id="Velero's own manifest",
        ),
        pytest.param(
            fakeapi.daemonset("v", "node-agent-windows", "velero/velero:v1.16.0", ["server"]),
            node_agent_daemonset(
                "v", "node-agent-windows", None, "1.16.0", template_labels={"name": "node-agent-windows"}
            ),
            id="the Windows one, without the flag",
        ),
        pytest.param(
            velero_daemonset(
                name="other", image="velero/velero:v1.15.1", command=["--node-agent-configmap", "x"]
            ),
            node_agent_daemonset(
                "velero",
                "node-agent",
                "x",
                "1.15.1",
                template_labels={"name": "node-agent"},
                template_annotations={"a": "b"},
            ),
            id="flag in command, two tokens, container not named node-agent",
        ),
        pytest.param(
            velero_daemonset(name="node-agent", image="velero/velero@sha256:" + "0" * 64, args="not a list"),
            node_agent_daemonset(
                "velero",
                "node-agent",
                None,
                None,
                template_labels={"name": "node-agent"},
                template_annotations={"a": "b"},
            ),
            id="digest only and mistyped args",
        ),
        pytest.param(
            fakeapi.daemonset("velero", "restic", "velero/velero:v1.9.0", []), None, id="another name"
        ),
        pytest.param({"kind": "DaemonSet"}, None, id="no metadata"),
        pytest.param("not an object", None, id="not an object"),
    ],
)
def test_daemonset(obj: Any, expected: VeleroWorkload | None) -> None:
    assert workload(obj, "DaemonSet") == expected


def test_daemonset_picks_the_node_agent_container_among_sidecars() -> None:
    obj = fakeapi.daemonset("velero", "node-agent", "velero/velero:v1.17.1", ["--node-agent-configmap=real"])
    sidecar = {"name": "proxy", "image": "envoy:v1.30.0", "args": ["--node-agent-configmap=decoy"]}
    obj["spec"]["template"]["spec"]["containers"].insert(0, sidecar)
    projected = workload(obj, "DaemonSet")
    assert projected is not None
    assert (projected.flags, projected.velero_version) == ({"--node-agent-configmap": "real"}, "1.17.1")


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        (fakeapi.storage_class("gp3", "Retain"), StorageClassInfo("gp3", "Retain")),
        (fakeapi.storage_class("gp2"), StorageClassInfo("gp2", "Delete")),
        ({"metadata": {"name": "x"}, "reclaimPolicy": 7}, StorageClassInfo("x", "Delete")),
        ({"metadata": {}}, None),
    ],
)
def test_storage_class(obj: Any, expected: StorageClassInfo | None) -> None:
    assert storage_class(obj) == expected


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        (fakeapi.node("a", {"k": "v"}), ("a", {"k": "v"})),
        (fakeapi.partial(fakeapi.node("a", {"k": "v"})), ("a", {"k": "v"})),
        ({"metadata": {"name": "a"}}, ("a", {})),
        ({"metadata": {"name": "a", "labels": {"k": 1, "j": "w"}}}, ("a", {"j": "w"})),
        ({"metadata": {"name": ""}}, None),
        ({}, None),
    ],
)
def test_node_labels(obj: Any, expected: tuple[str, dict[str, str]] | None) -> None:
    assert node_labels(obj) == expected


def test_priority_class() -> None:
    assert priority_class(fakeapi.priority_class("system-node-critical")) == "system-node-critical"
    assert priority_class({"metadata": None}) is None
