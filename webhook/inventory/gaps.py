"""What the inventory does not know right now, said in one short sentence for a warning.

Each kind counts on its own: nodes listed while StorageClasses are forbidden means node checks are
made and only the StorageClass checks are skipped, and the warning names exactly those kinds. Kinds
failing for the same reason share one clause, so an API server outage reads as one sentence:
"nodes, DaemonSets, storage classes and priority classes unknown: API server unreachable: ...".
"""

from __future__ import annotations

from collections.abc import Iterable

NOT_LISTED = "not listed yet"


def describe(gaps: Iterable[tuple[str, str]]) -> str | None:
    """`gaps`: (label, reason) per unknown kind, in order; None when every kind is known."""
    by_reason: dict[str, list[str]] = {}
    for label, reason in gaps:
        by_reason.setdefault(reason, []).append(label)
    clauses = [f"{_listing(labels)} unknown: {reason}" for reason, labels in by_reason.items()]
    return "; ".join(clauses) or None


def _listing(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"
