"""The per-node load concurrency, computed as Velero's getDataPathConcurrentNum does.

pkg/cmd/cli/nodeagent/server.go (v1.13 to main): global <= 0 means 1; a rule whose selector does
not parse or whose number is <= 0 is skipped; among matching rules the smallest number wins, even
when it is larger than the global one; no match means the global number. The running minimum
starts at math.MaxInt32, so a matching rule whose number is that large or larger changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from webhook.engine.core.cluster import ClusterView, NodeIndexView
from webhook.engine.core.kind import Document
from webhook.engine.core.selectors import Selector, label_selector, matching
from webhook.engine.core.versions import Version

DEFAULT = 1
MAX_INT32 = 2**31 - 1
EXITS_FROM = Version(1, 17, 0)  # before, node-agent ignored an undecodable config instead of exiting


@dataclass(frozen=True, slots=True)
class NodeConcurrency:
    """The number node-agent on this node will use, and the perNodeConfig rule it comes from."""

    node: str
    concurrency: int
    rule: int | None  # index in loadConcurrency.perNodeConfig, None for the global number


@dataclass(frozen=True, slots=True)
class Concurrency:
    """The effect of a node-agent config: every node's number (empty when node-agent does not start)."""

    nodes: tuple[NodeConcurrency, ...]
    starts: bool

    def columns(self) -> tuple[str, ...]:
        return ("NODE", "CONCURRENCY", "FROM")

    def rows(self) -> list[tuple[object, ...]]:
        return [(n.node, n.concurrency, _source(n)) for n in self.nodes]

    def empty(self) -> str:
        return "no nodes in the cluster" if self.starts else "no node-agent will start with this config"

    def as_json(self) -> dict[str, object]:
        nodes = [{"name": n.node, "concurrency": n.concurrency, "rule": n.rule} for n in self.nodes]
        return {"nodes": nodes}


def _source(row: NodeConcurrency) -> str:
    return f"perNodeConfig[{row.rule}]" if row.rule is not None else "global"


def effect(documents: Sequence[Document], cluster: ClusterView, version: Version) -> Concurrency:
    """node-agent reads one data key. Without a readable one (no data, not JSON, a type error) 1.17
    and later do not start, older ones run with the defaults, one load per node; with several keys
    (an error) 1.18 and later exit and older ones read one at random: no table either way."""
    nodes = cluster.nodes
    readable = len(documents) == 1 and not documents[0].fatal
    if readable or (len(documents) <= 1 and version < EXITS_FROM):
        config = documents[0].config if readable else None
        return Concurrency(tuple(explain(config, nodes)) if nodes is not None else (), True)
    return Concurrency((), False)


@dataclass(frozen=True, slots=True)
class Rule:
    index: int
    selector: Selector
    number: int


def global_number(config: Mapping[str, Any] | None) -> int:
    load = (config or {}).get("loadConcurrency")
    if not load:
        return DEFAULT
    number = load.get("globalConfig", 0)
    return number if number > 0 else DEFAULT


def valid_rules(config: Mapping[str, Any] | None) -> list[Rule]:
    """The rules Velero keeps: selector parses, number > 0 (the others it skips with a warning)."""
    rules = ((config or {}).get("loadConcurrency") or {}).get("perNodeConfig") or []
    kept = []
    for i, rule in enumerate(rules):
        selector = label_selector(rule.get("nodeSelector") or {}) if rule is not None else None
        if selector is not None and rule.get("number", 0) > 0:
            kept.append(Rule(i, selector, rule["number"]))
    return kept


def for_labels(labels: Mapping[str, str], rules: Sequence[Rule], global_num: int) -> tuple[int, int | None]:
    """(concurrency, index of the deciding rule or None) for one node's labels."""
    current, source = MAX_INT32, None
    for rule in rules:
        if rule.selector.matches(labels) and current > rule.number:
            current, source = rule.number, rule.index
    return (global_num, None) if current == MAX_INT32 else (current, source)


def explain(config: Mapping[str, Any] | None, nodes: NodeIndexView) -> list[NodeConcurrency]:
    """Every node's number, through the index: only nodes some rule matches are evaluated."""
    global_num, rules = global_number(config), valid_rules(config)
    touched = {name for rule in rules for name in matching(rule.selector, nodes)}
    out = []
    for name in nodes.names():
        number, rule = (
            for_labels(nodes.labels(name), rules, global_num) if name in touched else (global_num, None)
        )
        out.append(NodeConcurrency(name, number, rule))
    return out
