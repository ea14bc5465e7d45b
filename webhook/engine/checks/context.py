"""What every check reads (the decoded config, the target version, the cluster) and writes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from webhook.engine.budget import MAX_ERRORS, MAX_WARNINGS
from webhook.engine.cluster import ClusterView
from webhook.engine.field import ROOT, FieldError, FieldPath
from webhook.engine.versions import Version, describe


@dataclass(frozen=True, slots=True)
class Context:
    config: dict[str, Any]
    version: Version
    cluster: ClusterView
    typed: frozenset[str] = frozenset()  # paths with a type error: the decoder dropped their value

    def dropped(self, path: FieldPath) -> bool:
        """Whether the config wrote a value here that Go could not decode (not the same as absent)."""
        return str(path) in self.typed

    def section(self, name: str) -> Any:
        return self.config.get(name)

    def reads(self, added: Version) -> bool:
        return self.version >= added

    @property
    def velero(self) -> str:
        return f"Velero {describe(self.version)}"


@dataclass
class Findings:
    """Errors and warnings up to their caps (webhook.engine.budget); past a cap, only counted."""

    errors: list[FieldError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error_limit: int = MAX_ERRORS
    more_errors: int = 0  # found past the cap and not kept
    more_warnings: int = 0

    @property
    def full(self) -> bool:
        """No room for another error: checks that walk long lists stop here."""
        return len(self.errors) >= self.error_limit

    @property
    def warnings_full(self) -> bool:
        return len(self.warnings) >= MAX_WARNINGS

    def error(self, err: FieldError) -> None:
        if self.full:
            self.more_errors += 1
        else:
            self.errors.append(err)

    def add_errors(self, errors: Iterable[FieldError]) -> None:
        """Takes errors until full; a lazy source (the schema's violations) is not walked further."""
        for err in errors:
            if self.full:
                self.more_errors += 1  # at least this one more; the rest is not looked at
                return
            self.errors.append(err)

    def warn(self, path: FieldPath, text: str) -> None:
        self.add_warning(text if path == ROOT else f"{path}: {text}")

    def add_warning(self, text: str) -> None:
        if self.warnings_full:
            self.more_warnings += 1
        else:
            self.warnings.append(text)
