"""For CI systems that read JUnit XML: one testcase per checked config and per input that could not
be read; skipped documents are left out (a directory of manifests would drown the report in them).

A denial is a <failure> listing every field error; warnings go to <system-out>, and with
--warnings-as-errors they are a <failure> too; an unreadable or unparsable input is an <error>.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree import ElementTree as ET

from webhook.cli.render import Style
from webhook.cli.results import Outcome, Result


def testcase(result: Result, style: Style) -> ET.Element:
    doc = result.document
    name = f"{doc.kind} {doc.qualified_name or '<unnamed>'}" if doc.obj is not None else doc.source
    case = ET.Element("testcase", name=name, classname=doc.source)
    if result.outcome is Outcome.ERROR:
        ET.SubElement(case, "error", message=result.reason, type="unreadable")
    elif result.failed(style.warnings_as_errors):
        found = [str(e) for e in result.errors] or [f"warning: {w}" for w in result.warning_texts]
        failure = ET.SubElement(case, "failure", message=_summary(result), type=result.outcome.value)
        failure.text = "\n".join(found)
    if result.warnings:
        ET.SubElement(case, "system-out").text = "\n".join(result.warning_texts)
    return case


def _summary(result: Result) -> str:
    if result.errors:
        return f"denied: {len(result.errors)} error{'s' if len(result.errors) > 1 else ''}"
    return f"{len(result.warnings)} warnings (--warnings-as-errors)"


def render(results: Sequence[Result], style: Style) -> str:
    cases = [testcase(r, style) for r in results if r.outcome is not Outcome.SKIPPED]
    counts = {
        "tests": str(len(cases)),
        "failures": str(sum(1 for c in cases if c.find("failure") is not None)),
        "errors": str(sum(1 for c in cases if c.find("error") is not None)),
    }
    name = f"node-agent-webhook {style.command}"
    suites = ET.Element("testsuites", {"name": name, **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": name, "skipped": "0", **counts})
    suite.extend(cases)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
