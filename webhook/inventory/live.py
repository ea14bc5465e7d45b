"""The live inventory inside the server: its writes run on the event loop, between requests.

The inventory's reflector threads never touch the node index themselves; they hand each change to a
`Dispatch` (webhook.inventory.nodeindex). In the server that is `loop.call_soon_threadsafe`, so a
request, which runs on the loop, never sees a change half applied. The loop only exists once uvicorn
runs, hence the late binding: `start()` is called on the loop and binds it before any thread starts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection
from pathlib import Path

from webhook.engine import ClusterView
from webhook.inventory.inventory import Inventory, InventoryStats


class LoopDispatch:
    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def __call__(self, mutation: Callable[[], None]) -> None:
        if self._loop is None:
            raise RuntimeError("inventory write before the event loop was bound")
        self._loop.call_soon_threadsafe(mutation)


class LiveInventory:
    """`Inventory` plus the loop binding; raises KubeConfigError at construction if no config."""

    def __init__(self, kubeconfig: Path | None, namespaces: Collection[str]) -> None:
        self._dispatch = LoopDispatch()
        where = str(kubeconfig) if kubeconfig else None
        self._inventory = Inventory.from_kubeconfig(where, namespaces=namespaces, dispatch=self._dispatch)

    changing = True  # the node index is changed in place, on the loop

    @property
    def ready(self) -> bool:
        return self._inventory.ready

    def view(self) -> ClusterView:
        return self._inventory.view()

    def stats(self) -> InventoryStats:
        return self._inventory.stats()

    def start(self) -> None:
        self._dispatch.bind(asyncio.get_running_loop())
        self._inventory.start()

    def stop(self) -> None:
        self._inventory.stop()
