"""`make bench` in its short mode: the harness runs end to end and writes every figure.

Never a speed: these machines are shared and benchmarks are not tests (docs/performance.md).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The figures issue 7 asks of `make bench`, each written by the short mode too.
KEYS = (
    "engine_us_p50_10k",
    "engine_us_p50_10",
    "engine_us_p50_50k",
    "engine_us_p50_large",
    "server_rps",
    "server_p50_ms",
    "server_p99_ms",
    "floor_rps",
    "floor_p99_ms",
    "server_p99_ms_at_200rps",
    "inventory_10k_list_s",
    "inventory_10k_rss_mb",
    "inventory_events_per_s",
    # issue 11: the command line's start-up beside the interpreter's
    "cli_validate_ms",
    "python_startup_ms",
)


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_short_mode_writes_every_figure(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "bench", "--smoke", "--out", str(tmp_path)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=850, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    summary = json.loads((tmp_path / "summary.json").read_text())
    missing = [key for key in KEYS if key not in summary]
    assert not missing, f"not written: {missing}"
    assert all(isinstance(summary[key], int | float) and summary[key] > 0 for key in KEYS), summary
    assert "server_rps" in done.stdout, "the table is printed"
