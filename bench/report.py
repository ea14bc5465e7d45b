"""The table `make bench` prints, with the issue's targets beside the figures they apply to."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Summary = Mapping[str, float]
TARGETS: dict[str, tuple[str, Callable[[Summary], bool]]] = {
    "engine_us_p50_10k": ("<= 150", lambda s: s["engine_us_p50_10k"] <= 150),
    "engine_us_p50_50k": (
        "<= 1.5 x the 10-node figure",
        lambda s: s["engine_us_p50_50k"] <= 1.5 * s["engine_us_p50_10"],
    ),
    "server_rps": (">= 0.7 x floor_rps", lambda s: s["server_rps"] >= 0.7 * s["floor_rps"]),
    "server_p99_ms_at_200rps": ("<= 5", lambda s: s["server_p99_ms_at_200rps"] <= 5),
    "inventory_10k_list_s": ("<= 2", lambda s: s["inventory_10k_list_s"] <= 2),
    "inventory_10k_rss_mb": ("<= 40", lambda s: s["inventory_10k_rss_mb"] <= 40),
    "cli_validate_ms": (
        "<= 4 x python_startup_ms + 60",
        lambda s: s["cli_validate_ms"] <= 4 * s["python_startup_ms"] + 60,
    ),
}


def table(summary: Summary) -> str:
    rows = [("figure", "value", "target", "")]
    for key, value in summary.items():
        target, met = TARGETS.get(key, ("", None))
        verdict = "" if met is None else ("met" if met(summary) else "MISSED")
        rows.append((key, f"{value:g}", target, verdict))
    return aligned(rows)


def levers_table(levers: Mapping[str, list[dict[str, Any]]]) -> str:
    rows = [("lever (µs in process)", "without", "with", "what")]
    rows += [(r["lever"], f"{r['without']:g}", f"{r['with']:g}", r["what"]) for r in levers["in_process_us"]]
    stack = [("server stack (validating)", "rps", "CPU µs/request")]
    stack += [(r["lever"], str(r["rps"]), str(r["cpu_us_per_request"])) for r in levers["server"]]
    return aligned(rows) + "\n\n" + aligned(stack)


def aligned(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths).rstrip())
    return "\n".join(lines)
