"""What the cluster says, kept in memory so that no admission request ever calls the API server.

`Inventory` composes one reflector per kind (Nodes, Velero's DaemonSets and Deployments per namespace
or in all namespaces, StorageClasses, PriorityClasses), each in its own thread, all through one client. The
request path reads `view()`: a ClusterView holding references to the current structures, so it costs
a few attribute reads. Writes reach those structures only through the injected `dispatch` (the
server passes `loop.call_soon_threadsafe`), so a request never sees a write half done.

Availability: `ready` turns true once the first node list is in (the server's /readyz). Each kind
counts on its own: one not listed yet, or whose last attempts failed, is unknown, its checks are
skipped and `view().unavailable` names it and says why (webhook.inventory.gaps), while the checks of
the kinds in sync are made. What was listed before an outage is kept and served meanwhile (marked
`stale`: read for targeting, not checked against); the reflectors keep retrying and nothing is
raised to callers.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from webhook.engine import ClusterView, StorageClassInfo, VeleroWorkload
from webhook.inventory import resources
from webhook.inventory.client import KubeClient
from webhook.inventory.gaps import NOT_LISTED, describe
from webhook.inventory.nodeindex import Dispatch, NodeIndex, direct
from webhook.inventory.reflector import Reflector, ReflectorSettings, SyncState
from webhook.inventory.sinks import Cell, NodeSink, priority_class_sink, storage_class_sink, workload_sink


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
    ) -> None:
        """`namespaces`: where to look for Velero's workloads; empty means every namespace.

        `failures_before_unavailable`: a single dropped watch is routine (apiserver rollout, idle
        timeout of a load balancer) and the retry usually succeeds; only this many failures in a
        row make a listed kind unknown, so that warnings do not flap.
        """
        self._client = client
        self._threshold = failures_before_unavailable
        settings = settings or ReflectorSettings()
        self._nodes: Cell[NodeIndex] = Cell()
        self._storage: Cell[Mapping[str, StorageClassInfo]] = Cell()
        self._priority: Cell[frozenset[str]] = Cell()
        wanted: Sequence[str | None] = sorted(namespaces) or [None]
        places = [(kind, ns) for kind in resources.WORKLOAD_KINDS for ns in wanted]
        self._workloads = [Cell[tuple[VeleroWorkload, ...]]() for _ in places]
        node_sink = NodeSink(self._nodes, dispatch)
        self._node_reflector = Reflector(client, resources.NODES, node_sink, settings)
        storage = storage_class_sink(self._storage, dispatch)
        priority = priority_class_sink(self._priority, dispatch)
        workloads = [
            Reflector(client, resources.workloads(kind, ns), workload_sink(cell, dispatch, kind), settings)
            for (kind, ns), cell in zip(places, self._workloads, strict=True)
        ]
        # (the ClusterView attribute each feeds, its reflector), in the order warnings name them
        self._parts = [
            ("nodes", self._node_reflector),
            *(("workloads", reflector) for reflector in workloads),
            ("storage_classes", Reflector(client, resources.STORAGE_CLASSES, storage, settings)),
            ("priority_classes", Reflector(client, resources.PRIORITY_CLASSES, priority, settings)),
        ]
        self._reflectors = [reflector for _, reflector in self._parts]

    @classmethod
    def from_kubeconfig(
        cls,
        kubeconfig: str | None,
        *,
        namespaces: Collection[str] = (),
        dispatch: Dispatch = direct,
        settings: ReflectorSettings | None = None,
        failures_before_unavailable: int = 2,
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
        return self._node_reflector.state.listed

    def wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self.ready and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.ready

    def view(self) -> ClusterView:
        unknown = self._unknown()
        return ClusterView(
            nodes=self._nodes.value,
            storage_classes=self._storage.value,
            priority_classes=self._priority.value,
            workloads=self._all_workloads(),
            unavailable=describe((r.resource.label, r.state.reason or NOT_LISTED) for _, r in unknown),
            stale=frozenset(part for part, r in unknown if r.state.listed),
        )

    def _all_workloads(self) -> Sequence[VeleroWorkload] | None:
        parts = [cell.value for cell in self._workloads]
        # A namespace not listed yet would look like one without Velero: better say "unknown".
        return None if any(p is None for p in parts) else tuple(ds for p in parts for ds in p or ())

    def _unknown(self) -> list[tuple[str, Reflector]]:
        """The kinds not listed yet, or listed but failing `failures_before_unavailable` times in a row."""
        return [
            (part, r)
            for part, r in self._parts
            if not r.state.listed or (r.state.error is not None and r.state.failures >= self._threshold)
        ]

    def _states(self) -> list[SyncState]:
        return [r.state for r in self._reflectors]

    def stats(self) -> InventoryStats:
        now = time.monotonic()
        kinds = tuple(_kind_stats(state, now) for state in self._states())
        nodes = self._nodes.value
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
