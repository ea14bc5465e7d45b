"""One Velero version per input, the same for validate and explain (issue 11, findings 4 and 5).

Before, `explain --velero-version` was ignored (per-node numbers as for the newest) while validate
used it; the version of a node-agent DaemonSet in --nodes applied to ConfigMaps but not to bare
configs of the same run; a version newer than the tool knows silently turned Strict errors into
warnings; `99999999999999999999.1` was accepted.
"""

from __future__ import annotations

import pytest

from webhook.engine import NEWEST_RELEASE

from .conftest import Cli, case

NEWEST_TEXT = "Velero 1.18.2, the newest release this tool knows"

# (the flags, the version both commands check against, the per-node numbers explain gives for a
# config node-agent cannot decode: 1.17 and later do not start, older ones run with the defaults)
VERSIONS = {
    "no version: the newest release": ([], "1.18.2", {}),
    "--velero-version 1.16: the defaults, one load per node": (
        ["--velero-version", "1.16"],
        "1.16.0",
        {"node-a": 1, "node-b": 1},
    ),
    "--velero-version 1.17.0: node-agent exits": (["--velero-version", "1.17.0"], "1.17.0", {}),
    "--velero-version v1.13.2 (a tag)": (
        ["--velero-version", "v1.13.2"],
        "1.13.2",
        {"node-a": 1, "node-b": 1},
    ),
}


@pytest.mark.parametrize(("flags", "version", "nodes"), VERSIONS.values(), ids=list(VERSIONS))
def test_validate_and_explain_check_against_the_same_version(
    cli: Cli, flags: list[str], version: str, nodes: dict[str, int]
) -> None:
    argv = ["-o", "json", "--nodes", str(case("nodes.json")), *flags, str(case("type-error.json"))]
    [validated] = cli("validate", *argv).json()
    [explained] = cli("explain", *argv).json()
    assert validated["version"] == explained["version"] == version
    assert validated["errors"] == explained["errors"]
    assert {row["name"]: row["concurrency"] for row in explained["nodes"]} == nodes


def test_the_daemonsets_version_applies_to_a_bare_config_as_to_a_configmap(cli: Cli) -> None:
    ran = cli(
        "validate", "--nodes", case("nodes-daemonset-1.16.json"), case("config.json"), case("good.yaml")
    )
    from_daemonset = "(node-agent config, Velero 1.16.2, from daemonset/node-agent in velero)"
    assert ran.out.splitlines() == [
        f"{case('config.json')}: allowed {from_daemonset}",
        "  warning: priorityClassName: ignored by Velero 1.16.2; added in 1.17",
        f"{case('good.yaml')}: ConfigMap velero/node-agent-config: allowed {from_daemonset}",
    ]


def test_the_text_output_says_which_version_and_why(cli: Cli) -> None:
    assert cli("validate", case("good.yaml")).out.endswith(f"allowed (node-agent config, {NEWEST_TEXT})\n")
    assert cli("validate", "--velero-version", "1.17.1", case("good.yaml")).out.endswith(
        "allowed (node-agent config, Velero 1.17.1, --velero-version)\n"
    )
    assert str(NEWEST_RELEASE) == "1.18.2", "the newest release moved: update NEWEST_TEXT"


# (the version asked for, the usage error; every one exits 2 before reading anything)
REFUSED = {
    "older than any known": (
        "1.12",
        "--velero-version 1.12.0: this tool knows Velero 1.13 to 1.19 (unreleased)",
    ),
    "a newer minor, without --allow-newer-version": (
        "1.20",
        "--velero-version 1.20.0: newer than the Velero this tool knows (1.13 to 1.19 (unreleased)); "
        "--allow-newer-version checks it anyway, its new fields unknown",
    ),
    "a newer major": ("2.0", "--velero-version 2.0.0: newer than the Velero this tool knows"),
    "not a version at all": (
        "99999999999999999999.1",
        "argument --velero-version: not a Velero version: '99999999999999999999.1'",
    ),
    "not a number": ("latest", "argument --velero-version: not a Velero version: 'latest'"),
}


@pytest.mark.parametrize("command", ["validate", "explain"])
@pytest.mark.parametrize(("version", "error"), REFUSED.values(), ids=list(REFUSED))
def test_a_version_the_tool_cannot_check_is_a_usage_error(
    cli: Cli, command: str, version: str, error: str
) -> None:
    ran = cli(command, "--nodes", case("nodes.json"), "--velero-version", version, case("good.yaml"))
    assert ran.code == 2
    assert ran.out == ""
    assert f"node-agent-webhook {command}: error: {error}" in ran.err


def test_allow_newer_version_keeps_strict_checking_and_says_so(cli: Cli) -> None:
    ran = cli(
        "validate",
        "-o",
        "json",
        "--velero-version",
        "1.20",
        "--allow-newer-version",
        case("unknown-field.json"),
    )
    [entry] = ran.json()
    assert entry["version"] == "1.20.0"
    assert entry["errors"] == ["dataMoverTimeout: Unknown field: node-agent ignores it"]
    assert ran.code == 1
    assert ran.err == (
        "node-agent-webhook: Velero 1.20 is newer than this tool knows (1.13 to 1.19 (unreleased)): "
        "fields added since are unknown to it and denied as unknown fields "
        "(--field-validation warn lets them through)\n"
    )


def test_warn_lets_a_newer_versions_fields_through(cli: Cli) -> None:
    ran = cli(
        "validate",
        "-o",
        "json",
        "--velero-version",
        "2.0",
        "--allow-newer-version",
        "--field-validation",
        "warn",
        case("unknown-field.json"),
    )
    [entry] = ran.json()
    assert (entry["allowed"], entry["warnings"]) == (
        True,
        ["dataMoverTimeout: Unknown field: node-agent ignores it"],
    )
    assert ran.code == 0
