"""A config kind is a value: everything the generic core needs to know of one Velero configuration.

As kube-apiserver's generic store is handed a strategy per resource, the core is handed a
`ConfigKind`: its schema (field names, Go types, release gates), the words its findings use, how its
ConfigMap holds documents, its checks, what it explains, and which Velero workloads read it. The
core branches on none of them; a kind is one package under webhook/engine plus its registration
(webhook/engine/kinds.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from webhook.engine.core.cluster import ClusterView
from webhook.engine.core.context import Context
from webhook.engine.core.field import FieldPath
from webhook.engine.core.findings import Findings
from webhook.engine.core.hints import KnownMistakes
from webhook.engine.core.reading import GO_JSON, Reading
from webhook.engine.core.schema import Schema
from webhook.engine.core.versions import Version

Check = Callable[[Context, Findings], None]


@dataclass(frozen=True, slots=True)
class Wording:
    """How a kind's findings name what happens: `reader` is who reads the config."""

    reader: str  # "node-agent", "Velero"
    undecodable: str  # what a type error costs: "node-agent cannot decode the config"

    @property
    def ignored(self) -> str:
        return f"{self.reader} ignores it"

    @property
    def keeps_last(self) -> str:
        return f"{self.reader} keeps the last"

    @property
    def folds_case(self) -> str:
        return f"{self.reader} matches keys case-insensitively, other tools do not"

    def unread_until(self, version: str) -> str:
        """A type error in a field the target release does not read yet."""
        return f"{self.reader} cannot decode it once it reads it ({version} does not)"


@dataclass(frozen=True, slots=True)
class Document:
    """One decoded config document of a ConfigMap (a data key's value), as its checks saw it."""

    where: FieldPath  # the data key (or ROOT for a bare file)
    key: str | None  # the data key's name; None for a bare file
    config: Mapping[str, Any] | None  # what Velero holds after decoding; None: it cannot read it
    fatal: bool  # Velero stops on it (a type error it does not skip)


@dataclass(frozen=True, slots=True)
class Slot:
    """Where a document sits: its data key, the path naming it whole, the prefix of paths inside it."""

    key: str
    where: FieldPath
    prefix: FieldPath


class Layout(Protocol):
    """How a kind's ConfigMap holds its documents in `data`."""

    @property
    def missing(self) -> str:
        """Why an empty `data` is an error: what the reader needs there."""
        ...

    def slots(self, data: Mapping[str, Any], out: Findings) -> list[Slot]:
        """Errors about the data keys themselves, and where each document to read sits."""
        ...


# A check across the documents of one ConfigMap (keys that override each other, key names), with
# the target version and the cluster scoped to the ConfigMap's namespace.
ConfigMapCheck = Callable[[Sequence[Document], Version, ClusterView, Findings], None]


class Effect(Protocol):
    """What a kind explains about a config: a table for people, a value for `-o json`."""

    def columns(self) -> tuple[str, ...]: ...

    def rows(self) -> list[tuple[object, ...]]: ...

    def empty(self) -> str:
        """What to say when there is no row."""
        ...

    def as_json(self) -> Any: ...


Explainer = Callable[[Sequence[Document], ClusterView, Version], Effect]


@dataclass(frozen=True, slots=True)
class Reader:
    """A Velero workload that reads a kind's ConfigMap, named by one of its flags."""

    workload: str  # "DaemonSet" or "Deployment"
    names: tuple[str, ...]  # ("node-agent", "node-agent-windows"), ("velero",)
    flag: str  # "--node-agent-configmap"
    since: Version  # the first release whose workload has the flag
    at_start: bool  # read once at start: a change needs a restart
    required_from: Version | None = None  # from this release the workload does not start without it
    without_it: str = ""  # what older releases (or later reads) do when it is missing
    fixed_name: str | None = None  # before `since`, the one name read without any flag
    purpose: str | None = None  # the role a ConfigMap read through this flag has (Options.purposes)

    @property
    def resource(self) -> str:
        return self.workload.lower()

    def reads_at(self, version: Version) -> bool:
        """Whether this workload reads the kind at all in `version` (by its flag, or its fixed name)."""
        return version >= self.since or self.fixed_name is not None


@dataclass(frozen=True)
class ConfigKind:
    name: str  # "node-agent": `--kind`, `--configmap-name KIND=NAME`, the chart's values
    title: str  # "node-agent config", in messages about a ConfigMap's role
    schema: Schema
    wording: Wording
    layout: Layout
    readers: tuple[Reader, ...]
    since: Version  # the first release that reads this kind at all
    checks: tuple[Check, ...] = ()  # on each decoded document
    cluster_checks: tuple[Check, ...] = ()  # on each document, against what the cluster holds
    needs: frozenset[str] = frozenset()  # the ClusterView parts the cluster checks read
    configmap_checks: tuple[ConfigMapCheck, ...] = ()  # across the documents of one ConfigMap
    mistakes: KnownMistakes = field(default_factory=dict)
    explain: Explainer | None = None
    reading: Reading = GO_JSON  # how Velero turns a document's text into its struct
    purposes: frozenset[str] = frozenset()  # the roles Velero reads this kind in, by the kind's names
    default_purposes: frozenset[str] = frozenset()  # the usual ones (Options.purposes None)
    # for these roles and release, Velero only warns about a config it cannot use: why, else ""
    warn_only: Callable[[frozenset[str], Version], str] | None = None
    # a cheap test of a ConfigMap's data: does it look like this kind (for unreferenced ones)?
    looks_like: Callable[[Mapping[str, Any]], bool] | None = None

    def purposes_of(self, asked: frozenset[str] | None) -> frozenset[str]:
        return self.default_purposes if asked is None else asked

    def __hash__(self) -> int:
        return hash(self.name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ConfigKind) and other.name == self.name
