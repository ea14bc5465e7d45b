"""`node-agent-webhook certs`: a CA and a serving certificate the server takes and verifying clients trust."""

from __future__ import annotations

import socket
import ssl
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from tls_process import WebhookProcess, client_context, run_cli

from webhook.cli.main import main

pytestmark = pytest.mark.timeout(120)

SERVICE, NAMESPACE = "svc", "ns"


@dataclass(frozen=True)
class Written:
    """The directory `certs` wrote, shaped as tls_process.Pki for WebhookProcess."""

    dir: Path

    ca_file = property(lambda self: self.dir / "ca.crt")
    cert_file = property(lambda self: self.dir / "tls.crt")
    key_file = property(lambda self: self.dir / "tls.key")

    def cert(self, name: str) -> x509.Certificate:
        return x509.load_pem_x509_certificate((self.dir / name).read_bytes())


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Written:
    out = tmp_path_factory.mktemp("certs") / "certs"
    result = run_cli("certs", "--out-dir", str(out), "--service", SERVICE, "--namespace", NAMESPACE)
    assert result.returncode == 0, result.stderr
    return Written(out)


def sans(cert: x509.Certificate) -> set[str]:
    names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return {*names.get_values_for_type(x509.DNSName), *map(str, names.get_values_for_type(x509.IPAddress))}


# The names the serving certificate must carry, and why.
SANS = [
    ("svc", "the Service name, as the apiserver may dial it within the namespace"),
    ("svc.ns", "the Service and namespace"),
    ("svc.ns.svc", "what the apiserver dials for a webhook's service reference"),
    ("localhost", "local runs"),
    ("127.0.0.1", "local runs and the tests, by address"),
]


@pytest.mark.parametrize(("name", "why"), SANS, ids=[s[0] for s in SANS])
def test_the_serving_certificate_names(written: Written, name: str, why: str) -> None:
    assert name in sans(written.cert("tls.crt")), why


def test_the_serving_certificate_is_issued_by_the_ca_for_servers_only(written: Written) -> None:
    ca, leaf = written.cert("ca.crt"), written.cert("tls.crt")
    leaf.verify_directly_issued_by(ca)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    assert leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    usage = leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(usage) == [x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]
    assert leaf.public_key() != ca.public_key(), (
        "a leaf apart from the CA, so it can rotate under the caBundle"
    )


def test_only_the_three_files_are_written_and_the_key_is_private(written: Written) -> None:
    assert sorted(p.name for p in written.dir.iterdir()) == ["ca.crt", "tls.crt", "tls.key"]
    assert stat.S_IMODE(written.key_file.stat().st_mode) == 0o600


def test_existing_files_are_kept_unless_forced(written: Written, capsys: pytest.CaptureFixture[str]) -> None:
    first = written.cert_file.read_bytes()
    assert main(["certs", "--out-dir", str(written.dir)]) == 1
    assert "use --force to replace" in capsys.readouterr().err
    assert written.cert_file.read_bytes() == first


def test_force_replaces_them(tmp_path: Path) -> None:
    assert main(["certs", "--out-dir", str(tmp_path)]) == 0
    first = (tmp_path / "tls.crt").read_bytes()
    assert main(["certs", "--out-dir", str(tmp_path), "--force"]) == 0
    assert (tmp_path / "tls.crt").read_bytes() != first


@pytest.fixture(scope="module")
def server(written: Written) -> Iterator[WebhookProcess]:
    with WebhookProcess(written) as process:  # type: ignore[arg-type]
        yield process
    assert process.proc is not None and process.proc.stderr is not None
    process.proc.stderr.close()


def handshake(port: int, ctx: ssl.SSLContext, server_name: str) -> bytes:
    """The first bytes of the answer to GET /healthz, the peer verified under `server_name`."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    with ctx.wrap_socket(sock, server_hostname=server_name) as tls:
        tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        return tls.recv(12)


@pytest.mark.parametrize("server_name", [name for name, _ in SANS])
def test_a_client_verifying_with_the_ca_and_the_host_name_connects(
    server: WebhookProcess, written: Written, server_name: str
) -> None:
    ctx = client_context(written.ca_file)
    assert ctx.check_hostname and ctx.verify_mode == ssl.CERT_REQUIRED
    assert handshake(server.port, ctx, server_name) == b"HTTP/1.1 200"


def test_a_name_the_certificate_does_not_carry_is_refused(server: WebhookProcess, written: Written) -> None:
    """The control for the test above: the host name is really checked."""
    with pytest.raises(ssl.SSLCertVerificationError, match="Hostname mismatch"):
        handshake(server.port, client_context(written.ca_file), "svc.other-ns.svc")
