"""Every ConfigMap name the webhook configuration sends is a name the server checks (issue 11, 9).

Before, `velero.extraConfigMapNames` reached the matchConditions but not the server's flags: such a
ConfigMap was sent to the webhook and let through unchecked until a node-agent DaemonSet named it,
which in Velero's documented order comes later. Here the Deployment's args are parsed by the server's
own parser and each sent name goes through the server's own targeting, with no DaemonSet at all.
"""

from __future__ import annotations

import ast
import json

import pytest

from webhook.cli.main import build_parser
from webhook.cli.serve import settings_from_args
from webhook.engine import BY_NAME, DEFAULT_KIND, ClusterView, roles

from .conftest import CHART, FULLNAME, NAMESPACE, Manifests, ci_file, render

VALUES = {
    "the defaults": ([], []),
    "extra names beside the default": ([], ["velero.extraConfigMapNames={custom-a,custom-b}"]),
    "names in both lists": ([], ["velero.configMapNames={a,b}", "velero.extraConfigMapNames={b,c}"]),
    "the chart-certs CI values (two namespaces, an extra name)": ([ci_file("chart-certs")], []),
    "names of every other kind": (
        [],
        [
            "velero.kindConfigMapNames.repo-maintenance={maintenance}",
            "velero.kindConfigMapNames.backup-repository={repo-config}",
            "velero.kindConfigMapNames.resource-policies={policies,shared}",
            "velero.kindConfigMapNames.resource-modifiers={modifiers,shared}",
        ],
    ),
}


def sent_names(m: Manifests) -> list[str]:
    """The names of the matchCondition `<name> in ['a', 'b']`, read back from the CEL list."""
    hook = m.one("ValidatingWebhookConfiguration", FULLNAME)["webhooks"][0]
    [condition] = [c for c in hook["matchConditions"] if c["name"] == "node-agent-configmap-names"]
    names: list[str] = ast.literal_eval(condition["expression"].rsplit(" in ", 1)[1])
    return names


def server_args(m: Manifests) -> list[str]:
    [container] = m.one("Deployment", FULLNAME)["spec"]["template"]["spec"]["containers"]
    args: list[str] = container["args"]
    return args


@pytest.mark.parametrize(("files", "sets"), VALUES.values(), ids=list(VALUES))
def test_every_name_sent_to_the_webhook_is_checked_by_the_server(files: list[str], sets: list[str]) -> None:
    m = render(files, sets)
    settings = settings_from_args(build_parser().parse_args(["serve", *server_args(m)]))
    no_workload = ClusterView(workloads=())
    for name in sent_names(m):
        assert roles(settings.targeting, no_workload, NAMESPACE, name), name
    checked = {name for names in settings.targeting.names.values() for name in names}
    assert checked == set(sent_names(m))


def test_the_chart_s_kinds_are_the_engine_s() -> None:
    """One list of kinds: the values schema's per-kind names follow webhook.engine's registry."""
    schema = json.loads((CHART / "values.schema.json").read_text())
    kinds = schema["properties"]["velero"]["properties"]["kindConfigMapNames"]["properties"]
    assert set(kinds) | {DEFAULT_KIND.name} == set(BY_NAME)


def test_a_name_of_another_kind_is_checked_as_that_kind() -> None:
    m = render([], ["velero.kindConfigMapNames.repo-maintenance={maintenance}"])
    settings = settings_from_args(build_parser().parse_args(["serve", *server_args(m)]))
    [role] = roles(settings.targeting, ClusterView(workloads=()), NAMESPACE, "maintenance")
    assert role.kind.name == "repo-maintenance"
