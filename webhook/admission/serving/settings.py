"""The one frozen configuration of `serve`: built once from the flags, read by every part, never changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from webhook.engine import Targeting

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Settings:
    tls_cert: Path
    tls_key: Path
    host: str = "0.0.0.0"
    port: int = 8443  # above 1024: the pod needs no capability (admission-webhooks.md §6)
    nodes_file: Path | None = None  # a static cluster file; with it no API server is contacted
    kubeconfig: Path | None = None  # neither this nor nodes_file: the in-cluster service account
    targeting: Targeting = field(
        default_factory=Targeting
    )  # which ConfigMaps, namespaces, Velero version, field validation
    tls_min_version: Literal["1.2", "1.3"] = "1.2"
    client_ca: Path | None = None  # set: the apiserver must present a certificate from this CA
    shutdown_delay: float = 5.0  # seconds of serving while not ready after SIGTERM, for endpoints to update
    log_format: Literal["json", "text"] = "json"
    # A ConfigMap is at most 1 MiB and an UPDATE carries two of them, plus the review around them.
    max_body_bytes: int = 3 * MiB
    max_depth: int = 100  # Kubernetes objects nest a dozen levels; the engine recurses in Python
    # Short, so a replica that is going away is not kept in the apiserver's connection pool for long
    # (kubernetes#127335); uvicorn's default, far below Go's 90 s idle timeout.
    keep_alive_timeout: int = 5
    # Slow senders (slowloris) are cut off: the request headers must be in this long after the
    # connection opens or the next request starts, the body this long after the headers.
    header_timeout: float = 10.0
    body_timeout: float = 10.0
    graceful_timeout: int = 30  # after the drain: how long in-flight requests may still take
    cert_poll_interval: float = 5.0  # how often the certificate files are checked for a change
