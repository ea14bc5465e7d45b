"""The repository maintenance config's schema: the JSON Schema file beside this module (Velero's
JobConfigs, newest), the one source of its field names, Go types and release gates."""

from __future__ import annotations

from webhook.engine.core.schema import Schema

SCHEMA = Schema(__package__ or "webhook.engine.repomaintenance", "repo-maintenance-config.schema.json")
