"""The server's TLS context as built: what it would negotiate with any certificate, RSA or ECDSA.

The real-process tests (tests/process/test_tls_security.py) offer weak suites to the running server, but
only what this OpenSSL can still offer with an ECDSA certificate; this checks the whole configured list,
including the RSA suites and the ciphers OpenSSL no longer lets a client offer (RC4, 3DES, NULL, export).
"""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from webhook.certs import TLSVersion, generate_ca, server_context

CIPHERS = server_context().get_ciphers()
TLS12 = [c for c in CIPHERS if c["protocol"] == "TLSv1.2"]


WEAK = ("RC4", "DES", "NULL", "EXP", "ADH", "AECDH", "CCM8")
SUITE_RULES = [
    ("every TLS 1.2 suite is forward secret (ECDHE)", lambda c: c["kea"] == "kx-ecdhe"),
    ("every TLS 1.2 suite is AEAD (no CBC, no separate MAC)", lambda c: c["aead"]),
    (
        "every TLS 1.2 suite is AES-GCM or ChaCha20-Poly1305",
        lambda c: c["symmetric"].endswith(("-gcm", "poly1305")),
    ),
    (
        "no suite is RC4, 3DES, NULL, export, anonymous or CCM8",
        lambda c: not any(w in c["name"] for w in WEAK),
    ),
]


@pytest.mark.parametrize(("property_", "holds"), SUITE_RULES, ids=[r[0] for r in SUITE_RULES])
def test_the_tls_12_suites(property_: str, holds: object) -> None:
    assert TLS12, "no TLS 1.2 suite at all"
    assert [c["name"] for c in TLS12 if not holds(c)] == []  # type: ignore[operator]


def test_tls_13_suites_are_offered_too() -> None:
    assert {c["name"] for c in CIPHERS if c["protocol"] == "TLSv1.3"} >= {
        "TLS_AES_128_GCM_SHA256",
        "TLS_AES_256_GCM_SHA384",
    }


@pytest.mark.parametrize(
    ("flag", "minimum"),
    [(TLSVersion.TLS1_2, ssl.TLSVersion.TLSv1_2), (TLSVersion.TLS1_3, ssl.TLSVersion.TLSv1_3)],
)
def test_the_minimum_version_follows_the_flag(flag: TLSVersion, minimum: ssl.TLSVersion) -> None:
    assert server_context(flag).minimum_version == minimum


def test_compression_and_renegotiation_are_off_and_the_server_picks_the_suite() -> None:
    options = server_context().options
    for option in (ssl.OP_NO_COMPRESSION, ssl.OP_NO_RENEGOTIATION, ssl.OP_CIPHER_SERVER_PREFERENCE):
        assert options & option, option


@pytest.mark.parametrize(("client_ca", "mode"), [(False, ssl.CERT_NONE), (True, ssl.CERT_REQUIRED)])
def test_a_client_ca_makes_client_certificates_required(
    tmp_path: Path, client_ca: bool, mode: ssl.VerifyMode
) -> None:
    ca_file = tmp_path / "client-ca.crt"
    ca_file.write_bytes(generate_ca("apiserver client CA").cert_pem)
    assert server_context(client_ca=ca_file if client_ca else None).verify_mode == mode
