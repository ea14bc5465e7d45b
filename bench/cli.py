"""The command line's start-up: what a pre-commit hook or a CI step waits for on every run.

`cli_validate_ms`: the wall time of `node-agent-webhook validate examples/node-agent-config.yaml`
(the installed console script beside this interpreter, else `python -m webhook`), median of `runs`.
`python_startup_ms`: `python -c pass` in the same run, interleaved with it so that a busy machine
weighs on both alike: the floor any Python command pays. Target: cli_validate_ms <= 4 x
python_startup_ms + 60.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.processes import ROOT

EXAMPLE = "examples/node-agent-config.yaml"


def validate_command() -> list[str]:
    script = Path(sys.executable).with_name("node-agent-webhook")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "webhook"]
    return [*head, "validate", EXAMPLE]


def wall_ms(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=60, check=False)
    elapsed = (time.perf_counter() - started) * 1000
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)}: exit {done.returncode}: {done.stderr.decode()[-500:]}")
    return elapsed


def measure(runs: int) -> dict[str, float]:
    python, validate = [sys.executable, "-c", "pass"], validate_command()
    wall_ms(validate)  # once unmeasured: the file cache, __pycache__
    startup, cli = [], []
    for _ in range(runs):
        startup.append(wall_ms(python))
        cli.append(wall_ms(validate))
    return {
        "cli_validate_ms": round(statistics.median(cli), 1),
        "python_startup_ms": round(statistics.median(startup), 1),
    }
