"""podResources: Velero drops the whole section on one bad value, so each value is checked here.

pkg/util/kube/resource_requirements.go ParseResourceRequirements: every value must parse, a request
may not exceed its limit unless the limit is exactly "0" (no limit); "0Mi" is a zero limit.
"""

from __future__ import annotations

from typing import Any

from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings
from webhook.engine.core.quantity import is_unbounded, parse_quantity, quantity_problem
from webhook.engine.nodeagent.schema import SCHEMA

PATH = f.ROOT.child("podResources")
# the schema's words for an invalid quantity here: the same text, so the two findings are one error
VOIDS = SCHEMA.annotation(PATH.steps, "x-invalid")
PAIRS = (
    ("cpuRequest", "cpuLimit"),
    ("memoryRequest", "memoryLimit"),
    ("ephemeralStorageRequest", "ephemeralStorageLimit"),
)


def check(ctx: Context, out: Findings) -> None:
    res = ctx.section("podResources")
    if not isinstance(res, dict):
        return
    for request, limit in PAIRS:
        _pair(res, request, limit, out)


def _parsed(res: dict[str, Any], name: str, out: Findings) -> Any:
    text = res.get(name)
    if not isinstance(text, str) or (text == "" and name.startswith("ephemeral")):
        return None  # absent: the schema says whether that is allowed; "" ephemeral means "0"
    problem = quantity_problem(text)
    if problem is not None:
        out.error(f.invalid(PATH.child(name), text, f"{problem}: {VOIDS}", "quantity"))
        return None
    quantity = parse_quantity(text)
    if quantity.negative:
        out.error(f.invalid(PATH.child(name), text, "must be greater than or equal to 0", "negative"))
        return None
    return quantity


def _pair(res: dict[str, Any], request: str, limit: str, out: Findings) -> None:
    req, lim = _parsed(res, request, out), _parsed(res, limit, out)
    if req is None or lim is None or is_unbounded(lim.text):
        return
    if req.value > lim.value:
        detail = f'must be less than or equal to {limit} "{lim.text}" ("0" means no limit): {VOIDS}'
        out.error(f.invalid(PATH.child(request), req.text, detail, "request>limit"))
