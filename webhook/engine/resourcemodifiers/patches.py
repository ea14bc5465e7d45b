"""JSON patches as Velero applies them at restore time (MOD4, MOD6, MOD7): JSONPatch.ToString writes
op, from and path into `{"op": "%s", ...}` without escaping, and `value` unquoted when addQuotes
says so (null, true/false in any case, a number ParseFloat takes, text starting with { or [);
evanphx/json-patch then decodes that text and takes only lower-case operations. What Validate
lets through fails on every object the rule matches, which is restored unpatched."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from webhook.engine.core import field as f
from webhook.engine.core import gojson
from webhook.engine.core.context import Context
from webhook.engine.core.findings import Findings
from webhook.engine.core.gonumbers import GoSyntaxError, parse_float
from webhook.engine.core.goyaml import Dialect, go_value, string_of
from webhook.engine.core.versions import Version, describe
from webhook.engine.resourcemodifiers.validate import OPERATIONS
from webhook.engine.resourcemodifiers.walk import conditions, items, rules

FAILS = "every object the rule matches fails to restore patched"
MISSING_IS_NO_MATCH = Version(1, 15, 0)  # matchConditions: jsonpatch.ErrMissing is a miss (1.14 failed)
_OCTAL = re.compile(r"[-+]?0[0-7_]+")


def add_quotes(value: str) -> tuple[bool, str]:
    """addQuotes: whether ToString quotes the value, and the text it writes."""
    if value == "":
        return True, value
    if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
        return True, value[1:-1]
    if value == "null" or value.lower() in ("true", "false") or value.startswith(("{", "[")):
        return False, value
    try:
        parse_float(value)
    except GoSyntaxError:
        return True, value
    return False, value


def check(ctx: Context, out: Findings) -> None:
    for path, rule in rules(ctx):
        if not any(rule.get(name) for name in ("patches", "mergePatches", "strategicPatches")):
            detail = (
                f"one of patches, mergePatches, strategicPatches: without it {FAILS} (no patch data found)"
            )
            out.error(f.required(path, detail, "noPatch"))
        for where, match in items(conditions(rule), "matches", path.child("conditions")):
            _match(ctx, match, where, out)
        for where, patch in items(rule, "patches", path):
            _patch(ctx, patch, where, out)


def _match(ctx: Context, match: Mapping[str, Any], path: f.FieldPath, out: Findings) -> None:
    """A match becomes a `test` operation of the same form."""
    target = match.get("path")
    if not target and not ctx.dropped(path.child("path")):
        out.error(
            f.required(
                path.child("path"), f"a JSON pointer: {FAILS} (path is required for match rule)", "matchPath"
            )
        )
    elif isinstance(target, str):
        _pointer(target, path.child("path"), "the test never passes: the rule never applies", out)
        _quoted_text(target, path.child("path"), out)
        if ctx.version < MISSING_IS_NO_MATCH:
            detail = f"Velero {describe(ctx.version)} fails every object without this path, not skips it"
            out.warn(path.child("path"), detail)
    _value(ctx, match.get("value"), path.child("value"), out)


def _patch(ctx: Context, patch: Mapping[str, Any], path: f.FieldPath, out: Findings) -> None:
    operation = patch.get("operation")
    if isinstance(operation, str) and operation.lower() in OPERATIONS and operation != operation.lower():
        detail = f"json-patch takes only lower-case operations: {FAILS} (unsupported operation)"
        out.error(f.invalid(path.child("operation"), operation, detail, "operationCase"))
    for name in ("operation", "from", "path"):
        if isinstance(patch.get(name), str):
            _quoted_text(patch[name], path.child(name), out)
    target, source = patch.get("path"), patch.get("from")
    if isinstance(target, str) and target:
        _pointer(target, path.child("path"), FAILS, out)
    if isinstance(operation, str) and operation.lower() in ("move", "copy"):
        if not source:
            verb = operation.lower()
            detail = f"the path to {verb} from: {FAILS} (unable to {verb} entire document)"
            out.error(f.required(path.child("from"), detail, "from"))
        elif isinstance(source, str):
            _pointer(source, path.child("from"), FAILS, out)
    _value(ctx, patch.get("value"), path.child("value"), out)


def _pointer(pointer: str, path: f.FieldPath, cost: str, out: Findings) -> None:
    if not pointer.startswith("/"):
        detail = f"a JSON pointer starts with /: json-patch drops the first segment, so {cost}"
        out.error(f.invalid(path, pointer, detail, "pointer"))


def _quoted_text(text: str, path: f.FieldPath, out: Findings) -> None:
    """Text Velero writes between quotes as it is: a quote, a backslash or a control character
    makes the patch something else, or no JSON at all (#7104)."""
    bad = next((c for c in text if c in '"\\' or c < " "), None)
    if bad is None:
        return
    shown = {'"': 'a "', "\\": "a \\"}.get(bad, "a control character")
    detail = (
        f"holds {shown}, which Velero writes into the JSON patch unescaped: {FAILS}, or it reads otherwise"
    )
    out.error(f.invalid(path, text, detail, "unescaped"))


def _value(ctx: Context, value: Any, path: f.FieldPath, out: Findings) -> None:
    if ctx.dropped(path):
        return
    misread = _misread(ctx, path)
    if misread:
        out.error(f.invalid(path, value if isinstance(value, str) else "", misread, "misread"))
        return
    if not isinstance(value, str):
        return
    quoted, text = add_quotes(value)
    if quoted:
        _quoted_text(text, path, out)
        return
    try:
        gojson.loads(text)
    except gojson.JSONSyntaxError as exc:
        detail = f"Velero writes it into the patch as it is, and it is not JSON ({exc.detail}): {FAILS}"
        out.error(f.invalid(path, value, detail, "valueJSON"))
        return
    _written_quoted(ctx, text, path, out)


def _misread(ctx: Context, path: f.FieldPath) -> str:
    """A plain YAML 1.1 scalar that sigs.k8s.io/yaml turns into other text than was meant (MOD6)."""
    node = ctx.source.node(path) if ctx.source is not None else None
    if node is None or node.kind != "scalar" or not node.plain or node.tag:
        return ""
    tag, go = go_value(node, Dialect.V2)
    written = node.value
    if go is None:
        return 'an unquoted null reads as no value: Velero writes "" into the patch; for null write "null"'
    if tag == "!!bool" and written.lower() not in ("true", "false"):
        return (
            f"YAML 1.1 reads {written} as {string_of(go)}: Velero writes a boolean; quote it for the string"
        )
    if tag == "!!float" and float(string_of(go)) != go:
        return f"read as {string_of(go)}: a number for a string is written at 32-bit precision; quote it"
    if tag == "!!int" and _OCTAL.fullmatch(written):
        return f"YAML 1.1 reads {written} as the octal {go}: quote it for the text"
    return ""


def _written_quoted(ctx: Context, text: str, path: f.FieldPath, out: Findings) -> None:
    """A quoted number, boolean or null still reaches the patch as one (MOD7)."""
    node = ctx.source.node(path) if ctx.source is not None else None
    if node is None or node.plain or text.startswith(("{", "[")):
        return
    kind = "null" if text == "null" else "a boolean" if text in ("true", "false") else "a number"
    out.warn(path, f"Velero writes it unquoted, as {kind}: write '\"{text}\"' for a string")
