"""One config through both sides: the engine (as the webhook evaluates it) and Velero (the oracle).

Also gathers the inputs every differential run shares: the engine's own case files and the example
files, reduced to (name, config text, nodes).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.engine.nodeagent import evaluate_config
from tests.fidelity.compare import DECODE_ORIGINS, deliberate_for, disagreements, unread_fields
from tests.fidelity.oracle import REPO, Nodes, Oracle
from webhook.engine import ClusterView, Options, Verdict, Version
from webhook.engine.nodeagent.concurrency import EXITS_FROM
from webhook.inventory import NodeIndex

OUTCOMES = (
    "Velero decodes, engine allows",
    "Velero decodes, engine denies",
    "Velero cannot decode, engine denies",
)


@dataclass
class Tally:
    """What a run compared: configs, how each side answered, and every Decision that applied."""

    compared: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    decisions: Counter[str] = field(default_factory=Counter)

    def summary(self, name: str) -> str:
        outcomes = ", ".join(f"{k}: {v:,}" for k, v in sorted(self.outcomes.items()))
        decisions = ", ".join(f"{k} {v:,}" for k, v in sorted(self.decisions.items()))
        return f"{name}: {self.compared:,} configs compared ({outcomes}); Decisions applied: {decisions}"


TALLIES: dict[str, Tally] = {}  # filled by the tests, printed by conftest.py


@dataclass
class Judge:
    oracle: Oracle
    tally: Tally = field(default_factory=Tally)

    @property
    def version(self) -> Version:
        version = Version.parse(self.oracle.release)
        assert version is not None
        return version

    def all(self, inputs: Sequence[Input]) -> list[str]:
        """Every disagreement between the engine and Velero over the inputs, one sentence each."""
        answers = self.oracle.ask_all([(i.config, i.nodes) for i in inputs])
        out = []
        for inp, answer in zip(inputs, answers, strict=True):
            verdict = engine(inp.config, inp.nodes, self.version)
            self._count(verdict, answer)
            found = disagreements(verdict, answer, inp.nodes, exits=self.version >= EXITS_FROM)
            out += [f"{inp.name}: {inp.config!r} on nodes {dict(inp.nodes)}: {d}" for d in found]
        return out

    def _count(self, verdict: Verdict, answer: Mapping[str, Any]) -> None:
        self.tally.compared += 1
        velero = "cannot decode" if answer["decodeError"] is not None else "decodes"
        self.tally.outcomes[f"Velero {velero}, engine {'allows' if verdict.allowed else 'denies'}"] += 1
        unread = unread_fields(verdict)
        for err in verdict.errors:
            row = deliberate_for(err, unread) if err.origin not in DECODE_ORIGINS else None
            if row is not None and answer["decodeError"] is None:
                self.tally.decisions[row.rule] += 1


def engine(config: str, nodes: Nodes, version: Version) -> Verdict:
    cluster = ClusterView(nodes=NodeIndex.build(nodes.items()))
    return evaluate_config(config, cluster, Options(velero_version=version))


@dataclass(frozen=True)
class Input:
    name: str
    config: str
    nodes: Nodes


def case_inputs(folder: Path) -> Iterator[Input]:
    """Every case of a case folder whose input is one config text (bare, or a ConfigMap's one key)."""
    for path in sorted(folder.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            text = _config_text(raw)
            if text is not None:
                nodes = ((raw.get("cluster") or {}).get("nodes")) or {}
                yield Input(f"{path.stem}: {raw['name']}", text, nodes)


def _config_text(raw: Mapping[str, Any]) -> str | None:
    if isinstance(raw.get("config"), str):
        return str(raw["config"])
    data = (raw.get("configmap") or {}).get("data")
    if isinstance(data, dict) and len(data) == 1 and isinstance(next(iter(data.values())), str):
        return str(next(iter(data.values())))
    return None


def example_inputs() -> Iterator[Input]:
    """examples/: ConfigMaps (YAML) and bare configs (JSON), with the example node list."""
    examples = REPO / "examples"
    node_list = json.loads((examples / "nodes.json").read_text(encoding="utf-8"))
    nodes = {n["metadata"]["name"]: n["metadata"].get("labels", {}) for n in node_list["items"]}
    for path in sorted(examples.glob("*config*")):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            yield Input(path.name, text, nodes)
            continue
        for doc in yaml.safe_load_all(text):
            config = _config_text({"configmap": doc})
            if config is not None:
                yield Input(path.name, config, nodes)
