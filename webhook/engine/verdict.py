"""The engine's answer: every error, every warning, and what concurrency each node will get.

The per-node concurrency is computed only when asked for (`explain`, the CLI): the admission path
never pays for a walk over every node of a large cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property

from webhook.engine.field import FieldError
from webhook.engine.versions import Version


class FieldValidation(Enum):
    """Like Kubernetes' server-side field validation: unknown and duplicate keys deny or warn."""

    STRICT = "Strict"
    WARN = "Warn"


@dataclass(frozen=True, slots=True)
class Options:
    velero_version: Version | None = None  # None: the newest version the engine knows
    field_validation: FieldValidation = FieldValidation.STRICT


@dataclass(frozen=True, slots=True)
class NodeConcurrency:
    """The number node-agent on this node will use, and the perNodeConfig rule it comes from."""

    node: str
    concurrency: int
    rule: int | None  # index in loadConcurrency.perNodeConfig, None for the global number


@dataclass(frozen=True)
class Verdict:
    errors: Sequence[FieldError]
    warnings: Sequence[str]
    velero_version: Version
    _explain: Callable[[], list[NodeConcurrency]] = field(default=lambda: [], repr=False, compare=False)

    @property
    def allowed(self) -> bool:
        return not self.errors

    @property
    def error_strings(self) -> list[str]:
        return [str(e) for e in self.errors]

    @cached_property
    def concurrency(self) -> list[NodeConcurrency]:
        """Per node, sorted by name; empty without a node inventory."""
        return self._explain()
