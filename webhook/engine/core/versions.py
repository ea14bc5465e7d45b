"""Velero versions: parsing, ordering, and the releases this tool knows (releases.json, the one list)."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import TypedDict

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


class _Unreleased(TypedDict):
    version: str
    source: str  # the branch whose code it names


class _Table(TypedDict):
    released: list[str]
    unreleased: list[_Unreleased]


def _table() -> _Table:
    text = (
        resources.files(__package__ or "webhook.engine.core")
        .joinpath("releases.json")
        .read_text(encoding="utf-8")
    )
    loaded: _Table = json.loads(text)
    return loaded


def _versions(texts: list[str]) -> tuple[Version, ...]:
    found = [Version.parse(t) for t in texts]
    return tuple(v for v in found if v is not None)


_TABLE = _table()
RELEASES = _versions(_TABLE["released"])  # the last patch of each minor, oldest first
UNRELEASED = frozenset(_versions([u["version"] for u in _TABLE["unreleased"]]))
OLDEST = Version(RELEASES[0].major, RELEASES[0].minor, 0)
NEWEST_RELEASE = RELEASES[-1]
NEWEST = max(UNRELEASED | {NEWEST_RELEASE})  # main: the newest code the engine knows


def describe(v: Version) -> str:
    """How a version is named in messages: minor for x.y.0, full otherwise; unreleased marked."""
    text = v.minor_text if v.patch == 0 else str(v)
    return f"{text} (unreleased)" if v in UNRELEASED else text
