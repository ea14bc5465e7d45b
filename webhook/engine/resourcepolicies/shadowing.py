"""First match wins (Policies.match): a policy that matches every volume, or every NFS or CSI
volume (`nfs: {}`, `csi: {}`), hides the policies after it that it covers (RP9, a warning)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings
from webhook.engine.core.quantity import QuantityError, parse_quantity
from webhook.engine.resourcepolicies.walk import policies

_CLASSES = {"": "every volume", "nfs": "every NFS volume", "csi": "every CSI volume"}


def check(ctx: Context, out: Findings) -> None:
    found = [(path, _conditions(policy)) for path, policy in policies(ctx)]
    for n, (path, cond) in enumerate(found):
        covers = _covers(cond)
        if covers is None:
            continue
        hidden = [str(p.last) for p, later in found[n + 1 :] if not covers or covers in later]
        if hidden:
            detail = f"matches {_CLASSES[covers]}, and the first match wins: {_listing(hidden)} to them"
            out.warn(path, detail)


def _conditions(policy: Mapping[str, Any]) -> dict[str, Any]:
    found = policy.get("conditions")
    return {k: v for k, v in found.items() if _narrows(k, v)} if isinstance(found, Mapping) else {}


def _narrows(name: str, value: Any) -> bool:
    """Whether a condition as written selects some volumes only (BuildPolicy: an empty list or
    map matches all, a capacity of ",", "0," or "" matches all)."""
    if name == "capacity":
        return not _unbounded(value)
    if name in ("nfs", "csi"):
        return value is not None
    return bool(value)


def _unbounded(text: Any) -> bool:
    """A capacity range from 0 to 0, which capacity.isInRange reads as no bound at all."""
    parts = (text or ",").split(",") if isinstance(text, str) else []
    try:
        return len(parts) == 2 and all(parse_quantity(p.strip() or "0").value == 0 for p in parts)
    except QuantityError:
        return False


def _covers(cond: Mapping[str, Any]) -> str | None:
    """The class of volumes a policy matches whole ("" for all, "nfs", "csi"), else None."""
    if not cond:
        return ""
    if len(cond) == 1:
        name, value = next(iter(cond.items()))
        if name in ("nfs", "csi") and isinstance(value, Mapping) and not any(value.values()):
            return name
    return None


def _listing(indices: list[str]) -> str:
    """The hidden policies by index: "policy 2 never applies", "policies 2, 3 and 9 more never apply"."""
    if len(indices) == 1:
        return f"policy {indices[0]} never applies"
    shown = indices[:3] if len(indices) > 3 else indices[:-1]
    rest = f"{len(indices) - 3} more" if len(indices) > 3 else indices[-1]
    return f"policies {', '.join(shown)} and {rest} never apply"
