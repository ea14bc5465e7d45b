"""An open-loop load generator for the webhook: a fixed rate of AdmissionReviews over kept-alive TLS.

Runs in its own process (started by soak.py), so its CPU is not the server's. Requests are scheduled
at fixed instants (rate per second), whatever the answers do: a slow server shows up as latency and
as a backlog, not as a quietly lower rate. A pool of connections, each used for one request at a
time, as the apiserver does. Every answer is checked (status 200, the request's uid echoed); the
summary is one JSON object on stdout.

    python tools/soak/loadgen.py --port 8443 --ca certs/ca.crt --rate 200 --seconds 600
"""

from __future__ import annotations

import argparse
import asyncio
import json
import ssl
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
REVIEWS = [
    json.loads((ROOT / "examples" / name).read_bytes()) for name in ("review-warn.json", "review-deny.json")
]
OTHER = {"group": "", "version": "v1", "kind": "Secret"}  # not a ConfigMap: allowed untouched


def review_body(n: int) -> tuple[bytes, str]:
    """Request number n: a warning review, a denial, or another kind, each with its own uid."""
    doc = json.loads(json.dumps(REVIEWS[n % 2]))
    uid = f"soak-{n}"
    doc["request"]["uid"] = uid
    if n % 5 == 4:
        doc["request"]["kind"] = OTHER
    return json.dumps(doc).encode(), uid


class Stats:
    def __init__(self) -> None:
        self.outcomes: Counter[str] = Counter()
        self.latencies: list[float] = []
        self.late = 0  # requests that left more than 100 ms after their scheduled instant

    def summary(self, elapsed: float) -> dict[str, Any]:
        lat = sorted(self.latencies)
        pick = (
            (lambda q: round(lat[min(len(lat) - 1, int(q * len(lat)))] * 1000, 2))
            if lat
            else (lambda q: None)
        )
        ok = self.outcomes["ok"]
        return {
            "seconds": round(elapsed, 1),
            "requests": sum(self.outcomes.values()),
            "ok": ok,
            "errors": sum(v for k, v in self.outcomes.items() if k != "ok"),
            "outcomes": dict(self.outcomes),
            "rate_achieved": round(ok / elapsed, 1) if elapsed else 0,
            "latency_ms": {"p50": pick(0.5), "p99": pick(0.99), "p999": pick(0.999), "max": pick(1.0)},
            "sent_late": self.late,
        }


class Client:
    """One kept-alive TLS connection; reopened when the server closes it."""

    def __init__(self, port: int, context: ssl.SSLContext, server_name: str) -> None:
        self.port, self.context, self.server_name = port, context, server_name
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, body: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(
                "127.0.0.1", self.port, ssl=self.context, server_hostname=self.server_name
            )
        assert self.reader is not None
        head = f"POST /validate?timeout=10s HTTP/1.1\r\nHost: {self.server_name}\r\n"
        head += "Content-Type: application/json\r\n"
        self.writer.write(head.encode() + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        status_line = await self.reader.readline()
        headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        payload = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return int(status_line.split()[1]), payload

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None


async def one(client: Client, n: int, stats: Stats) -> None:
    body, uid = review_body(n)
    started = time.perf_counter()
    try:
        status, payload = await asyncio.wait_for(client.post(body), timeout=10)
    except Exception as exc:  # every failure is counted by its kind, and the connection replaced
        stats.outcomes[f"failed: {type(exc).__name__}"] += 1
        await client.close()
        return
    stats.latencies.append(time.perf_counter() - started)
    answered = status == 200 and json.loads(payload)["response"]["uid"] == uid
    stats.outcomes["ok" if answered else f"status {status}"] += 1


async def worker(queue: asyncio.Queue[tuple[int, float] | None], client: Client, stats: Stats) -> None:
    while (item := await queue.get()) is not None:
        n, due = item
        if time.perf_counter() - due > 0.1:
            stats.late += 1
        await one(client, n, stats)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    context = ssl.create_default_context(cafile=args.ca)
    stats, queue = Stats(), asyncio.Queue[tuple[int, float] | None]()
    clients = [Client(args.port, context, args.server_name) for _ in range(args.connections)]
    workers = [asyncio.create_task(worker(queue, c, stats)) for c in clients]
    start = time.perf_counter()
    total = int(args.rate * args.seconds)
    for n in range(total):
        due = start + n / args.rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        queue.put_nowait((n, due))
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    for c in clients:
        await c.close()
    return stats.summary(time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ca", required=True, help="the CA that signed the server's certificate")
    parser.add_argument("--server-name", default="localhost", help="the name to verify (default localhost)")
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second (default 200)")
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--connections", type=int, default=16, help="kept-alive connections (default 16)")
    summary = asyncio.run(run(parser.parse_args()))
    print(json.dumps(summary))
    return 0 if summary["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
