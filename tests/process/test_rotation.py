"""Certificate files replaced on disk while kept-alive clients keep sending: no request fails, new
connections get the new certificate, and the process is never restarted."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from process_support import Load, SecretVolume, wait_for_entry, wait_until
from tls_process import Pki, WebhookProcess, client_context, once

from webhook.certs import Issued, generate_ca, generate_serving
from webhook.certs.files import write_atomic

pytestmark = pytest.mark.timeout(120)

POLL = "0.2"  # --cert-poll-interval, seconds


def swap_secret_volume(volume: SecretVolume, ca: Issued, serving: Issued, _server: WebhookProcess) -> None:
    volume.write({"ca.crt": ca.cert_pem, "tls.crt": serving.cert_pem, "tls.key": serving.key_pem})


def certificate_before_key(volume: SecretVolume, ca: Issued, serving: Issued, server: WebhookProcess) -> None:
    """Each file replaced on its own: for a while the new certificate sits beside the old key."""
    write_atomic(volume.dir / "tls.crt", serving.cert_pem)
    # the server has seen the mismatched pair and kept the old one before the key follows
    wait_for_entry(server, lambda e: "do not load as a pair" in e.get("message", ""))
    write_atomic(volume.dir / "tls.key", serving.key_pem, 0o600)


ROTATIONS = [
    ("a Secret volume swaps every file at once (kubelet's ..data link)", swap_secret_volume),
    ("the certificate is replaced before the key", certificate_before_key),
]


@pytest.mark.parametrize(("how", "rotate"), ROTATIONS, ids=[r[0] for r in ROTATIONS])
def test_rotation_under_load_loses_no_request(
    tmp_path: Path, how: str, rotate: Callable[[SecretVolume, Issued, Issued, WebhookProcess], None]
) -> None:
    ca = generate_ca("rotation CA")
    old, new = (generate_serving(ca, ["localhost", "127.0.0.1"]) for _ in range(2))
    volume = SecretVolume(tmp_path / "secret")
    swap_secret_volume(volume, ca, old, None)  # type: ignore[arg-type]
    with WebhookProcess(Pki(ca, old, volume.dir), "--cert-poll-interval", POLL) as server:
        ctx = client_context(volume.dir / "ca.crt")
        assert once(server.port, ctx, "GET", "/healthz").peer_serial == old.cert.serial_number
        with Load(server.port, ctx, clients=4) as load:
            load.wait_for(40)
            rotated_at = time.monotonic()
            rotate(volume, ca, new, server)
            wait_until(
                lambda: once(server.port, ctx, "GET", "/healthz").peer_serial == new.cert.serial_number,
                30,
                "a new connection to get the new certificate",
            )
            load.wait_for(40, since=time.monotonic())  # and the load goes on after the switch
        assert load.failures == []
        print(f"\n{how}: {len(load.sent)} requests, {load.count(rotated_at)} from the rotation on, 0 failed")
        assert server.proc is not None and server.proc.poll() is None
