"""What every check reads (the decoded config, the target version, the cluster) and writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
    errors: list[FieldError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def error(self, err: FieldError) -> None:
        self.errors.append(err)

    def warn(self, path: FieldPath, text: str) -> None:
        self.warnings.append(text if path == ROOT else f"{path}: {text}")
