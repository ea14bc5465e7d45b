"""Exponential backoff with jitter, capped, so that many webhook replicas that lost the API
server together do not come back in lockstep ("equal jitter": half fixed, half random)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass(slots=True)
class Backoff:
    initial: float = 0.5
    cap: float = 30.0
    factor: float = 2.0
    _ceiling: float = field(init=False, default=0.0)
    _random: random.Random = field(init=False, default_factory=random.Random)

    def __post_init__(self) -> None:
        self._ceiling = self.initial

    def next_delay(self) -> float:
        """A delay in [ceiling/2, ceiling], then the ceiling grows; a retry is never instant."""
        ceiling = self._ceiling
        self._ceiling = min(self.cap, ceiling * self.factor)
        return ceiling / 2 + self._random.uniform(0, ceiling / 2)

    def reset(self) -> None:
        self._ceiling = self.initial
