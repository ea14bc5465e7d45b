"""The real server as a child process with real TLS, and clients that verify it.

`WebhookProcess` starts `python -m webhook serve --port 0 ...`, reads its JSON log lines from stderr in
a thread, learns the port from uvicorn's "running on" line and waits for /readyz. Every wait has a
timeout, and the process is killed (by its own pid) if a test leaves it running.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from webhook.certs import Issued, generate_ca, generate_client, generate_serving

ROOT = Path(__file__).resolve().parents[2]
NODES_FILE = ROOT / "examples" / "nodes.json"
RUNNING = re.compile(r"running on https://127\.0\.0\.1:(\d+)")
REVIEW_WARN = (ROOT / "examples" / "review-warn.json").read_bytes()
REVIEW_DENY = (ROOT / "examples" / "review-deny.json").read_bytes()


@dataclass(frozen=True)
class Pki:
    """A CA and a serving certificate for 127.0.0.1, written into a directory."""

    ca: Issued
    serving: Issued
    dir: Path

    @property
    def ca_file(self) -> Path:
        return self.dir / "ca.crt"

    @property
    def cert_file(self) -> Path:
        return self.dir / "tls.crt"

    @property
    def key_file(self) -> Path:
        return self.dir / "tls.key"


def make_pki(directory: Path, name: str = "test CA") -> Pki:
    directory.mkdir(parents=True, exist_ok=True)
    ca = generate_ca(name)
    serving = generate_serving(ca, ["localhost", "127.0.0.1"])
    (directory / "ca.crt").write_bytes(ca.cert_pem)
    (directory / "tls.crt").write_bytes(serving.cert_pem)
    (directory / "tls.key").write_bytes(serving.key_pem)
    return Pki(ca, serving, directory)


def write_client_cert(ca: Issued, directory: Path, stem: str) -> tuple[Path, Path]:
    client = generate_client(ca)
    cert, key = directory / f"{stem}.crt", directory / f"{stem}.key"
    cert.write_bytes(client.cert_pem)
    key.write_bytes(client.key_pem)
    return cert, key


def client_context(
    *ca_files: Path,
    maximum: ssl.TLSVersion | None = None,
    minimum: ssl.TLSVersion | None = None,
    ciphers: str | None = None,
    cert: tuple[Path, Path] | None = None,
) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies the chain and the host name
    for ca_file in ca_files:
        ctx.load_verify_locations(cafile=str(ca_file))
    if minimum is not None:
        ctx.minimum_version = minimum
    if maximum is not None:
        ctx.maximum_version = maximum
    if ciphers is not None:
        ctx.set_ciphers(ciphers)
    if cert is not None:
        ctx.load_cert_chain(str(cert[0]), str(cert[1]))
    return ctx


@contextlib.contextmanager
def tls_connection(port: int, ctx: ssl.SSLContext) -> Iterator[ssl.SSLSocket]:
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
        yield tls


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str]
    peer_serial: int | None = None


def request(conn: http.client.HTTPSConnection, method: str, path: str, body: bytes | None = None) -> Reply:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    raw = response.read()
    serial = _peer_serial(conn)
    if response.getheader("connection", "").lower() == "close":
        conn.close()  # as the server said; the next request opens a new connection
    content = json.loads(raw) if raw and response.getheader("content-type") == "application/json" else raw
    return Reply(response.status, content, {k.lower(): v for k, v in response.getheaders()}, serial)


def _peer_serial(conn: http.client.HTTPSConnection) -> int | None:
    sock = conn.sock
    if not isinstance(sock, ssl.SSLSocket):
        return None
    der = sock.getpeercert(binary_form=True)
    if der is None:
        return None
    from cryptography import x509

    return x509.load_der_x509_certificate(der).serial_number


def connect(port: int, ctx: ssl.SSLContext) -> http.client.HTTPSConnection:
    return http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=10)


def once(port: int, ctx: ssl.SSLContext, method: str, path: str, body: bytes | None = None) -> Reply:
    """One request on a new connection (a new handshake)."""
    conn = connect(port, ctx)
    try:
        return request(conn, method, path, body)
    finally:
        conn.close()


class WebhookProcess:
    def __init__(self, pki: Pki, *args: str, ready: bool = True) -> None:
        self.pki = pki
        self.args = args
        self.wait_ready = ready
        self.lines: list[dict[str, Any]] = []
        self.raw_stderr: list[str] = []
        self._changed = threading.Condition()
        self._eof = False
        self._reader: threading.Thread | None = None
        self.proc: subprocess.Popen[str] | None = None
        self.port = 0

    def command(self) -> list[str]:
        base = [sys.executable, "-m", "webhook", "serve", "--host", "127.0.0.1", "--port", "0"]
        tls = ["--tls-cert", str(self.pki.cert_file), "--tls-key", str(self.pki.key_file)]
        source = [] if "--kubeconfig" in self.args else ["--nodes-file", str(NODES_FILE)]
        return [*base, *tls, *source, "--log-format", "json", *self.args]

    def __enter__(self) -> WebhookProcess:
        self.proc = subprocess.Popen(
            self.command(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        line = self.wait_for_log(lambda m: RUNNING.search(m) is not None, timeout=30)
        match = RUNNING.search(line["message"])
        assert match is not None
        self.port = int(match.group(1))
        if self.wait_ready:
            self.wait_until_ready()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        # The pipe is closed once the reader has read it to its end (closing it under the reader
        # would break its loop), so that no ResourceWarning about an open file outlives the test.
        if self._reader is not None:
            self._reader.join(timeout=10)
        if self.proc.stderr is not None and not (self._reader and self._reader.is_alive()):
            self.proc.stderr.close()

    def _read(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        for text in self.proc.stderr:
            with self._changed:
                self.raw_stderr.append(text)
                with contextlib.suppress(ValueError):
                    self.lines.append(json.loads(text))
                self._changed.notify_all()
        with self._changed:
            self._eof = True
            self._changed.notify_all()

    def wait_for_log(self, matches: Callable[[str], bool], timeout: float = 10) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self.lines:
                    if matches(str(line.get("message", ""))):
                        return line
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._eof:
                    raise AssertionError(f"no such log line; stderr so far:\n{''.join(self.raw_stderr)}")
                self._changed.wait(min(remaining, 0.2))

    def logged(self, matches: Callable[[str], bool]) -> bool:
        with self._changed:
            return any(matches(str(line.get("message", ""))) for line in self.lines)

    def wait_until_ready(self, timeout: float = 20) -> None:
        ctx = client_context(self.pki.ca_file)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if once(self.port, ctx, "GET", "/readyz").status == 200:
                return
            time.sleep(0.05)
        raise AssertionError("the server did not become ready")

    def terminate(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)

    def wait_exit(self, timeout: float = 30) -> int:
        assert self.proc is not None
        return self.proc.wait(timeout=timeout)


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "webhook", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


@contextlib.contextmanager
def permissive_server(pki: Pki) -> Iterator[int]:
    """A bare TLS server that accepts TLS 1.0 and every cipher: the control for the refusal tests.

    If a client configured for an old protocol or a weak cipher can talk to this one, then the
    webhook refusing it proves the webhook's settings, not the client's, made the difference.
    """
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    ctx.set_ciphers("ALL:@SECLEVEL=0")
    ctx.load_cert_chain(str(pki.cert_file), str(pki.key_file))
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with contextlib.suppress(OSError), ctx.wrap_socket(conn, server_side=True) as tls:
                tls.sendall(b"ok")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


def handshake_ok(port: int, ctx: ssl.SSLContext) -> bool:
    """Whether a handshake completes and the server then talks to us."""
    try:
        with tls_connection(port, ctx) as tls:
            tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            return bool(tls.recv(16))
    except (ssl.SSLError, ConnectionError, TimeoutError):
        return False
