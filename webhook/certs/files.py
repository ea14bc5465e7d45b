"""Writing certificates and keys to disk: atomically, and private keys readable by the owner only.

Each file is written to a temporary name beside it and renamed into place, so a running server that
polls the files never reads half of one; a key is created with mode 0600 from the start rather than
chmod-ed after, so it is never readable by others, not even for a moment.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

CA_FILE = "ca.crt"
CERT_FILE = "tls.crt"
KEY_FILE = "tls.key"
PUBLIC_MODE = 0o644
PRIVATE_MODE = 0o600


@dataclass(frozen=True, slots=True)
class Output:
    """One file to write: its name in the output directory, its bytes, its mode."""

    name: str
    content: bytes
    mode: int = PUBLIC_MODE


def existing(out_dir: Path, outputs: Iterable[Output]) -> list[Path]:
    return [out_dir / o.name for o in outputs if (out_dir / o.name).exists()]


def write_all(out_dir: Path, outputs: Iterable[Output]) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    return [write_atomic(out_dir / o.name, o.content, o.mode) for o in outputs]


def write_atomic(path: Path, content: bytes, mode: int = PUBLIC_MODE) -> Path:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.unlink(missing_ok=True)  # a leftover from a crash may have the wrong mode
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as f:
        os.fchmod(fd, mode)  # the umask may have narrowed the mode given to open()
        f.write(content)
        f.flush()
        os.fsync(fd)
    os.replace(tmp, path)
    return path
