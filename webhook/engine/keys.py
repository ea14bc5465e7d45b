"""Findings about keys: unknown, duplicated, matched only case-insensitively, newer than the target.

node-agent ignores unknown keys and keeps the last of duplicated ones without a word. Strict field
validation (the default, as in Kubernetes) denies both; Warn only warns. So for a target Velero newer
than any we know: a field it added is unknown here and denied like a typo, as nothing tells the two
apart (the CLI refuses such a version unless asked, and says so; Warn lets such fields through).
"""

from __future__ import annotations

import json

from webhook.engine import field as f
from webhook.engine.checks import Findings
from webhook.engine.decode import Decoded
from webhook.engine.hints import suggest
from webhook.engine.schema import node_at
from webhook.engine.verdict import FieldValidation
from webhook.engine.versions import Version, describe

IGNORED = "node-agent ignores it"


def key_findings(decoded: Decoded, version: Version, mode: FieldValidation, out: Findings) -> None:
    strict = mode is FieldValidation.STRICT
    for parent, key, _ in decoded.unknown:
        if not _counted(strict, out):  # past the cap, no hint is looked for
            _unknown(parent, key, strict, out)
    for path, keys in decoded.duplicates:
        if not _counted(strict, out):
            _report(_duplicate(path, keys), strict, out)  # a duplicate is one in every version
    for path, _written, canonical in decoded.case_only:
        out.warn(
            path, f'read as "{canonical}": node-agent matches keys case-insensitively, other tools do not'
        )
    _version_findings(decoded, version, out)


def _counted(strict: bool, out: Findings) -> bool:
    """Whether the finding falls past its cap: then it is only counted."""
    if strict and out.full:
        out.more_errors += 1
    elif not strict and out.warnings_full:
        out.more_warnings += 1
    else:
        return False
    return True


def _report(err: f.FieldError, strict: bool, out: Findings) -> None:
    if strict:
        out.error(err)
    else:
        out.add_warning(str(err))


def _duplicate(path: f.FieldPath, keys: list[str]) -> f.FieldError:
    others = sorted({k for k in keys[:-1] if k != keys[-1]})
    also = (
        f"also written as {', '.join(json.dumps(k) for k in others)}"
        if others
        else f"written {len(keys)} times"
    )
    return f.duplicate(path, keys[-1], f"{also}: node-agent keeps the last", "duplicateKey")


def _unknown(parent: f.FieldPath, key: str, strict: bool, out: Findings) -> None:
    table = _table_path(parent)
    node = node_at(_steps(table)) or {}
    hint = suggest(table, key, list(node.get("properties", {})))
    detail = IGNORED + (f"; did you mean {hint}?" if hint else "")
    _report(f.unknown_field(parent.member(key), detail), strict, out)


def _table_path(path: f.FieldPath) -> str:
    """loadConcurrency.perNodeConfig[1].nodeSelector -> loadConcurrency.perNodeConfig[].nodeSelector."""
    parts = []
    for part in path.parts:
        if part.startswith("["):
            parts.append("[]" if part[1:-1].isdigit() else ".<name>")
        else:
            parts.append(part)
    return "".join(parts)


def _steps(table: str) -> tuple[str | int, ...]:
    steps: list[str | int] = []
    for piece in table.replace("[]", ".[]").split("."):
        if piece:
            steps.append(0 if piece == "[]" else piece)
    return tuple(steps)


def _version_findings(decoded: Decoded, version: Version, out: Findings) -> None:
    reported: set[str] = set()
    for written in decoded.written:
        added = Version.parse(written.added or "")
        if added is None or added <= version or _within(written.path, reported):
            continue
        reported.add(str(written.path))
        out.warn(written.path, f"ignored by Velero {describe(version)}; added in {describe(added)}")


def _within(path: f.FieldPath, reported: set[str]) -> bool:
    """Whether the path or one of its parents was reported: a set lookup per level, as 20,000
    loadAffinity entries each compared with every one reported before took 38 s."""
    parts = path.parts
    return any("".join(parts[:n]) in reported for n in range(1, len(parts) + 1))
