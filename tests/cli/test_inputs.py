"""Every input gets its result and the run goes on; the exit code is the worst (issue 11, 2 and 3).

Before, a YAML syntax error in a manifest was reported as a denied bare config with a JSON error
(exit 1); one unreadable path among several printed only the read error and exited 2, with nothing
on stdout for -o json; a directory was `[Errno 21] Is a directory`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Cli, case

KEYS = {"source", "name", "kind", "version", "allowed", "errors", "warnings", "skipped", "error"}

# (file, the error reported in its place: where the parser stopped)
SYNTAX_ERRORS = {
    "an under-indented block scalar": (
        "broken-block-scalar.yaml",
        "syntax error at line 9, column 1: could not find expected ':' "
        "(while scanning a simple key at line 8, column 3)",
    ),
    "`namespace velero` without a colon": (
        "broken-colon.yaml",
        "syntax error at line 6, column 1: could not find expected ':' "
        "(while scanning a simple key at line 5, column 3)",
    ),
    "a JSON manifest with a missing comma": (
        "broken.json",
        "syntax error at line 5, column 3: did not find expected ',' or '}' "
        "(while parsing a flow mapping at line 1, column 1)",
    ),
}


@pytest.mark.parametrize(("name", "error"), SYNTAX_ERRORS.values(), ids=list(SYNTAX_ERRORS))
def test_a_syntax_error_in_a_manifest_is_an_error_where_the_parser_stopped(
    cli: Cli, name: str, error: str
) -> None:
    ran = cli("validate", case(name))
    assert ran.out == f"{case(name)}: error: {error}\n"
    assert ran.code == 2


def test_the_documents_before_a_syntax_error_are_checked_all_the_same(cli: Cli) -> None:
    ran = cli("validate", "-o", "json", case("broken-second-document.yaml"))
    first, broken = ran.json()
    assert (first["name"], first["allowed"]) == ("velero/node-agent-config", False)
    assert broken["error"].startswith("syntax error at line 14, column 5: did not find expected ',' or '}'")
    assert broken["allowed"] is None
    assert ran.code == 2


def test_an_unreadable_path_among_several_gets_its_result_and_the_others_theirs(cli: Cli) -> None:
    ran = cli("validate", "-o", "json", case("good.yaml"), case("config.json"), "/nope/missing.yaml")
    good, config, missing = ran.json()
    assert all(set(entry) == KEYS for entry in (good, config, missing))
    assert (good["allowed"], config["allowed"]) == (True, True)
    assert missing == {
        "source": "/nope/missing.yaml",
        "name": None,
        "kind": None,
        "version": None,
        "allowed": None,
        "errors": [],
        "warnings": [],
        "skipped": None,
        "error": "cannot read: No such file or directory",
    }
    assert ran.code == 2


def test_the_text_output_reports_the_unreadable_path_in_place(cli: Cli) -> None:
    ran = cli("validate", case("bad.yaml"), "/nope/missing.yaml", case("good.yaml"))
    lines = ran.out.splitlines()
    newest = "(node-agent config, Velero 1.18.2, the newest release this tool knows)"
    assert lines[0] == f"{case('bad.yaml')}: ConfigMap velero/node-agent-config: denied {newest}"
    assert lines[2] == "/nope/missing.yaml: error: cannot read: No such file or directory"
    assert lines[3] == f"{case('good.yaml')}: ConfigMap velero/node-agent-config: allowed {newest}"
    assert ran.code == 2


def test_a_file_of_other_kinds_is_skipped_in_json_too(cli: Cli) -> None:
    ran = cli("validate", "-o", "json", case("deployment-only.yaml"))
    [entry] = ran.json()
    assert (entry["name"], entry["skipped"], entry["allowed"]) == ("velero/velero", "not a ConfigMap", None)
    assert ran.code == 0


def tree(root: Path) -> Path:
    """A repository: manifests in nested directories, files that are not manifests, a hidden directory."""
    files = {
        "deploy/velero/node-agent-config.yaml": case("bad.yaml").read_text(),
        "deploy/velero/nested/custom.yml": case("custom-name.yaml").read_text(),
        "deploy/apps/deployment.json": '{"apiVersion": "apps/v1", "kind": "Deployment"}',
        "deploy/values.yaml": "replicas: 2\nimage: velero\n",
        "deploy/README.md": "not read: neither yaml nor json\n",
        "deploy/.git/config.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: node-agent-config}\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (root / "empty").mkdir()
    return root


def test_directories_are_walked_recursively(cli: Cli, tmp_path: Path) -> None:
    root = tree(tmp_path)
    ran = cli(
        "validate",
        "-o",
        "json",
        "--configmap-name",
        "node-agent-config",
        "--configmap-name",
        "custom",
        root / "deploy",
        root / "empty",
    )
    found = [
        (Path(e["source"]).relative_to(root).as_posix(), e["allowed"], e["skipped"], e["error"])
        for e in ran.json()
    ]
    assert found == [
        ("deploy/apps/deployment.json", None, "not a ConfigMap", None),
        (
            "deploy/values.yaml",
            None,
            "not a Kubernetes manifest; a bare config is checked when named (found in a directory)",
            None,
        ),
        ("deploy/velero/nested/custom.yml", False, None, None),
        ("deploy/velero/node-agent-config.yaml", False, None, None),
        ("empty", None, "a directory with no .yaml, .yml, .json file in it", None),
    ]
    assert ran.code == 1


def test_a_bare_config_named_on_the_command_line_is_always_checked(cli: Cli, tmp_path: Path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("replicas: 2\n")
    ran = cli("validate", "-o", "json", values)
    [entry] = ran.json()
    assert entry["allowed"] is False and entry["name"] is None
    assert entry["errors"][0].startswith("<config>: Invalid value: invalid JSON")
    skipped = cli("validate", "-o", "json", "--manifests-only", values).json()
    assert (
        skipped[0]["skipped"]
        == "not a Kubernetes manifest; a bare config is checked when named (--manifests-only)"
    )


# (the inputs, the exit code: 0 allowed, 1 any denied, 2 any input unread)
WORST = {
    "all allowed": (["good.yaml", "config.json"], 0),
    "allowed and skipped": (["good.yaml", "deployment-only.yaml"], 0),
    "one denied": (["good.yaml", "bad.yaml"], 1),
    "denied and unparsable": (["bad.yaml", "broken.json"], 2),
    "an unparsable among allowed": (["broken-colon.yaml", "good.yaml"], 2),
}


@pytest.mark.parametrize(("names", "code"), WORST.values(), ids=list(WORST))
def test_the_exit_code_is_the_worst_of_all_inputs(cli: Cli, names: list[str], code: int) -> None:
    ran = cli("validate", "-o", "json", *(case(n) for n in names))
    assert len(ran.json()) == len(names)
    assert ran.code == code
