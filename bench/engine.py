"""The engine alone, in this process: one `policy.review` of a ConfigMap against a node index.

What the server does per request minus HTTP, TLS and JSON: the decision on the inventory's view.
Each figure is the median of `runs` runs, each run the median of `iterations` timed reviews (fewer
when that would take more than RUN_SECONDS). `_disjoint`: the worst case of the sample's two rules,
which then never overlap, so proving it walks the smaller rule's nodes (bench/cluster.py).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

from bench.cluster import nodes
from bench.configs import configmap, large_config, sample_configmap
from webhook.engine import ClusterView, Decision, Request, Targeting, check_write
from webhook.inventory import NodeIndex

RUN_SECONDS = 1.0  # at most, per run of one case
CASES: dict[str, tuple[str, int, bool]] = {
    # key: (config, nodes, disjoint labels)
    "engine_us_p50_10": ("sample", 10, False),
    "engine_us_p50_10k": ("sample", 10_000, False),
    "engine_us_p50_50k": ("sample", 50_000, False),
    "engine_us_p50_large": ("large", 10_000, False),
    "engine_us_p50_10k_disjoint": ("sample", 10_000, True),
}


def _configmap(name: str) -> dict[str, Any]:
    return sample_configmap() if name == "sample" else configmap(large_config())


def decider(name: str, count: int, disjoint: bool) -> Callable[[], Decision]:
    cm = _configmap(name)
    view = ClusterView(nodes=NodeIndex.build(nodes(count, disjoint=disjoint)))
    request = Request(cm["metadata"]["namespace"], cm["metadata"]["name"], cm)
    targeting = Targeting()
    return lambda: check_write(request, view, targeting)


def time_us(call: Callable[[], object], iterations: int) -> float:
    samples = []
    for _ in range(iterations):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1e6


def measure(runs: int, iterations: int) -> dict[str, float]:
    out = {}
    for key, (name, count, disjoint) in CASES.items():
        call = decider(name, count, disjoint)
        if not call().allowed:
            raise RuntimeError(f"{key}: the benchmark's ConfigMap is denied: {call().message}")
        warm = time_us(call, max(10, iterations // 10))  # warm-up: caches, the allocator
        calls = min(iterations, max(20, int(RUN_SECONDS * 1e6 / warm)))  # the large config: fewer
        out[key] = round(statistics.median(time_us(call, calls) for _ in range(runs)), 1)
    return out
