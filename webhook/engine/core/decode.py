"""Decode a parsed config exactly as Go's encoding/json decodes it into Velero's structs.

Walks the document alongside a kind's schema (which mirrors Velero's Go types) and produces what
Velero would hold in memory, plus everything Go does silently: type errors (what they cost depends
on the kind: the caller words it), unknown keys (ignored), keys matched only case-insensitively,
duplicated keys (the last wins; objects merge), and `null` (nil for pointers, maps and slices, a
no-op otherwise). A Go map whose keys Velero looks up (`x-go: "map"` with `properties`) matches
them exactly and keeps the others; values of Go's `any` hold numbers as float64, so a number
beyond its range fails the whole decoding.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from webhook.engine.core import field as f
from webhook.engine.core.findings import MAX_ERRORS
from webhook.engine.core.gojson import Float, Pairs, kind_of, plain
from webhook.engine.core.schema import Node, Schema, go_kind, per_node
from webhook.engine.core.schema_check import LARGE_MAP

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_EXPECTED = {
    "struct": "an object",
    "map": "an object",
    "slice": "a list",
    "int": "an integer",
    "string": "a string",
    "bool": "a boolean (true or false)",
    "any": "any JSON value",
    "float64": "a number within float64 range (about ±1.8e308)",
}
_ZERO: dict[str, Any] = {"int": 0, "string": "", "bool": False}
_WELL_TYPED: dict[str, Callable[[Any], bool]] = {
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool) and INT64_MIN <= v <= INT64_MAX,
    "string": lambda v: isinstance(v, str),
    "bool": lambda v: isinstance(v, bool),
    # what `any` holds as written: a string, a boolean, null, an integer exact in a float64 (a
    # decimal becomes a float, a larger integer may be beyond float64: both take the long way)
    "any": lambda v: v is None or isinstance(v, str | bool) or (isinstance(v, int) and abs(v) <= 2**53),
}


@dataclass(frozen=True, slots=True)
class Written:
    """A field the config sets, for the version checks: where, and the release that added it."""

    path: f.FieldPath
    added: str | None


@dataclass
class Decoded:
    doc: Any = None
    type_errors: list[f.FieldError] = field(default_factory=list)
    unknown: list[tuple[f.FieldPath, str, str]] = field(default_factory=list)  # parent, key, hint
    case_only: list[tuple[f.FieldPath, str, str]] = field(default_factory=list)  # path, written, canonical
    duplicates: list[tuple[f.FieldPath, list[str]]] = field(default_factory=list)
    written: list[Written] = field(default_factory=list)
    more_type_errors: int = 0  # past MAX_ERRORS: counted, not built
    # an object of the doc has an empty key or more than LARGE_MAP keys (it may have been dropped
    # since): when False, the schema check needs no scan for objects jsonschema-rs gets wrong
    odd_maps: bool = False

    def type_error(self, path: f.FieldPath, value: Any, kind: str) -> None:
        if len(self.type_errors) >= MAX_ERRORS:
            self.more_type_errors += 1
        else:
            self.type_errors.append(_type_error(path, value, kind))


def fold(key: str) -> str:
    """encoding/json's foldName: simple Unicode folding, so U+212A KELVIN SIGN matches "k" and U+017F
    LONG S matches "s", but U+0131 DOTLESS I does not match "i" (as Go 1.26 decodes them)."""
    if key.isascii():
        return key.lower()
    return "".join(_fold_rune(c) for c in key)


def _fold_rune(c: str) -> str:
    folded = c.casefold()
    return folded if len(folded) == 1 else c  # full folding (ß -> ss) is not Go's simple folding


def decode(value: Any, schema: Schema, fold_case: bool = True, strict: bool = False) -> Decoded:
    """`value` as gojson.loads parsed it; type errors say what was expected, not what it costs.
    `fold_case`: keys match fields case-insensitively (encoding/json; not yaml.v3). `strict`: a
    field is written even when null, as a strict decoder refuses a field it does not know."""
    out = Decoded()
    root = plan_of(schema)
    if value is None:
        return out
    doc = _Walker(out, fold_case, strict).value(value, root, f.ROOT)
    out.doc = None if doc is _Invalid else doc
    return out


def _type_error(path: f.FieldPath, value: Any, kind: str) -> f.FieldError:
    if kind == "float64":  # a number, as written: json: cannot unmarshal number 1e400 into ... float64
        text = value.text if isinstance(value, Float) else str(value)
        shown = text if len(text) <= 40 else f"{text[:37]}..."
        return f.type_invalid(path, f.Literal(shown), f"must be {_EXPECTED[kind]}")
    got = "a decimal number" if isinstance(value, Float) else _article(kind_of(value))
    detail = f"must be {_EXPECTED[kind]}, not {got}"
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        detail = f"must be an integer from {INT64_MIN} to {INT64_MAX}"
    if isinstance(value, Pairs | list):
        return f.FieldError(f.ErrorType.TYPE_INVALID, path, detail, origin="type")
    shown = f.Literal(value.text) if isinstance(value, Float) else value
    return f.type_invalid(path, shown, detail)


def _article(kind: str) -> str:
    return {"object": "an object", "array": "a list", "null": "null", "bool": "a boolean"}.get(
        kind, f"a {kind}"
    )


@per_node
def _folded_names(node: Node) -> dict[str, str]:
    """A struct's field names by their folded form, for keys that match only case-insensitively."""
    return {fold(name): name for name in node.get("properties", {})}


class _Plan:
    """What the decoder needs of one schema node, computed once: the walk then reads an attribute per
    value instead of looking up its kind, resolving its members and folding their names each time."""

    __slots__ = ("added", "elem", "fields", "folded", "keyed", "kind", "nullable", "well_typed")

    def __init__(self, node: Node) -> None:
        kind = go_kind(node)
        self.kind, self.nullable = kind.name, kind.nullable
        self.keyed = kind.name == "map" and "properties" in node  # a map with keys Velero looks up
        self.added: str | None = node.get("x-added")
        self.fields: dict[str, _Plan] = {}
        self.folded: dict[str, str] = {}
        self.elem: _Plan | None = None
        # a scalar Go decodes without error; never true of a struct, map or slice
        self.well_typed: Callable[[Any], bool] = _WELL_TYPED.get(kind.name, _never)


def _build(schema: Schema, node: Node, plans: dict[int, _Plan]) -> _Plan:
    """The plan of a node and of everything below it; `plans` ends a `$ref` that refers to itself."""
    if id(node) in plans:
        return plans[id(node)]
    plan = plans[id(node)] = _Plan(node)
    if plan.kind == "struct" or plan.keyed:
        props = node.get("properties", {})
        plan.fields = {name: _build(schema, schema.resolve(sub), plans) for name, sub in props.items()}
        plan.folded = _folded_names(node) if plan.kind == "struct" else {}
    if plan.kind in ("map", "slice"):
        elem = schema.child(node, "" if plan.kind == "map" else 0)
        plan.elem = None if elem is None else _build(schema, elem, plans)
    if plan.keyed and plan.elem is None:
        plan.elem = _ANY  # map[string]any: the other keys' values are whatever JSON holds
    return plan


def _never(value: Any) -> bool:
    return False


_ANY = _Plan({})


def _kept(plan: _Plan | None, item: Any) -> bool:
    """An element kept as it is: nothing declared for it, or a scalar of the right type. The walk
    then builds no path for it (a path is only needed for an error below it)."""
    return plan is None or plan.well_typed(item)


@cache
def plan_of(schema: Schema) -> _Plan:
    """Built whole before anyone walks it: a thread never sees a plan half filled."""
    return _build(schema, schema.root, {})


class _Walker:
    def __init__(self, out: Decoded, fold_case: bool = True, strict: bool = False) -> None:
        self.out = out
        self.fold_case, self.strict = fold_case, strict

    def value(self, value: Any, plan: _Plan, path: f.FieldPath, existing: Any = None) -> Any:
        kind = plan.kind
        if kind == "struct":
            return self.struct(value, plan, path, existing if isinstance(existing, dict) else {})
        if kind == "map":
            return self.map(value, plan, path, existing if isinstance(existing, dict) else {})
        if kind == "slice":
            return self.slice(value, plan, path, existing if isinstance(existing, list) else [])
        if kind == "any":
            return self.anything(value, path)
        if not plan.well_typed(value):
            self.out.type_error(path, value, kind)
            return _Invalid
        return value

    def struct(self, value: Any, plan: _Plan, path: f.FieldPath, into: dict[str, Any]) -> Any:
        if not isinstance(value, Pairs):
            self.out.type_error(path, value, "struct")
            return _Invalid
        fields, folded = plan.fields, plan.folded
        seen: dict[str, list[str]] = {}
        repeated = False
        for key, item in value:
            name = key if key in fields else folded.get(fold(key)) if self.fold_case else None
            if name is None:
                self.out.unknown.append((path, key, ""))
                continue
            if name in seen:
                seen[name].append(key)
                repeated = True
            else:
                seen[name] = [key]
            self._member(into, name, key, item, fields[name], path)
        if repeated:
            self._note_keys(seen, path)
        self._note_size(into)
        return into

    def anything(self, value: Any, path: f.FieldPath) -> Any:
        """interface{}: any value decodes; an object's repeated keys keep the last, as a Go map does."""
        if isinstance(value, Pairs):
            self._note_repeats(value, path)
        beyond = list(_beyond_float64(value, path))
        for where, number in beyond:
            self.out.type_error(where, number, "float64")
        return _Invalid if beyond else plain(value)

    def _note_repeats(self, value: Pairs, path: f.FieldPath, keyed: bool = False) -> None:
        counts: dict[str, int] = {}
        for key, _ in value:
            counts[key] = counts.get(key, 0) + 1
        for key, n in counts.items():
            if n > 1:
                self.out.duplicates.append((path.member(key) if keyed else path.key(key), [key] * n))

    def _note_size(self, into: dict[str, Any]) -> None:
        if "" in into or len(into) > LARGE_MAP:
            self.out.odd_maps = True

    def _member(
        self, into: dict[str, Any], name: str, key: str, item: Any, plan: _Plan, path: f.FieldPath
    ) -> None:
        if key != name:
            self.out.case_only.append((path.member(key), key, name))
        # only the fields a release added matter to the version checks
        if plan.added is not None and (item is not None or self.strict):
            self.out.written.append(Written(path.child(name), plan.added))
        if item is None:
            if plan.nullable:
                into.pop(name, None)
            return
        if plan.well_typed(item):
            into[name] = item
            return
        decoded = self.value(item, plan, path.child(name), into.get(name))
        if decoded is _Invalid:
            into.pop(name, None)
        else:
            into[name] = decoded

    def _note_keys(self, seen: dict[str, list[str]], path: f.FieldPath) -> None:
        for name, keys in seen.items():
            if len(keys) > 1:
                self.out.duplicates.append((path.child(name), keys))

    def map(self, value: Any, plan: _Plan, path: f.FieldPath, into: dict[str, Any]) -> Any:
        if not isinstance(value, Pairs):
            self.out.type_error(path, value, "map")
            return _Invalid
        if plan.keyed:
            return self._keyed(value, plan, path, into)
        elem = plan.elem
        for key, item in value:
            decoded = item if _kept(elem, item) else self._element(item, elem, path.key(key))
            if decoded is not _Invalid:
                into[key] = decoded
        self._note_repeats(value, path)
        self._note_size(into)
        return into

    def _keyed(self, value: Pairs, plan: _Plan, path: f.FieldPath, into: dict[str, Any]) -> Any:
        """A Go map whose keys Velero looks up: a key matches only as written (a map does not fold
        case); the others stay in the map, unknown to Velero; a repeated key's last value wins whole."""
        for key, item in value:
            known = plan.fields.get(key)
            if known is None:
                self.out.unknown.append((path, key, ""))
            elif known.added is not None:
                self.out.written.append(Written(path.member(key), known.added))
            elem = known or plan.elem
            decoded = item if _kept(elem, item) else self._element(item, elem, path.member(key))
            if decoded is not _Invalid:
                into[key] = decoded
        self._note_repeats(value, path, keyed=True)
        self._note_size(into)
        return into

    def slice(self, value: Any, plan: _Plan, path: f.FieldPath, existing: list[Any]) -> Any:
        """Go decodes a list written twice (a duplicated key) into the elements the first one left:
        an object element merges with the old one (golang/go#21092). Go keeps the backing array, so
        a later writing also finds the elements past the current length that an earlier, longer one
        left (growing the array copies them all and zeroes the rest); `[]` makes a new, empty one."""
        if not isinstance(value, list):
            self.out.type_error(path, value, "slice")
            return _Invalid
        if not value:
            return _Slice()
        backing = existing.backing if isinstance(existing, _Slice) else list(existing)
        elem = plan.elem
        old = [*backing, *[None] * (len(value) - len(backing))]
        items = [
            item if _kept(elem, item) else self._element(item, elem, path.index(i), old[i])
            for i, item in enumerate(value)
        ]
        out = _Slice(None if item is _Invalid else item for item in items)
        out.backing = [*out, *backing[len(out) :]]
        return out

    def _element(self, item: Any, plan: _Plan | None, path: f.FieldPath, existing: Any = None) -> Any:
        """A slice element or map value: null sets a pointer to nil and leaves a value as it was
        (the zero value, or in a list written twice the old element)."""
        if plan is None:
            return item
        if item is None:
            if plan.nullable:
                return None
            zero = {} if plan.kind in ("struct", "map") else _ZERO.get(plan.kind)
            return zero if existing is None else existing
        return self.value(item, plan, path, existing)


def _beyond_float64(value: Any, path: f.FieldPath) -> Iterator[tuple[f.FieldPath, Any]]:
    """The numbers of an `any` value that Go's ParseFloat refuses as out of range (an underflow
    such as 1e-400 reads as 0); paths are built only inside objects and lists."""
    if isinstance(value, Pairs):
        for key, item in value:
            yield from _beyond_float64(item, path.key(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _beyond_float64(item, path.index(i))
    elif isinstance(value, Float | int) and not isinstance(value, bool) and _overflows(value):
        yield path, value


def _overflows(number: Float | int) -> bool:
    if isinstance(number, Float):
        return math.isinf(float(number.text))
    try:
        float(number)
    except OverflowError:
        return True
    return False


class _Slice(list[Any]):
    """A decoded list, with the backing array Go keeps for a later writing of the same key."""

    __slots__ = ("backing",)

    def __init__(self, items: Any = ()) -> None:
        super().__init__(items)
        self.backing: list[Any] = list(self)


class _InvalidType:
    """Marks a value Go could not decode (the type error is recorded)."""


_Invalid: Any = _InvalidType()
