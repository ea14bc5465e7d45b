"""Run the JSON Schema over the decoded config and turn each violation into a field error.

Two implementations of the same schema: jsonschema-rs (~3 µs, the request path) and jsonschema
(the design card's reference; ~400 µs). Both are reduced to one `Violation` shape, and a test checks
that they agree on every case. Pattern failures are re-explained by the Kubernetes predicate the
schema names in `x-k8s`, so users read apimachinery's own messages, not a regular expression.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import jsonschema
import jsonschema_rs

from webhook.engine import field as f
from webhook.engine.predicates import is_annotation_key, is_dns1123_subdomain, is_label_key, is_label_value
from webhook.engine.quantity import SECTION_IGNORED, QuantityError, parse_quantity
from webhook.engine.schema import Node, child_node, node_at, resolve, schema

Step = str | int


@dataclass(frozen=True, slots=True)
class Violation:
    keyword: str  # the JSON Schema keyword that failed: required, minimum, pattern, ...
    path: tuple[Step, ...]
    value: Any
    missing: tuple[str, ...] = ()  # for required
    is_key: bool = False  # the value is a map key (propertyNames)


@cache
def _rs_validator() -> Any:
    return jsonschema_rs.validator_for(dict(schema()))


@cache
def _py_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema())


def _rs_keyword(kind: Any) -> str:
    name = type(kind).__name__
    return name[0].lower() + name[1:]


# jsonschema-rs 0.60 computes every error at once and attaches the whole map to each propertyNames
# error: n bad keys cost O(n²) time and memory (3,000 bad label keys took 19 s and 2.6 GB, enough
# to kill the pod). jsonschema reports each key on its own, in linear time: large maps take it.
LARGE_MAP = 64


def rs_violations(doc: Any) -> list[Violation]:
    if _needs_reference(doc):
        # also: jsonschema-rs 0.60 drops an empty key from instance_path ({"podLabels": {"": "a b"}}
        # comes back as ("podLabels",)), so the error would land on the map
        return py_violations(doc)
    out = []
    for err in _rs_validator().iter_errors(doc):
        path, kind = tuple(err.instance_path), err.kind
        if type(kind).__name__ == "PropertyNames":
            inner = kind.error
            out.append(Violation(_rs_keyword(inner.kind), path, inner.instance, is_key=True))
        elif type(kind).__name__ == "Required":
            out.append(Violation("required", path, None, (kind.property,)))
        else:
            out.append(Violation(_rs_keyword(kind), path, err.instance))
    return out


def _needs_reference(value: Any) -> bool:
    """A map with an empty key or more than LARGE_MAP keys, anywhere: jsonschema-rs gets it wrong or slow."""
    if isinstance(value, dict):
        return "" in value or len(value) > LARGE_MAP or any(_needs_reference(v) for v in value.values())
    return isinstance(value, list) and any(_needs_reference(v) for v in value)


def py_violations(doc: Any) -> list[Violation]:
    out = []
    for err in _py_validator().iter_errors(doc):
        path = tuple(err.absolute_path)
        if "propertyNames" in err.relative_schema_path:
            out.append(Violation(str(err.validator), path, err.instance, is_key=True))
        elif err.validator == "required":
            # jsonschema reports each missing property as one error: keep one Violation for them all
            missing = tuple(p for p in err.validator_value if p not in err.instance)
            if Violation("required", path, None, missing) not in out:
                out.append(Violation("required", path, None, missing))
        else:
            out.append(Violation(str(err.validator), path, err.instance))
    return out


def field_path(steps: Sequence[Step]) -> f.FieldPath:
    """Struct fields as `.name`, list elements as `[i]`, map keys as `[key]`, walking the schema."""
    path: f.FieldPath = f.ROOT
    node: Node | None = resolve(schema())
    for step in steps:
        struct_field = isinstance(step, str) and step in (node or {}).get("properties", {})
        path = (
            path.index(step)
            if isinstance(step, int)
            else path.child(step)
            if struct_field
            else path.key(step)
        )
        node = child_node(node, step) if node is not None else None
    return path


REQUIRED_DETAILS = {
    "podResources": "node-agent ignores the whole podResources section unless cpuRequest, cpuLimit, "
    'memoryRequest and memoryLimit are all set ("0" means no limit)',
    "number": "node-agent skips a rule without a number",
    "storageClass": "node-agent disables the cache without a StorageClass",
}
PREDICATES: dict[str, Callable[[str], list[str]]] = {
    "labelKey": is_label_key,
    "annotationKey": is_annotation_key,
    "labelValue": is_label_value,
    "name": is_dns1123_subdomain,
}


def _quantity_errors(value: str) -> list[str]:
    try:
        parse_quantity(value)
    except QuantityError as exc:
        return [f"{exc}: {SECTION_IGNORED}"]  # the same words as the podResources check: one error
    return []


def _string_errors(v: Violation, path: f.FieldPath) -> list[f.FieldError]:
    node = node_at(v.path, key=v.is_key) or {}
    kind = node.get("x-k8s", "")
    if v.value == "" and kind == "name" and not v.is_key:
        return [f.required(path, REQUIRED_DETAILS.get(str(v.path[-1]), ""), "required")]
    check = PREDICATES.get(kind, _quantity_errors if kind == "quantity" else None)
    messages = (
        check(v.value) if check and isinstance(v.value, str) else [f"does not match {node.get('pattern')}"]
    )
    return [f.invalid(path, v.value, m, kind or v.keyword) for m in messages]


def _bound(v: Violation, path: f.FieldPath, node: Node) -> list[f.FieldError]:
    if v.keyword == "minimum":
        return [f.invalid(path, v.value, f"must be greater than or equal to {node['minimum']}", "minimum")]
    return [f.invalid(path, v.value, f"must be less than or equal to {node['maximum']}", "maximum")]


def to_errors(v: Violation) -> list[f.FieldError]:
    path = field_path(v.path)
    if v.keyword == "required":
        return [
            f.required(path.child(m), REQUIRED_DETAILS.get(_last(v.path, m), ""), "required")
            for m in v.missing
        ]
    if v.keyword in ("pattern", "maxLength", "minLength"):
        return _string_errors(v, path)
    if v.keyword in ("minimum", "maximum"):
        return _bound(v, path, node_at(v.path) or {})
    if v.keyword == "enum":
        return [f.not_supported(path, v.value, list((node_at(v.path) or {}).get("enum", [])), "enum")]
    if v.keyword == "uniqueItems":
        return _duplicates(v.value, path)
    return [f.invalid(path, v.value, f"violates the schema ({v.keyword})", v.keyword)]


def _last(path: tuple[Step, ...], missing: str) -> str:
    """Which REQUIRED_DETAILS entry applies: the section for podResources, else the field."""
    return "podResources" if path and path[-1] == "podResources" else missing


def _duplicates(values: list[Any], path: f.FieldPath) -> list[f.FieldError]:
    seen: set[Any] = set()
    out = []
    for i, v in enumerate(values):
        if v in seen:
            out.append(f.duplicate(path.index(i), v, "", "uniqueItems"))
        seen.add(v)
    return out


def schema_errors(
    doc: Any, violations: Callable[[Any], Iterable[Violation]] = rs_violations
) -> list[f.FieldError]:
    if doc is None:
        return []
    return [e for v in violations(doc) for e in to_errors(v)]
