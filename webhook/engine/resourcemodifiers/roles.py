"""The roles a modifiers ConfigMap has: a Restore's `resourceModifier` (every release), and on main
the server's `--default-resource-modifier-configmap`, which Velero reads for restores that name
none: there it only warns about what it cannot use and restores unmodified (MOD11)."""

from __future__ import annotations

from webhook.engine.core import field as f
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings
from webhook.engine.core.versions import Version, describe

RESTORE, DEFAULT = "restore", "default"
PURPOSES = frozenset({RESTORE, DEFAULT})
DEFAULTS = Version(1, 19, 0)  # main
FLAG = "--default-resource-modifier-configmap"


def check(ctx: Context, out: Findings) -> None:
    if DEFAULT in ctx.purposes and ctx.version < DEFAULTS:
        since = describe(DEFAULTS)
        out.warn(
            f.ROOT, f"Velero {describe(ctx.version)} has no default resource modifiers ({FLAG} from {since})"
        )


def warn_only(purposes: frozenset[str], version: Version) -> str:
    """Only the default role: a restore runs without modifiers Velero cannot use, with a warning."""
    if purposes != frozenset({DEFAULT}):
        return ""
    if version < DEFAULTS:
        return f"Velero {describe(version)} reads no default resource modifiers"
    return "default resource modifiers: Velero warns and restores without them"
