"""What every check of a config document reads: the decoded config, the target version, the cluster."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from webhook.engine.core.cluster import ClusterView
from webhook.engine.core.field import FieldPath
from webhook.engine.core.versions import Version, describe

if TYPE_CHECKING:
    from webhook.engine.core.yamlread import YamlSource


@dataclass(frozen=True, slots=True)
class Context:
    config: dict[str, Any]
    version: Version
    cluster: ClusterView
    typed: frozenset[FieldPath] = frozenset()  # paths with a type error: the decoder dropped their value
    key: str | None = None  # the data key holding the document; None for a bare config file
    purposes: frozenset[str] = frozenset()  # the roles Velero reads the config in (Options.purposes)
    source: YamlSource | None = None  # where each value was written, for a YAML document

    def dropped(self, path: FieldPath) -> bool:
        """Whether the config wrote a value here that Go could not decode (not the same as absent)."""
        return path in self.typed

    def section(self, name: str) -> Any:
        return self.config.get(name)

    def reads(self, added: Version) -> bool:
        return self.version >= added

    @property
    def velero(self) -> str:
        return f"Velero {describe(self.version)}"
