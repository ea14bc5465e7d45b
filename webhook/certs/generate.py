"""Development certificates: a CA, a serving certificate for the webhook Service, a client certificate.

The kube-apiserver verifies the webhook against `caBundle` and requires SANs (Go ignores the CN since
1.15), so the serving certificate names the Service the way the apiserver dials it: `svc`, `svc.ns`,
`svc.ns.svc`, plus the loopback names for local runs. A long-lived CA with a short-lived leaf is the
rotator pattern (Gatekeeper's cert-controller: CA 10 years, leaf 1 year): the leaf can be replaced
without touching the `caBundle`. These are for development and tests; production uses cert-manager.
"""

from __future__ import annotations

import datetime
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_DAYS = 3650
LEAF_DAYS = 365
CLOCK_SKEW = datetime.timedelta(minutes=5)  # a peer whose clock is a little behind still accepts it
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
CA_NAME = "node-agent-webhook development CA"
APISERVER_CLIENT_NAME = "kube-apiserver"  # the CN Gatekeeper's --client-cn-name expects by default


@dataclass(frozen=True, slots=True)
class Issued:
    """A certificate with its private key, and their PEM forms."""

    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def service_names(service: str, namespace: str) -> list[str]:
    """The names the apiserver may dial for a Service reference, then the loopback names."""
    return [service, f"{service}.{namespace}", f"{service}.{namespace}.svc", *LOOPBACK_NAMES]


def generate_ca(common_name: str = CA_NAME, days: int = CA_DAYS) -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    builder = _base(name, name, key.public_key(), days)
    builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
    builder = builder.add_extension(_key_usage(cert_sign=True), critical=True)
    return Issued(builder.sign(key, hashes.SHA256()), key)


def generate_serving(ca: Issued, names: Sequence[str], days: int = LEAF_DAYS) -> Issued:
    """A server certificate for `names` (DNS names or IP addresses); the first DNS name is the CN."""
    sans = [_san(n) for n in names]
    return _leaf(ca, _first_dns_name(names), ExtendedKeyUsageOID.SERVER_AUTH, sans, days)


def generate_client(ca: Issued, common_name: str = APISERVER_CLIENT_NAME, days: int = LEAF_DAYS) -> Issued:
    """A client certificate, as the apiserver presents with an AdmissionConfiguration kubeconfig."""
    return _leaf(ca, common_name, ExtendedKeyUsageOID.CLIENT_AUTH, [x509.DNSName(common_name)], days)


def _leaf(
    ca: Issued, common_name: str, usage: x509.ObjectIdentifier, sans: list[x509.GeneralName], days: int
) -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    builder = _base(subject, ca.cert.subject, key.public_key(), days)
    builder = builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    builder = builder.add_extension(_key_usage(cert_sign=False), critical=True)
    builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key())
    builder = builder.add_extension(aki, critical=False)
    return Issued(builder.sign(ca.key, hashes.SHA256()), key)


def _base(
    subject: x509.Name, issuer: x509.Name, public_key: ec.EllipticCurvePublicKey, days: int
) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,  # ECDSA keys sign (ECDHE); they never encipher
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _san(name: str) -> x509.GeneralName:
    """IP addresses become IPAddress entries (normalised); everything else a DNSName."""
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def _first_dns_name(names: Sequence[str]) -> str:
    for name in names:
        if isinstance(_san(name), x509.DNSName):
            return name
    raise ValueError("a serving certificate needs at least one DNS name")
