"""The parts of a decoded resource policy the checks walk, with their paths; and Go's view of a value."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.goyaml import go_type

VOLUME_POLICIES = f.ROOT.child("volumePolicies")


def policies(ctx: Context) -> Iterator[tuple[f.FieldPath, Mapping[str, Any]]]:
    """Each volume policy Velero holds (a null element is dropped, so indices are Velero's)."""
    for i, policy in enumerate(ctx.config.get("volumePolicies") or ()):
        if isinstance(policy, Mapping):
            yield VOLUME_POLICIES.index(i), policy


def conditions(ctx: Context) -> Iterator[tuple[f.FieldPath, Mapping[str, Any]]]:
    for path, policy in policies(ctx):
        found = policy.get("conditions")
        if isinstance(found, Mapping):
            yield path.child("conditions"), found


def strings(value: Any) -> list[tuple[int, str]]:
    """The string elements of a decoded list, by index."""
    return (
        [(i, v) for i, v in enumerate(value or ()) if isinstance(v, str)] if isinstance(value, list) else []
    )


def type_in_go(ctx: Context, path: f.FieldPath, value: Any) -> str:
    """Go's %T of a value Velero holds in interface{} (from the YAML node when there is one)."""
    found = ctx.source.go_type(path) if ctx.source is not None else None
    return found if found is not None else go_type(value)


def quoted(values: list[str]) -> str:
    return ", ".join(f'"{v}"' for v in values)
