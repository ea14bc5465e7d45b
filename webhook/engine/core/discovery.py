"""Names of resources resolved as Velero's discovery helper resolves them (pkg/discovery: a
shortcut expander over client-go's discovery REST mapper): a short name as written, else the
plural or singular, lower-cased, in any group. `pods`, `Pod`, `po` and `pod` name pods;
`deployments.apps` names nothing (the group is not parsed)."""

from __future__ import annotations

from collections.abc import Sequence

from webhook.engine.core.cluster import APIResourceInfo


def resources_for(name: str, resources: Sequence[APIResourceInfo]) -> list[APIResourceInfo]:
    """Every resource the name resolves to (several groups may serve one name)."""
    for resource in resources:
        if name in resource.short_names:
            name = resource.resource  # expandResourceShortcut: the first short name found wins
            break
    lowered = name.lower()
    return [r for r in resources if lowered in (r.resource, r.singular or r.kind.lower())]
