"""loadAffinity: which elements become the job's node affinity, nil elements, empty terms, and what
the API server refuses in a node-affinity term.

Velero's buildJob (pkg/repository/maintenance/maintenance.go) turns loadAffinity into required node
affinity with kube.ToSystemAffinity: up to v1.17.2 every element is a NodeSelectorTerm (ORed), from
v1.18.0 only loadAffinity[0]. Up to v1.18.0 ToSystemAffinity dereferences each element (a null one
panics) and an empty nodeSelector becomes an empty term, which matches no node; from v1.18.1 it
takes one pointer, and nil or empty means no affinity at all (pkg/util/kube/pod.go).
"""

from __future__ import annotations

from typing import Any

from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings
from webhook.engine.core.selectors import value_count_errors
from webhook.engine.core.versions import Version

PATH = f.ROOT.child("loadAffinity")
FIRST_ONLY = Version(1, 18, 0)
NIL_MEANS_NONE = Version(1, 18, 1)
UNUSED_STORAGE_CLASS = "unused: a maintenance job's affinity holds for every StorageClass"


def used(entries: list[Any], version: Version) -> list[Any]:
    """The elements Velero turns into node selector terms."""
    return entries[:1] if version >= FIRST_ONLY else entries


def is_empty(entry: Any) -> bool:
    """No requirement at all: an element without nodeSelector, or with an empty one."""
    selector = entry.get("nodeSelector") or {}
    return not selector.get("matchLabels") and not selector.get("matchExpressions")


def check(ctx: Context, out: Findings) -> None:
    entries = ctx.section("loadAffinity")
    if not isinstance(entries, list) or not entries:
        return
    for i, entry in enumerate(entries):
        if out.full:
            break  # past the cap (webhook.engine.core.findings) more entries would only be counted
        _expressions(entry, PATH.index(i), out)
    first = used(entries, ctx.version)
    _unused(ctx, entries, first, out)
    terms = [(i, e) for i, e in enumerate(first) if not _mistyped(ctx, PATH.index(i))]
    if ctx.reads(NIL_MEANS_NONE):
        _nil_first(terms, out)
    else:
        _panics(terms, out)
        _empty_terms(terms, out)


def _mistyped(ctx: Context, path: f.FieldPath) -> bool:
    """A type error at or below this element: Go dropped part of it, its own error says so."""
    n = len(path.steps)
    return any(t.steps[:n] == path.steps for t in ctx.typed)


def _expressions(entry: Any, path: f.FieldPath, out: Findings) -> None:
    if entry is None:
        return
    where = path.child("nodeSelector").child("matchExpressions")
    for j, expr in enumerate((entry.get("nodeSelector") or {}).get("matchExpressions") or []):
        for err in value_count_errors(expr, where.index(j), affinity=True):
            out.error(err)


def _unused(ctx: Context, entries: list[Any], first: list[Any], out: Findings) -> None:
    """The elements past the ones Velero uses, and the storageClass of the ones it uses."""
    for i, entry in enumerate(first):
        if entry is not None and entry.get("storageClass"):
            out.warn(PATH.index(i).child("storageClass"), UNUSED_STORAGE_CLASS)
    for i in range(len(first), len(entries)):
        out.warn(PATH.index(i), f"ignored by {ctx.velero}: a maintenance job uses only loadAffinity[0]")


Terms = list[tuple[int, Any]]  # the used elements, by index, that Go decoded whole


def _nil_first(terms: Terms, out: Findings) -> None:
    if terms and terms[0] == (0, None):
        out.warn(PATH.index(0), "null: the maintenance job gets no node affinity")


def _panics(terms: Terms, out: Findings) -> None:
    for i, entry in terms:
        if entry is None:
            detail = "must be an object: Velero dereferences it and panics building the maintenance job"
            out.error(f.invalid(PATH.index(i), None, detail, "nil"))


def _empty_terms(terms: Terms, out: Findings) -> None:
    """An empty term matches no node: the job stays Pending when no other term can place it."""
    objects = [(i, entry) for i, entry in terms if entry is not None]
    empty = [i for i, entry in objects if is_empty(entry)]
    if empty and len(empty) == len(objects):
        detail = "an empty node selector term matches no node: the maintenance job would never be scheduled"
        for i in empty:
            out.error(f.required(PATH.index(i).child("nodeSelector"), detail, "emptyTerm"))
        return
    for i in empty:
        out.warn(PATH.index(i).child("nodeSelector"), "empty: this node selector term matches no node")
