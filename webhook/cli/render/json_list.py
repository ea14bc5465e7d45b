"""For programs: always one JSON document, a list with one entry per document, whatever happened.

Keys: `source` (the file), `name` (`namespace/name`, or null for a bare config), `kind` (the config
kind it was checked as, or null), `version` (the Velero checked against, or null), `allowed` (null
when not checked), `errors`, `warnings` (every one), `skipped` (why it was not checked, or null),
`error` (why it could not be, or null).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from webhook.cli.render import Style
from webhook.cli.results import Outcome, Result


def entry(result: Result) -> dict[str, Any]:
    doc = result.document
    return {
        "source": doc.source,
        "name": doc.qualified_name,
        "kind": result.kind.name if result.kind is not None else None,
        "version": str(result.version.version) if result.version is not None else None,
        "allowed": result.verdict.allowed if result.verdict is not None else None,
        "errors": [str(err) for err in result.errors],
        "warnings": result.warning_texts,
        "skipped": result.reason if result.outcome is Outcome.SKIPPED else None,
        "error": result.reason if result.outcome is Outcome.ERROR else None,
    }


def dump(entries: list[dict[str, Any]]) -> str:
    return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"


def render(results: Sequence[Result], style: Style) -> str:
    return dump([entry(r) for r in results])
