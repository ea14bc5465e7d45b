"""Nodes and their labels, indexed both ways so that selectors never scan and updates never rebuild.

The forward index maps key -> value -> node names, which is what a nodeSelector or a
`matchExpressions` term asks; the reverse index maps a name to its labels, so that an update or a
deletion touches only that node's labels: O(labels of the node), not O(nodes) (kopf `indexing.Index`).

Threading: a NodeIndex has no lock. Its owner makes sure reads and writes never interleave by
delivering every write through a `Dispatch` (in the server, `loop.call_soon_threadsafe`, so writes
run in the event-loop thread between requests). A full relist builds a *new* index off-thread with
`NodeIndex.build` and swaps it in with one dispatched assignment, so no reader ever sees half a list.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Collection, Iterable, Mapping
from types import MappingProxyType

Dispatch = Callable[[Callable[[], None]], None]
"""Runs a mutation where readers live: `loop.call_soon_threadsafe` in the server, `direct` elsewhere."""

_EMPTY: frozenset[str] = frozenset()
_NO_LABELS: Mapping[str, str] = MappingProxyType({})
_NO_VALUES: Mapping[str, Collection[str]] = MappingProxyType({})
Names = set[str] | tuple[str]  # the nodes of one (key, value): a 1-tuple for a value only one node has


def direct(mutation: Callable[[], None]) -> None:
    """The dispatch of the CLI and of single-threaded tests: run the mutation now, here."""
    mutation()


def _interned(labels: Mapping[str, str]) -> dict[str, str]:
    # Real clusters repeat the same few hundred keys and values on every node (zone, instance
    # type, os, arch); interning keeps one string object for each instead of one per node.
    return {sys.intern(k): sys.intern(v) for k, v in labels.items()}


class NodeIndex:
    """Implements the engine's `NodeIndexView`; the writers are for the inventory only.

    Memory (10,000 EKS-like nodes of 16 labels): per key a dict from value to node names, with a
    1-tuple instead of a set for a value only one node has (kubernetes.io/hostname: 10,000 of
    them); the nodes that carry a key are the union of its values' names, built when a selector
    asks (Exists, Gt, Lt) and kept until a write touches that key, instead of one more set per key.
    """

    __slots__ = ("_by_label", "_labels", "_sorted", "_with_key")

    def __init__(self) -> None:
        self._labels: dict[str, Mapping[str, str]] = {}
        self._by_label: dict[str, dict[str, Names]] = {}
        self._with_key: dict[str, frozenset[str]] = {}
        self._sorted: tuple[str, ...] | None = None  # names(), cached until a node comes or goes

    @classmethod
    def build(cls, nodes: Iterable[tuple[str, Mapping[str, str]]]) -> NodeIndex:
        index = cls()
        index.replace(nodes)
        return index

    # -- NodeIndexView ---------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._labels)

    def __contains__(self, name: object) -> bool:
        return name in self._labels

    def names(self) -> tuple[str, ...]:
        if self._sorted is None:
            self._sorted = tuple(sorted(self._labels))
        return self._sorted

    def labels(self, name: str) -> Mapping[str, str]:
        return self._labels.get(name, _NO_LABELS)

    def with_label(self, key: str, value: str) -> Collection[str]:
        return self._by_label.get(key, _NO_VALUES).get(value, _EMPTY)

    def with_key(self, key: str) -> Collection[str]:
        names = self._with_key.get(key)
        if names is None:
            names = frozenset().union(*self._by_label.get(key, _NO_VALUES).values())
            self._with_key[key] = names
        return names

    # -- writers ---------------------------------------------------------------------------------

    def replace(self, nodes: Iterable[tuple[str, Mapping[str, str]]]) -> None:
        """Forget everything and index `nodes` (a later duplicate name wins)."""
        self._labels.clear()
        self._by_label.clear()
        self._with_key.clear()
        self._sorted = None
        for name, labels in nodes:
            self.upsert(name, labels)

    def upsert(self, name: str, labels: Mapping[str, str]) -> None:
        """Add the node or change its labels; touches only the pairs that differ."""
        old = self._labels.get(name)
        if old is None:
            self._sorted = None
            old = _NO_LABELS
        new = _interned(labels)
        for key, value in old.items():
            if new.get(key) != value:
                self._unlink(name, key, value)
        for key, value in new.items():
            if old.get(key) != value:
                self._link(name, key, value)
        self._labels[name] = MappingProxyType(new)

    def delete(self, name: str) -> None:
        """Forget the node; unknown names are ignored (a DELETED may follow a relist)."""
        old = self._labels.pop(name, None)
        if old is None:
            return
        self._sorted = None
        for key, value in old.items():
            self._unlink(name, key, value)

    def _link(self, name: str, key: str, value: str) -> None:
        self._with_key.pop(key, None)
        values = self._by_label.setdefault(key, {})
        names = values.get(value)
        if names is None:
            values[value] = (name,)
        elif isinstance(names, tuple):
            values[value] = {names[0], name}
        else:
            names.add(name)

    def _unlink(self, name: str, key: str, value: str) -> None:
        """Remove `name` from one posting, dropping what empties so that memory follows nodes."""
        self._with_key.pop(key, None)
        values = self._by_label.get(key, {})
        names = values.get(value)
        if isinstance(names, set):
            names.discard(name)
        if names is not None and (not names or names == (name,)):
            del values[value]
        if not values:
            self._by_label.pop(key, None)
