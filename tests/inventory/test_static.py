"""load_cluster_file: what kubectl prints, in the shapes people save it, and clear errors otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml

from webhook.inventory import ClusterFileError, InventoryError, load_cluster_file

from . import fakeapi

NODES = [fakeapi.node("b", {"zone": "z2"}), fakeapi.node("a", {"zone": "z1"})]
OTHERS = [
    fakeapi.storage_class("gp3", "Retain"),
    fakeapi.priority_class("high"),
    fakeapi.daemonset("velero", "node-agent", "velero/velero:v1.17.1", ["--node-agent-configmap=c"]),
    fakeapi.daemonset("velero", "restic", "velero/velero:v1.9.0", []),
    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}},
]


def kubectl_list(items: list[Any], kind: str = "List") -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": kind, "items": items, "metadata": {"resourceVersion": ""}}


def write(tmp_path: Path, text: str | bytes, name: str = "cluster.json") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def known(view: Any) -> set[str]:
    parts = ("nodes", "storage_classes", "priority_classes", "workloads")
    return {part for part in parts if getattr(view, part) is not None}


def test_kubectl_get_nodes_json(tmp_path: Path) -> None:
    view = load_cluster_file(write(tmp_path, orjson.dumps(kubectl_list(NODES))))
    assert view.nodes is not None
    assert list(view.nodes.names()) == ["a", "b"]
    assert set(view.nodes.with_label("zone", "z1")) == {"a"}
    assert known(view) == {"nodes"}, "kinds the file does not mention stay unknown, not empty"
    assert view.unavailable is None


def test_a_mixed_list(tmp_path: Path) -> None:
    view = load_cluster_file(write(tmp_path, orjson.dumps(kubectl_list(NODES + OTHERS))))
    assert known(view) == {"nodes", "storage_classes", "priority_classes", "workloads"}
    assert view.storage_classes is not None and view.storage_classes["gp3"].reclaim_policy == "Retain"
    assert view.priority_classes == {"high"}
    assert [(ds.name, ds.flags.get("--node-agent-configmap")) for ds in view.workloads or ()] == [
        ("node-agent", "c")
    ]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        pytest.param("c.yaml", yaml.safe_dump(kubectl_list(NODES + OTHERS)), id="YAML"),
        pytest.param(
            "c.json",
            orjson.dumps(kubectl_list(NODES), option=orjson.OPT_INDENT_2)
            + b"\n"
            + orjson.dumps(kubectl_list(OTHERS), option=orjson.OPT_INDENT_2),
            id="two kubectl JSON outputs concatenated",
        ),
        pytest.param(
            "c.yaml",
            yaml.safe_dump(kubectl_list(NODES)) + "---\n" + yaml.safe_dump_all(OTHERS),
            id="multi-document YAML",
        ),
    ],
)
def test_other_shapes_say_the_same(tmp_path: Path, name: str, text: str | bytes) -> None:
    view = load_cluster_file(write(tmp_path, text, name))
    assert known(view) == {"nodes", "storage_classes", "priority_classes", "workloads"}
    assert view.nodes is not None and len(view.nodes) == 2
    assert view.priority_classes == {"high"}


@pytest.mark.parametrize(
    ("document", "parts"),
    [
        pytest.param(fakeapi.node("a", {}), {"nodes"}, id="a single Node"),
        pytest.param(fakeapi.storage_class("gp3"), {"storage_classes"}, id="a single StorageClass"),
        pytest.param(kubectl_list([], "NodeList"), {"nodes"}, id="an empty NodeList: no nodes, known"),
        pytest.param(kubectl_list([]), set(), id="an empty List says nothing"),
        pytest.param(kubectl_list([OTHERS[3]]), {"workloads"}, id="DaemonSets seen, none of them node-agent"),
    ],
)
def test_what_is_known(tmp_path: Path, document: Any, parts: set[str]) -> None:
    assert known(load_cluster_file(write(tmp_path, orjson.dumps(document)))) == parts


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param("", "is empty", id="empty"),
        pytest.param("{", "invalid JSON", id="broken JSON"),
        pytest.param("a: [b", "invalid YAML", id="broken YAML"),
        pytest.param("just words", "expected a Kubernetes object or List, found str", id="a scalar"),
        pytest.param(
            '{"kind": "List", "items": {}}', "`items` must be a list, found dict", id="items not a list"
        ),
        pytest.param(
            '{"kind": "List", "items": [{"metadata": {}}]}', "needs a `kind`", id="an item without kind"
        ),
        pytest.param(b"\xff\xfe", "cannot read", id="not UTF-8"),
    ],
)
def test_errors_name_the_file_and_the_problem(tmp_path: Path, text: str | bytes, problem: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ClusterFileError) as caught:
        load_cluster_file(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert problem in str(caught.value)
    assert isinstance(caught.value, InventoryError)


@pytest.mark.parametrize(("make", "problem"), [("missing", "no such file"), ("directory", "is a directory")])
def test_unreadable_paths(tmp_path: Path, make: str, problem: str) -> None:
    path = tmp_path / "x"
    if make == "directory":
        path.mkdir()
    with pytest.raises(ClusterFileError, match=problem):
        load_cluster_file(path)


def test_velero_s_own_objects_from_kubectl_get_bsl_and_backuprepositories(tmp_path: Path) -> None:
    items = [
        fakeapi.storage_location("velero", "default"),
        fakeapi.repository("velero", "app", "default"),
        fakeapi.deployment("velero", "velero", "velero/velero:v1.18.2", ["server"]),
    ]
    view = load_cluster_file(write(tmp_path, orjson.dumps(kubectl_list(items)).decode()))
    assert view.storage_locations == {("velero", "default")}
    assert [(r.name, r.repository_type) for r in view.repositories or ()] == [("app-default-kopia", "kopia")]
    assert view.nodes is None  # a file without nodes says nothing about them
