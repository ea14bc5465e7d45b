"""A deliberately small HTTP/1.1 client over TLS that sends exactly the bytes it is given.

http.client and httpx refuse to send garbage methods, wrong lengths or truncated bodies; the hostile
tests need all of those. `Connection` keeps one TLS connection alive across requests, reads each
answer by its Content-Length, and reopens only when the server said `Connection: close` or the test
broke the protocol on purpose. An answer that never comes (end of stream, reset) is reported as
`Dropped`, never papered over.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass, field

TIMEOUT = 30.0


class DroppedError(Exception):
    """The server closed or reset the connection without a complete answer."""


@dataclass
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def closes(self) -> bool:
        return self.headers.get("connection", "").lower() == "close"


def request_bytes(
    method: str = "POST",
    path: str = "/validate",
    body: bytes = b"",
    content_type: str | None = "application/json",
    extra: list[tuple[str, str]] | None = None,
    length: int | None = None,
) -> bytes:
    """A request as bytes; `length` overrides the Content-Length (a lie, for the truncation cases)."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    if content_type is not None:
        lines.append(f"Content-Type: {content_type}")
    lines.append(f"Content-Length: {len(body) if length is None else length}")
    lines += [f"{k}: {v}" for k, v in extra or []]
    head = "\r\n".join(lines).encode("latin-1", "replace") + b"\r\n\r\n"
    return head + body


def chunked(method: str, path: str, body: bytes, chunk: int = 65536) -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    parts = [head.encode() + b"Transfer-Encoding: chunked\r\n\r\n"]
    for i in range(0, len(body), chunk):
        piece = body[i : i + chunk]
        parts.append(b"%x\r\n%s\r\n" % (len(piece), piece))
    return b"".join([*parts, b"0\r\n\r\n"])


class Connection:
    def __init__(self, port: int, context: ssl.SSLContext) -> None:
        self.port = port
        self.context = context
        self.sock: ssl.SSLSocket | None = None
        self.buffer = b""
        self.opened = 0

    def _open(self) -> ssl.SSLSocket:
        if self.sock is None:
            raw = socket.create_connection(("127.0.0.1", self.port), timeout=TIMEOUT)
            self.sock = self.context.wrap_socket(raw, server_hostname="127.0.0.1")
            self.buffer = b""
            self.opened += 1
        return self.sock

    def close(self) -> None:
        if self.sock is not None:
            try:
                self.sock.close()
            finally:
                self.sock, self.buffer = None, b""

    def send(self, data: bytes) -> Answer:
        """Send one request and read its answer; keep the connection unless it must close."""
        return self.send_many(data, 1)[0]

    def send_many(self, data: bytes, count: int) -> list[Answer]:
        """Send `count` requests in one write (HTTP/1.1 pipelining) and read their answers in order."""
        sock = self._open()
        try:
            sock.sendall(data)
            answers = [self._read_answer() for _ in range(count)]
        except DroppedError:
            self.close()
            raise
        except OSError as exc:  # ssl.SSLError included
            self.close()
            raise DroppedError(f"{type(exc).__name__}: {exc}") from None
        if answers[-1].closes:
            self.close()
        return answers

    def send_and_hang_up(self, data: bytes) -> None:
        """Send part of a request and close: the server must cope, there is nothing to read."""
        sock = self._open()
        try:
            sock.sendall(data)
        finally:
            self.close()

    def _read_answer(self) -> Answer:
        head = self._read_until(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        status = int(status_line.split(" ")[1])
        return Answer(status, headers, self._read_exactly(int(headers.get("content-length", "0"))))

    def _fill(self) -> None:
        assert self.sock is not None
        data = self.sock.recv(65536)
        if not data:
            raise DroppedError("end of stream before a complete answer")
        self.buffer += data

    def _read_until(self, marker: bytes) -> bytes:
        while marker not in self.buffer:
            self._fill()
        head, _, self.buffer = self.buffer.partition(marker)
        return head

    def _read_exactly(self, n: int) -> bytes:
        while len(self.buffer) < n:
            self._fill()
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out
