"""The backup repository config's schema: the JSON Schema file beside this module."""

from __future__ import annotations

from webhook.engine.core.schema import Schema

SCHEMA = Schema(__package__ or "webhook.engine.backuprepository", "backup-repository-config.schema.json")
