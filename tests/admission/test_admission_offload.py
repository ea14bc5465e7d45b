"""Reviews over 64 KiB are decided in the worker thread, with the answer and fault handling of the loop.

The engine is wrapped to record the thread it runs in; the answer given through the app is compared
with the one `admit` gives on the calling thread, against the same inventory.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import httpx
import pytest
from admission_support import (
    NODES,
    FakeCerts,
    FakeInventory,
    admission_review,
    client,
    configmap,
    post,
    settings,
)

from webhook.admission import create_app
from webhook.admission.review.admit import admit, by_operation
from webhook.admission.serving.offload import LARGE_BODY
from webhook.engine import ClusterView, Decision, Request, Targeting
from webhook.inventory import StaticInventory

UID = "5b0e2c7a-8f3d-4e21-b6a9-0d4c1e7f9a32"
ZONES = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1z"]


def rule(i: int) -> dict[str, Any]:
    """Rules that overlap on nodes, match none (zone z) and carry a bad number every seventh."""
    return {
        "nodeSelector": {"matchLabels": {"topology.kubernetes.io/zone": ZONES[i % 4]}},
        "number": i % 7 - 1,
    }


def review_of(rules: int) -> dict[str, Any]:
    config = {"loadConcurrency": {"globalConfig": 2, "perNodeConfig": [rule(i) for i in range(rules)]}}
    return admission_review("CREATE", configmap(config), uid=UID)


SMALL, LARGE = review_of(8), review_of(1000)


def size(doc: dict[str, Any]) -> int:
    return len(json.dumps(doc).encode())


def test_the_reviews_lie_on_either_side_of_the_threshold() -> None:
    assert size(SMALL) < LARGE_BODY < size(LARGE)


class Recording:
    """The engine, noting the name of the thread each call runs in."""

    def __init__(self) -> None:
        self.threads: list[str] = []

    def __call__(
        self, operation: str, request: Request, cluster: ClusterView, targeting: Targeting
    ) -> Decision:
        self.threads.append(threading.current_thread().name)
        return by_operation(operation, request, cluster, targeting)


# (what, review, inventory, the thread the engine must run in)
PLACES = [
    ("a small review is decided on the event loop's thread", SMALL, FakeInventory(), "MainThread"),
    ("a large review is decided in the worker", LARGE, FakeInventory(), "large-review_0"),
    ("a large review against a static inventory too", LARGE, StaticInventory(NODES), "large-review_0"),
]


@pytest.mark.parametrize(("doc", "inventory", "thread"), [p[1:] for p in PLACES], ids=[p[0] for p in PLACES])
def test_where_a_review_is_decided_and_that_its_answer_is_the_same(
    doc: dict[str, Any], inventory: Any, thread: str
) -> None:
    engine = Recording()
    with client(inventory, decide=engine) as c:
        http = post(c, doc)
    assert engine.threads == [thread]
    expected = admit(doc["request"], inventory.view(), Targeting())
    assert http.status_code == 200
    assert http.json() == expected.review
    assert expected.decision is not None and expected.decision.warnings and not expected.decision.allowed


def failing(operation: str, request: Request, cluster: ClusterView, targeting: Targeting) -> Decision:
    raise RuntimeError("secret internals")


class BrokenInventory(FakeInventory):
    def view(self) -> ClusterView:
        raise KeyError("no view")


@pytest.mark.parametrize(
    ("inventory", "decide"),
    [(FakeInventory(), failing), (BrokenInventory(), by_operation)],
    ids=["the engine raises in the worker", "the inventory raises on the loop"],
)
def test_a_fault_on_a_large_review_is_the_same_generic_code_500_denial(
    inventory: FakeInventory, decide: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with client(inventory, decide=decide) as c:
        http = post(c, LARGE)
    assert http.status_code == 200
    status = {"code": 500, "reason": "InternalError", "message": "internal error"}
    assert http.json()["response"] == {"uid": UID, "allowed": False, "status": status}
    assert "secret internals" not in http.text
    faults = [r for r in caplog.records if r.exc_info and getattr(r, "uid", None) == UID]
    assert len(faults) == 1


def test_a_large_body_that_is_not_a_review_is_refused_with_400() -> None:
    not_a_review = {"apiVersion": "v1", "kind": "List", "items": LARGE["request"]["object"]}
    with client() as c:
        http = post(c, not_a_review)
    assert size(not_a_review) > LARGE_BODY
    assert http.status_code == 400
    assert http.json() == {"error": "not an AdmissionReview: request: required"}


def test_closing_the_app_waits_for_a_large_review_still_being_decided() -> None:
    """As when uvicorn's graceful timeout cancels a request: its decision still finishes before exit."""
    started, release, finished = threading.Event(), threading.Event(), threading.Event()

    def slow(operation: str, request: Request, cluster: ClusterView, targeting: Targeting) -> Decision:
        started.set()
        release.wait(10)
        finished.set()
        return by_operation(operation, request, cluster, targeting)

    asyncio.run(_cancel_then_close(slow, started, release))
    assert finished.is_set()


async def _cancel_then_close(decide: Any, started: threading.Event, release: threading.Event) -> None:
    app = create_app(settings(), FakeInventory(), FakeCerts(), decide=decide)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://t") as c,
    ):
        call = asyncio.create_task(c.post("/validate", json=LARGE))
        await asyncio.to_thread(started.wait, 10)
        call.cancel()
        asyncio.get_running_loop().call_later(0.2, release.set)  # the lifespan's exit must wait for it
