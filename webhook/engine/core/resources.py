"""Requests and limits as Velero's `kube.ParseResourceRequirements` reads them, for every kind that
takes a `podResources` section (node-agent's data-mover pods, repository maintenance jobs).

pkg/util/kube/resource_requirements.go (v1.15 to v1.18.2): every value must parse, a request may
not exceed its limit unless the limit is exactly "0" (no limit; "0Mi" is a zero limit). From 1.18.1
an empty ephemeral-storage value means "0". A negative value parses, and the API server refuses the
pod. What an invalid value costs is the kind's to say (`cost`, its schema's `x-invalid`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings
from webhook.engine.core.quantity import Quantity, is_unbounded, parse_quantity, quantity_problem
from webhook.engine.core.schema import Schema

PAIRS = (
    ("cpuRequest", "cpuLimit"),
    ("memoryRequest", "memoryLimit"),
    ("ephemeralStorageRequest", "ephemeralStorageLimit"),
)


def check_resources(res: Mapping[str, Any], path: f.FieldPath, cost: str, out: Findings) -> None:
    """Errors for the values of a decoded `podResources` at `path`; a missing one is the schema's."""
    for request, limit in PAIRS:
        _pair(res, path, request, limit, cost, out)


def _parsed(
    res: Mapping[str, Any], path: f.FieldPath, name: str, cost: str, out: Findings
) -> Quantity | None:
    text = res.get(name)
    if not isinstance(text, str) or (text == "" and name.startswith("ephemeral")):
        return None  # absent: the schema says whether that is allowed; "" ephemeral means "0"
    problem = quantity_problem(text)
    if problem is not None:
        out.error(f.invalid(path.child(name), text, f"{problem}: {cost}", "quantity"))
        return None
    quantity = parse_quantity(text)
    if quantity.negative:
        out.error(f.invalid(path.child(name), text, "must be greater than or equal to 0", "negative"))
        return None
    return quantity


def _pair(
    res: Mapping[str, Any], path: f.FieldPath, request: str, limit: str, cost: str, out: Findings
) -> None:
    req, lim = _parsed(res, path, request, cost, out), _parsed(res, path, limit, cost, out)
    if req is None or lim is None or is_unbounded(lim.text):
        return
    if req.value > lim.value:
        detail = f'must be less than or equal to {limit} "{lim.text}" ("0" means no limit): {cost}'
        out.error(f.invalid(path.child(request), req.text, detail, "request>limit"))


def section_check(schema: Schema, name: str) -> Callable[[Context, Findings], None]:
    """The check of a kind's top-level resources section `name`: an invalid value costs what the
    schema's x-invalid says there (the same words as the schema's own error, so the two are one)."""
    path = f.ROOT.child(name)
    cost = schema.annotation(path.steps, "x-invalid")

    def check(ctx: Context, out: Findings) -> None:
        res = ctx.section(name)
        if isinstance(res, dict):
            check_resources(res, path, cost, out)

    return check
