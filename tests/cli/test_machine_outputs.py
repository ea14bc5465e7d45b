"""`-o junit` and `-o sarif` are valid against their published schemas (tests/cli/schemas) and carry
the structured findings: field path, error type and detail from the engine's FieldError objects."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jsonschema
import pytest
import xmlschema

from .conftest import Cli, case

SCHEMAS = Path(__file__).parent / "schemas"
SUMS = {
    "junit-10.xsd": "a1a816f58d1bf95ebabf371994df0b9246dee66ea9572fbec4f9296f1b2c0ff6",
    "sarif-schema-2.1.0.json": "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e",
}
# every kind of input: allowed, denied, warned, skipped, unreadable, unparsable
INPUTS = ["good.yaml", "bad.yaml", "mixed.yaml", "broken-colon.yaml"]


def argv(output: str, *extra: str) -> list[str]:
    files = [str(case(name)) for name in INPUTS]
    return [
        "validate",
        "-o",
        output,
        "--velero-version",
        "1.16",
        *extra,
        *files,
        str(case("config.json")),
        "/nope.yaml",
    ]


@pytest.mark.parametrize(("name", "digest"), SUMS.items())
def test_the_vendored_schemas_are_the_published_ones(name: str, digest: str) -> None:
    assert hashlib.sha256((SCHEMAS / name).read_bytes()).hexdigest() == digest


@pytest.fixture(scope="module")
def junit_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))


@pytest.fixture(scope="module")
def sarif_validator() -> Any:
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def expected_testcases() -> dict[tuple[str, str], str]:
    """(classname, name) -> what each testcase holds: checked configs and unreadable inputs only."""
    nac = "ConfigMap velero/node-agent-config"
    return {
        (str(case("good.yaml")), nac): "",
        (str(case("bad.yaml")), nac): "failure",
        (str(case("mixed.yaml")), nac): "",
        (str(case("broken-colon.yaml")), str(case("broken-colon.yaml"))): "error",
        (str(case("config.json")), str(case("config.json"))): "system-out",
        ("/nope.yaml", "/nope.yaml"): "error",
    }


@pytest.mark.parametrize("extra", [[], ["--warnings-as-errors"]], ids=["plain", "warnings-as-errors"])
def test_junit_is_valid_with_one_testcase_per_checked_config_or_error(
    cli: Cli, junit_schema: xmlschema.XMLSchema, extra: list[str]
) -> None:
    ran = cli(*argv("junit", *extra))
    junit_schema.validate(ran.out)
    suite = ET.fromstring(ran.out).find("testsuite")
    assert suite is not None
    cases = {(c.get("classname") or "", c.get("name") or ""): c for c in suite.iter("testcase")}
    holds = {key: " ".join(child.tag for child in c) for key, c in cases.items()}
    expected = expected_testcases()
    if extra:  # the warnings fail the run: a failure, and still the warnings in system-out
        expected[(str(case("config.json")), str(case("config.json")))] = "failure system-out"
    assert holds == expected
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == (
        "6",
        "2" if extra else "1",
        "2",
    )
    denied = cases[(str(case("bad.yaml")), "ConfigMap velero/node-agent-config")].find("failure")
    assert denied is not None
    assert denied.text == "loadConcurrency.globalConfig: Invalid value: 0: must be greater than or equal to 1"
    assert denied.get("message") == "denied: 1 error"


def test_sarif_is_valid_with_one_result_per_finding(cli: Cli, sarif_validator: Any) -> None:
    ran = cli(*argv("sarif"))
    log = json.loads(ran.out)
    sarif_validator.validate(log)
    [run] = log["runs"]
    assert run["tool"]["driver"]["name"] == "node-agent-webhook"
    assert run["invocations"] == [{"executionSuccessful": False}], "two inputs could not be read"
    found = [
        (r["ruleId"], r["level"], Path(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]).name)
        for r in run["results"]
    ]
    assert found == [
        ("Invalid", "error", "bad.yaml"),
        ("InputError", "error", "broken-colon.yaml"),
        ("Warning", "warning", "config.json"),
        ("InputError", "error", "nope.yaml"),
    ]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {"Invalid", "InputError", "Warning"}


def test_a_sarif_field_error_is_the_engines_fielderror(cli: Cli) -> None:
    log = json.loads(cli("validate", "-o", "sarif", case("bad.yaml")).out)
    [result] = log["runs"][0]["results"]
    assert result["message"]["text"].startswith("loadConcurrency.globalConfig: Invalid value: 0")
    location = result["locations"][0]
    assert location["logicalLocations"] == [
        {"fullyQualifiedName": "loadConcurrency.globalConfig", "kind": "member"}
    ]
    assert location["physicalLocation"]["region"] == {"startLine": 1}
    assert result["properties"] == {
        "configmap": "velero/node-agent-config",
        "path": "loadConcurrency.globalConfig",
        "type": "Invalid value",
        "detail": "must be greater than or equal to 1",
    }


def test_a_sarif_syntax_error_points_where_the_parser_stopped(cli: Cli) -> None:
    log = json.loads(cli("validate", "-o", "sarif", case("broken-colon.yaml")).out)
    [result] = log["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 6, "startColumn": 1}


def test_sarif_of_a_clean_run_has_no_result(cli: Cli, sarif_validator: Any) -> None:
    ran = cli("validate", "-o", "sarif", case("good.yaml"))
    log = json.loads(ran.out)
    sarif_validator.validate(log)
    assert log["runs"][0]["results"] == [] and ran.code == 0
