"""Velero versions: parsing, ordering, and which release first reads each config field."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_VERSION = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$")


@dataclass(frozen=True, order=True, slots=True)
class Version:
    major: int
    minor: int
    patch: int = 0

    @staticmethod
    def parse(text: str) -> Version | None:
        """`1.17.1`, `v1.17.1`, `v1.18.0-rc.1`, `1.16` -> a Version; anything else -> None."""
        return _parse(text)

    @property
    def minor_text(self) -> str:
        return f"{self.major}.{self.minor}"

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


@functools.lru_cache(maxsize=512)  # the schema's x-added values and image tags: a few dozen texts
def _parse(text: str) -> Version | None:
    m = _VERSION.match(text.strip())
    if not m:
        return None
    return Version(int(m.group(1)), int(m.group(2)), int(m.group(3) or 0))


OLDEST = Version(1, 13, 0)
# main after v1.18.2: release-1.18 back-ports (1.18.3) and main-only fields (1.19.0), both unreleased.
NEWEST = Version(1, 19, 0)
NEWEST_RELEASE = Version(1, 18, 2)
UNRELEASED = frozenset({Version(1, 18, 3), Version(1, 19, 0)})


def describe(v: Version) -> str:
    """How a version is named in messages: minor for x.y.0, full otherwise; unreleased marked."""
    text = v.minor_text if v.patch == 0 else str(v)
    return f"{text} (unreleased)" if v in UNRELEASED else text
