"""cachePVC: the threshold that turns the cache on for every restore."""

from __future__ import annotations

from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings

PATH = f.ROOT.child("cachePVC")


def check(ctx: Context, out: Findings) -> None:
    cache = ctx.section("cachePVC")
    if not isinstance(cache, dict) or "residentThresholdInMB" not in cache:
        return
    threshold = cache["residentThresholdInMB"]
    if isinstance(threshold, int) and threshold <= 0:
        out.warn(PATH.child("residentThresholdInMB"), f"{threshold}: every restore gets a cache PVC")
