"""Names decide what is checked, as in the webhook (issue 11, finding 1).

`validate` used to treat every ConfigMap as a node-agent config: kube-root-ca.crt beside
node-agent-config was denied ("invalid character '-' ... looks like YAML") and the run exited 1.
"""

from __future__ import annotations

import pytest

from .conftest import Cli, case

NOT_A_NAME = "not a config name (checked: node-agent: {}; --configmap-name [KIND=]NAME adds one)"

# (what a user runs, the outcome of each name, the exit code)
TABLE = {
    "kube-root-ca.crt and other ConfigMaps beside node-agent-config are skipped, and the run passes": (
        ["mixed.yaml"],
        {
            "velero/node-agent-config": "allowed",
            "velero/kube-root-ca.crt": "skipped",
            "velero/app-settings": "skipped",
            "velero/velero": "skipped",
        },
        0,
    ),
    "--configmap-name replaces the default, as in serve": (
        ["--configmap-name", "custom", "mixed.yaml", "custom-name.yaml"],
        {
            "velero/node-agent-config": "skipped",
            "velero/kube-root-ca.crt": "skipped",
            "velero/app-settings": "skipped",
            "velero/velero": "skipped",
            "velero/custom": "denied",
        },
        1,
    ),
    "--configmap-name is repeatable": (
        ["--configmap-name", "custom", "--configmap-name", "app-settings", "mixed.yaml", "custom-name.yaml"],
        {
            "velero/node-agent-config": "skipped",
            "velero/kube-root-ca.crt": "skipped",
            "velero/app-settings": "denied",
            "velero/velero": "skipped",
            "velero/custom": "denied",
        },
        1,
    ),
    "the name a node-agent DaemonSet in --nodes reads is checked too, beside the default": (
        ["--nodes", "nodes-daemonset-1.16.json", "mixed.yaml", "custom-name.yaml"],
        {
            "velero/node-agent-config": "allowed",
            "velero/kube-root-ca.crt": "skipped",
            "velero/app-settings": "skipped",
            "velero/velero": "skipped",
            "velero/custom": "denied",
        },
        1,
    ),
    "a file that holds no ConfigMap is skipped and never changes the exit code": (
        ["deployment-only.yaml", "good.yaml"],
        {"velero/velero": "skipped", "velero/node-agent-config": "allowed"},
        0,
    ),
}


def cases_in(argv: list[str]) -> list[str]:
    """The file names of the table are files of tests/cli/cases."""
    return [str(case(a)) if a.endswith((".yaml", ".json")) else a for a in argv]


def outcome(entry: dict[str, object]) -> str:
    if entry["skipped"] is not None:
        return "skipped"
    return "allowed" if entry["allowed"] else "denied"


@pytest.mark.parametrize(("argv", "outcomes", "code"), TABLE.values(), ids=list(TABLE))
def test_names_decide_what_is_checked(cli: Cli, argv: list[str], outcomes: dict[str, str], code: int) -> None:
    ran = cli("validate", "-o", "json", *cases_in(argv))
    assert {name: outcome(entry) for name, entry in ran.by_name().items()} == outcomes
    assert ran.code == code, ran.err


def test_kubectl_get_configmaps_piped_in(cli: Cli) -> None:
    """`kubectl get cm -n velero -o yaml | node-agent-webhook validate -`: a List on stdin."""
    ran = cli("validate", "-", stdin=case("kubectl-get-cm.yaml").read_text())
    assert ran.out.splitlines() == [
        "-: ConfigMap velero/node-agent-config: denied "
        "(node-agent config, Velero 1.18.2, the newest release this tool knows)",
        "  error: loadConcurrency.globalConfig: Invalid value: 0: must be greater than or equal to 1",
        f"-: ConfigMap velero/kube-root-ca.crt: skipped: {NOT_A_NAME.format('node-agent-config')}",
    ]
    assert ran.code == 1


def test_the_skip_says_which_names_are_checked(cli: Cli) -> None:
    ran = cli("validate", "-o", "json", "--nodes", case("nodes-daemonset-1.16.json"), case("mixed.yaml"))
    skipped = ran.by_name()["velero/app-settings"]["skipped"]
    assert skipped == NOT_A_NAME.format("custom, node-agent-config")
    assert ran.by_name()["velero/velero"]["skipped"] == "not a ConfigMap"
