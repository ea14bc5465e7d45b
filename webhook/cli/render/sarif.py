"""For code scanning: SARIF 2.1.0, one result per finding. A field error is an `error` result whose
message starts with the field path (as kubectl prints it), whose rule is its type (`Invalid`,
`UnknownField`, ...) and whose logical location is the path; a warning is a `warning` result,
located at its field path where it has one; an input that could not be read or parsed is an `error`
result at the line and column where the parser stopped. Every location names the file and the line
its document starts on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import quote

from webhook.cli.render import Style
from webhook.cli.results import Outcome, Result
from webhook.cli.version import package_version
from webhook.engine import FieldError

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
RULES = {
    "Warning": "allowed, but Velero may not do what the config says",
    "InputError": "the input could not be read or parsed",
}


def rule_id(err: FieldError) -> str:
    return "".join(word.capitalize() for word in err.type.name.split("_"))


def _location(result: Result, path: str | None = None) -> dict[str, Any]:
    doc = result.document
    location: dict[str, Any] = {}
    if doc.source != "cluster":
        region = {"startLine": doc.line or 1, **({"startColumn": doc.column} if doc.column else {})}
        location["physicalLocation"] = {"artifactLocation": {"uri": quote(doc.source)}, "region": region}
    if path is not None:
        location["logicalLocations"] = [{"fullyQualifiedName": path, "kind": "member"}]
    return location


def _finding(result: Result, rule: str, level: str, text: str, path: str | None = None) -> dict[str, Any]:
    properties = {"configmap": result.document.qualified_name}
    return {
        "ruleId": rule,
        "level": level,
        "message": {"text": text},
        "locations": [_location(result, path)],
        "properties": properties,
    }


def findings(result: Result, style: Style) -> Iterator[dict[str, Any]]:
    if result.outcome is Outcome.ERROR:
        yield _finding(result, "InputError", "error", result.reason)
    for err in result.errors:
        found = _finding(result, rule_id(err), "error", str(err), str(err.path))
        found["properties"] |= {"path": str(err.path), "type": err.type.value, "detail": err.detail}
        yield found
    level = "error" if style.warnings_as_errors else "warning"
    for warning in result.warnings:
        path = str(warning.path) if str(warning.path) != "<root>" else None
        yield _finding(result, "Warning", level, str(warning), path)


def _rules(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    used = sorted({r["ruleId"] for r in results})
    types = {r["ruleId"]: r["properties"].get("type") for r in results}
    return [{"id": rid, "shortDescription": {"text": RULES.get(rid) or types[rid]}} for rid in used]


def render(results: Sequence[Result], style: Style) -> str:
    found = [f for r in results for f in findings(r, style)]
    driver = {"name": "node-agent-webhook", "version": package_version(), "rules": _rules(found)}
    invocation = {"executionSuccessful": not any(r.outcome is Outcome.ERROR for r in results)}
    run = {"tool": {"driver": driver}, "invocations": [invocation], "results": found}
    return (
        json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2, ensure_ascii=False)
        + "\n"
    )
