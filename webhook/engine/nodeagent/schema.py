"""node-agent's schema: the JSON Schema file beside this module (Velero's NodeAgentConfigs, newest)."""

from __future__ import annotations

from webhook.engine.core.schema import Schema

SCHEMA = Schema(__package__ or "webhook.engine.nodeagent", "node-agent-config.schema.json")
