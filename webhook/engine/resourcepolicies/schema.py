"""The resource policies' schema: the JSON Schema beside this module (Velero's ResourcePolicies, newest)."""

from __future__ import annotations

from webhook.engine.core.schema import Schema

SCHEMA = Schema(__package__ or "webhook.engine.resourcepolicies", "resource-policies.schema.json")
