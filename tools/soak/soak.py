"""`make soak`: the real server under a steady load for a long time, and whether it stays flat.

Writes a development CA and serving certificate (`node-agent-webhook certs`) into a temporary
directory, starts `node-agent-webhook serve` against examples/nodes.json on a free loopback port,
runs loadgen.py in its own process at a fixed rate, samples the server's RSS every 10 s, then stops
the server with SIGTERM and checks it exits 0. It prints the figures (requests, errors, latency, RSS
at start, after warm-up, at the end and at most) and fails when any request failed, the server
died, or it did not exit cleanly. Only 127.0.0.1 is used; every wait is bounded.

    python tools/soak/soak.py --seconds 600 --rate 200
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
RUNNING = re.compile(r"running on https://127\.0\.0\.1:(\d+)")
SAMPLE_EVERY = 10.0


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def make_certs(directory: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "webhook", "certs", "--out-dir", str(directory)],
        check=True,
        cwd=ROOT,
        timeout=60,
        stdout=subprocess.DEVNULL,
    )


class Server:
    """`serve` as a child process; its stderr (JSON log lines) is read by a thread, errors counted."""

    def __init__(self, certs: Path) -> None:
        command = [sys.executable, "-m", "webhook", "serve", "--host", "127.0.0.1", "--port", "0"]
        command += ["--tls-cert", str(certs / "tls.crt"), "--tls-key", str(certs / "tls.key")]
        command += ["--nodes-file", str(ROOT / "examples" / "nodes.json"), "--shutdown-delay", "1"]
        self.proc = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        self.port: int | None = None
        self.levels: dict[str, int] = {}
        self.started = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            try:
                record = json.loads(line)
            except ValueError:
                record = {"level": "unstructured", "message": line}
            level = str(record.get("level"))
            self.levels[level] = self.levels.get(level, 0) + 1
            if level in ("error", "critical", "unstructured"):
                print(f"server: {line.rstrip()}", file=sys.stderr)
            match = RUNNING.search(str(record.get("message", "")))
            if match:
                self.port = int(match.group(1))
                self.started.set()

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait(timeout=10)


def soak(args: argparse.Namespace, certs: Path) -> dict[str, Any]:
    server = Server(certs)
    if not server.started.wait(60) or server.port is None:
        server.proc.kill()
        raise SystemExit("soak: the server did not start")
    time.sleep(1)  # let the inventory load and /readyz turn green
    samples = [rss_kib(server.proc.pid)]
    target = ["--port", str(server.port), "--ca", str(certs / "ca.crt")]
    load = subprocess.Popen(
        [
            sys.executable,
            str(HERE / "loadgen.py"),
            *target,
            "--rate",
            str(args.rate),
            "--seconds",
            str(args.seconds),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    while load.poll() is None and server.proc.poll() is None:
        time.sleep(SAMPLE_EVERY if args.seconds > 60 else 2)
        samples.append(rss_kib(server.proc.pid) if server.proc.poll() is None else 0)
    alive = server.proc.poll() is None
    output, _ = load.communicate(timeout=args.seconds + 120)
    exit_code = server.stop() if alive else server.proc.returncode
    return report(json.loads(output or "{}"), samples, alive, exit_code, server.levels)


def report(
    load: dict[str, Any], samples: list[int], alive: bool, exit_code: int, levels: dict[str, int]
) -> dict[str, Any]:
    warm = samples[min(len(samples) - 1, max(1, len(samples) // 10))]
    return {
        "load": load,
        "rss_mib": {
            "start": round(samples[0] / 1024, 1),
            "after_warm_up": round(warm / 1024, 1),
            "end": round(samples[-1] / 1024, 1),
            "max": round(max(samples) / 1024, 1),
            "samples": len(samples),
        },
        "server_alive_at_end": alive,
        "server_exit_code": exit_code,
        "server_log_levels": levels,
    }


def failed(result: dict[str, Any]) -> list[str]:
    load = result["load"]
    problems = []
    if load.get("errors", 1) != 0 or not load.get("requests"):
        problems.append(f"{load.get('errors')} failed requests: {load.get('outcomes')}")
    if not result["server_alive_at_end"] or result["server_exit_code"] != 0:
        problems.append(
            f"server alive {result['server_alive_at_end']}, exit code {result['server_exit_code']}"
        )
    if result["server_log_levels"].get("error") or result["server_log_levels"].get("critical"):
        problems.append(f"the server logged errors: {result['server_log_levels']}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=600.0, help="default 600")
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second (default 200)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="soak-") as tmp:
        make_certs(Path(tmp))
        result = soak(args, Path(tmp))
    print(json.dumps(result, indent=2))
    problems = failed(result)
    for problem in problems:
        print(f"soak: FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
