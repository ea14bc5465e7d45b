"""One inventory in a fresh process: list and index every node, then apply a burst of watch events.

Memory is the resident set above the same process idle (everything imported, the client built,
nothing listed), after a garbage collection. Writes are applied in the reflector's thread (`direct`
dispatch, as in the CLI); the server routes them through its event loop instead.
`python -m bench.inventory_probe --kubeconfig F --nodes N --churn-url URL` prints one JSON line.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from webhook.inventory import Inventory


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> float:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.0005)
    return time.perf_counter()


def churned(inventory: Inventory, event: int) -> bool:
    """Whether the event that labelled a node churn=<event> is in (events apply in order)."""
    nodes = inventory.view().nodes
    return nodes is not None and bool(nodes.with_label("churn", str(event)))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kubeconfig", required=True)
    parser.add_argument("--nodes", type=int, required=True)
    parser.add_argument("--churn-url", required=True)
    args = parser.parse_args(argv)
    inventory = Inventory.from_kubeconfig(args.kubeconfig)
    gc.collect()
    idle = rss_mb()
    started = time.perf_counter()
    inventory.start()
    listed = wait_for(lambda: inventory.ready, 300, "the node list") - started
    if len(inventory.view().nodes or ()) != args.nodes:
        raise RuntimeError(f"listed {len(inventory.view().nodes or ())} nodes, not {args.nodes}")
    gc.collect()
    memory = rss_mb() - idle
    urllib.request.urlopen(urllib.request.Request(args.churn_url, method="POST"), timeout=300).read()
    first = wait_for(lambda: churned(inventory, 0), 300, "the first event")
    last = wait_for(lambda: churned(inventory, args.nodes - 1), 300, "the last event")
    inventory.stop()
    figures = {"list_s": listed, "rss_mb": memory, "idle_rss_mb": idle}
    print(json.dumps(figures | {"events_per_s": (args.nodes - 1) / max(last - first, 1e-6)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
