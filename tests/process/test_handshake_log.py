"""Failed TLS handshakes reach the real server's log: one line per client address and window, with
OpenSSL's reason, so that a wrong --client-ca or a client with bad TLS is visible on this side.

Each kind of failure comes from its own loopback address (127.0.0.x), as separate clients would.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from process_support import wait_for_entry, wait_until
from tls_process import Pki, WebhookProcess, client_context, make_pki, once, write_client_cert

from webhook.certs import generate_ca

pytestmark = pytest.mark.timeout(120)

Client = Callable[[int, str], None]


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    directory = tmp_path_factory.mktemp("handshake-clients")
    apiserver_ca, other_ca = generate_ca("apiserver client CA"), generate_ca("another CA")
    (directory / "client-ca.crt").write_bytes(apiserver_ca.cert_pem)
    return {
        "client CA": directory / "client-ca.crt",
        "good": write_client_cert(apiserver_ca, directory, "apiserver"),
        "other": write_client_cert(other_ca, directory, "other"),
        "distrusted server CA": make_pki(
            directory / "elsewhere", "a CA the server's certificate is not from"
        ),
    }


@pytest.fixture(scope="module")
def mtls(pki: Pki, certificates: dict[str, Any]) -> Iterator[WebhookProcess]:
    with WebhookProcess(pki, "--client-ca", str(certificates["client CA"]), ready=False) as process:
        yield process


def tls_attempt(ctx: ssl.SSLContext) -> Client:
    """A client that handshakes with `ctx`, then asks for /healthz (TLS 1.3 reports a refused
    client certificate only after the client's side of the handshake is done)."""

    def attempt(port: int, source: str) -> None:
        with (
            contextlib.suppress(OSError),
            _connect(port, source) as raw,
            ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
        ):
            tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            tls.recv(16)

    return attempt


def plain_http(port: int, source: str) -> None:
    with contextlib.suppress(OSError), _connect(port, source) as raw:
        raw.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        raw.recv(16)


def _connect(port: int, source: str) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))


def tls10(ca_file: Path) -> ssl.SSLContext:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.0 is deprecated in ssl
        ctx = client_context(ca_file, minimum=ssl.TLSVersion.TLSv1, maximum=ssl.TLSVersion.TLSv1)
        ctx.set_ciphers("ALL:@SECLEVEL=0")
    return ctx


def clients(pki: Pki, certificates: dict[str, Any]) -> dict[str, tuple[str, Client, str]]:
    """What a client does wrong -> (its address, the client, the reason the server logs)."""
    good, other = certificates["good"], certificates["other"]
    elsewhere: Pki = certificates["distrusted server CA"]
    return {
        "no client certificate": (
            "127.0.0.2",
            tls_attempt(client_context(pki.ca_file)),
            "PEER_DID_NOT_RETURN_A_CERTIFICATE",
        ),
        "a client certificate from another CA": (
            "127.0.0.3",
            tls_attempt(client_context(pki.ca_file, cert=other)),
            "CERTIFICATE_VERIFY_FAILED",
        ),
        "a client that does not trust the server's CA": (
            "127.0.0.4",
            tls_attempt(client_context(elsewhere.ca_file, cert=good)),
            "TLSV1_ALERT_UNKNOWN_CA",
        ),
        "plain HTTP on the TLS port": ("127.0.0.5", plain_http, "HTTP_REQUEST"),
        "TLS 1.0 only": ("127.0.0.6", tls_attempt(tls10(pki.ca_file)), "UNSUPPORTED_PROTOCOL"),
    }


CASES = [
    "no client certificate",
    "a client certificate from another CA",
    "a client that does not trust the server's CA",
    "plain HTTP on the TLS port",
    "TLS 1.0 only",
]


@pytest.mark.parametrize("case", CASES)
def test_a_failed_handshake_is_logged_with_the_client_and_the_reason(
    mtls: WebhookProcess, certificates: dict[str, Any], case: str
) -> None:
    source, attempt, reason = clients(mtls.pki, certificates)[case]
    attempt(mtls.port, source)
    entry = wait_for_entry(mtls, lambda e: str(e.get("client", "")).startswith(f"{source}:"))
    assert (entry["message"], entry["level"], entry["reason"]) == ("TLS handshake failed", "warning", reason)
    assert entry["detail"] and entry["suppressed"] == 0


def test_a_burst_from_one_address_is_one_line(mtls: WebhookProcess) -> None:
    source = "127.0.0.7"
    for _ in range(20):
        plain_http(mtls.port, source)
    # a later failure from another address is logged, so every line about the burst is in by then
    plain_http(mtls.port, "127.0.0.8")
    wait_for_entry(mtls, lambda e: str(e.get("client", "")).startswith("127.0.0.8:"))
    lines = [e for e in list(mtls.lines) if str(e.get("client", "")).startswith(f"{source}:")]
    assert len(lines) == 1


def test_the_server_still_serves_its_client(mtls: WebhookProcess, certificates: dict[str, Any]) -> None:
    ctx = client_context(mtls.pki.ca_file, cert=certificates["good"])
    wait_until(lambda: once(mtls.port, ctx, "GET", "/healthz").status == 200, 10, "a healthy answer")
