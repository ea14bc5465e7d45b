"""The parts of decoded resource modifiers the checks walk, with their paths."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from webhook.engine.core import field as f
from webhook.engine.core.context import Context

RULES = f.ROOT.child("resourceModifierRules")
PATCH_LISTS = ("patches", "mergePatches", "strategicPatches")


def rules(ctx: Context) -> Iterator[tuple[f.FieldPath, Mapping[str, Any]]]:
    for i, rule in enumerate(ctx.config.get("resourceModifierRules") or ()):
        if isinstance(rule, Mapping):
            yield RULES.index(i), rule


def items(
    rule: Mapping[str, Any], name: str, path: f.FieldPath
) -> Iterator[tuple[f.FieldPath, Mapping[str, Any]]]:
    """The objects of one of a rule's lists (patches, matches, ...), by path."""
    for k, item in enumerate(rule.get(name) or ()):
        if isinstance(item, Mapping):
            yield path.child(name).index(k), item


def conditions(rule: Mapping[str, Any]) -> Mapping[str, Any]:
    found = rule.get("conditions")
    return found if isinstance(found, Mapping) else {}
