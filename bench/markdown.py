"""The tables of docs/performance.md, from the files of the last `make bench` (bench/out/).

`python -m bench.markdown [--update docs/performance.md]` prints them, or rewrites the part of the
document between the `<!-- bench:begin -->` and `<!-- bench:end -->` markers.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bench.report import TARGETS

OUT = Path("bench/out")
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return lines + ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]


def summary_rows(summary: dict[str, float]) -> list[tuple[Any, ...]]:
    rows = []
    for key, value in summary.items():
        target, met = TARGETS.get(key, ("", None))
        rows.append(
            (
                f"`{key}`",
                f"{value:g}",
                target,
                "" if met is None else ("met" if met(summary) else "**missed**"),
            )
        )
    return rows


def context(details: dict[str, Any]) -> list[str]:
    m, load, other = details["machine"], details["loadavg"], details.get("other_processes", {})
    return [
        f"Run: {details['mode']} mode, {details['started']} to {details['finished']} "
        f"({details.get('seconds', '?')} s).",
        f"Machine: {m['cpus']} cores ({m['cpu']}), Linux {m['kernel']}, Python {m['python']}.",
        f"Load average (1, 5, 15 min) before: {', '.join(f'{x:.2f}' for x in load['before'])}; "
        f"after: {', '.join(f'{x:.2f}' for x in load['after'])}.",
        f"Other processes meanwhile: {other.get('cpu_seconds', '?')} CPU seconds, "
        f"{other.get('cores_busy_on_average', '?')} of the 2 cores busy on average.",
    ]


def server_runs(details: dict[str, Any]) -> list[tuple[Any, ...]]:
    rows = []
    for which in ("server", "floor"):
        for run in details["server"][which]:
            rows.append(
                (
                    which,
                    round(run["rps"]),
                    f"{run['p50_us'] / 1000:.2f}",
                    f"{run['p99_us'] / 1000:.2f}",
                    round(run["server_cpu_pct"]),
                    round(run["cpu_us_per_request"]),
                    round(run["load_cpu_pct"]),
                    run["errors"],
                )
            )
    return rows


OPEN_HEADER = ("sent", "errors", "p50 ms", "p99 ms", "max ms", "connections opened", "generator late, p99 ms")


def open_runs(details: dict[str, Any]) -> list[tuple[Any, ...]]:
    keys = ("p50_ms", "p99_ms", "max_ms")
    return [
        (
            r["sent"],
            r["errors"],
            *(f"{r[k]:.2f}" for k in keys),
            r["connections"],
            f"{r.get('late_p99_ms', 0):.2f}",
        )
        for r in details["server"]["open"]
    ]


def render(out: Path) -> str:
    summary = json.loads((out / "summary.json").read_text())
    details = json.loads((out / "details.json").read_text())
    lines = [*table(("figure", "value", "target", ""), summary_rows(summary)), "", *context(details), ""]
    header = ("process", "rps", "p50 ms", "p99 ms", "its CPU %", "CPU µs/request", "wrk CPU %", "errors")
    lines += [
        "Closed-loop runs (wrk, 16 connections; server and floor runs alternated), by process:",
        "",
        *table(header, server_runs(details)),
    ]
    lines += ["", "Open-loop runs at 200 requests per second:", "", *table(OPEN_HEADER, open_runs(details))]
    if (out / "levers.json").exists():
        levers = json.loads((out / "levers.json").read_text())
        rows = [
            (r["lever"], f"{r['without']:g}", f"{r['with']:g}", r["what"]) for r in levers["in_process_us"]
        ]
        lines += [
            "",
            "Levers, each alone (µs, median; in one process):",
            "",
            *table(("lever", "without", "with", "what changes"), rows),
        ]
        stack = [(r["lever"], r["rps"], r["cpu_us_per_request"]) for r in levers["server"]]
        lines += [
            "",
            "The validating server with each event loop and HTTP parser (wrk, 16 connections):",
            "",
            *table(("loop + parser", "rps", "CPU µs/request"), stack),
        ]
    return "\n".join(lines)


def update(doc: Path, text: str) -> None:
    current = doc.read_text()
    head, _, rest = current.partition(BEGIN)
    _, _, tail = rest.partition(END)
    doc.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.markdown", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--update", type=Path, help="rewrite the marked part of this document")
    args = parser.parse_args(argv)
    text = render(args.out)
    if args.update:
        update(args.update, text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
