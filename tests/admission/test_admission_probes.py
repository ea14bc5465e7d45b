"""/healthz, /readyz, /metrics, the lifespan, and what changes once shutdown has begun."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from admission_support import (
    NODES,
    FakeCerts,
    FakeInventory,
    admission_review,
    client,
    configmap,
    example,
    post,
)
from prometheus_client.parser import text_string_to_metric_families

from webhook.admission import Lifecycle
from webhook.admission.serving.metrics import APISERVER_BUCKETS
from webhook.engine import ClusterView, Decision, Gap, Request, Targeting

NOT_SYNCED = replace(NODES, nodes=None, gaps=(Gap("nodes", "nodes", "nodes is forbidden: RBAC"),))


def test_healthz_is_ok_with_a_certificate() -> None:
    with client() as c:
        http = c.get("/healthz")
    assert (http.status_code, http.json()) == (200, {"status": "ok"})


def test_healthz_fails_without_a_certificate() -> None:
    with client(certs=FakeCerts(healthy=False)) as c:
        http = c.get("/healthz")
    assert http.status_code == 503
    assert http.json()["reason"] == "no serving certificate loaded"


READINESS = {
    "synced and serving": (FakeInventory(), FakeCerts(), False, 200, None),
    "the inventory has not listed nodes yet, and says why": (
        FakeInventory(NOT_SYNCED, ready=False),
        FakeCerts(),
        False,
        503,
        "node inventory not synced yet: nodes unknown: nodes is forbidden: RBAC",
    ),
    "no certificate": (
        FakeInventory(),
        FakeCerts(healthy=False),
        False,
        503,
        "no serving certificate loaded",
    ),
    "shutting down": (FakeInventory(), FakeCerts(), True, 503, "shutting down"),
}


@pytest.mark.parametrize(
    ("inventory", "certs", "stopping", "status", "reason"), READINESS.values(), ids=READINESS.keys()
)
def test_readyz(
    inventory: FakeInventory, certs: FakeCerts, stopping: bool, status: int, reason: str | None
) -> None:
    lifecycle = Lifecycle()
    with client(inventory, certs, lifecycle=lifecycle) as c:
        if stopping:
            lifecycle.begin_shutdown()
        http = c.get("/readyz")
    assert http.status_code == status
    assert http.json().get("reason") == reason


def test_once_shutting_down_reviews_are_still_answered_but_connections_are_closed() -> None:
    lifecycle = Lifecycle()
    with client(lifecycle=lifecycle) as c:
        before = post(c, example("review-warn.json"))
        lifecycle.begin_shutdown()
        after = post(c, example("review-warn.json"))
    assert "connection" not in before.headers
    assert after.status_code == 200 and after.json()["response"]["allowed"] is True
    assert after.headers["connection"] == "close"


def samples_of(text: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    samples: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            samples.setdefault(s.name, []).append((s.labels, s.value))
    return samples


def value(samples: dict[str, list[tuple[dict[str, str], float]]], name: str, **labels: str) -> float | None:
    for sample_labels, sample_value in samples.get(name, []):
        if all(sample_labels.get(k) == v for k, v in labels.items()):
            return sample_value
    return None


def failing(operation: str, request: Request, cluster: ClusterView, targeting: Targeting) -> Decision:
    raise RuntimeError("boom")


def test_metrics_count_reviews_by_operation_and_decision() -> None:
    with client() as c:
        post(c, example("review-deny.json"))
        post(c, example("review-warn.json"))
        post(c, example("review-warn.json"))
        post(c, admission_review("CREATE", configmap({}, name="other")))
        post(c, b"not json")
        samples = samples_of(c.get("/metrics").text)
    total = "node_agent_webhook_admission_requests_total"
    assert value(samples, total, operation="CREATE", decision="denied") == 1
    assert value(samples, total, operation="CREATE", decision="allowed") == 2
    assert value(samples, total, operation="CREATE", decision="skipped") == 1
    assert value(samples, "node_agent_webhook_rejected_requests_total", code="400") == 1
    assert value(samples, "node_agent_webhook_admission_duration_seconds_count") == 4


def test_an_engine_fault_counts_as_error() -> None:
    with client(decide=failing) as c:
        post(c, example("review-deny.json"))
        samples = samples_of(c.get("/metrics").text)
    assert value(samples, "node_agent_webhook_admission_requests_total", decision="error") == 1


def test_the_latency_buckets_are_the_apiservers() -> None:
    with client() as c:
        samples = samples_of(c.get("/metrics").text)
    bounds = [labels["le"] for labels, _ in samples["node_agent_webhook_admission_duration_seconds_bucket"]]
    assert bounds == [*(str(b) for b in APISERVER_BUCKETS), "+Inf"]


def test_metrics_report_the_inventory_and_the_certificate() -> None:
    with client(FakeInventory(event_age=12.5), FakeCerts(not_after=1_900_000_000.0)) as c:
        samples = samples_of(c.get("/metrics").text)
    assert value(samples, "node_agent_webhook_inventory_nodes") == 6
    assert value(samples, "node_agent_webhook_inventory_ready") == 1
    assert value(samples, "node_agent_webhook_inventory_last_event_age_seconds") == 12.5
    assert value(samples, "node_agent_webhook_certificate_expiry_timestamp_seconds") == 1_900_000_000.0


def test_unknown_state_is_left_out_rather_than_made_up() -> None:
    with client(FakeInventory(NOT_SYNCED, ready=False), FakeCerts(healthy=False, not_after=None)) as c:
        samples = samples_of(c.get("/metrics").text)
    assert value(samples, "node_agent_webhook_inventory_ready") == 0
    assert value(samples, "node_agent_webhook_inventory_last_event_age_seconds") is None
    assert value(samples, "node_agent_webhook_certificate_expiry_timestamp_seconds") is None


def test_each_app_has_its_own_registry() -> None:
    with client() as first, client() as second:
        post(first, example("review-warn.json"))
        samples = samples_of(second.get("/metrics").text)
    assert value(samples, "node_agent_webhook_admission_requests_total") is None


def test_the_lifespan_starts_and_stops_the_inventory_and_the_certificate_watch() -> None:
    inventory, certs = FakeInventory(), FakeCerts()
    with client(inventory, certs) as c:
        c.get("/healthz")
        assert inventory.calls == ["start"]
        assert certs.watching
    assert inventory.calls == ["start", "stop"]
    assert not certs.watching


def test_the_inventory_is_started_on_the_loop_and_stopped_in_a_worker_thread() -> None:
    """One calling convention: plain methods; stop may block (joining threads), so not on the loop."""
    threads: list[str] = []

    class Recording(FakeInventory):
        def start(self) -> None:
            threads.append(threading.current_thread().name)

        def stop(self) -> None:
            threads.append(threading.current_thread().name)

    with client(Recording()):
        pass
    assert threads[0] == threading.main_thread().name and threads[1] != threads[0]
