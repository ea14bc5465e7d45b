"""kubectl's spellings and the flags CI needs (issue 11, finding 7): `--field-validation warn` was
refused, there was no `--version`; `--warnings-as-errors` and `--quiet` are new."""

from __future__ import annotations

import pytest

from .conftest import Cli, case

SPELLINGS = {"warn": True, "Warn": True, "WARN": True, "strict": False, "Strict": False}


@pytest.mark.parametrize(("spelling", "allowed"), SPELLINGS.items(), ids=list(SPELLINGS))
def test_field_validation_takes_kubectls_lowercase_spellings(cli: Cli, spelling: str, allowed: bool) -> None:
    [entry] = cli("validate", "-o", "json", "--field-validation", spelling, case("unknown-field.json")).json()
    assert entry["allowed"] is allowed


def test_field_validation_refuses_what_it_does_not_do(cli: Cli) -> None:
    ran = cli("validate", "--field-validation", "ignore", case("good.yaml"))
    assert ran.code == 2
    assert "argument --field-validation: 'ignore': choose strict or warn" in ran.err


def test_version(cli: Cli) -> None:
    ran = cli("--version")
    assert ran.code == 0
    assert ran.out == (
        "node-agent-webhook 0.1.0: Velero 1.13 to 1.19 (unreleased), "
        "checked against 1.18.2 unless told or a node-agent DaemonSet says\n"
    )


def test_warnings_as_errors_fails_a_run_with_warnings(cli: Cli) -> None:
    argv = ["validate", "--velero-version", "1.16", case("config.json")]
    assert cli(*argv).code == 0
    ran = cli(*argv[:1], "--warnings-as-errors", *argv[1:])
    assert ran.code == 1
    assert "  warning: priorityClassName: ignored by Velero 1.16; added in 1.17" in ran.out


def test_quiet_prints_only_denials_and_errors(cli: Cli) -> None:
    ran = cli("validate", "-q", case("good.yaml"), case("mixed.yaml"), case("bad.yaml"), "/nope.yaml")
    assert ran.out.splitlines() == [
        f"{case('bad.yaml')}: ConfigMap velero/node-agent-config: denied "
        "(node-agent config, Velero 1.18.2, the newest release this tool knows)",
        "  error: loadConcurrency.globalConfig: Invalid value: 0: must be greater than or equal to 1",
        "/nope.yaml: error: cannot read: No such file or directory",
    ]
    assert ran.code == 2


def test_quiet_with_warnings_as_errors_shows_the_warnings_that_fail(cli: Cli) -> None:
    ran = cli(
        "validate",
        "-q",
        "--warnings-as-errors",
        "--velero-version",
        "1.16",
        case("config.json"),
        case("good.yaml"),
    )
    assert ran.out.splitlines() == [
        f"{case('config.json')}: allowed (node-agent config, Velero 1.16, --velero-version)",
        "  warning: priorityClassName: ignored by Velero 1.16; added in 1.17",
    ]
    assert ran.code == 1
