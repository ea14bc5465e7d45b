"""The resource modifiers' schema: the JSON Schema file beside this module (Velero's ResourceModifiers)."""

from __future__ import annotations

from webhook.engine.core.schema import Schema

SCHEMA = Schema(__package__ or "webhook.engine.resourcemodifiers", "resource-modifiers.schema.json")
