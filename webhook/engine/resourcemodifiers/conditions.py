"""A rule's conditions as ResourceModifierRule.match reads them at restore time (MOD4): the
groupResource glob (separator "."), the namespace globs, the name's Go regular expression and the
label selector. One that does not compile fails every object the rule is tried on; an invalid
namespace glob silently stops the namespaces after it (in sorted order) from matching."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings
from webhook.engine.core.globs import glob_error
from webhook.engine.core.goregexp import regexp_error
from webhook.engine.core.selectors import value_count_errors
from webhook.engine.resourcemodifiers.walk import conditions, rules

FAILS = "every object the rule is tried on fails to restore patched"


def check(ctx: Context, out: Findings) -> None:
    for path, rule in rules(ctx):
        cond, where = conditions(rule), path.child("conditions")
        group_resource = cond.get("groupResource")
        if isinstance(group_resource, str) and group_resource:
            problem = glob_error(group_resource, ".")
            if problem:
                detail = f"not a glob gobwas/glob compiles ({problem}): {FAILS}"
                out.error(f.invalid(where.child("groupResource"), group_resource, detail, "glob"))
        _namespaces(cond.get("namespaces"), where.child("namespaces"), out)
        regex = cond.get("resourceNameRegex")
        problem = regexp_error(regex) if isinstance(regex, str) and regex else None
        if problem:
            out.error(f.invalid(where.child("resourceNameRegex"), regex, f"{problem}: {FAILS}", "regexp"))
        _selector(cond.get("labelSelector"), where.child("labelSelector"), out)


def _namespaces(namespaces: Any, path: f.FieldPath, out: Findings) -> None:
    for i, pattern in enumerate(namespaces if isinstance(namespaces, list) else ()):
        problem = glob_error(pattern) if isinstance(pattern, str) else None
        if problem:
            detail = f"not a glob gobwas/glob compiles ({problem}): Velero stops matching namespaces at it"
            out.error(f.invalid(path.index(i), pattern, detail, "glob"))


def _selector(selector: Any, path: f.FieldPath, out: Findings) -> None:
    """Keys, values and operators go by the schema; how many values an operator takes, here."""
    if not isinstance(selector, Mapping):
        return
    for i, expr in enumerate(selector.get("matchExpressions") or ()):
        for err in value_count_errors(expr, path.child("matchExpressions").index(i), affinity=False):
            out.error(err)
