"""Findings about keys: unknown, duplicated, matched only case-insensitively, newer than the target.

Velero's lenient decoder (encoding/json) ignores unknown keys and keeps the last of duplicated ones
without a word. Strict field validation (the default, as in Kubernetes) denies both; Warn only
warns. A field the target release does not read yet is a warning naming the release that added it.

A strict reader (yaml.v3 with KnownFields, sigs.k8s.io/yaml's UnmarshalStrict) refuses an unknown
key itself, and so a field newer than the release it runs: those are denied whatever the field
validation, which relaxes only what Velero accepts.
"""

from __future__ import annotations

import json

from webhook.engine.core import field as f
from webhook.engine.core.decode import Decoded
from webhook.engine.core.findings import Findings
from webhook.engine.core.hints import suggest
from webhook.engine.core.kind import ConfigKind
from webhook.engine.core.verdict import FieldValidation
from webhook.engine.core.versions import Version, describe


def key_findings(
    decoded: Decoded, kind: ConfigKind, version: Version, mode: FieldValidation, out: Findings
) -> None:
    strict = mode is FieldValidation.STRICT
    refused = kind.reading.strict or strict
    for parent, key, _ in decoded.unknown:
        if not out.counted(refused):  # past the cap, no hint is looked for
            out.report(_unknown(kind, parent, key), refused)
    for path, keys in decoded.duplicates:
        if not out.counted(strict):
            out.report(_duplicate(kind, path, keys), strict)  # a duplicate is one in every version
    for path, _written, canonical in decoded.case_only:
        out.warn(path, f'read as "{canonical}": {kind.wording.folds_case}')
    if kind.reading.strict:
        _refused_versions(decoded, kind, version, out)
    else:
        _version_findings(decoded, version, out)


def _duplicate(kind: ConfigKind, path: f.FieldPath, keys: list[str]) -> f.FieldError:
    others = sorted({k for k in keys[:-1] if k != keys[-1]})
    also = (
        f"also written as {', '.join(json.dumps(k) for k in others)}"
        if others
        else f"written {len(keys)} times"
    )
    return f.duplicate(path, keys[-1], f"{also}: {kind.wording.keeps_last}", "duplicateKey")


def _unknown(kind: ConfigKind, parent: f.FieldPath, key: str) -> f.FieldError:
    node = kind.schema.at(parent.steps) or {}
    hint = suggest(kind.schema, kind.mistakes, parent.table, key, list(node.get("properties", {})))
    cost = kind.wording.undecodable if kind.reading.strict else kind.wording.ignored
    detail = cost + (f"; did you mean {hint}?" if hint else "")
    return f.unknown_field(parent.member(key), detail)


def _version_findings(decoded: Decoded, version: Version, out: Findings) -> None:
    for path, added in newer(decoded, version):
        out.warn(path, f"ignored by Velero {describe(version)}; added in {describe(added)}")


def newer(decoded: Decoded, version: Version) -> list[tuple[f.FieldPath, Version]]:
    """The fields written that `version` does not have, outermost only, with the release adding each."""
    found: list[tuple[f.FieldPath, Version]] = []
    reported: set[f.FieldPath] = set()
    for written in decoded.written:
        added = Version.parse(written.added or "")
        if added is None or added <= version or written.path.within(reported):
            continue
        reported.add(written.path)
        found.append((written.path, added))
    return found


def _refused_versions(decoded: Decoded, kind: ConfigKind, version: Version, out: Findings) -> None:
    for path, added in newer(decoded, version):
        release = f"not a field in Velero {describe(version)} (added in {describe(added)})"
        detail = f"{release}: {kind.wording.undecodable}"
        out.error(f.unknown_field(path, detail, "newerField"))
