"""Each kind counts on its own: one kind the API server refuses skips only its own checks, and the
warning names exactly that kind, at start as after an outage. Through the engine, as a request sees it.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.engine.nodeagent import evaluate_config
from webhook.inventory import Inventory

from . import fakeapi
from .conftest import Serial, eventually
from .fakeapi import FakeApiServer

pytestmark = pytest.mark.timeout(30)
Make = Callable[..., Inventory]
# the parts a node-agent config's checks read: its warning names only those
EVERY_KIND = "nodes, DaemonSets, Deployments, storage classes and priority classes"
ALL_CHECKS = {"nodes", "storage classes", "priority classes"}

# A config that each cluster check warns about when it is made: a rule no node matches, and classes
# that do not exist.
CONFIG = json.dumps(
    {
        "loadConcurrency": {
            "globalConfig": 1,
            "perNodeConfig": [{"nodeSelector": {"matchLabels": {"zone": "nowhere"}}, "number": 2}],
        },
        "priorityClassName": "missing",
        "cachePVC": {"storageClass": "missing"},
    }
)
CHECK_WARNINGS = {
    "nodes": "matches none of the 3 nodes",
    "storage classes": 'StorageClass "missing" does not exist',
    "priority classes": 'PriorityClass "missing" does not exist',
}


def checks(inventory: Inventory, serial: Serial) -> tuple[set[str], list[str]]:
    """Which cluster checks were made for CONFIG, and the warnings saying which were skipped."""
    warnings = serial.read(lambda: evaluate_config(CONFIG, inventory.view()).warning_strings)
    made = {kind for kind, phrase in CHECK_WARNINGS.items() if any(phrase in w for w in warnings)}
    return made, [w for w in warnings if w.startswith("cluster checks skipped")]


def skipped(label: str, resource: str) -> list[str]:
    return [f"cluster checks skipped: {label} unknown: HTTP 403: {fakeapi.forbidden(resource)}"]


@pytest.fixture
def cluster(fake: FakeApiServer) -> FakeApiServer:
    for name, zone in (("a", "z1"), ("b", "z2"), ("c", "z1")):
        fake.cluster.put("nodes", fakeapi.node(name, {"zone": zone}), event=False)
    fake.cluster.put("storageclasses", fakeapi.storage_class("gp3"), event=False)
    fake.cluster.put("priorityclasses", fakeapi.priority_class("high"), event=False)
    return fake


# The resource the API server refuses from the start, how the warning names it, the checks still made.
REFUSED_AT_START = [
    ("storageclasses", "storage classes", {"nodes", "priority classes"}),
    ("priorityclasses", "priority classes", {"nodes", "storage classes"}),
    ("daemonsets", "DaemonSets", ALL_CHECKS),
    ("nodes", "nodes", {"storage classes", "priority classes"}),
]


@pytest.mark.parametrize(
    ("resource", "label", "made"), REFUSED_AT_START, ids=[r[0] for r in REFUSED_AT_START]
)
def test_a_kind_refused_from_the_start_skips_only_its_own_checks(
    cluster: FakeApiServer, make_inventory: Make, serial: Serial, resource: str, label: str, made: set[str]
) -> None:
    cluster.forbidden.add(resource)
    inventory = make_inventory()
    inventory.start()
    assert eventually(lambda: checks(inventory, serial) == (made, skipped(label, resource)))
    assert inventory.ready is (resource != "nodes"), "ready as soon as the nodes are listed"
    cluster.forbidden.clear()
    assert eventually(lambda: checks(inventory, serial) == (ALL_CHECKS, []), what="every kind listed")
    assert eventually(lambda: serial.read(inventory.view).unavailable is None, what="every part listed")


def test_after_an_outage_each_kind_is_checked_again_as_soon_as_it_is_back(
    cluster: FakeApiServer, make_inventory: Make, serial: Serial
) -> None:
    inventory = make_inventory()
    inventory.start()
    assert eventually(lambda: checks(inventory, serial) == (ALL_CHECKS, []), what="every kind listed")
    cluster.stop()
    unreachable = f"cluster checks skipped: {EVERY_KIND} unknown: API server unreachable: "
    made, _ = eventually(
        lambda: (c := checks(inventory, serial))[1] and c[1][0].startswith(unreachable) and c,
        what="every kind unknown during the outage",
    )
    assert made == set(), "what was listed before is served, not checked against"
    assert serial.read(lambda: inventory.view().nodes is not None and inventory.ready)
    cluster.forbidden.add("storageclasses")
    cluster.start()
    only_storage = ({"nodes", "priority classes"}, skipped("storage classes", "storageclasses"))
    assert eventually(lambda: checks(inventory, serial) == only_storage, what="all but storage classes back")
    view = serial.read(inventory.view)
    assert view.stale == {"storage_classes"}
    assert set(view.storage_classes or ()) == {"gp3"}, "the StorageClasses listed before are kept"
    cluster.forbidden.clear()
    assert eventually(lambda: checks(inventory, serial) == (ALL_CHECKS, []), what="storage classes back")
    assert serial.read(inventory.view).stale == frozenset()


def test_one_watch_failing_alone_makes_only_its_kind_unknown(
    cluster: FakeApiServer, make_inventory: Make, serial: Serial
) -> None:
    inventory = make_inventory()
    inventory.start()
    assert eventually(lambda: checks(inventory, serial) == (ALL_CHECKS, []), what="every kind listed")
    kinds = len(inventory.stats().kinds)
    eventually(lambda: cluster.watch_count() >= kinds, what="every kind watching")
    cluster.forbidden.add("priorityclasses")
    cluster.kick_watches()
    only_priority = ({"nodes", "storage classes"}, skipped("priority classes", "priorityclasses"))
    assert eventually(lambda: checks(inventory, serial) == only_priority)
    assert serial.read(inventory.view).priority_classes == {"high"}, "kept, for whoever reads it"
