"""The engine's answer: every error, every warning, the release it was checked for, and its effect.

The effect (node-agent: the concurrency each node gets) is computed only when asked for (`explain`,
the CLI): the admission path never pays for a walk over every node of a large cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property

from webhook.engine.core.field import FieldError, FieldWarning
from webhook.engine.core.kind import Effect
from webhook.engine.core.versions import NEWEST_RELEASE, Version


class FieldValidation(Enum):
    """Like Kubernetes' server-side field validation: unknown and duplicate keys deny or warn."""

    STRICT = "Strict"
    WARN = "Warn"


@dataclass(frozen=True, slots=True)
class Options:
    velero_version: Version = NEWEST_RELEASE
    field_validation: FieldValidation = FieldValidation.STRICT
    # the roles in which Velero reads the ConfigMap, as its kind names them ("backup", "restore",
    # "global"); None: the kind's usual ones. A ConfigMap is checked in every role it has.
    purposes: frozenset[str] | None = None


@dataclass(frozen=True)
class Verdict:
    errors: Sequence[FieldError]
    warnings: Sequence[FieldWarning]
    velero_version: Version
    _effect: Callable[[], Effect | None] = field(default=lambda: None, repr=False, compare=False)

    @property
    def allowed(self) -> bool:
        return not self.errors

    @property
    def error_strings(self) -> list[str]:
        return [str(e) for e in self.errors]

    @property
    def warning_strings(self) -> list[str]:
        return [str(w) for w in self.warnings]

    @cached_property
    def effect(self) -> Effect | None:
        """What the config does (None for a kind that explains nothing)."""
        return self._effect()
