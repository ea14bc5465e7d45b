"""A fixed cluster (`--nodes-file`): always ready, nothing to start, watch or stop.

For local runs and demos: the webhook decides against the nodes in a file instead of a live cluster.
"""

from __future__ import annotations

from webhook.engine import ClusterView
from webhook.inventory.inventory import InventoryStats


class StaticInventory:
    ready = True
    changing = False  # read as it is by any thread

    def __init__(self, view: ClusterView) -> None:
        self._view = view
        nodes = len(view.nodes) if view.nodes is not None else 0
        # no list and no events: a file is read once, and its age says nothing about staleness
        self._stats = InventoryStats(True, nodes, seconds_since_list=None, seconds_since_event=None, kinds=())

    def view(self) -> ClusterView:
        return self._view

    def stats(self) -> InventoryStats:
        return self._stats

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass
