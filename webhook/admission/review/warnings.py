"""The apiserver's limits on warnings, applied before we send them, so none is lost silently.

k8s.io/apiserver/pkg/endpoints/filters/warning.go: each warning is cut at 256 runes, all together at
4096; a warning with a control character is dropped (NewWarningHeader). We keep each to one line,
deduplicate, cut long ones ourselves with an ellipsis, and say how many were left out.
"""

from __future__ import annotations

from collections.abc import Iterable

from webhook.engine import one_line

ITEM_LIMIT = 256
TOTAL_LIMIT = 4096


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def limit_warnings(warnings: Iterable[str]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    total = 0
    pending = [_cut(one_line(w), ITEM_LIMIT) for w in warnings]
    for i, text in enumerate(pending):
        if not text or text in seen:
            continue
        # keep room for the final "N more" note
        if total + len(text) > TOTAL_LIMIT - 80:
            rest = len({t for t in pending[i:] if t and t not in seen})
            out.append(f"{rest} more warnings not shown; run node-agent-webhook validate for all of them")
            break
        seen.add(text)
        out.append(text)
        total += len(text)
    return out
