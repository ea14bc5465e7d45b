"""The serving certificate as a source with health: loaded from files, reloaded when they change.

cert-manager and Secret volumes replace `tls.crt` and `tls.key` while the server runs. Every few
seconds we hash both files (sha256, as kopf does); when the digest changes we check the new pair on a
scratch context first and only then load it into the live `SSLContext`, the one the listening socket
uses, so the next handshake presents the new certificate. A half-written or mismatched pair is logged
and skipped; the old certificate keeps serving until a good pair appears.

Both loads read the exact bytes that were hashed (through memfd files), never the paths again: the
files may change between the check and the load, and a failed load into the live context would
leave it with a new certificate and the old key. The live load runs on the event loop's thread, where
asyncio creates the SSL objects of new connections, so the swap never races a handshake.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import ssl
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509

DEFAULT_INTERVAL = 5.0
log = logging.getLogger(__name__)


class CertificateError(Exception):
    """The certificate files cannot be read, or do not form a valid pair."""


@dataclass(frozen=True, slots=True)
class _Pair:
    cert: bytes
    key: bytes
    digest: str
    not_after: float  # of the leaf, seconds since the epoch


class CertificateSource:
    """Loads `cert_file`/`key_file` into `context`, and again whenever they change on disk."""

    def __init__(
        self, context: ssl.SSLContext, cert_file: Path, key_file: Path, interval: float = DEFAULT_INTERVAL
    ) -> None:
        self.context = context
        self.cert_file = cert_file
        self.key_file = key_file
        self.interval = interval
        self._loaded: _Pair | None = None
        self._last_problem = ""  # logged once, not on every poll while the files stay bad

    @property
    def healthy(self) -> bool:
        """Whether a certificate is loaded (the last good one, if the files went bad since)."""
        return self._loaded is not None

    @property
    def not_after(self) -> float | None:
        """Expiry of the certificate being served, seconds since the epoch."""
        return self._loaded.not_after if self._loaded else None

    @property
    def digest(self) -> str | None:
        return self._loaded.digest if self._loaded else None

    def load(self) -> bool:
        """Load the files now (at start: fail loudly); True when a new pair went in."""
        pair = self._read_changed()
        if pair is not None:
            self._install(pair)
        return pair is not None

    async def poll(self) -> bool:
        """One poll: read and check off the loop, swap on it; a bad pair is logged, not raised."""
        try:
            pair = await asyncio.to_thread(self._read_changed)
            if pair is not None:
                self._install(pair)
        except CertificateError as e:
            self._report(str(e))
            return False
        return pair is not None

    async def watch(self) -> None:
        """Poll until cancelled; nothing a poll meets may end the loop, or rotation stops for good."""
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.poll()
            except Exception:
                log.exception("certificate poll failed")

    def _read_changed(self) -> _Pair | None:
        cert, key = _read(self.cert_file), _read(self.key_file)
        digest = _digest(cert, key)
        if self._loaded is not None and digest == self._loaded.digest:
            return None
        with _as_files(cert, key) as (cert_path, key_path):
            _try_load(ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER), cert_path, key_path)
        return _Pair(cert, key, digest, _not_after(cert))

    def _install(self, pair: _Pair) -> None:
        with _as_files(pair.cert, pair.key) as (cert_path, key_path):
            _try_load(self.context, cert_path, key_path)
        self._loaded, self._last_problem = pair, ""
        log.info(
            "serving certificate loaded", extra={"digest": pair.digest[:12], "not_after": pair.not_after}
        )

    def _report(self, problem: str) -> None:
        if problem != self._last_problem:
            self._last_problem = problem
            log.warning("keeping the current serving certificate: %s", problem)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as e:
        raise CertificateError(f"cannot read {path}: {e.strerror}") from e


def _digest(cert: bytes, key: bytes) -> str:
    h = hashlib.sha256(len(cert).to_bytes(8, "big"))  # length-prefixed: no two splits hash alike
    h.update(cert)
    h.update(key)
    return h.hexdigest()


def _try_load(context: ssl.SSLContext, cert_path: str, key_path: str) -> None:
    try:
        context.load_cert_chain(cert_path, key_path)
    except (ssl.SSLError, OSError) as e:
        raise CertificateError(f"certificate and key do not load as a pair: {e}") from e


def _not_after(cert_pem: bytes) -> float:
    try:
        return x509.load_pem_x509_certificate(cert_pem).not_valid_after_utc.timestamp()
    except ValueError as e:
        raise CertificateError(f"cannot parse the certificate: {e}") from e


@contextlib.contextmanager
def _as_files(*contents: bytes) -> Iterator[list[str]]:
    """Paths holding exactly these bytes: anonymous memory files on Linux, a private temp dir elsewhere."""
    if not hasattr(os, "memfd_create"):
        with tempfile.TemporaryDirectory() as tmp:
            yield [_temp_file(Path(tmp) / str(i), c) for i, c in enumerate(contents)]
        return
    fds = [os.memfd_create("tls", os.MFD_CLOEXEC) for _ in contents]
    try:
        for fd, content in zip(fds, contents, strict=True):
            with open(fd, "wb", closefd=False) as f:
                f.write(content)
        yield [f"/proc/self/fd/{fd}" for fd in fds]
    finally:
        for fd in fds:
            os.close(fd)


def _temp_file(path: Path, content: bytes) -> str:
    path.write_bytes(content)  # TemporaryDirectory is created 0700: nobody else can read the key
    return str(path)
