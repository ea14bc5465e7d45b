"""The server's TLS settings, built here rather than left to uvicorn.

uvicorn's own context calls `set_ciphers("TLSv1")` by default, which replaces Python's hardened cipher
list with every TLS 1.0 suite, and it loads the certificate once. We build one `SSLContext`: TLS 1.2 or
1.3 at least, forward-secret AEAD suites only (ECDHE with AES-GCM or ChaCha20; TLS 1.3's suites are all
AEAD and not affected by `set_ciphers`), no compression (CRIME), no renegotiation, the server's order
of preference. The certificate is loaded into this same context by `CertificateSource`, again whenever
the files change, so new handshakes see the new certificate without a restart.
"""

from __future__ import annotations

import ssl
from enum import Enum
from pathlib import Path

TLS12_CIPHERS = "ECDHE+AESGCM:ECDHE+CHACHA20"


class TLSVersion(Enum):
    """The `--tls-min-version` choices."""

    TLS1_2 = "1.2"
    TLS1_3 = "1.3"

    @property
    def ssl_version(self) -> ssl.TLSVersion:
        return ssl.TLSVersion.TLSv1_3 if self is TLSVersion.TLS1_3 else ssl.TLSVersion.TLSv1_2


def server_context(
    min_version: TLSVersion = TLSVersion.TLS1_2, client_ca: Path | None = None
) -> ssl.SSLContext:
    """A server context without a certificate yet; `CertificateSource.load()` puts one in."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = min_version.ssl_version
    ctx.set_ciphers(TLS12_CIPHERS)
    ctx.options |= ssl.OP_NO_COMPRESSION | ssl.OP_CIPHER_SERVER_PREFERENCE | ssl.OP_NO_RENEGOTIATION
    ctx.set_alpn_protocols(["http/1.1"])  # the apiserver speaks HTTP/1.1 to webhooks (k8s PR #82090)
    if client_ca is not None:
        require_client_certificates(ctx, client_ca)
    return ctx


def require_client_certificates(ctx: ssl.SSLContext, client_ca: Path) -> None:
    """mTLS: only clients (the apiserver) with a certificate from `client_ca` complete a handshake."""
    ctx.load_verify_locations(cafile=str(client_ca))
    ctx.verify_mode = ssl.CERT_REQUIRED
