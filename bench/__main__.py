"""`python -m bench [--smoke]`: every figure of docs/performance.md, into bench/out/summary.json.

The full run takes about ten minutes, the levers of bench/levers.py included; `--smoke` (what
`make test` runs) takes about a minute, with short runs and a 1,000-node inventory, to prove the
whole harness works, not to measure.
bench/out/details.json keeps every run's raw figures, the machine and its load while measuring.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from pathlib import Path
from typing import Any

from bench import cli, engine, inventory, report, server
from bench import levers as levers_mod

FULL: dict[str, Any] = {
    "engine": (5, 2000),
    "server": server.Plan(5, 10, 3, 20),
    "inventory": (10_000, 3),
    "levers": (1000, 5),
    "cli": 20,
}
SMOKE: dict[str, Any] = {
    "engine": (1, 20),
    "server": server.Plan(1, 1, 1, 1),
    "inventory": (1_000, 1),
    "levers": (20, 1),
    "cli": 3,
}


def machine() -> dict[str, Any]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpus": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "kernel": platform.release(),
    }


def busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (all processes, all cores)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def own_seconds() -> float:
    """CPU seconds of this process and of every child it has waited for (servers, wrk, probes)."""
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


def others(busy: float, own: float, wall: float) -> dict[str, float]:
    """How much of the machine other processes took while the benchmark ran."""
    other = max(0.0, (busy_seconds() - busy) - (own_seconds() - own))
    return {"cpu_seconds": round(other, 1), "cores_busy_on_average": round(other / wall, 2)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="short runs: check the harness, not the speed")
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    parser.add_argument("--no-levers", action="store_true", help="skip the per-optimization measurements")
    args = parser.parse_args(argv)
    plan = SMOKE if args.smoke else FULL
    args.out.mkdir(parents=True, exist_ok=True)
    details: dict[str, Any] = {"mode": "smoke" if args.smoke else "full", "machine": machine()}
    details["started"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    load_before = os.getloadavg()
    busy, own, started = busy_seconds(), own_seconds(), time.monotonic()
    summary: dict[str, float] = {}
    summary |= cli.measure(plan["cli"])
    print("cli done", file=sys.stderr)
    summary |= engine.measure(*plan["engine"])
    print("engine done", file=sys.stderr)
    figures, details["server"] = server.measure(plan["server"], args.out / "work")
    summary |= figures
    print("server done", file=sys.stderr)
    figures, details["inventory"] = inventory.measure(*plan["inventory"], args.out / "work")
    summary |= figures
    levers = {} if args.no_levers else levers_mod.measure(*plan["levers"], args.out / "work")
    details["loadavg"] = {"before": load_before, "after": os.getloadavg()}
    details["other_processes"] = others(busy, own, time.monotonic() - started)
    details["seconds"] = round(time.monotonic() - started)
    details["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    (args.out / "details.json").write_text(json.dumps(details, indent=2) + "\n")
    print(report.table(summary))
    if levers:
        (args.out / "levers.json").write_text(json.dumps(levers, indent=2) + "\n")
        print("\n" + report.levers_table(levers))
    print(f"\nwritten: {args.out / 'summary.json'}, {args.out / 'details.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
