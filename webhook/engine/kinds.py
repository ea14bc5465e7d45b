"""The registered config kinds: the one list the webhook, the CLI and the inventory read.

Adding a kind is its own package under webhook/engine plus one line here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from webhook.engine.backuprepository import BACKUP_REPOSITORY
from webhook.engine.core.kind import ConfigKind
from webhook.engine.nodeagent import NODE_AGENT
from webhook.engine.repomaintenance import REPO_MAINTENANCE
from webhook.engine.resourcemodifiers import RESOURCE_MODIFIERS
from webhook.engine.resourcepolicies import RESOURCE_POLICIES

KINDS: tuple[ConfigKind, ...] = (
    NODE_AGENT,
    REPO_MAINTENANCE,
    BACKUP_REPOSITORY,
    RESOURCE_POLICIES,
    RESOURCE_MODIFIERS,
)
BY_NAME = {kind.name: kind for kind in KINDS}
DEFAULT_KIND = NODE_AGENT  # a bare `--configmap-name NAME` and a bare config file name it


def kind_named(name: str) -> ConfigKind:
    """Raises KeyError naming the known kinds."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown config kind {name!r}: known are {', '.join(BY_NAME)}") from None


def looking_like(data: Mapping[str, Any]) -> list[ConfigKind]:
    """The kinds whose content a ConfigMap's data looks like (for one nothing references yet)."""
    return [kind for kind in KINDS if kind.looks_like is not None and kind.looks_like(data)]


def reader_flags() -> frozenset[str]:
    """Every workload flag that names a ConfigMap of some kind: what the inventory keeps of args."""
    return frozenset(reader.flag for kind in KINDS for reader in kind.readers)
