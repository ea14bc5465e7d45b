"""The one JSON Schema through both backends: jsonschema-rs (the request path) and jsonschema (the
design card's reference) must find the same violations, at the same paths, and so the same errors.

Inputs: every case file's config (as node-agent decodes it, which is what the engine validates, and
as written, unknown keys and all), and a few hundred configs drawn from the schema itself, each value
now valid, now invalid, now of the wrong type (derandomized: the same draws on every run).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.engine.casefile import load_cases
from webhook.engine import ConfigKind
from webhook.engine.core import gojson
from webhook.engine.core.decode import decode
from webhook.engine.core.schema import Node, Schema, go_kind
from webhook.engine.core.schema_check import Violation, py_violations, rs_violations, to_errors
from webhook.engine.nodeagent import NODE_AGENT
from webhook.engine.nodeagent.schema import SCHEMA
from webhook.engine.repomaintenance import REPO_MAINTENANCE

Backend = Callable[[Any, Any], list[Violation]]


def _keys(v: Violation) -> list[tuple[str, ...]]:
    """jsonschema-rs reports one `required` per missing property, jsonschema one for all: compare
    them property by property."""
    head = (v.keyword, repr(v.path), _canonical(v.value), repr(v.is_key))
    return [(*head, m) for m in v.missing] if v.keyword == "required" else [(*head, "")]


def violations(doc: Any, backend: Backend, schema: Schema = SCHEMA) -> list[tuple[str, ...]]:
    return sorted(k for v in backend(doc, schema) for k in _keys(v))


def errors(doc: Any, backend: Backend, schema: Schema = SCHEMA) -> list[tuple[str, ...]]:
    """The field errors, their values canonical: jsonschema-rs hands back objects with sorted keys.
    (Only a config as written, with unknown keys, gets an object as a value; never a decoded one.)"""
    found = [e for v in backend(doc, schema) for e in to_errors(v, schema)]
    return sorted((e.type.value, str(e.path), e.detail, _canonical(e.value)) for e in found)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=repr)


def assert_same(doc: Any, schema: Schema = SCHEMA) -> None:
    assert violations(doc, rs_violations, schema) == violations(doc, py_violations, schema)
    assert errors(doc, rs_violations, schema) == errors(doc, py_violations, schema)


def _documents(kind: ConfigKind = NODE_AGENT) -> Iterator[tuple[str, Any]]:
    """(id, document) for every config text in the kind's case files: as decoded, and as written."""
    for case in load_cases(kind):
        texts = [case.raw["config"]] if "config" in case.raw else []
        texts += [v for v in (case.raw.get("configmap") or {}).get("data", {}).values() if isinstance(v, str)]
        for i, text in enumerate(texts):
            try:
                parsed = gojson.loads(text)
            except gojson.JSONSyntaxError:
                continue
            yield f"{case.id} #{i} decoded", decode(parsed, kind.schema).doc
            yield f"{case.id} #{i} as written", gojson.plain(parsed)


DOCUMENTS = list(_documents())
MAINTENANCE = list(_documents(REPO_MAINTENANCE))


def test_the_case_files_give_the_backends_many_documents() -> None:
    assert len(DOCUMENTS) >= 300


@pytest.mark.parametrize("doc", [d for _, d in DOCUMENTS], ids=[i for i, _ in DOCUMENTS])
def test_both_backends_agree_on_every_case_file_input(doc: Any) -> None:
    assert_same(doc)


@pytest.mark.parametrize("doc", [d for _, d in MAINTENANCE], ids=[i for i, _ in MAINTENANCE])
def test_both_backends_agree_on_every_repo_maintenance_case_input(doc: Any) -> None:
    assert_same(doc, REPO_MAINTENANCE.schema)


def test_the_backends_do_find_violations_so_agreement_means_something() -> None:
    found = [d for _, d in DOCUMENTS if d is not None and rs_violations(d, SCHEMA)]
    assert len(found) >= 100


# Values for each Kubernetes naming rule (`x-k8s` in the schema): valid ones and the usual mistakes.
STRINGS = {
    "labelKey": [
        "zone",
        "example.com/tier",
        "kubernetes.io/os",
        "bad key",
        "-a",
        "a/b/c",
        "A.com/x",
        "k" * 64,
    ],
    "annotationKey": ["owner", "Example.COM/Owner", "not valid!", "/x", "x" * 64],
    "labelValue": ["", "a", "us-east-1a", "b c", "v" * 64, "-a"],
    "name": ["standard", "gp3", "", "Bad_SC", "a.b-c", "n" * 254],
    "quantity": ["0", "1", "500m", "1Gi", "", "1x", "-1", "1.5.5", "1e3", "0Mi"],
}
OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", "in", ""]
ANY = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(["", "x", "2", 1.5, 2.0]))


def _scalar(node: Node) -> st.SearchStrategy[Any]:
    kind = go_kind(node).name
    if kind == "int":
        return st.one_of(st.integers(-2, 5), st.sampled_from([2**31, 2**43, 2**63 - 1]))
    if kind == "bool":
        return st.booleans()
    if "enum" in node:
        return st.sampled_from(OPERATORS)
    pool = STRINGS.get(node.get("x-k8s", ""), ["", "value", "Value 2"])
    return st.sampled_from(pool)


def _struct(node: Node) -> st.SearchStrategy[Any]:
    fields = {name: from_schema(SCHEMA.resolve(sub)) for name, sub in node.get("properties", {}).items()}
    unknown = st.dictionaries(st.sampled_from(["unknown", "matchLabel", "thresholdInGB"]), ANY, max_size=1)
    return st.tuples(st.fixed_dictionaries({}, optional=fields), unknown).map(lambda p: {**p[0], **p[1]})


def _container(node: Node) -> st.SearchStrategy[Any]:
    kind = go_kind(node).name
    if kind == "slice":
        items = SCHEMA.child(node, 0)
        return st.lists(from_schema(items) if items is not None else ANY, max_size=3)
    names = SCHEMA.child(node, "", key=True)
    keys = _scalar(names) if names is not None else st.sampled_from(["a", "standard", "Bad Key"])
    values = SCHEMA.child(node, "")
    return st.dictionaries(keys, from_schema(values) if values is not None else ANY, max_size=3)


def from_schema(node: Node) -> st.SearchStrategy[Any]:
    """A value for this schema node: mostly of its type (valid or not), sometimes of another type."""
    kind = go_kind(node).name
    if kind == "struct":
        typed = _struct(node)
    elif kind in ("slice", "map"):
        typed = _container(node)
    else:
        typed = _scalar(node)
    return st.one_of(typed, typed, typed, ANY)


CONFIGS = st.deferred(lambda: _struct(SCHEMA.root))


@settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(CONFIGS)
def test_both_backends_agree_on_configs_drawn_from_the_schema(doc: dict[str, Any]) -> None:
    assert_same(doc)
