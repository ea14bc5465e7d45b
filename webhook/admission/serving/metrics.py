"""Prometheus metrics: one registry per app, cheap updates on the request path, state read at scrape.

A request only increments a counter and observes a histogram. Everything that describes state (the
inventory's size and freshness, the certificate's expiry) is read when /metrics is scraped, by a
collector, so the request path never pays for it. The latency buckets are the apiserver's own for
`apiserver_admission_webhook_admission_duration_seconds`, so both sides can be compared bucket by bucket.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from webhook.admission.review.outcome import Outcome
from webhook.admission.serving.ports import CertificateSourceLike, InventoryLike

APISERVER_BUCKETS = (0.005, 0.025, 0.1, 0.5, 1.0, 2.5, 10.0, 25.0)
PREFIX = "node_agent_webhook"


class Metrics:
    def __init__(self, inventory: InventoryLike, certs: CertificateSourceLike) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            f"{PREFIX}_admission_requests",
            "AdmissionReviews answered, by operation and decision.",
            ["operation", "decision"],
            registry=self.registry,
        )
        self.duration = Histogram(
            f"{PREFIX}_admission_duration_seconds",
            "Time from request to response of an AdmissionReview, as the webhook sees it.",
            buckets=APISERVER_BUCKETS,
            registry=self.registry,
        )
        self.rejected = Counter(
            f"{PREFIX}_rejected_requests",
            "Requests refused before a decision (not an AdmissionReview, too large, wrong type), by status.",
            ["code"],
            registry=self.registry,
        )
        self.registry.register(StateCollector(inventory, certs))

    def observe(self, operation: str, outcome: Outcome, seconds: float) -> None:
        self.requests.labels(operation, outcome.value).inc()
        self.duration.observe(seconds)

    def reject(self, status: int) -> None:
        self.rejected.labels(str(status)).inc()

    def render(self) -> tuple[bytes, str]:
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


class StateCollector(Collector):
    """Inventory and certificate state, read at scrape time."""

    def __init__(self, inventory: InventoryLike, certs: CertificateSourceLike) -> None:
        self.inventory = inventory
        self.certs = certs

    def collect(self) -> Iterator[Metric]:
        yield _gauge(
            "inventory_ready", "1 when the node inventory is synced (or static).", self.inventory.ready
        )
        stats = self.inventory.stats()
        yield _gauge("inventory_nodes", "Nodes in the inventory.", stats.nodes)
        age = stats.seconds_since_event
        yield _gauge("inventory_last_event_age_seconds", "Seconds since the last Node event seen.", age)
        expiry = self.certs.not_after
        yield _gauge("certificate_expiry_timestamp_seconds", "Expiry of the serving certificate.", expiry)


def _gauge(name: str, help_text: str, value: float | bool | None) -> GaugeMetricFamily:
    """A gauge; an unknown value gives the family without a sample rather than a made-up number."""
    family = GaugeMetricFamily(f"{PREFIX}_{name}", help_text)
    if value is not None:
        family.add_metric([], float(value))
    return family
