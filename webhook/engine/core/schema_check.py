"""Run a kind's JSON Schema over the decoded config and turn each violation into a field error.

Two implementations of the same schema: jsonschema-rs (~3 µs, the request path) and jsonschema
(the design card's reference; ~400 µs, imported only when used). Both are reduced to one `Violation`
shape, and a test checks that they agree on every case. Pattern failures are re-explained by the
Kubernetes predicate the schema names in `x-k8s`, so users read apimachinery's own messages, not a
regular expression; what an invalid or missing value costs comes from the schema's `x-invalid` and
`x-required` annotations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from webhook.engine.core import field as f
from webhook.engine.core.predicates import (
    is_annotation_key,
    is_dns1123_subdomain,
    is_label_key,
    is_label_value,
)
from webhook.engine.core.quantity import quantity_problem
from webhook.engine.core.schema import Schema

if TYPE_CHECKING:
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
def _rs_validator(schema: Schema) -> Any:
    return jsonschema_rs.validator_for(dict(schema.document))


@cache
def _py_validator(schema: Schema) -> jsonschema.Draft202012Validator:
    import jsonschema  # the reference implementation: ~100 ms to import, never on the request path

    return jsonschema.Draft202012Validator(schema.document)


def _rs_keyword(kind: Any) -> str:
    name = type(kind).__name__
    return name[0].lower() + name[1:]


# jsonschema-rs 0.60 computes every error at once and attaches the whole map to each propertyNames
# error: n bad keys cost O(n²) time and memory (3,000 bad label keys took 19 s and 2.6 GB, enough
# to kill the pod). jsonschema reports each key on its own, in linear time: large maps take it.
LARGE_MAP = 64


Violations = Callable[[Any, Schema], Iterable[Violation]]


def rs_violations(doc: Any, schema: Schema) -> list[Violation]:
    return list(iter_violations(doc, schema))


def iter_violations(doc: Any, schema: Schema) -> Iterator[Violation]:
    """jsonschema-rs where it is right and fast, else jsonschema; lazily, so that a caller whose
    findings are full stops the walk (jsonschema yields each violation as it finds it)."""
    if _needs_reference(doc):
        # also: jsonschema-rs 0.60 drops an empty key from instance_path ({"podLabels": {"": "a b"}}
        # comes back as ("podLabels",)), so the error would land on the map
        yield from _iter_py(doc, schema)
        return
    yield from _iter_rs(doc, schema, ())


def iter_small_maps(doc: Any, schema: Schema) -> Iterator[Violation]:
    """`iter_violations` for a document known to hold no object that needs the reference (the
    decoder saw every object, `Decoded.odd_maps`): the scan for one cost ~6 % of a review."""
    return _iter_rs(doc, schema, ())


# jsonschema-rs 0.60 also builds every violation before handing back the first: 50,000 bad rules
# took 3.8 s. A longer list is cut out and its items validated one by one, so that a caller whose
# findings are full stops the work too.
LONG_LIST = 256


def _iter_rs(value: Any, schema: Schema, steps: tuple[Step, ...]) -> Iterator[Violation]:
    """The violations in `value`, the part of the config at `steps`."""
    if not steps and _rs_validator(schema).is_valid(value):
        return  # the usual case, and it costs no cutting
    rest, long_lists = _cut(value, schema, steps, ())
    for err in _rs_validator_at(schema, _table(steps)).iter_errors(rest):
        yield _rs_violation(err, steps)
    for where, items in long_lists:
        for i, item in enumerate(items):
            yield from _iter_rs(item, schema, (*steps, *where, i))


def _cut(
    value: Any, schema: Schema, steps: tuple[Step, ...], where: tuple[Step, ...]
) -> tuple[Any, list[Any]]:
    """`value` with its long lists emptied (the same object when it has none), and those lists."""
    long = isinstance(value, list) and len(value) > LONG_LIST
    if long and not (schema.at((*steps, *where)) or {}).get("uniqueItems"):
        return [], [(where, value)]
    if not isinstance(value, dict | list):
        return value, []
    pairs = value.items() if isinstance(value, dict) else enumerate(value)
    parts = {k: _cut(v, schema, steps, (*where, k)) for k, v in pairs}
    found = [found for _, lists in parts.values() for found in lists]
    if not found:
        return value, []
    kept = {k: v for k, (v, _) in parts.items()}
    return (kept if isinstance(value, dict) else list(kept.values())), found


def _table(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    return tuple(0 if isinstance(s, int) else s for s in steps)


@cache
def _rs_validator_at(schema: Schema, table: tuple[Step, ...]) -> Any:
    if not table:
        return _rs_validator(schema)
    root = schema.document
    node = {**schema.resolve(schema.at(table) or {}), "$schema": root["$schema"], "$defs": root["$defs"]}
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


def py_violations(doc: Any, schema: Schema) -> list[Violation]:
    return list(_iter_py(doc, schema))


def _iter_py(doc: Any, schema: Schema) -> Iterator[Violation]:
    required: set[Violation] = set()
    for err in _py_validator(schema).iter_errors(doc):
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


PREDICATES: dict[str, Callable[[str], list[str]]] = {
    "labelKey": is_label_key,
    "annotationKey": is_annotation_key,
    "labelValue": is_label_value,
    "name": is_dns1123_subdomain,
}


def _quantity_errors(value: str) -> list[str]:
    problem = quantity_problem(value)
    return [problem] if problem else []


def _with_cost(message: str, cost: str) -> str:
    return f"{message}: {cost}" if cost else message


def _string_errors(v: Violation, path: f.FieldPath, schema: Schema) -> list[f.FieldError]:
    node = schema.at(path.steps, key=v.is_key) or {}
    kind = node.get("x-k8s", "")
    if v.value == "" and kind == "name" and not v.is_key:
        return [f.required(path, schema.annotation(path.steps, "x-required"), "required")]
    check = PREDICATES.get(kind, _quantity_errors if kind == "quantity" else None)
    messages = (
        check(v.value) if check and isinstance(v.value, str) else [f"does not match {node.get('pattern')}"]
    )
    cost = schema.annotation(path.steps, "x-invalid") if kind == "quantity" else ""
    return [f.invalid(path, v.value, _with_cost(m, cost), kind or v.keyword) for m in messages]


def _bound(v: Violation, path: f.FieldPath, schema: Schema) -> list[f.FieldError]:
    node, cost = schema.at(path.steps) or {}, schema.annotation(path.steps, "x-invalid")
    if v.keyword == "minimum":
        message = f"must be greater than or equal to {node['minimum']}"
    else:
        message = f"must be less than or equal to {node['maximum']}"
    return [f.invalid(path, v.value, _with_cost(message, cost), v.keyword)]


def to_errors(v: Violation, schema: Schema) -> list[f.FieldError]:
    path = schema.path_of(v.path)
    if v.keyword == "required":
        return [_missing(path, m, schema) for m in v.missing]
    if v.keyword in ("pattern", "maxLength", "minLength"):
        return _string_errors(v, path, schema)
    if v.keyword in ("minimum", "maximum"):
        return _bound(v, path, schema)
    if v.keyword == "enum":
        return [f.not_supported(path, v.value, list((schema.at(path.steps) or {}).get("enum", [])), "enum")]
    if v.keyword == "uniqueItems":
        return _duplicates(v.value, path)
    return [f.invalid(path, v.value, f"violates the schema ({v.keyword})", v.keyword)]


def _missing(parent: f.FieldPath, member: str, schema: Schema) -> f.FieldError:
    """A required member: why it matters is said on the member, else on the object requiring it."""
    path = parent.child(member)
    own = (schema.at(path.steps) or {}).get("x-required")
    detail = own if isinstance(own, str) else (schema.at(parent.steps) or {}).get("x-required", "")
    return f.required(path, detail, "required")


def _duplicates(values: list[Any], path: f.FieldPath) -> list[f.FieldError]:
    seen: set[Any] = set()
    out = []
    for i, v in enumerate(values):
        if v in seen:
            out.append(f.duplicate(path.index(i), v, "", "uniqueItems"))
        seen.add(v)
    return out


def schema_errors(
    doc: Any, schema: Schema, violations: Violations = iter_violations
) -> Iterator[f.FieldError]:
    """Lazy: the caller takes what its findings have room for."""
    if doc is None:
        return iter(())
    return (e for v in violations(doc, schema) for e in to_errors(v, schema))
