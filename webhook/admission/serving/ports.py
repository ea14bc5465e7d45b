"""What the admission app needs from the parts it is given: the node inventory and the certificate.

Protocols, so that the live inventory, a static cluster file and test fakes all fit, and so that
this package never imports the certificate machinery it only reports on.
"""

from __future__ import annotations

from typing import Protocol

from webhook.engine import ClusterView
from webhook.inventory import InventoryStats


class InventoryLike(Protocol):
    """The cluster facts the engine decides with: read in memory on the request path, never fetched."""

    @property
    def ready(self) -> bool:
        """Synced at least once (a static file always is)."""
        ...

    def view(self) -> ClusterView: ...

    @property
    def changing(self) -> bool:
        """Whether the view's node index is changed in place (live): a worker thread needs a copy."""
        ...

    def stats(self) -> InventoryStats:
        """For /metrics, read at scrape time."""
        ...

    def start(self) -> None:
        """Called once on the event loop before the first request."""
        ...

    def stop(self) -> None:
        """Called once after the last request, in a worker thread: it may block."""
        ...


class CertificateSourceLike(Protocol):
    """The serving certificate: whether one is loaded, when it expires, and its reload loop."""

    @property
    def healthy(self) -> bool: ...

    @property
    def not_after(self) -> float | None: ...

    async def watch(self) -> None:
        """Runs for the life of the app (cancelled at shutdown)."""
        ...
