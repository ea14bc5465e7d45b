"""'Did you mean ...?' for keys Velero would ignore.

Three sources, best first: the mistakes a kind's own docs teach (its table), a known field written
at the wrong level (found by name anywhere in the kind's schema), and a sibling within edit
distance 2 (typos such as `matchLabel`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache

from webhook.engine.core.decode import fold
from webhook.engine.core.schema import Node, Schema, go_kind

# (parent path as the field tables write it, unknown key) -> where it belongs
KnownMistakes = Mapping[tuple[str, str], str]


def _walk(schema: Schema, node: Node, prefix: str) -> Iterator[tuple[str, str]]:
    """(field name, its full path) for every struct field of the schema."""
    for name, sub in node.get("properties", {}).items():
        path = f"{prefix}.{name}" if prefix else name
        yield name, path
        yield from _walk_inner(schema, schema.resolve(sub), path)


def _walk_inner(schema: Schema, node: Node, path: str) -> Iterator[tuple[str, str]]:
    kind = go_kind(node).name
    if "properties" in node:  # a struct, or a map with keys Velero looks up (x-go: map)
        yield from _walk(schema, node, path)
    if kind in ("slice", "map"):
        inner = schema.child(node, 0 if kind == "slice" else "")
        suffix = "[]" if kind == "slice" else ".<name>"
        if inner is not None:
            yield from _walk_inner(schema, inner, path + suffix)


@cache
def field_paths(schema: Schema) -> Mapping[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for name, path in _walk(schema, schema.root, ""):
        found.setdefault(fold(name), []).append(path)
    return {k: tuple(v) for k, v in found.items()}


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance, giving up (limit + 1) once it exceeds the limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def suggest(schema: Schema, mistakes: KnownMistakes, parent: str, key: str, siblings: list[str]) -> str:
    """The best guess for an unknown `key` under the field-table path `parent`, or ''."""
    if (parent, key) in mistakes:
        return mistakes[(parent, key)]
    elsewhere = [p for p in field_paths(schema).get(fold(key), ()) if "<name>" not in p]
    if elsewhere:
        return " or ".join(elsewhere[:2])
    close = sorted((edit_distance(fold(key), fold(s)), s) for s in siblings)
    return close[0][1] if close and close[0][0] <= 2 else ""
