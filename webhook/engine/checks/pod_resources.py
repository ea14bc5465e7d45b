"""podResources: Velero drops the whole section on one bad value, so each value is checked here.

pkg/util/kube/resource_requirements.go ParseResourceRequirements: every value must parse, a request
may not exceed its limit unless the limit is exactly "0" (no limit); "0Mi" is a zero limit.
"""

from __future__ import annotations

from typing import Any

from webhook.engine import field as f
from webhook.engine.checks.context import Context, Findings
from webhook.engine.quantity import SECTION_IGNORED as VOIDS
from webhook.engine.quantity import QuantityError, is_unbounded, parse_quantity

PATH = f.ROOT.child("podResources")
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
    try:
        quantity = parse_quantity(text)
    except QuantityError as exc:
        out.error(f.invalid(PATH.child(name), text, f"{exc}: {VOIDS}", "quantity"))
        return None
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
