"""What became of one admission request: the `decision` label of the metrics and the log line."""

from __future__ import annotations

from enum import Enum


class Outcome(Enum):
    ALLOWED = "allowed"
    DENIED = "denied"
    ERROR = "error"  # the engine failed: denied with code 500
    SKIPPED = "skipped"  # not a ConfigMap of ours: allowed untouched
