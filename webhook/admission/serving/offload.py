"""Large reviews are decided in a worker thread, so that probes and small reviews never wait for them.

The engine costs about 100 µs per perNodeConfig rule: a 1 MiB config holds 10,000 of them and takes
1-2 s, long enough for a liveness probe to fail and for every other apply to wait. A review whose body
is over `LARGE_BODY` bytes is parsed and decided in one worker thread; the interpreter's switch
interval (5 ms) hands the GIL back to the event loop meanwhile. Small reviews (the apiserver's are
about 2 KiB) stay on the loop with no hop, even while the worker is busy. One worker: a flood of huge
reviews queues instead of multiplying the engine's working memory, and the loop keeps its share of
the CPU.

The live node index is changed in place by the loop, which a thread must not read meanwhile: the
worker gets a view of its own (`detached`), its index rebuilt from the node labels copied on the
loop (10,000 nodes: about 8 ms on the loop, 250 ms in the worker). A static inventory never
changes and its view is handed over as it is.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TypeVar

from webhook.engine import ClusterView, NodeIndexView
from webhook.inventory import NodeIndex

log = logging.getLogger("webhook.admission")
HANDED_OVER = "large review handed to the worker thread"  # before it is parsed: no uid yet
LARGE_BODY = 64 * 1024  # bytes: 30 times the apiserver's usual review, a few ms of engine work
T = TypeVar("T")


class Offload:
    """The worker thread of the large reviews; `close` waits for the ones queued or running."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="large-review")
        self._waiting = 0  # large reviews handed over and not answered yet: the queue an operator sees

    async def run(self, work: Callable[[], T], size: int) -> T:
        """`work()` in the worker; `size`: the body's bytes, for the log line."""
        log.info(HANDED_OVER, extra={"bytes": size, "ahead": self._waiting})
        self._waiting += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, work)
        finally:
            self._waiting -= 1

    def close(self) -> None:
        self._pool.shutdown(wait=True)


def detached(view: ClusterView) -> ClusterView:
    """Called on the loop: the same view with a node index of its own, which the loop never changes."""
    if view.nodes is None:
        return view
    return replace(view, nodes=NodeIndex.build(_labels(view.nodes).items()))


def _labels(nodes: NodeIndexView) -> dict[str, Mapping[str, str]]:
    return {name: nodes.labels(name) for name in nodes.names()}  # a node's label map is never changed
