"""/healthz (the process can serve: a certificate is loaded) and /readyz (it should get traffic).

Readiness is narrower than health: the inventory must have synced once (or be a static file),
otherwise the engine would decide without nodes (kopf: answering too early gives wrong answers); and
from SIGTERM on the pod is not ready, so that its endpoint goes away while it still answers. The body
says why in a few words, for `kubectl describe pod` and for whoever curls it.
"""

from __future__ import annotations

from typing import Any

from webhook.admission.serving.lifecycle import Lifecycle
from webhook.admission.serving.ports import CertificateSourceLike, InventoryLike

Probe = tuple[int, dict[str, Any]]


def health(certs: CertificateSourceLike) -> Probe:
    if not certs.healthy:
        return 503, {"status": "unhealthy", "reason": "no serving certificate loaded"}
    return 200, {"status": "ok"}


def readiness(lifecycle: Lifecycle, inventory: InventoryLike, certs: CertificateSourceLike) -> Probe:
    reason = _not_ready_reason(lifecycle, inventory, certs)
    if reason:
        return 503, {"status": "not ready", "reason": reason}
    return 200, {"status": "ready"}


def _not_ready_reason(lifecycle: Lifecycle, inventory: InventoryLike, certs: CertificateSourceLike) -> str:
    if lifecycle.shutting_down:
        return "shutting down"
    if not certs.healthy:
        return "no serving certificate loaded"
    if not inventory.ready:
        why = inventory.view().unavailable
        return f"node inventory not synced yet: {why}" if why else "node inventory not synced yet"
    return ""
