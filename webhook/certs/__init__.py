"""Certificates for the webhook: development generation, the server's TLS context, hot reloading.

A standalone helper (cryptography and ssl only): the CLI and the server use it; the engine never does.
"""

from webhook.certs.files import CA_FILE, CERT_FILE, KEY_FILE, PRIVATE_MODE, Output, existing, write_all
from webhook.certs.generate import (
    Issued,
    generate_ca,
    generate_client,
    generate_serving,
    service_names,
)
from webhook.certs.source import CertificateError, CertificateSource
from webhook.certs.tls import TLSVersion, require_client_certificates, server_context

__all__ = [
    "CA_FILE",
    "CERT_FILE",
    "KEY_FILE",
    "PRIVATE_MODE",
    "CertificateError",
    "CertificateSource",
    "Issued",
    "Output",
    "TLSVersion",
    "existing",
    "generate_ca",
    "generate_client",
    "generate_serving",
    "require_client_certificates",
    "server_context",
    "service_names",
    "write_all",
]
