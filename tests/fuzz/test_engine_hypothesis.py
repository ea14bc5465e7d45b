"""Hypothesis over the engine: it explores where the seeded generators do not, and shrinks what it finds.

Derandomized and without an example database, so every run (a developer's, CI's) tries the same
inputs and a failure reproduces. Three strategies: any JSON as a config, any ConfigMap shape (the
data values any text, any bytes read as Python reads invalid UTF-8), and FULL_CONFIG with one spot
replaced by any JSON value.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzz.generate import FIELD_NAMES, FULL_CONFIG, ODD_KEYS, dumps, full_config
from tests.fuzz.properties import check_decision, decide, wire_safe
from tests.fuzz.tally import TALLY
from webhook.engine.nodeagent.schema import SCHEMA

EXAMPLES = 1_500
FUZZ = settings(
    derandomize=True,
    database=None,
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.sampled_from(ODD_KEYS), st.text(max_size=12))
numbers = st.one_of(
    st.integers(),
    st.integers(min_value=2**62, max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=40))
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)),
    max_leaves=30,
)


def judge(cm: dict[str, Any], strategy: str) -> None:
    decision = decide(cm)
    check_decision(decision, wire=wire_safe(cm))
    tally = TALLY[f"engine, hypothesis: {strategy}"]
    tally["inputs"] += 1
    tally["denied" if decision.errors else "allowed"] += 1


def configmap(text: Any) -> dict[str, Any]:
    return {"metadata": {"name": "node-agent-config", "namespace": "velero"}, "data": {"config.json": text}}


@pytest.mark.slow
@FUZZ
@given(json_values)
def test_any_json_as_a_config(value: Any) -> None:
    judge(configmap(dumps(value)), "any JSON")


undecodable = st.binary(max_size=30).map(lambda b: b.decode("utf-8", "surrogateescape"))
data_values = st.one_of(st.text(), undecodable, json_values.map(dumps), json_values, st.binary(max_size=8))
configmaps = st.fixed_dictionaries(
    {},
    optional={
        "metadata": st.one_of(
            st.none(), st.fixed_dictionaries({"namespace": st.one_of(st.none(), st.text())})
        ),
        "data": st.one_of(
            st.none(), st.dictionaries(st.text(max_size=8), data_values, max_size=3), json_values
        ),
        "binaryData": st.one_of(st.none(), st.dictionaries(st.text(max_size=8), data_values, max_size=2)),
    },
)


@pytest.mark.slow
@FUZZ
@given(configmaps)
def test_any_configmap_shape(cm: dict[str, Any]) -> None:
    judge(cm, "any ConfigMap shape")


def _spots(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return []
    return [p for k, v in items for p in [(*path, k), *_spots(v, (*path, k))]]


SPOTS = _spots(FULL_CONFIG)


@pytest.mark.slow
@FUZZ
@given(st.sampled_from(SPOTS), json_values)
def test_the_full_config_bent_at_one_spot(spot: tuple[Any, ...], value: Any) -> None:
    config = full_config()
    parent: Any = config
    for step in spot[:-1]:
        parent = parent[step]
    parent[spot[-1]] = value
    judge(configmap(dumps(config)), "one spot of the full config")


def _properties(node: Mapping[str, Any]) -> Iterator[str]:
    """Every property name the schema declares, below `node`."""
    node = SCHEMA.resolve(node)
    for name, child in node.get("properties", {}).items():
        yield name
        yield from _properties(child)
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), Mapping):
            yield from _properties(node[key])


def test_the_full_config_sets_every_field_of_the_schema() -> None:
    """So the bends reach every field's checks; a field added to the schema must be added here."""
    assert set(_properties(SCHEMA.document)) <= set(FIELD_NAMES)
