"""The CLI on every engine case: `validate --output json` exits 0 or 1 as the case is allowed or
denied and prints what the engine found; `explain --output json` prints each node's concurrency as
the case states it.

Each case becomes files: the config as written (or a ConfigMap manifest), and a cluster file in the
form `kubectl get ... -o json` prints. Cases that go through the admission policy (`request`) or an
inventory that could not be read (`unavailable`) have no CLI form and are left out by design.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.engine.casefile import Case, evaluate, load_cases
from webhook.cli.main import main
from webhook.cli.manifests import documents
from webhook.cli.reading import Input
from webhook.engine import NEWEST, NEWEST_RELEASE, Version

CASES = [
    c for c in load_cases() if "request" not in c.raw and "unavailable" not in (c.raw.get("cluster") or {})
]
WITH_CONCURRENCY = [c for c in CASES if "concurrency" in c.raw]
ROOT = Path(__file__).parents[2]


def input_file(case: Case, where: Path) -> Path:
    """The config exactly as written, or the ConfigMap as a manifest (JSON, which YAML reads too)."""
    if "config" in case.raw:
        path = where / "config.json"
        path.write_bytes(case.raw["config"].encode("utf-8"))
        return path
    manifest = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "node-agent-config"}}
    path = where / "configmap.json"
    path.write_text(json.dumps({**manifest, **case.raw["configmap"]}), encoding="utf-8")
    [doc] = documents(Input(str(path), named=True, text=path.read_text(encoding="utf-8")))
    assert doc.obj is not None and doc.obj.get("data") == case.raw["configmap"].get("data")
    return path


def _named(kind: str, name: str, **fields: Any) -> dict[str, Any]:
    return {"kind": kind, "metadata": {"name": name, **fields.pop("metadata", {})}, **fields}


def _daemonset(d: dict[str, Any]) -> dict[str, Any]:
    args = [f"--node-agent-configmap={d['configmap']}"] if d.get("configmap") else []
    image = f"velero/velero:v{d['version']}" if d.get("version") else "velero/velero:latest"
    template = {
        "metadata": {"labels": d.get("labels", {}), "annotations": d.get("annotations", {})},
        "spec": {"containers": [{"name": "node-agent", "image": image, "args": args}]},
    }
    metadata = {"namespace": d.get("namespace", "velero")}
    return _named("DaemonSet", d.get("name", "node-agent"), metadata=metadata, spec={"template": template})


def cluster_documents(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """One typed List per kind the case knows: an empty list still says "there are none"."""
    lists = {
        "NodeList": [
            _named("Node", n, metadata={"labels": labels}) for n, labels in spec.get("nodes", {}).items()
        ]
        if "nodes" in spec
        else None,
        "StorageClassList": [
            _named("StorageClass", n, reclaimPolicy=p) for n, p in spec["storageClasses"].items()
        ]
        if "storageClasses" in spec
        else None,
        "PriorityClassList": [_named("PriorityClass", n) for n in spec["priorityClasses"]]
        if "priorityClasses" in spec
        else None,
        "DaemonSetList": [_daemonset(d) for d in spec["daemonsets"]] if "daemonsets" in spec else None,
    }
    return [
        {"apiVersion": "v1", "kind": kind, "items": items}
        for kind, items in lists.items()
        if items is not None
    ]


def common_args(case: Case, where: Path) -> list[str]:
    version = str(case.raw.get("version", NEWEST_RELEASE))
    args = ["--output", "json", "--velero-version", version]
    if (Version.parse(version) or NEWEST) > NEWEST:
        args.append("--allow-newer-version")
    spec = case.raw.get("cluster")
    if spec:
        nodes = where / "cluster.json"
        nodes.write_text("\n".join(json.dumps(d) for d in cluster_documents(spec)), encoding="utf-8")
        args += ["--nodes", str(nodes)]
    return args


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, Any]:
    code = main(argv)
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_validate_answers_every_case_as_the_engine_does(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "validate",
        *common_args(case, tmp_path),
        "--field-validation",
        case.raw.get("fieldValidation", "Strict"),
    ]
    code, printed = run_cli([*args, str(input_file(case, tmp_path))], capsys)
    assert code == (0 if case.allowed else 1)
    [result] = printed
    assert set(result) == {
        "source",
        "name",
        "kind",
        "version",
        "allowed",
        "errors",
        "warnings",
        "skipped",
        "error",
    }
    verdict = evaluate(case.raw)
    assert result["allowed"] is case.allowed
    assert result["errors"] == verdict.error_strings
    assert result["warnings"] == verdict.warning_strings
    assert result["source"].startswith(str(tmp_path))
    assert result["version"] == str(verdict.velero_version)
    assert result["skipped"] is None and result["error"] is None


@pytest.mark.parametrize("case", WITH_CONCURRENCY, ids=[c.id for c in WITH_CONCURRENCY])
def test_explain_gives_every_node_the_concurrency_the_case_states(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, printed = run_cli(
        ["explain", *common_args(case, tmp_path), str(input_file(case, tmp_path))], capsys
    )
    strict = evaluate({**case.raw, "fieldValidation": "Strict"})  # explain checks as the default does
    assert code == (0 if strict.allowed else 1)
    [result] = printed
    assert "nodes" in result
    assert all(set(row) == {"name", "concurrency", "rule"} for row in result["nodes"])
    assert {row["name"]: [row["concurrency"], row["rule"]] for row in result["nodes"]} == case.raw[
        "concurrency"
    ]


def test_there_are_cases_for_both_commands() -> None:
    assert len(CASES) >= 200
    assert len(WITH_CONCURRENCY) >= 20


def test_the_installed_command_runs_a_case_in_its_own_process(tmp_path: Path) -> None:
    """The console script and `python -m webhook` reach the same main: one case through a subprocess."""
    [case] = [c for c in CASES if c.name.startswith("B6 ")]
    argv = [
        sys.executable,
        "-m",
        "webhook",
        "validate",
        *common_args(case, tmp_path),
        str(input_file(case, tmp_path)),
    ]
    done = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, timeout=60, check=False)
    assert done.returncode == 1, done.stderr
    [result] = json.loads(done.stdout)
    assert result["allowed"] is False
    assert result["errors"] == evaluate(case.raw).error_strings
