"""A config kind's JSON Schema: loaded once, walked for Go types, run for values.

Each kind's schema file is the source of truth for its field names, Go kinds, the release that added
each field (`x-added`) and the Kubernetes naming rule of each string (`x-k8s`); the Kubernetes and
Velero types every kind shares (label selectors, quantities, names) live once, in
kubernetes.schema.json, and are merged into each kind's `$defs` when it is loaded. The decoder walks
a schema to mimic encoding/json; the validators (jsonschema-rs on the request path, jsonschema as
the reference) run it.

Annotations the engine reads besides JSON Schema's own keywords: `x-added` (release), `x-k8s`
(labelKey, annotationKey, labelValue, name, quantity), `x-required` (why a missing required member
matters, on the member or on the object that requires it), `x-invalid` (what Velero does with an
invalid value, on the field or on an enclosing object) and `x-go: "map"` (an object with `properties`
that Velero decodes into a Go map, not a struct: the properties are the keys it looks up, matched
exactly; a value whose schema gives no type is Go's `any`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from typing import Any, TypeVar

from webhook.engine.core.field import FieldPath, Key, Step

Node = Mapping[str, Any]
T = TypeVar("T")
SHARED_DEFS = "kubernetes.schema.json"


def per_node(compute: Callable[[Node], T]) -> Callable[[Node], T]:
    """Computed once per schema node. Every node handed in here belongs to a schema loaded once for
    the life of the process, or is a result of `Schema.resolve`, which the schema keeps: so its id
    names it; the node is kept beside its result, so a reused id can never answer wrongly. The
    decoder asks these for every value of every request: a dict lookup instead of a merge."""
    results: dict[int, tuple[Node, T]] = {}

    @functools.wraps(compute)
    def cached(node: Node) -> T:
        hit = results.get(id(node))
        if hit is None or hit[0] is not node:
            hit = results[id(node)] = (node, compute(node))
        return hit[1]

    return cached


def _read(package: str, name: str) -> str:
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


class Schema:
    """One kind's schema, from the JSON file `name` of the Python package `package`."""

    def __init__(self, package: str, name: str) -> None:
        self.package, self.name = package, name
        self._resolved: dict[int, tuple[Node, Node]] = {}

    @cached_property
    def document(self) -> Node:
        """The kind's schema with the shared definitions merged into its `$defs`."""
        own: dict[str, Any] = json.loads(_read(self.package, self.name))
        shared = json.loads(_read(__package__ or "webhook.engine.core", SHARED_DEFS))["$defs"]
        return {**own, "$defs": {**shared, **own.get("$defs", {})}}

    @property
    def text(self) -> str:
        """The schema as one JSON document (what `node-agent-webhook schema` prints)."""
        return json.dumps(self.document, indent=2)

    @cached_property
    def root(self) -> Node:
        return self.resolve(self.document)

    def resolve(self, node: Node) -> Node:
        """Follow a local `$ref`; keywords beside the `$ref` (x-added, description) override."""
        hit = self._resolved.get(id(node))
        if hit is not None and hit[0] is node:
            return hit[1]
        ref = node.get("$ref")
        resolved = node if ref is None else {**self.resolve(self._target(ref)), **_without_ref(node)}
        self._resolved[id(node)] = (node, resolved)
        return resolved

    def _target(self, ref: str) -> Node:
        target: Any = self.document
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        return target  # type: ignore[no-any-return]

    def child(self, node: Node, step: str | int, *, key: bool = False) -> Node | None:
        """The schema of a member, an element, or (key=True) a map key; None where nothing is declared."""
        if key:
            names = node.get("propertyNames")
            return self.resolve(names) if isinstance(names, Mapping) else None
        if isinstance(step, int):
            items = node.get("items")
            return self.resolve(items) if isinstance(items, Mapping) else None
        props = node.get("properties", {})
        if step in props:
            return self.resolve(props[step])
        extra = node.get("additionalProperties")
        return self.resolve(extra) if isinstance(extra, Mapping) else None

    def at(self, steps: tuple[Step, ...], *, key: bool = False) -> Node | None:
        """The node at a path of the document (map keys as `Key`), or the schema of its last key."""
        node: Node | None = self.root
        for step in steps:
            if node is None:
                return None
            node = self.child(node, step.name if isinstance(step, Key) else step)
        if node is not None and key:
            return self.child(node, "", key=True)
        return node

    def path_of(self, steps: tuple[str | int, ...]) -> FieldPath:
        """Raw document steps (a validator's) to a FieldPath: struct fields, list indices, map keys."""
        path: list[Step] = []
        node: Node | None = self.root
        for step in steps:
            struct_field = isinstance(step, str) and step in (node or {}).get("properties", {})
            path.append(step if isinstance(step, int) or struct_field else Key(str(step)))
            node = self.child(node, step) if node is not None else None
        return FieldPath(tuple(path))

    def annotation(self, steps: tuple[Step, ...], name: str) -> str:
        """An `x-` annotation of the node at `steps` or, failing that, of the nearest enclosing node."""
        for n in range(len(steps), -1, -1):
            found = (self.at(steps[:n]) or {}).get(name)
            if isinstance(found, str):
                return found
        return ""


def _without_ref(node: Node) -> dict[str, Any]:
    return {k: v for k, v in node.items() if k != "$ref"}


def types_of(node: Node) -> frozenset[str]:
    declared = node.get("type", "string" if "enum" in node else ())
    return frozenset([declared] if isinstance(declared, str) else declared)


@dataclass(frozen=True, slots=True)
class GoKind:
    """The Go type behind a schema node, as encoding/json treats it."""

    name: str  # struct, map, slice, int, string, bool, any
    nullable: bool  # a pointer, map or slice: null sets it to nil; otherwise null is a no-op


@per_node
def go_kind(node: Node) -> GoKind:
    types = types_of(node)
    nullable = "null" in types
    if "object" in types:
        struct = "properties" in node and node.get("x-go") != "map"
        return GoKind("struct" if struct else "map", nullable)
    if "array" in types:
        return GoKind("slice", nullable)
    if "integer" in types:
        return GoKind("int", nullable)
    if "boolean" in types:
        return GoKind("bool", nullable)
    if "string" in types:
        return GoKind("string", nullable)
    return GoKind("any", True)  # interface{}: any JSON value decodes
