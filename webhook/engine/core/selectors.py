"""Label selectors as apimachinery parses and matches them, and node-affinity terms as Velero builds them.

`perNodeConfig` selectors go through `metav1.LabelSelectorAsSelector` (an invalid one makes Velero
skip the rule); `loadAffinity` selectors become required node affinity on data-mover pods, which
the API server checks with the node-affinity rules (Gt and Lt allowed). Matching uses the node
index: the most selective positive requirement gives the candidates, the rest filter them.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from webhook.engine.core import field as f
from webhook.engine.core.cluster import NodeIndexView
from webhook.engine.core.predicates import is_integer_text, is_label_key, is_label_value

LABEL_OPERATORS = {"In": "in", "NotIn": "notin", "Exists": "exists", "DoesNotExist": "!"}
AFFINITY_OPERATORS = {**LABEL_OPERATORS, "Gt": "gt", "Lt": "lt"}


@dataclass(frozen=True, slots=True)
class Requirement:
    key: str
    op: str  # in, notin, exists, !, gt, lt
    values: frozenset[str] = frozenset()

    def matches(self, labels: Mapping[str, str]) -> bool:
        has = self.key in labels
        if self.op == "in":
            return has and labels[self.key] in self.values
        if self.op == "notin":
            return not has or labels[self.key] not in self.values
        if self.op == "exists":
            return has
        if self.op == "!":
            return not has
        return has and _compare(self.op, labels[self.key], self.values)


def _compare(op: str, have: str, values: frozenset[str]) -> bool:
    if not (is_integer_text(have) and len(values) == 1):
        return False
    want = next(iter(values))
    if not is_integer_text(want):
        return False
    return int(have) > int(want) if op == "gt" else int(have) < int(want)


@dataclass(frozen=True, slots=True)
class Selector:
    """An AND of requirements; no requirement at all matches every node."""

    requirements: tuple[Requirement, ...]

    @property
    def everything(self) -> bool:
        return not self.requirements

    def matches(self, labels: Mapping[str, str]) -> bool:
        return all(r.matches(labels) for r in self.requirements)

    def __and__(self, other: Selector) -> Selector:
        return Selector(self.requirements + other.requirements)


def build(selector: Mapping[str, Any], operators: Mapping[str, str]) -> Selector | None:
    """The selector Velero would use, or None where Velero (or the API server) would refuse it."""
    reqs = [
        Requirement(k, "in", frozenset([v])) for k, v in sorted((selector.get("matchLabels") or {}).items())
    ]
    for expr in selector.get("matchExpressions") or ():
        # an expression or value Go could not decode is None: node-agent does not start
        if not isinstance(expr, Mapping) or not all(isinstance(v, str) for v in expr.get("values") or ()):
            return None
        op = operators.get(expr.get("operator", ""))
        if op is None or not isinstance(expr.get("key"), str):
            return None
        reqs.append(Requirement(expr["key"], op, frozenset(expr.get("values") or ())))
    return Selector(tuple(reqs))


def label_selector(selector: Mapping[str, Any]) -> Selector | None:
    """metav1.LabelSelectorAsSelector: None where labels.NewRequirement refuses a key, a value or a
    value count; Velero then skips the perNodeConfig rule (a NotIn on a bad value matches nothing)."""
    built = build(selector, LABEL_OPERATORS)
    if built is None or not all(_parses(r) for r in built.requirements):
        return None
    return built


def _parses(req: Requirement) -> bool:
    if is_label_key(req.key) or any(is_label_value(v) for v in req.values):
        return False
    if req.op in ("in", "notin"):
        return bool(req.values)
    return not (req.op in ("exists", "!") and req.values)


def value_count_errors(expr: Mapping[str, Any], path: f.FieldPath, affinity: bool) -> list[f.FieldError]:
    """apimachinery's ValidateLabelSelectorRequirement / core's ValidateNodeSelectorRequirement.

    An expression or value Go could not decode is None here; its type error is already reported.
    """
    if not isinstance(expr, Mapping):
        return []
    op, values = expr.get("operator"), expr.get("values") or []
    where = path.child("values")
    if op in ("In", "NotIn") and not values:
        return [f.required(where, "must be specified when `operator` is 'In' or 'NotIn'", "values")]
    if op in ("Exists", "DoesNotExist") and values:
        return [
            f.forbidden(where, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'", "values")
        ]
    if affinity and op in ("Gt", "Lt"):
        # the API server (1.37) checks every node-affinity value as a label value: "-1" is refused
        return _single_integer(values, where) or _label_values(values, where)
    if affinity and op in ("In", "NotIn"):
        return _label_values(values, where)
    return []


def _single_integer(values: list[str], where: f.FieldPath) -> list[f.FieldError]:
    if len(values) != 1:
        return [f.required(where, "must be specified single value when `operator` is 'Lt' or 'Gt'", "values")]
    if isinstance(values[0], str) and not is_integer_text(values[0]):
        return [f.invalid(where.index(0), values[0], "must be an integer", "values")]
    return []


def _label_values(values: list[str], where: f.FieldPath) -> list[f.FieldError]:
    """Recent API servers refuse a node-affinity value that is not a label value; older ones let
    the pod be created, but a pod asking for an impossible label never runs."""
    return [
        f.invalid(where.index(i), v, msg, "labelValue")
        for i, v in enumerate(values)
        if isinstance(v, str)
        for msg in is_label_value(v)
    ]


@dataclass(frozen=True, slots=True)
class _Posting:
    """The nodes that can meet one requirement, as the index holds them: one set per value of an In
    (disjoint, since a node has one value per key), the nodes with the key for Exists, Gt and Lt."""

    req: Requirement
    parts: tuple[Collection[str], ...]
    size: int

    @property
    def exact(self) -> bool:
        """Every node of the parts meets the requirement (Gt and Lt still compare values)."""
        return self.req.op in ("in", "exists")


def _postings(selector: Selector, index: NodeIndexView) -> list[_Posting]:
    out = []
    for req in selector.requirements:
        if req.op == "in":
            parts = tuple(index.with_label(req.key, v) for v in sorted(req.values))
        elif req.op in ("exists", "gt", "lt"):
            parts = (index.with_key(req.key),)
        else:
            continue  # NotIn and DoesNotExist: any node may meet them
        out.append(_Posting(req, parts, sum(map(len, parts))))
    return sorted(out, key=lambda p: p.size)


def _contradictory(selector: Selector) -> bool:
    """Two In requirements on one key without a common value: no node has both (the overlap check
    of two rules on different values of one label asks this a lot)."""
    wanted: dict[str, frozenset[str]] = {}
    for req in selector.requirements:
        if req.op == "in":
            wanted[req.key] = wanted.get(req.key, req.values) & req.values
            if not wanted[req.key]:
                return True
    return False


def matching(selector: Selector, index: NodeIndexView) -> Iterator[str]:
    """Every matching node name (unordered where the index is), lazily.

    The smallest posting is walked; the other single-set postings are membership tests chained as
    `filter`s, so the walk runs in C and stops at the first match a caller wants. Only what the
    sets cannot answer (NotIn, DoesNotExist, Gt, Lt, other multi-valued Ins) reads node labels.
    """
    if all(req.op == "in" and len(req.values) == 1 for req in selector.requirements):
        return _by_labels(selector, index)  # matchLabels alone, the usual rule: sets answer it all
    postings = [] if _contradictory(selector) else _postings(selector, index)
    if not postings:
        names: Iterable[str] = () if _contradictory(selector) else index.names()
        return (name for name in names if selector.matches(index.labels(name)))
    source, *others = postings
    names = itertools.chain.from_iterable(source.parts)
    answered = [source] if source.exact else []
    for posting in others:
        if len(posting.parts) == 1:
            names = filter(posting.parts[0].__contains__, names)
            answered += [posting] if posting.exact else []
    rest = list(selector.requirements)
    for posting in answered:
        rest.remove(posting.req)
    if not rest:
        return iter(names)
    residual = Selector(tuple(rest))
    return (name for name in names if residual.matches(index.labels(name)))


def _by_labels(selector: Selector, index: NodeIndexView) -> Iterator[str]:
    """`matching` for requirements that are all In one value: the same walk, without the general
    bookkeeping (this runs for every rule and every pair of rules of every request)."""
    if not selector.requirements:
        return iter(index.names())
    if _contradictory(selector):
        return iter(())
    sets = sorted((index.with_label(r.key, next(iter(r.values))) for r in selector.requirements), key=len)
    names: Iterator[str] = iter(sets[0])
    for other in sets[1:]:
        names = filter(other.__contains__, names)
    return names


def first_match(selector: Selector, index: NodeIndexView) -> str | None:
    return next(matching(selector, index), None)
