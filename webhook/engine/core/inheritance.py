"""Pod labels and annotations a Velero-made pod copies from the workload that makes it, unless the
config gives its own: setting podLabels or podAnnotations stops the copy.

Velero copies only an allowlist (pkg/util/third_party.go, v1.16 to v1.18.2): the label
`azure.workload.identity/use` and the annotation `iam.amazonaws.com/role`, which cloud identity
webhooks need on every pod that reaches the backup storage. Which workload is copied, and whether an
empty value counts, is each kind's to say.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from webhook.engine.core import field as f
from webhook.engine.core.cluster import VeleroWorkload
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings

# (config section, the workload's pod template part, the allowlisted key)
THIRD_PARTY = (
    ("podLabels", "template_labels", "azure.workload.identity/use"),
    ("podAnnotations", "template_annotations", "iam.amazonaws.com/role"),
)
Inherits = Callable[[Mapping[str, str], str], bool]  # whether a template's key would be copied


def check_lost_inheritance(
    ctx: Context, sources: Sequence[VeleroWorkload], pods: str, inherits: Inherits, out: Findings
) -> None:
    """A warning for each allowlisted key that `pods` would have copied from one of `sources`."""
    for section, part, key in THIRD_PARTY:
        if not ctx.section(section):
            continue
        for source in sources:
            if inherits(getattr(source, part), key):
                out.warn(
                    f.ROOT.child(section),
                    f"set, so {pods} no longer inherit {key} from {source.ref}: add it here if they need it",
                )
