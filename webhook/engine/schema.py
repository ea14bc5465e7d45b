"""The one JSON Schema of the node-agent config: loaded once, walked for Go types, run for values.

The schema file is the source of truth for field names, Go kinds, the release that added each field
(`x-added`) and the Kubernetes naming rule of each string (`x-k8s`). The decoder walks it to mimic
encoding/json; the validators (jsonschema-rs on the request path, jsonschema as the reference) run it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, TypeVar

SCHEMA_FILE = "node-agent-config.schema.json"
Node = Mapping[str, Any]
T = TypeVar("T")


def per_node(compute: Callable[[Node], T]) -> Callable[[Node], T]:
    """Computed once per schema node. Every node handed in here is part of the schema loaded once,
    or a result of `resolve`, which this keeps: so nodes live as long as the process and their id
    names them; the node is kept beside its result, so a reused id can never answer wrongly. The
    decoder asks these for every value of every request: a dict lookup instead of a merge."""
    results: dict[int, tuple[Node, T]] = {}

    @functools.wraps(compute)
    def cached(node: Node) -> T:
        hit = results.get(id(node))
        if hit is None or hit[0] is not node:
            hit = results[id(node)] = (node, compute(node))
        return hit[1]

    return cached


@cache
def schema_text() -> str:
    return resources.files("webhook.engine").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


@cache
def schema() -> Node:
    loaded: Node = json.loads(schema_text())
    return loaded


@per_node
def resolve(node: Node) -> Node:
    """Follow a local `$ref`; keywords beside the `$ref` (x-added, description) override."""
    ref = node.get("$ref")
    if ref is None:
        return node
    target: Any = schema()
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return {**resolve(target), **{k: v for k, v in node.items() if k != "$ref"}}


def types_of(node: Node) -> frozenset[str]:
    declared = node.get("type", "string" if "enum" in node else ())
    return frozenset([declared] if isinstance(declared, str) else declared)


@dataclass(frozen=True, slots=True)
class GoKind:
    """The Go type behind a schema node, as encoding/json treats it."""

    name: str  # struct, map, slice, int, string, bool
    nullable: bool  # a pointer, map or slice: null sets it to nil; otherwise null is a no-op


@per_node
def go_kind(node: Node) -> GoKind:
    types = types_of(node)
    nullable = "null" in types
    if "object" in types:
        return GoKind("struct" if "properties" in node else "map", nullable)
    if "array" in types:
        return GoKind("slice", nullable)
    if "integer" in types:
        return GoKind("int", nullable)
    if "boolean" in types:
        return GoKind("bool", nullable)
    return GoKind("string", nullable)


def child_node(node: Node, step: str | int, *, key: bool = False) -> Node | None:
    """The schema of a member, an element, or (key=True) a map key; None where nothing is declared."""
    if key:
        names = node.get("propertyNames")
        return resolve(names) if isinstance(names, Mapping) else None
    if isinstance(step, int):
        items = node.get("items")
        return resolve(items) if isinstance(items, Mapping) else None
    props = node.get("properties", {})
    if step in props:
        return resolve(props[step])
    extra = node.get("additionalProperties")
    return resolve(extra) if isinstance(extra, Mapping) else None


def node_at(path: tuple[str | int, ...], *, key: bool = False) -> Node | None:
    node: Node | None = resolve(schema())
    for step in path:
        if node is None:
            return None
        node = child_node(node, step)
    if node is not None and key:
        return child_node(node, "", key=True)
    return node
