"""The live inventory against a real HTTP server on 127.0.0.1 that misbehaves on demand.

Every test runs real threads, sockets and chunked watch streams; only the API server is fake.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from webhook.inventory import NOT_LISTED, Inventory, KubeConfigError
from webhook.inventory.resources import JSON, METADATA_LIST, METADATA_WATCH

from . import fakeapi
from .conftest import FAST, Serial, eventually
from .fakeapi import FakeApiServer

pytestmark = pytest.mark.timeout(30)
Make = Callable[..., Inventory]
EVERY_KIND = (
    "nodes, DaemonSets, Deployments, storage classes, priority classes, BackupStorageLocations and "
    "BackupRepositories"
)


def zone_of(inventory: Inventory, serial: Serial, name: str) -> str | None:
    def read() -> str | None:
        nodes = inventory.view().nodes
        return None if nodes is None else nodes.labels(name).get("zone")

    return serial.read(read)


def nodes_state(inventory: Inventory) -> Any:
    return inventory.stats().kinds[0]


@pytest.fixture
def two_nodes(fake: FakeApiServer) -> FakeApiServer:
    for name, zone in (("a", "z1"), ("b", "z2"), ("c", "z1")):
        fake.cluster.put("nodes", fakeapi.node(name, {"zone": zone}), event=False)
    return fake


def test_not_ready_until_the_first_node_list(
    fake: FakeApiServer, make_inventory: Make, serial: Serial
) -> None:
    fake.stop()
    inventory = make_inventory()
    assert not inventory.ready
    assert inventory.view().unavailable == f"{EVERY_KIND} unknown: {NOT_LISTED}"
    assert inventory.view().nodes is None
    inventory.start()
    unreachable = f"{EVERY_KIND} unknown: API server unreachable: "
    eventually(lambda: (inventory.view().unavailable or "").startswith(unreachable), what="failed attempts")
    assert not inventory.ready
    assert "Connection refused" in (inventory.view().unavailable or "")
    fake.start()
    assert inventory.wait_ready(5)
    eventually(lambda: inventory.view().unavailable is None, what="every kind in sync")
    assert serial.read(lambda: len(inventory.view().nodes or ())) == 0


def test_the_index_follows_label_changes_event_by_event(
    two_nodes: FakeApiServer, make_inventory: Make, serial: Serial
) -> None:
    inventory = make_inventory()
    inventory.start()
    assert inventory.wait_ready(5)
    assert zone_of(inventory, serial, "a") == "z1"
    for step in range(20):
        two_nodes.cluster.set_labels("a", {"zone": f"step-{step}"})
        eventually(lambda s=step: zone_of(inventory, serial, "a") == f"step-{s}", what=f"step {step}")
        assert serial.read(lambda s=step: set(inventory.view().nodes.with_label("zone", f"step-{s}"))) == {
            "a"
        }  # type: ignore[union-attr]
    assert serial.read(lambda: set(inventory.view().nodes.with_label("zone", "z1"))) == {"c"}  # type: ignore[union-attr]
    assert nodes_state(inventory).lists == 1, "events alone, no relist"
    assert nodes_state(inventory).events >= 20


def test_nodes_come_and_go(two_nodes: FakeApiServer, make_inventory: Make, serial: Serial) -> None:
    inventory = make_inventory()
    inventory.start()
    assert inventory.wait_ready(5)
    two_nodes.cluster.put("nodes", fakeapi.node("d", {"zone": "z3"}))
    two_nodes.cluster.delete("nodes", "a")
    eventually(lambda: serial.read(lambda: list(inventory.view().nodes.names())) == ["b", "c", "d"])  # type: ignore[union-attr]
    assert serial.read(lambda: set(inventory.view().nodes.with_key("zone"))) == {"b", "c", "d"}  # type: ignore[union-attr]
    assert inventory.stats().nodes == 3


def test_lists_are_paged_and_nodes_are_metadata_only(two_nodes: FakeApiServer, make_inventory: Make) -> None:
    inventory = make_inventory()
    inventory.start()
    assert inventory.wait_ready(5)
    kinds = len(inventory.stats().kinds)
    eventually(lambda: two_nodes.watch_count() >= kinds, what="every kind watching")
    node_requests = [(q, a) for p, q, a in two_nodes.requests if p == "/api/v1/nodes"]
    assert [q.get("continue", [""])[0].rpartition(":")[2] for q, _ in node_requests[:2]] == ["", "2"]
    assert {a for q, a in node_requests if "watch" not in q} == {METADATA_LIST}
    assert {a for q, a in node_requests if "watch" in q} == {METADATA_WATCH}
    watch = next(q for q, _ in node_requests if "watch" in q)
    assert watch["allowWatchBookmarks"] == ["true"]
    assert 5 <= int(watch["timeoutSeconds"][0]) < 10


@pytest.mark.parametrize("as_event", [False, True], ids=["410 status", "ERROR 410 event"])
def test_relist_after_410(
    two_nodes: FakeApiServer, make_inventory: Make, serial: Serial, as_event: bool
) -> None:
    inventory = make_inventory()
    inventory.start()
    assert inventory.wait_ready(5)
    # A change whose event was compacted away: only a relist can see it.
    two_nodes.cluster.set_labels("b", {"zone": "moved"}, event=False)
    two_nodes.gone_next_watches(1, as_event=as_event)
    two_nodes.kick_watches()
    eventually(lambda: zone_of(inventory, serial, "b") == "moved", what="the relist")
    assert nodes_state(inventory).lists == 2
    assert nodes_state(inventory).failures == 0
    assert inventory.view().unavailable is None


def test_recovery_after_a_dropped_connection(
    two_nodes: FakeApiServer, make_inventory: Make, serial: Serial
) -> None:
    inventory = make_inventory()
    inventory.start()
    assert inventory.wait_ready(5)
    eventually(lambda: nodes_state(inventory).watching, what="the node watch")
    watches = two_nodes.watch_count()
    two_nodes.drop_watches()
    kinds = len(inventory.stats().kinds)
    eventually(lambda: two_nodes.watch_count() >= watches + kinds, what="every watch resumed")
    two_nodes.cluster.set_labels("a", {"zone": "after-drop"})
    eventually(lambda: zone_of(inventory, serial, "a") == "after-drop")
    assert nodes_state(inventory).lists == 1, "resumed from the resourceVersion, not relisted"
    assert inventory.view().unavailable is None


def test_recovery_after_the_server_restarts(
    two_nodes: FakeApiServer, make_inventory: Make, serial: Serial
) -> None:
    inventory = make_inventory()
    inventory.start()
    assert inventory.wait_ready(5)
    two_nodes.stop()
    eventually(lambda: inventory.view().unavailable, what="unavailable while the server is away")
    assert "API server unreachable" in (inventory.view().unavailable or "")
    assert zone_of(inventory, serial, "a") == "z1", "what was listed is kept meanwhile"
    assert inventory.ready
    two_nodes.cluster.set_labels("a", {"zone": "while-away"})
    two_nodes.start()
    eventually(lambda: zone_of(inventory, serial, "a") == "while-away", what="the change made while away")
    eventually(lambda: inventory.view().unavailable is None, what="in sync again")


def test_a_restart_that_lost_history_relists(
    two_nodes: FakeApiServer, make_inventory: Make, serial: Serial
) -> None:
    inventory = make_inventory()
    inventory.start()
    assert inventory.wait_ready(5)
    two_nodes.stop()
    two_nodes.cluster.set_labels("c", {"zone": "compacted"}, event=False)
    two_nodes.gone_next_watches(1)
    two_nodes.start()
    eventually(lambda: zone_of(inventory, serial, "c") == "compacted", what="the relist after restart")


def test_a_single_failure_does_not_make_it_unavailable(
    two_nodes: FakeApiServer, make_inventory: Make
) -> None:
    inventory = make_inventory(failures_before_unavailable=1000)
    inventory.start()
    assert inventory.wait_ready(5)
    two_nodes.stop()
    eventually(lambda: nodes_state(inventory).failures >= 3, what="several failures")
    assert inventory.view().unavailable is None
    assert "Connection refused" in (nodes_state(inventory).error or "")


def test_falls_back_to_full_objects_on_406(
    two_nodes: FakeApiServer, make_inventory: Make, serial: Serial
) -> None:
    two_nodes.refuse_metadata = True
    inventory = make_inventory()
    inventory.start()
    assert inventory.wait_ready(5)
    two_nodes.cluster.set_labels("a", {"zone": "full"})
    eventually(lambda: zone_of(inventory, serial, "a") == "full")
    accepts = [a for p, _, a in two_nodes.requests if p == "/api/v1/nodes"]
    assert accepts[0] == METADATA_LIST
    assert set(accepts[1:]) == {JSON}, "plain JSON for good after the 406"
    assert inventory.view().unavailable is None


def test_bookmarks_advance_the_resource_version(two_nodes: FakeApiServer, make_inventory: Make) -> None:
    two_nodes.bookmark_interval = 0.05
    inventory = make_inventory()
    inventory.start()
    assert inventory.wait_ready(5)
    for i in range(3):
        two_nodes.cluster.put("priorityclasses", fakeapi.priority_class(f"p{i}"))  # no node event at all
    reflector = inventory._nodes.reflectors[0]
    eventually(lambda: reflector.state.resource_version == str(two_nodes.cluster.rv), what="a bookmark")


def test_daemonsets_storage_and_priority_classes(
    fake: FakeApiServer, make_inventory: Make, serial: Serial
) -> None:
    def ds(namespace: str, flag: str) -> dict[str, Any]:
        args = ["node-agent", "server", f"--node-agent-configmap={flag}"]
        return fakeapi.daemonset(namespace, "node-agent", "velero/velero:v1.17.1", args)

    fake.cluster.put("daemonsets", ds("velero", "one"), event=False)
    fake.cluster.put("daemonsets", ds("elsewhere", "ignored"), event=False)
    fake.cluster.put("storageclasses", fakeapi.storage_class("gp3"), event=False)
    inventory = make_inventory(namespaces=["velero", "backup"])
    inventory.start()
    assert inventory.wait_ready(5)
    view = lambda: serial.read(inventory.view)  # noqa: E731
    eventually(lambda: view().workloads is not None and view().priority_classes is not None)
    assert [(d.namespace, d.flags.get("--node-agent-configmap")) for d in view().workloads or ()] == [
        ("velero", "one")
    ]
    fake.cluster.put("daemonsets", ds("backup", "two"))
    fake.cluster.put("daemonsets", ds("velero", "three"))
    fake.cluster.put("storageclasses", fakeapi.storage_class("gp2", "Retain"))
    fake.cluster.put("priorityclasses", fakeapi.priority_class("high"))
    fake.cluster.delete("storageclasses", "gp3")
    eventually(
        lambda: (
            [(d.namespace, d.flags.get("--node-agent-configmap")) for d in view().workloads or ()]
            == [("backup", "two"), ("velero", "three")]
        )
    )
    eventually(lambda: dict(view().storage_classes or {}).keys() == {"gp2"})
    assert (view().storage_classes or {})["gp2"].reclaim_policy == "Retain"
    eventually(lambda: view().priority_classes == {"high"})


def test_all_namespaces_when_none_are_given(
    fake: FakeApiServer, make_inventory: Make, serial: Serial
) -> None:
    for namespace in ("a", "b"):
        fake.cluster.put(
            "daemonsets", fakeapi.daemonset(namespace, "node-agent", "velero/velero:v1.16.0", [])
        )
    inventory = make_inventory()
    inventory.start()
    eventually(lambda: len(serial.read(inventory.view).workloads or ()) == 2)
    assert any(p == "/apis/apps/v1/daemonsets" for p, _, _ in fake.requests)


def test_https_with_a_self_signed_certificate(tmp_path: Path, make_inventory: Make, serial: Serial) -> None:
    server = FakeApiServer(tls=True).start()
    try:
        server.cluster.put("nodes", fakeapi.node("tls", {"zone": "secure"}))
        inventory = make_inventory(kubeconfig=str(server.kubeconfig(tmp_path / "tls-kubeconfig")))
        inventory.start()
        assert inventory.wait_ready(5)
        assert zone_of(inventory, serial, "tls") == "secure"
        assert server.url.startswith("https://")
    finally:
        server.stop()


def test_a_rejected_token_is_reported(fake: FakeApiServer, tmp_path: Path, make_inventory: Make) -> None:
    path = fake.kubeconfig(tmp_path / "kubeconfig")
    path.write_text(path.read_text().replace(fakeapi.TOKEN, "wrong"))
    inventory = make_inventory(kubeconfig=str(path))
    inventory.start()
    eventually(lambda: inventory.view().unavailable == f"{EVERY_KIND} unknown: HTTP 401: Unauthorized")
    assert nodes_state(inventory).error == "cannot list nodes: HTTP 401: Unauthorized"


def test_stop_is_prompt_even_with_watches_open(two_nodes: FakeApiServer, make_inventory: Make) -> None:
    inventory = make_inventory(settings=FAST.__class__(**{**_fields(FAST), "watch_seconds": 3600}))
    inventory.start()
    assert inventory.wait_ready(5)
    kinds = len(inventory.stats().kinds)
    eventually(lambda: two_nodes.watch_count() >= kinds, what="every kind watching")
    started = time.monotonic()
    assert inventory.stop(timeout=5)
    assert time.monotonic() - started < 1.0


def test_stop_is_prompt_while_backing_off(fake: FakeApiServer, make_inventory: Make) -> None:
    fake.stop()
    slow = FAST.__class__(**{**_fields(FAST), "backoff_initial": 60.0, "backoff_cap": 60.0})
    inventory = make_inventory(settings=slow)
    inventory.start()
    eventually(lambda: nodes_state(inventory).failures >= 1)
    started = time.monotonic()
    assert inventory.stop(timeout=5)
    assert time.monotonic() - started < 1.0


def test_stats(two_nodes: FakeApiServer, make_inventory: Make) -> None:
    inventory = make_inventory()
    before = inventory.stats()
    assert (before.ready, before.nodes, before.seconds_since_list) == (False, 0, None)
    inventory.start()
    assert inventory.wait_ready(5)
    two_nodes.cluster.set_labels("a", {"zone": "z9"})
    eventually(lambda: inventory.stats().seconds_since_event is not None)
    stats = inventory.stats()
    assert (stats.ready, stats.nodes) == (True, 3)
    assert 0 <= (stats.seconds_since_list or -1) < 5
    assert [k.kind for k in stats.kinds] == [
        "nodes",
        "daemonsets",
        "deployments",
        "storageclasses",
        "priorityclasses",
        "backupstoragelocations",
        "backuprepositories",
    ]


def test_missing_kubeconfig_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KubeConfigError, match="nope"):
        Inventory.from_kubeconfig(str(tmp_path / "nope"))


def test_a_change_between_the_pages_of_a_list_reaches_the_index(
    two_nodes: FakeApiServer, make_inventory: Make
) -> None:
    """The list's version is the first page's: a watch from it replays what changed meanwhile.

    A fake that gave each page the newest version lost the change (a flaky test under load)."""
    first_page = threading.Event()

    class Hook(dict):  # type: ignore[type-arg]
        def __setitem__(self, key: str, value: object) -> None:
            super().__setitem__(key, value)
            if key.startswith("nodes") and not first_page.is_set():
                two_nodes.cluster.set_labels("a", {"zone": "between-pages"})
                first_page.set()

    two_nodes.snapshots = Hook()
    inventory = make_inventory()
    inventory.start()
    assert inventory.wait_ready(5)
    assert first_page.is_set()
    eventually(lambda: _zone_is(inventory, "between-pages"), what="the change made between two pages")


def test_in_an_event_loop_with_call_soon_threadsafe(two_nodes: FakeApiServer, kubeconfig: str) -> None:
    """The server's arrangement: writes are callbacks on the loop, reads happen between them."""

    async def scenario() -> list[str]:
        loop = asyncio.get_running_loop()
        inventory = Inventory.from_kubeconfig(kubeconfig, dispatch=loop.call_soon_threadsafe, settings=FAST)
        inventory.start()
        seen: list[str] = []
        try:
            for step in range(5):
                two_nodes.cluster.set_labels("a", {"zone": f"loop-{step}"})
                while not _zone_is(inventory, f"loop-{step}"):
                    await asyncio.sleep(0.005)
                seen.append(f"loop-{step}")
        finally:
            await loop.run_in_executor(None, inventory.stop)
        return seen

    assert asyncio.run(asyncio.wait_for(scenario(), 60)) == [f"loop-{i}" for i in range(5)]


def _zone_is(inventory: Inventory, zone: str) -> bool:
    nodes = inventory.view().nodes
    return nodes is not None and nodes.labels("a").get("zone") == zone


def _fields(settings: Any) -> dict[str, Any]:
    return {name: getattr(settings, name) for name in settings.__slots__}


def test_backup_storage_locations_and_repositories_per_velero_namespace(
    fake: FakeApiServer, make_inventory: Make, serial: Serial
) -> None:
    """The parts the repository kinds read: BSLs as metadata only, repositories with their spec."""
    fake.cluster.put("backupstoragelocations", fakeapi.storage_location("velero", "default"), event=False)
    fake.cluster.put("backupstoragelocations", fakeapi.storage_location("other", "ignored"), event=False)
    fake.cluster.put("backuprepositories", fakeapi.repository("velero", "app", "default"), event=False)
    parts = {"nodes", "workloads", "storage_locations", "repositories"}
    inventory = make_inventory(namespaces=["velero"], parts=parts)
    inventory.start()
    view = lambda: serial.read(inventory.view)  # noqa: E731
    eventually(lambda: view().storage_locations is not None and view().repositories is not None)
    assert view().storage_locations == {("velero", "default")}
    [repo] = view().repositories or ()
    assert (repo.name, repo.volume_namespace, repo.storage_location, repo.repository_type) == (
        "app-default-kopia",
        "app",
        "default",
        "kopia",
    )
    assert repo.config == {"cacheLimitMB": "2048"}
    fake.cluster.put("backupstoragelocations", fakeapi.storage_location("velero", "dr"))
    eventually(lambda: view().storage_locations == {("velero", "default"), ("velero", "dr")})
    requests = [(p, a) for p, _, a in fake.requests if "backupstoragelocations" in p]
    assert {a for _, a in requests} <= {METADATA_LIST, METADATA_WATCH}


def test_without_velero_s_crds_only_their_parts_are_unknown(
    fake: FakeApiServer, make_inventory: Make, serial: Serial
) -> None:
    fake.missing.update({"backupstoragelocations", "backuprepositories"})
    inventory = make_inventory(namespaces=["velero"], parts={"nodes", "workloads", "storage_locations"})
    inventory.start()
    assert inventory.wait_ready(5)
    gaps = lambda: serial.read(inventory.view).gaps  # noqa: E731
    eventually(lambda: [g.part for g in gaps()] == ["storage_locations"], what="only the BSLs unknown")
