"""The live inventory against the fake API server: list time, memory and watch event rate.

The fake API server (bench/fake_apiserver.py) and the inventory (bench/inventory_probe.py) each run
in their own process, a fresh inventory process per run; each figure is the median of the runs.
"""

from __future__ import annotations

import contextlib
import json
import statistics
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from bench import processes
from tests.inventory.fakeapi import TOKEN


@contextlib.contextmanager
def fake_apiserver(nodes: int) -> Iterator[int]:
    command = [processes.python(), "-m", "bench.fake_apiserver", "--nodes", str(nodes)]
    proc = subprocess.Popen(processes.pinned(command, processes.LOAD_CPU), stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        yield int(proc.stdout.readline())
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def kubeconfig(path: Path, port: int) -> Path:
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "fake", "cluster": {"server": f"http://127.0.0.1:{port}"}}],
        "users": [{"name": "fake", "user": {"token": TOKEN}}],
        "contexts": [{"name": "fake", "context": {"cluster": "fake", "user": "fake"}}],
        "current-context": "fake",
    }
    path.write_bytes(orjson.dumps(config))
    return path


def probe(config: Path, port: int, nodes: int) -> dict[str, Any]:
    command = [processes.python(), "-m", "bench.inventory_probe", "--kubeconfig", str(config)]
    command += ["--nodes", str(nodes), "--churn-url", f"http://127.0.0.1:{port}/_fake/churn?count={nodes}"]
    done = subprocess.run(
        processes.pinned(command, processes.SERVER_CPU),
        capture_output=True,
        text=True,
        timeout=600,
        cwd=processes.ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"inventory probe failed: {done.stderr[-2000:]}")
    figures: dict[str, Any] = json.loads(done.stdout)
    return figures


def measure(nodes: int, runs: int, work: Path) -> tuple[dict[str, float], list[dict[str, Any]]]:
    work.mkdir(parents=True, exist_ok=True)
    results = []
    for _ in range(runs):  # a fresh fake per run: the churn labels of a run would be there already
        with fake_apiserver(nodes) as port:
            results.append(probe(kubeconfig(work / "kubeconfig.json", port), port, nodes))
    summary = {
        "inventory_10k_list_s": round(statistics.median(r["list_s"] for r in results), 3),
        "inventory_10k_rss_mb": round(statistics.median(r["rss_mb"] for r in results), 1),
        "inventory_events_per_s": round(statistics.median(r["events_per_s"] for r in results)),
    }
    return summary, results
