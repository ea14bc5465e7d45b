"""The webhook's latency as kube-apiserver measured it, read from the apiserver's /metrics after the run.

`apiserver_admission_webhook_admission_duration_seconds` is a histogram per webhook name, operation and
outcome; its buckets are coarse (5 ms, 25 ms, 100 ms, ...), so what can be said is "p99 within the
N ms bucket". Reported, never asserted: timing targets belong to the benchmarks (docs/performance.md).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from tests.e2e.webhook_server import samples

APISERVER_METRIC = "apiserver_admission_webhook_admission_duration_seconds"
WEBHOOK_METRIC = "node_agent_webhook_admission_duration_seconds"


@dataclass(frozen=True)
class Histogram:
    count: float
    total: float
    buckets: tuple[tuple[float, float], ...]  # (upper bound, cumulative count), ascending

    def quantile_bucket(self, q: float) -> float:
        """The upper bound of the bucket that holds the q-quantile (inf when beyond the last)."""
        for bound, cumulative in self.buckets:
            if cumulative >= q * self.count:
                return bound
        return float("inf")

    @property
    def mean(self) -> float:
        return self.total / self.count if self.count else 0.0


def histogram(text: str, metric: str, labels: dict[str, str]) -> Histogram:
    """One histogram summed over every label set that includes `labels`."""
    cumulative: dict[float, float] = defaultdict(float)
    for got, value in samples(text, f"{metric}_bucket"):
        if labels.items() <= got.items():
            cumulative[float(got["le"])] += value

    def total(suffix: str) -> float:
        return sum(v for got, v in samples(text, f"{metric}_{suffix}") if labels.items() <= got.items())

    return Histogram(total("count"), total("sum"), tuple(sorted(cumulative.items())))


def describe(who: str, h: Histogram) -> str:
    if not h.count:
        return f"{who}: no requests observed"
    p50, p99 = (_ms(h.quantile_bucket(q)) for q in (0.5, 0.99))
    return f"{who}: {h.count:.0f} requests, mean {h.mean * 1000:.1f} ms, p50 <= {p50}, p99 <= {p99}"


def _ms(bound: float) -> str:
    return "+Inf" if bound == float("inf") else f"{bound * 1000:g} ms"
