"""What the real server's TLS accepts: versions, cipher suites, and (with --client-ca) client certificates.

Every refusal has a control: the same client completes a handshake with a permissive server (TLS 1.0,
every cipher) holding the same certificate, so it is the webhook's settings that refuse it, not the
client failing to offer what it claims. RC4, 3DES, NULL and export suites cannot be offered at all by the
OpenSSL here; the server's own list is checked for them in tests/certs/test_tls_context.py.
"""

from __future__ import annotations

import ssl
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from process_support import review_body, wrong_answer
from tls_process import (
    Pki,
    WebhookProcess,
    client_context,
    once,
    permissive_server,
    tls_connection,
    write_client_cert,
)

from webhook.certs import generate_ca

pytestmark = pytest.mark.timeout(120)

V = ssl.TLSVersion


def offer(ca_file: Path, versions: tuple[V, V], ciphers: str | None = None) -> ssl.SSLContext:
    """A verifying client that offers only `versions` (min, max) and, for TLS 1.2 and below, `ciphers`."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # TLS 1.0 and 1.1 are deprecated in ssl
        ctx = client_context(ca_file, minimum=versions[0], maximum=versions[1])
        # below TLS 1.2 OpenSSL 3 offers nothing at its default security level
        ctx.set_ciphers(f"{ciphers or 'ALL'}:@SECLEVEL=0")
    return ctx


def negotiated(port: int, ctx: ssl.SSLContext) -> tuple[str, str] | None:
    """(version, cipher) when a handshake completes and the server then answers; None when refused."""
    try:
        with tls_connection(port, ctx) as tls:
            tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            if not tls.recv(16):
                return None
            cipher = tls.cipher()
            version = tls.version()
            assert cipher is not None and version is not None
            return version, cipher[0]
    except (ssl.SSLError, ConnectionError, TimeoutError):
        return None


OLD = (V.TLSv1, V.TLSv1_1)
TLS12 = (V.TLSv1_2, V.TLSv1_2)
TLS13 = (V.TLSv1_3, V.TLSv1_3)

# What a client offers, and what the default server (TLS 1.2 minimum) makes of it.
REFUSED_BY_DEFAULT = [
    ("TLS 1.0 only", (V.TLSv1, V.TLSv1), None),
    ("TLS 1.1 only", (V.TLSv1_1, V.TLSv1_1), None),
    ("TLS 1.0 and 1.1, every cipher", OLD, None),
    ("TLS 1.2 with CBC suites and SHA-1 MACs only", TLS12, "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA"),
    (
        "TLS 1.2 with CBC suites and SHA-2 MACs only",
        TLS12,
        "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384",
    ),
    (
        "TLS 1.2 with Camellia CBC suites only",
        TLS12,
        "ECDHE-ECDSA-CAMELLIA128-SHA256:ECDHE-ECDSA-CAMELLIA256-SHA384",
    ),
    ("TLS 1.2 with CCM8 (64-bit tag) suites only", TLS12, "ECDHE-ECDSA-AES128-CCM8:ECDHE-ECDSA-AES256-CCM8"),
]
ACCEPTED_BY_DEFAULT = [
    (
        "TLS 1.2 with AES-GCM only",
        TLS12,
        "ECDHE-ECDSA-AES128-GCM-SHA256",
        ("TLSv1.2", "ECDHE-ECDSA-AES128-GCM-SHA256"),
    ),
    (
        "TLS 1.2 with ChaCha20 only",
        TLS12,
        "ECDHE-ECDSA-CHACHA20-POLY1305",
        ("TLSv1.2", "ECDHE-ECDSA-CHACHA20-POLY1305"),
    ),
    ("TLS 1.3 only", TLS13, None, ("TLSv1.3", "TLS_AES_256_GCM_SHA384")),
]


@pytest.fixture(scope="module")
def permissive(pki: Pki) -> Iterator[int]:
    with permissive_server(pki) as port:
        yield port


@pytest.mark.parametrize(
    ("offered", "versions", "ciphers"), REFUSED_BY_DEFAULT, ids=[r[0] for r in REFUSED_BY_DEFAULT]
)
def test_weak_offers_are_refused(
    server: WebhookProcess, permissive: int, offered: str, versions: tuple[V, V], ciphers: str | None
) -> None:
    ctx = offer(server.pki.ca_file, versions, ciphers)
    assert negotiated(permissive, ctx) is not None, f"the control: a permissive server takes {offered}"
    assert negotiated(server.port, ctx) is None


@pytest.mark.parametrize(
    ("offered", "versions", "ciphers", "expected"),
    ACCEPTED_BY_DEFAULT,
    ids=[r[0] for r in ACCEPTED_BY_DEFAULT],
)
def test_modern_offers_are_accepted(
    server: WebhookProcess,
    offered: str,
    versions: tuple[V, V],
    ciphers: str | None,
    expected: tuple[str, str],
) -> None:
    assert negotiated(server.port, offer(server.pki.ca_file, versions, ciphers)) == expected


def test_a_default_client_gets_tls_13(server: WebhookProcess) -> None:
    assert negotiated(server.port, client_context(server.pki.ca_file)) == (
        "TLSv1.3",
        "TLS_AES_256_GCM_SHA384",
    )


@pytest.fixture(scope="module")
def tls13_server(pki: Pki) -> Iterator[WebhookProcess]:
    with WebhookProcess(pki, "--tls-min-version", "1.3") as process:
        yield process


@pytest.mark.parametrize(
    ("offered", "versions", "expected"),
    [
        ("TLS 1.2 only", TLS12, None),
        ("TLS 1.3 only", TLS13, "TLSv1.3"),
        ("TLS 1.2 or 1.3", (V.TLSv1_2, V.TLSv1_3), "TLSv1.3"),
    ],
    ids=["TLS 1.2 only is refused", "TLS 1.3 only is accepted", "TLS 1.2 or 1.3 gets 1.3"],
)
def test_tls_min_version_13_refuses_tls_12(
    tls13_server: WebhookProcess, offered: str, versions: tuple[V, V], expected: str | None
) -> None:
    result = negotiated(tls13_server.port, offer(tls13_server.pki.ca_file, versions))
    assert (result[0] if result else None) == expected


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path] | None]:
    """Client certificates: from the apiserver's CA (the one --client-ca names), from another CA, none."""
    directory = tmp_path_factory.mktemp("clients")
    apiserver_ca, other_ca = generate_ca("apiserver client CA"), generate_ca("another CA")
    (directory / "client-ca.crt").write_bytes(apiserver_ca.cert_pem)
    return {
        "from the client CA": write_client_cert(apiserver_ca, directory, "apiserver"),
        "from another CA": write_client_cert(other_ca, directory, "other"),
        "none": None,
    }


@pytest.fixture(scope="module")
def mtls_server(pki: Pki, clients: dict[str, tuple[Path, Path] | None]) -> Iterator[WebhookProcess]:
    cert = clients["from the client CA"]
    assert cert is not None
    with WebhookProcess(pki, "--client-ca", str(cert[0].parent / "client-ca.crt"), ready=False) as process:
        yield process


CLIENT_CERTIFICATES = [
    ("none", TLS13, False),
    ("none", TLS12, False),
    ("from another CA", TLS13, False),
    ("from another CA", TLS12, False),
    ("from the client CA", TLS13, True),
    ("from the client CA", TLS12, True),
]


@pytest.mark.parametrize(
    ("certificate", "versions", "served"),
    CLIENT_CERTIFICATES,
    ids=[
        f"{'served' if s else 'refused'}: certificate {c}, TLS {v[0].name}" for c, v, s in CLIENT_CERTIFICATES
    ],
)
def test_client_ca_serves_only_clients_with_a_certificate_from_it(
    mtls_server: WebhookProcess,
    clients: dict[str, tuple[Path, Path] | None],
    certificate: str,
    versions: tuple[V, V],
    served: bool,
) -> None:
    ctx = client_context(
        mtls_server.pki.ca_file, minimum=versions[0], maximum=versions[1], cert=clients[certificate]
    )
    assert (negotiated(mtls_server.port, ctx) is not None) is served
    if served:
        reply = once(mtls_server.port, ctx, "POST", "/validate", review_body("deny", "mtls-1"))
        assert wrong_answer("deny", "mtls-1", reply) is None
