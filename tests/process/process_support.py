"""Load, certificate rotation and slow senders for the real-process tests (tls_process starts the server).

`Load` keeps several clients sending reviews back to back on kept-alive connections and records every
request that did not get its right answer; `SecretVolume` rotates files the way kubelet updates a
mounted Secret; `trickle` is a client that sends a byte at a time and reports how the server ended it.
"""

from __future__ import annotations

import contextlib
import copy
import http.client
import json
import os
import select
import shutil
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tls_process import REVIEW_DENY, REVIEW_WARN, Reply, WebhookProcess, connect, request, tls_connection

REVIEWS = {"deny": json.loads(REVIEW_DENY), "warn": json.loads(REVIEW_WARN)}


def review_body(kind: str, uid: str, **changes: Any) -> bytes:
    """An example review (`deny` or `warn`) with its own uid; `changes` replace fields of `request`."""
    doc = copy.deepcopy(REVIEWS[kind])
    doc["request"].update(uid=uid, **changes)
    return json.dumps(doc).encode()


def request_head(body: bytes) -> bytes:
    """The request line and headers of a POST /validate carrying `body`, for clients that write raw bytes."""
    return (
        b"POST /validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n"
    )


def wrong_answer(kind: str, uid: str, reply: Reply) -> str | None:
    """What is wrong with the reply to review `kind` with `uid`; None when it is the right answer."""
    if reply.status != 200 or not isinstance(reply.body, dict):
        return f"{uid}: HTTP {reply.status} {reply.body!r:.200}"
    response = reply.body.get("response", {})
    expected = kind == "warn"
    if response.get("uid") != uid or response.get("allowed") is not expected:
        return f"{uid}: wrong answer {response!r:.200}"
    return None


def wait_until(condition: Callable[[], bool], timeout: float, what: str, step: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(step)


def wait_for_entry(server: WebhookProcess, matches: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """The first JSON log line of `server` that `matches`, waiting up to 30 s for it."""
    found: list[dict[str, Any]] = []

    def seen() -> bool:
        found.extend(e for e in list(server.lines) if matches(e))
        return bool(found)

    wait_until(seen, 30, "a log line")
    return found[0]


@dataclass
class Sent:
    """One request of the load: when it started, what was wrong (None: nothing), whether it closed."""

    started: float
    problem: str | None
    closed: bool


@dataclass
class Load:
    """`clients` threads, each on its own kept-alive connection, alternating denials and warnings."""

    port: int
    ctx: ssl.SSLContext
    clients: int = 4
    sent: list[Sent] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __enter__(self) -> Load:
        for i in range(self.clients):
            self._threads.append(threading.Thread(target=self._client, args=(i,), daemon=True))
            self._threads[-1].start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Let each client finish the request it is in, then stop."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)
        assert not any(t.is_alive() for t in self._threads), "a load client hung"

    @property
    def failures(self) -> list[str]:
        with self._lock:
            return [s.problem for s in self.sent if s.problem]

    def count(self, since: float = 0.0) -> int:
        with self._lock:
            return sum(1 for s in self.sent if s.started >= since)

    def wait_for(self, requests: int, since: float = 0.0, timeout: float = 30) -> None:
        wait_until(lambda: self.count(since) >= requests, timeout, f"{requests} requests of the load")

    def _client(self, index: int) -> None:
        conn = connect(self.port, self.ctx)
        n = 0
        while not self._stop.is_set():
            kind, uid = ("deny", "warn")[n % 2], f"load-{index}-{n}"
            n += 1
            started = time.monotonic()
            sent = self._one(conn, kind, uid, started)
            with self._lock:
                self.sent.append(sent)
        conn.close()

    @staticmethod
    def _one(conn: http.client.HTTPSConnection, kind: str, uid: str, started: float) -> Sent:
        try:
            reply = request(conn, "POST", "/validate", review_body(kind, uid))
        except (OSError, http.client.HTTPException) as e:
            conn.close()  # the next request opens a new connection
            return Sent(started, f"{uid}: {type(e).__name__}: {e}", True)
        closed = reply.headers.get("connection", "").lower() == "close"
        return Sent(started, wrong_answer(kind, uid, reply), closed)


class SecretVolume:
    """A directory laid out as kubelet mounts a Secret: `name` -> `..data/name`, `..data` -> a dated dir.

    An update writes a new dated directory and renames a new `..data` link over the old one, so a reader
    sees either every old file or every new one (kubelet's AtomicWriter).
    """

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self._generation = 0

    def write(self, files: dict[str, bytes]) -> None:
        self._generation += 1
        dated = self.dir / f"..2026_11_29_{self._generation:04d}"
        dated.mkdir()
        for name, content in files.items():
            (dated / name).write_bytes(content)
        old = (self.dir / "..data").resolve() if (self.dir / "..data").is_symlink() else None
        (self.dir / "..data_tmp").symlink_to(dated.name)
        os.replace(self.dir / "..data_tmp", self.dir / "..data")
        for name in files:
            if not (self.dir / name).is_symlink():
                (self.dir / name).symlink_to(f"..data/{name}")
        if old is not None:
            shutil.rmtree(old)


@dataclass(frozen=True)
class Trickled:
    """How a slow send ended: bytes sent of those meant, whether the server ended it, what it answered."""

    sent: int
    meant: int
    ended_by_server: bool  # it answered or closed; False: still waiting 30 s after the last byte
    answer: bytes = b""

    @property
    def cut_off(self) -> bool:
        return self.ended_by_server and self.sent < self.meant

    @property
    def status(self) -> int | None:
        return int(self.answer.split(b" ", 2)[1]) if self.answer.startswith(b"HTTP/1.1 ") else None


def trickle(port: int, ctx: ssl.SSLContext, at_once: bytes, dribble: bytes, step: float = 0.1) -> Trickled:
    """Send `at_once`, then `dribble` a byte every `step` seconds, until the server answers or closes."""
    meant = len(at_once) + len(dribble)
    with tls_connection(port, ctx) as tls:
        tls.sendall(at_once)
        for sent, byte in enumerate(dribble):
            heard = _poll(tls, step)
            if heard is not None:
                return Trickled(len(at_once) + sent, meant, True, heard + _read_all(tls) if heard else b"")
            try:
                tls.sendall(bytes([byte]))
            except (OSError, ssl.SSLError):
                return Trickled(len(at_once) + sent, meant, True)
        heard = _poll(tls, 30)  # everything sent: the server answers, closes, or neither
        return Trickled(meant, meant, heard is not None, heard + _read_all(tls) if heard else b"")


def stall(port: int, data: bytes) -> bool:
    """Open a TCP connection, send `data` (not a whole TLS handshake), then nothing: closed by the server
    within 30 s (True), or still open (False)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(data)
        try:
            return sock.recv(4096) == b""  # a TLS alert would be bytes: not what a deadline sends
        except TimeoutError:
            return False
        except OSError:
            return True  # reset


def _poll(tls: ssl.SSLSocket, timeout: float) -> bytes | None:
    """None: nothing from the server within `timeout`; b"": it closed; else the first bytes it sent."""
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        if not (tls.pending() or select.select([tls], [], [], left)[0]):
            return None
        tls.setblocking(False)
        try:
            return tls.recv(65536)
        except ssl.SSLWantReadError:
            continue  # a TLS record that carried no data (a TLS 1.3 session ticket)
        except (OSError, ssl.SSLError):
            return b""  # a reset is a close too
        finally:
            tls.settimeout(10)
    return None


def _read_all(tls: ssl.SSLSocket) -> bytes:
    """Whatever the server sends until it closes."""
    chunks = []
    with contextlib.suppress(OSError, ssl.SSLError):
        while chunk := tls.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)
