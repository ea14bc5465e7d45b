"""The real server process against the floor, under wrk (closed loop) and an open loop at 200 rps.

Both processes serve the same TLS port setup and load the same nodes file; they run side by side and
the runs alternate (server, floor, server, ...), so that a change in the machine's background load
hits both. A check request first proves the server really validates (allowed, with the engine).
"""

from __future__ import annotations

import http.client
import json
import ssl
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from bench import processes
from bench.cluster import node_list
from bench.configs import admission_review, sample_configmap
from webhook.certs import generate_ca, generate_serving

LUA = Path(__file__).with_name("wrk") / "review.lua"
CONNECTIONS = 16


@dataclass(frozen=True)
class Plan:
    runs: int  # closed-loop runs per server; the figures are their medians
    seconds: int  # per closed-loop run
    open_runs: int
    open_seconds: int
    open_rate: int = 200
    nodes: int = 10_000


@dataclass(frozen=True)
class Files:
    ca: Path
    cert: Path
    key: Path
    nodes: Path
    review: Path


def prepare(work: Path, nodes: int) -> Files:
    work.mkdir(parents=True, exist_ok=True)
    ca = generate_ca("bench CA")
    serving = generate_serving(ca, ["localhost", "127.0.0.1"])
    names = ("ca.crt", "tls.crt", "tls.key", "nodes.json", "review.json")
    files = Files(*(work / name for name in names))
    files.ca.write_bytes(ca.cert_pem)
    files.cert.write_bytes(serving.cert_pem)
    files.key.write_bytes(serving.key_pem)
    files.nodes.write_bytes(orjson.dumps(node_list(nodes)))
    files.review.write_bytes(orjson.dumps(admission_review(sample_configmap())))
    return files


def serve_flags(files: Files) -> list[str]:
    return [
        *("--host", "127.0.0.1", "--port", "0", "--tls-cert", str(files.cert), "--tls-key", str(files.key)),
        *("--nodes-file", str(files.nodes), "--log-format", "json", "--shutdown-delay", "0"),
    ]


def check_answer(port: int, files: Files, *, floor: bool) -> None:
    """One review before the load: the server answers allowed, with the warnings of a real decision."""
    context = ssl.create_default_context(cafile=str(files.ca))
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    conn.request("POST", "/validate", files.review.read_bytes(), {"Content-Type": "application/json"})
    answer = json.loads(conn.getresponse().read())["response"]
    conn.close()
    if answer["allowed"] is not True or (not floor and "warnings" not in answer):
        raise RuntimeError(f"unexpected answer from the {'floor' if floor else 'server'}: {answer}")


def wrk(port: int, files: Files, seconds: int) -> dict[str, Any]:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "5s", "-s", str(LUA)]
    command += [f"https://127.0.0.1:{port}/validate", "--", str(files.review)]
    done = processes.run_load(command, 60 + seconds)
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if figures["errors"] >= figures["requests"]:
        raise RuntimeError(f"wrk: every request failed: {done.stdout}")
    if figures["errors"]:  # a timeout on a starved machine: kept in details.json, the run still counts
        print(f"wrk: {figures['errors']} errors of {figures['requests']} requests", file=sys.stderr)
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["load_cpu_pct"] = 100 * done.cpu / done.wall
    return figures


def open_loop(port: int, files: Files, plan: Plan) -> dict[str, Any]:
    command = [processes.python(), "-m", "bench.openloop", "--port", str(port), "--ca", str(files.ca)]
    command += ["--body", str(files.review), "--rate", str(plan.open_rate)]
    command += ["--seconds", str(plan.open_seconds)]
    figures: dict[str, Any] = json.loads(processes.run_load(command, 120 + plan.open_seconds).stdout)
    if not figures["completed"]:
        raise RuntimeError(f"open loop: nothing answered: {figures}")
    if figures["errors"]:
        print(f"open loop: {figures['errors']} errors of {figures['sent']} requests", file=sys.stderr)
    return figures


def closed_run(srv: processes.Server, files: Files, seconds: int) -> dict[str, Any]:
    cpu = srv.cpu_seconds()
    figures = wrk(srv.port, files, seconds)
    used = srv.cpu_seconds() - cpu
    figures["server_cpu_pct"] = 100 * used / (figures["duration_us"] / 1e6)
    # CPU time per request does not depend on how much of a core the server got: on a shared
    # machine it compares server and floor more steadily than requests per second do.
    figures["cpu_us_per_request"] = used / figures["requests"] * 1e6
    return figures


def median(runs: list[dict[str, Any]], key: str, digits: int = 2) -> float:
    return round(statistics.median(r[key] for r in runs), digits)


def measure(plan: Plan, work: Path) -> tuple[dict[str, float], dict[str, Any]]:
    files = prepare(work, plan.nodes)
    runs: dict[str, list[dict[str, Any]]] = {"server": [], "floor": [], "open": []}
    webhook = [processes.python(), "-m", "webhook", "serve", *serve_flags(files)]
    floor = [processes.python(), "-m", "bench.stack_server", "--floor", *serve_flags(files)]
    with (
        processes.server(webhook, work / "server.log", files.ca) as srv,
        processes.server(floor, work / "floor.log", files.ca) as flr,
    ):
        check_answer(srv.port, files, floor=False)
        check_answer(flr.port, files, floor=True)
        for target in (srv, flr):
            wrk(target.port, files, 2)  # warm-up: connections, caches, the allocator
        for _ in range(plan.runs):
            runs["server"].append(closed_run(srv, files, plan.seconds))
            runs["floor"].append(closed_run(flr, files, plan.seconds))
        for _ in range(plan.open_runs):
            runs["open"].append(open_loop(srv.port, files, plan))
    summary = {
        "server_rps": median(runs["server"], "rps", 0),
        "server_p50_ms": median([{"v": r["p50_us"] / 1000} for r in runs["server"]], "v", 3),
        "server_p99_ms": median([{"v": r["p99_us"] / 1000} for r in runs["server"]], "v", 3),
        "floor_rps": median(runs["floor"], "rps", 0),
        "floor_p99_ms": median([{"v": r["p99_us"] / 1000} for r in runs["floor"]], "v", 3),
        "server_p99_ms_at_200rps": median(runs["open"], "p99_ms", 3),
        "server_cpu_us_per_request": median(runs["server"], "cpu_us_per_request", 0),
        "floor_cpu_us_per_request": median(runs["floor"], "cpu_us_per_request", 0),
    }
    return summary, runs
