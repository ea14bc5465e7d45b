"""Run the JSON Schema over the decoded config and turn each violation into a field error.

Two implementations of the same schema: jsonschema-rs (~3 µs, the request path) and jsonschema
(the design card's reference; ~400 µs). Both are reduced to one `Violation` shape, and a test checks
that they agree on every case. Pattern failures are re-explained by the Kubernetes predicate the
schema names in `x-k8s`, so users read apimachinery's own messages, not a regular expression.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from webhook.engine import field as f
from webhook.engine.predicates import is_annotation_key, is_dns1123_subdomain, is_label_key, is_label_value
from webhook.engine.quantity import SECTION_IGNORED, QuantityError, parse_quantity
from webhook.engine.schema import Node, child_node, node_at, resolve, schema

if TYPE_CHECKING:  # imported where used: ~100 ms that the request path and the CLI rarely need
    import jsonschema

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
    import jsonschema

    return jsonschema.Draft202012Validator(schema())


def _rs_keyword(kind: Any) -> str:
    name = type(kind).__name__
    return name[0].lower() + name[1:]


# jsonschema-rs 0.60 computes every error at once and attaches the whole map to each propertyNames
# error: n bad keys cost O(n²) time and memory (3,000 bad label keys took 19 s and 2.6 GB, enough
# to kill the pod). jsonschema reports each key on its own, in linear time: large maps take it.
LARGE_MAP = 64


def rs_violations(doc: Any) -> list[Violation]:
    return list(iter_violations(doc))


def iter_violations(doc: Any) -> Iterator[Violation]:
    """jsonschema-rs where it is right and fast, else jsonschema; lazily, so that a caller whose
    findings are full stops the walk (jsonschema yields each violation as it finds it)."""
    if _needs_reference(doc):
        # also: jsonschema-rs 0.60 drops an empty key from instance_path ({"podLabels": {"": "a b"}}
        # comes back as ("podLabels",)), so the error would land on the map
        yield from _iter_py(doc)
        return
    yield from _iter_rs(doc, ())


def iter_small_maps(doc: Any) -> Iterator[Violation]:
    """`iter_violations` for a document known to hold no object that needs the reference (the
    decoder saw every object, `Decoded.odd_maps`): the scan for one cost ~6 % of a review."""
    return _iter_rs(doc, ())


# jsonschema-rs 0.60 also builds every violation before handing back the first: 50,000 bad rules
# took 3.8 s. A longer list is cut out and its items validated one by one, so that a caller whose
# findings are full stops the work too.
LONG_LIST = 256


def _iter_rs(value: Any, steps: tuple[Step, ...]) -> Iterator[Violation]:
    """The violations in `value`, the part of the config at `steps`."""
    if not steps and _rs_validator().is_valid(value):
        return  # the usual case, and it costs no cutting
    rest, long_lists = _cut(value, steps, ())
    for err in _rs_validator_at(_table(steps)).iter_errors(rest):
        yield _rs_violation(err, steps)
    for where, items in long_lists:
        for i, item in enumerate(items):
            yield from _iter_rs(item, (*steps, *where, i))


def _cut(value: Any, steps: tuple[Step, ...], where: tuple[Step, ...]) -> tuple[Any, list[Any]]:
    """`value` with its long lists emptied (the same object when it has none), and those lists."""
    long = isinstance(value, list) and len(value) > LONG_LIST
    if long and not (node_at((*steps, *where)) or {}).get("uniqueItems"):
        return [], [(where, value)]
    if not isinstance(value, dict | list):
        return value, []
    pairs = value.items() if isinstance(value, dict) else enumerate(value)
    parts = {k: _cut(v, steps, (*where, k)) for k, v in pairs}
    found = [found for _, lists in parts.values() for found in lists]
    if not found:
        return value, []
    kept = {k: v for k, (v, _) in parts.items()}
    return (kept if isinstance(value, dict) else list(kept.values())), found


def _table(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    return tuple(0 if isinstance(s, int) else s for s in steps)


@cache
def _rs_validator_at(table: tuple[Step, ...]) -> Any:
    if not table:
        return _rs_validator()
    root = schema()
    node = {**resolve(node_at(table) or {}), "$schema": root["$schema"], "$defs": root["$defs"]}
    return jsonschema_rs.validator_for(node)


def _rs_violation(err: Any, steps: tuple[Step, ...]) -> Violation:
    path, kind = (*steps, *err.instance_path), err.kind
    if type(kind).__name__ == "PropertyNames":
        inner = kind.error
        return Violation(_rs_keyword(inner.kind), path, inner.instance, is_key=True)
    if type(kind).__name__ == "Required":
        return Violation("required", path, None, (kind.property,))
    return Violation(_rs_keyword(kind), path, err.instance)


def _needs_reference(value: Any) -> bool:
    """A map with an empty key or more than LARGE_MAP keys, anywhere: jsonschema-rs gets it wrong or slow."""
    if isinstance(value, dict):
        return "" in value or len(value) > LARGE_MAP or any(_needs_reference(v) for v in value.values())
    return isinstance(value, list) and any(_needs_reference(v) for v in value)


def py_violations(doc: Any) -> list[Violation]:
    return list(_iter_py(doc))


def _iter_py(doc: Any) -> Iterator[Violation]:
    required: set[Violation] = set()
    for err in _py_validator().iter_errors(doc):
        path = tuple(err.absolute_path)
        if "propertyNames" in err.relative_schema_path:
            yield Violation(str(err.validator), path, err.instance, is_key=True)
        elif err.validator == "required":
            # jsonschema reports each missing property as one error: keep one Violation for them all
            missing = tuple(p for p in err.validator_value if p not in err.instance)
            if Violation("required", path, None, missing) not in required:
                required.add(Violation("required", path, None, missing))
                yield Violation("required", path, None, missing)
        else:
            yield Violation(str(err.validator), path, err.instance)


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
    doc: Any, violations: Callable[[Any], Iterable[Violation]] = iter_violations
) -> Iterator[f.FieldError]:
    """Lazy: the caller takes what its findings have room for."""
    if doc is None:
        return iter(())
    return (e for v in violations(doc) for e in to_errors(v))
