"""What the cluster says, kept in memory so that no admission request ever calls the API server.

`Inventory` composes one reflector per kind it needs (Nodes, Velero's DaemonSets and Deployments, and
what the registered config kinds read: StorageClasses, PriorityClasses, BackupStorageLocations,
BackupRepositories; the namespaced ones per Velero namespace or in all), each in its own thread, all
through one client. The
request path reads `view()`: a ClusterView holding references to the current structures, so it costs
a few attribute reads. Writes reach those structures only through the injected `dispatch` (the
server passes `loop.call_soon_threadsafe`), so a request never sees a write half done.

Availability: `ready` turns true once the first node list is in (the server's /readyz). Each kind
counts on its own: one not listed yet, or whose last attempts failed, is unknown, its checks are
skipped and `view().gaps` name it and say why, while the checks of
the kinds in sync are made. What was listed before an outage is kept and served meanwhile (marked
`stale`: read for targeting, not checked against); the reflectors keep retrying and nothing is
raised to callers.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from webhook.engine import ClusterView, Gap
from webhook.inventory.client import KubeClient
from webhook.inventory.nodeindex import Dispatch, NodeIndex, direct
from webhook.inventory.parts import Part, needed_parts
from webhook.inventory.reflector import Reflector, ReflectorSettings, SyncState

NOT_LISTED = "not listed yet"


@dataclass(frozen=True, slots=True)
class KindStats:
    kind: str
    listed: bool
    watching: bool
    failures: int  # consecutive failed attempts, 0 when in sync
    error: str | None
    lists: int
    events: int
    seconds_since_list: float | None
    seconds_since_event: float | None


@dataclass(frozen=True, slots=True)
class InventoryStats:
    """For /metrics: one snapshot, cheap to take."""

    ready: bool
    nodes: int
    seconds_since_list: float | None  # of nodes
    seconds_since_event: float | None  # of nodes
    kinds: tuple[KindStats, ...]


class Inventory:
    def __init__(
        self,
        client: KubeClient,
        *,
        namespaces: Collection[str] = (),
        dispatch: Dispatch = direct,
        settings: ReflectorSettings | None = None,
        failures_before_unavailable: int = 2,
        parts: Collection[str] | None = None,
    ) -> None:
        """`namespaces`: where to look for Velero's objects; empty means every namespace. `parts`: the
        ClusterView parts to keep (default: what the registered config kinds need).

        `failures_before_unavailable`: a single dropped watch is routine (apiserver rollout, idle
        timeout of a load balancer) and the retry usually succeeds; only this many failures in a
        row make a listed kind unknown, so that warnings do not flap.
        """
        self._client = client
        self._threshold = failures_before_unavailable
        settings = settings or ReflectorSettings()
        wanted = parts if parts is not None else needed_parts()
        self._parts = [
            p for p in Part.all(client, sorted(namespaces), dispatch, settings) if p.name in wanted
        ]
        self._reflectors = [r for part in self._parts for r in part.reflectors]
        self._nodes = next(p for p in self._parts if p.name == "nodes")

    @classmethod
    def from_kubeconfig(
        cls,
        kubeconfig: str | None,
        *,
        namespaces: Collection[str] = (),
        dispatch: Dispatch = direct,
        settings: ReflectorSettings | None = None,
        failures_before_unavailable: int = 2,
        parts: Collection[str] | None = None,
    ) -> Inventory:
        """Raises KubeConfigError when there is no usable configuration; never afterwards."""
        settings = settings or ReflectorSettings()
        client = KubeClient.from_kubeconfig(kubeconfig, settings.connect_timeout)
        return cls(
            client,
            namespaces=namespaces,
            dispatch=dispatch,
            settings=settings,
            failures_before_unavailable=failures_before_unavailable,
            parts=parts,
        )

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> None:
        for reflector in self._reflectors:
            reflector.start()

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop every reflector, wait up to `timeout` in all, close the client; True if all ended."""
        for reflector in self._reflectors:
            reflector.stop()
        deadline = time.monotonic() + timeout
        ended = all([r.join(max(0.0, deadline - time.monotonic())) for r in self._reflectors])
        self._client.close()
        return ended

    def list_once(self) -> None:
        """List every kind once in this thread, without watching (the CLI's one-shot view)."""
        for reflector in self._reflectors:
            reflector.list_once()

    # -- reading ---------------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        return self._nodes.reflectors[0].state.listed

    def wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self.ready and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.ready

    def view(self) -> ClusterView:
        unknown = self._unknown()
        values: dict[str, Any] = {part.name: part.value() for part in self._parts}
        gaps = tuple(Gap(part, r.resource.label, r.state.reason or NOT_LISTED) for part, r in unknown)
        return ClusterView(
            **values, gaps=gaps, stale=frozenset(part for part, r in unknown if r.state.listed)
        )

    def _unknown(self) -> list[tuple[str, Reflector]]:
        """The kinds not listed yet, or listed but failing `failures_before_unavailable` times in a row."""
        return [
            (part.name, r)
            for part in self._parts
            for r in part.reflectors
            if not r.state.listed or (r.state.error is not None and r.state.failures >= self._threshold)
        ]

    def _states(self) -> list[SyncState]:
        return [r.state for r in self._reflectors]

    def stats(self) -> InventoryStats:
        now = time.monotonic()
        kinds = tuple(_kind_stats(state, now) for state in self._states())
        nodes: NodeIndex | None = self._nodes.value()
        return InventoryStats(
            ready=self.ready,
            nodes=len(nodes) if nodes is not None else 0,
            seconds_since_list=kinds[0].seconds_since_list,
            seconds_since_event=kinds[0].seconds_since_event,
            kinds=kinds,
        )


def _kind_stats(state: SyncState, now: float) -> KindStats:
    return KindStats(
        kind=state.kind,
        listed=state.listed,
        watching=state.watching,
        failures=state.failures,
        error=state.error,
        lists=state.lists,
        events=state.events,
        seconds_since_list=None if state.last_list is None else now - state.last_list,
        seconds_since_event=None if state.last_event is None else now - state.last_event,
    )
