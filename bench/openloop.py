"""Open-loop load: requests leave on a fixed schedule whether or not the earlier ones have returned.

wrk keeps N requests in flight (a closed loop), which hides queueing: a slow answer delays the next
request instead of making it wait. Here request i is due at start + i/rate and leaves then on a free
connection (a new one if all are busy), never waiting for an earlier answer, so time spent queued
in the server behind a slow answer is measured (no coordinated omission). Latency runs from the
request's write to its answer (the generator's timer is only good to about a millisecond); how
late the writes left against the schedule is reported beside it (`late_p99_ms`).
Kept-alive TLS connections are reused; when all are busy a new one is opened (counted in the JSON).

`python -m bench.openloop --port P --ca CA --body FILE --rate 200 --seconds 20` prints one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import ssl
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import uvloop

Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter, float]  # reader, writer, idle since
IDLE_MAX = 4.0  # seconds; the server closes a connection idle for 5 (uvicorn's keep-alive timeout)


@dataclass
class Load:
    port: int
    context: ssl.SSLContext
    request: bytes
    idle: list[Connection] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)  # from the request's write to its answer
    lateness: list[float] = field(default_factory=list)  # how late the write left against schedule
    errors: int = 0
    opened: int = 0

    async def connect(self) -> Connection:
        self.opened += 1
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port, ssl=self.context)
        return reader, writer, asyncio.get_running_loop().time()

    async def take(self) -> Connection:
        """A kept-alive connection the server has not closed (as an HTTP client's pool does), else a
        new one: its handshake then counts in that request's latency."""
        now = asyncio.get_running_loop().time()
        while self.idle:
            reader, writer, since = self.idle.pop()
            if not reader.at_eof() and now - since < IDLE_MAX:
                return reader, writer, since
            writer.close()
        return await self.connect()

    async def one(self, due: float) -> None:
        try:
            reader, writer, _ = await self.take()
            sent = time.perf_counter()
            writer.write(self.request)
            ok = await _read_response(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            self.errors += 1
            return
        self.latencies.append(time.perf_counter() - sent)
        self.lateness.append(sent - due)
        self.errors += not ok
        self.idle.append((reader, writer, asyncio.get_running_loop().time()))


async def _read_response(reader: asyncio.StreamReader) -> bool:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return head.startswith(b"HTTP/1.1 200")


def http_request(body: bytes) -> bytes:
    head = (
        "POST /validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def run(load: Load, rate: float, seconds: float, connections: int) -> None:
    load.idle = [await load.connect() for _ in range(connections)]
    start = time.perf_counter() + 0.05
    tasks = []
    for i in range(int(rate * seconds)):
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        tasks.append(asyncio.create_task(load.one(due)))
    await asyncio.gather(*tasks)


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=1000, method="inclusive")[int(q * 10) - 1] if values else 0.0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="open-loop AdmissionReview load over TLS")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--ca", type=Path, required=True)
    parser.add_argument("--body", type=Path, required=True)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args(argv)
    context = ssl.create_default_context(cafile=str(args.ca))
    load = Load(args.port, context, http_request(args.body.read_bytes()))
    uvloop.run(run(load, args.rate, args.seconds, args.connections))
    ms = [x * 1000 for x in load.latencies]
    figures = {"sent": int(args.rate * args.seconds), "completed": len(ms), "errors": load.errors}
    figures |= {"connections": load.opened, "p50_ms": percentile(ms, 50), "p99_ms": percentile(ms, 99)}
    late = [x * 1000 for x in load.lateness]
    figures |= {"max_ms": max(ms, default=0.0), "late_p99_ms": percentile(late, 99)}
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
