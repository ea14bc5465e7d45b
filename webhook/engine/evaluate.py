"""The engine's entry points: a ConfigMap (or a bare config) in, a Verdict out. Pure: no I/O.

Order of work: the ConfigMap's shape (node-agent wants exactly one `data` key), Go's decoding (type
errors, unknown, duplicate and case-folded keys), the schema (values), the checks the schema cannot
express, then the cluster (nodes, classes). Findings accumulate; nothing raises for user mistakes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from webhook.engine import budget, concurrency, gojson
from webhook.engine import field as f
from webhook.engine.checks import CLUSTER_CHECKS, CONFIG_CHECKS, Context, Findings
from webhook.engine.cluster import NO_CLUSTER, ClusterView
from webhook.engine.decode import FATAL, Decoded, decode
from webhook.engine.keys import key_findings
from webhook.engine.schema_check import iter_small_maps, iter_violations, schema_errors
from webhook.engine.verdict import NodeConcurrency, Options, Verdict
from webhook.engine.versions import NEWEST, Version, describe

DATA = f.ROOT.child("data")
BARE = f.ROOT.child("<config>")  # names a bare config file in whole-document errors
DEFAULT_OPTIONS = Options()
EXITS_FROM = Version(1, 17, 0)  # before, node-agent ignored an undecodable config instead of exiting


def evaluate_configmap(
    cm: Mapping[str, Any], cluster: ClusterView = NO_CLUSTER, options: Options = DEFAULT_OPTIONS
) -> Verdict:
    version = options.velero_version or NEWEST
    cluster = _scoped(cluster, cm)
    data, out = cm.get("data") or {}, Findings()
    if cm.get("binaryData"):
        _binary_data(bool(data), out)
    elif not isinstance(data, Mapping) or not data:
        # `data: {}` does not survive the API server either: node-agent sees no data and stops
        out.error(f.required(DATA, "node-agent needs exactly one key holding the JSON config", "noData"))
    if not isinstance(data, Mapping) or not data:
        return Verdict(out.errors, out.warnings, version, _unreadable(version, cluster))
    if len(data) > 1:
        detail = "must have exactly one key: node-agent 1.18 and later exit, older ones read one at random"
        out.error(f.FieldError(f.ErrorType.TOO_MANY, DATA, detail, f.Literal(str(len(data))), "dataKeys"))
    verdicts, unchecked = _evaluate_keys(data, cluster, options)
    errors = out.errors + [e for v in verdicts for e in v.errors]
    warnings = out.warnings + [w for v in verdicts for w in v.warnings]
    if len(data) == 1:  # capped already
        return Verdict(errors, warnings, version, verdicts[0]._explain)
    return Verdict(_cut_errors(errors, unchecked), _cut_warnings(warnings), version, _no_nodes)


def _evaluate_keys(
    data: Mapping[str, Any], cluster: ClusterView, options: Options
) -> tuple[list[Verdict], int]:
    """Several keys, in order, until their errors reach the cap; and how many keys were left unread."""
    verdicts: list[Verdict] = []
    total = 0
    for n, (key, value) in enumerate(sorted(data.items())):
        if total >= budget.MAX_ERRORS:
            return verdicts, len(data) - n
        verdicts.append(_evaluate_key(str(key), value, cluster, options, prefix=len(data) > 1))
        total += len(verdicts[-1].errors)
    return verdicts, 0


def _cut_errors(errors: list[f.FieldError], unchecked: int) -> list[f.FieldError]:
    if len(errors) <= budget.MAX_ERRORS and not unchecked:
        return errors
    kept = errors[: budget.MAX_ERRORS - 1]
    detail = budget.more_errors_detail(len(kept), len(errors) - len(kept))
    detail += f"; {unchecked} more data keys not checked" if unchecked else ""
    return [*kept, f.FieldError(f.ErrorType.TOO_MANY, DATA, detail, origin="tooManyErrors")]


def _cut_warnings(warnings: list[str]) -> list[str]:
    if len(warnings) <= budget.MAX_WARNINGS:
        return warnings
    kept = warnings[: budget.MAX_WARNINGS]
    return [*kept, budget.more_warnings(len(warnings) - len(kept))]


def _scoped(cluster: ClusterView, cm: Mapping[str, Any]) -> ClusterView:
    """Only the node-agent DaemonSets of the ConfigMap's own namespace concern it."""
    namespace = (cm.get("metadata") or {}).get("namespace")
    if cluster.daemonsets is None or namespace is None:
        return cluster
    return replace(cluster, daemonsets=[ds for ds in cluster.daemonsets if ds.namespace == namespace])


def _binary_data(has_data: bool, out: Findings) -> None:
    if has_data:
        out.warn(f.ROOT.child("binaryData"), "never read by node-agent")
        return
    detail = (
        "node-agent reads only data; binaryData is never read "
        "(kubectl create configmap --from-file puts non-UTF-8 files there)"
    )
    out.error(f.required(DATA, detail, "noData"))


def _no_nodes() -> list[NodeConcurrency]:
    return []


def _evaluate_key(key: str, value: Any, cluster: ClusterView, options: Options, prefix: bool) -> Verdict:
    where = DATA.key(key)
    if not isinstance(value, str):
        err = f.invalid(where, value, "must be a string holding the JSON config", "dataType")
        return Verdict([err], [], options.velero_version or NEWEST)
    verdict = evaluate_config(value, cluster, options, where=where)
    if not prefix:
        return verdict
    errors = [replace(e, path=_rebase(where, e.path)) for e in verdict.errors]
    return replace(verdict, errors=errors, warnings=[f"{where}: {w}" for w in verdict.warnings])


def _rebase(prefix: f.FieldPath, path: f.FieldPath) -> f.FieldPath:
    if not path.parts or path.parts[0].startswith("[") or path == prefix:
        return (
            path
            if path.parts and path.parts[0].startswith("data")
            else f.FieldPath(prefix.parts + path.parts)
        )
    return f.FieldPath((*prefix.parts, "." + path.parts[0], *path.parts[1:]))


def evaluate_config(
    text: str,
    cluster: ClusterView = NO_CLUSTER,
    options: Options = DEFAULT_OPTIONS,
    where: f.FieldPath = BARE,
) -> Verdict:
    """One config document (the value of the data key); `where` names it in whole-document errors."""
    version = options.velero_version or NEWEST
    try:
        parsed = gojson.loads(text)
    except gojson.JSONSyntaxError as exc:
        detail = f"invalid JSON: {exc.detail}" + (f" ({exc.hint})" if exc.hint else "")
        error = f.FieldError(f.ErrorType.INVALID, where, detail, origin="syntax")
        return Verdict([error], [], version, _unreadable(version, cluster))
    decoded = decode(parsed)
    unread = _unread(decoded, version)
    ahead = {id(e) for e in decoded.type_errors if _about(f"{e.path}:", unread)}
    out = Findings(more_errors=decoded.more_type_errors)
    out.add_errors(replace(e, path=where) if e.path == f.ROOT else e for e in decoded.type_errors)
    key_findings(decoded, version, options.field_validation, out)
    config = decoded.doc if isinstance(decoded.doc, dict) else {}
    typed = {str(e.path) for e in decoded.type_errors}
    if not out.full:  # jsonschema-rs builds every violation at once: 100,000 of them took 3 s
        violations = iter_violations if decoded.odd_maps else iter_small_maps
        out.add_errors(e for e in schema_errors(decoded.doc, violations) if str(e.path) not in typed)
    ctx = Context(config, version, cluster, frozenset(typed))
    _checks(ctx, out, unread)
    out.errors = [_ahead(e, version) if id(e) in ahead else e for e in out.errors]
    # a type error past the cap may be a fatal one: node-agent is taken not to start
    fatal = [e for e in decoded.type_errors if id(e) not in ahead] or decoded.more_type_errors
    explain = _explainer(decoded, bool(fatal), version, cluster)
    return Verdict(_capped(out, where), _capped_warnings(out), version, explain)


def _ahead(err: f.FieldError, version: Version) -> f.FieldError:
    """A type error in a field the target version does not read: that node-agent skips the field (Go
    ignores unknown keys) and decodes the rest, so it is checked only for the releases that read it."""
    detail = err.detail.replace(
        FATAL, f"node-agent cannot decode it once it reads it ({describe(version)} does not)"
    )
    return replace(err, detail=detail, origin="typeAhead")


def _checks(ctx: Context, out: Findings, unread: frozenset[str]) -> None:
    """Every check; their warnings about a field the target version does not read are dropped, as
    what they say about its effect is not true there (the version warning says it is ignored)."""
    found = Findings(error_limit=max(0, out.error_limit - len(out.errors)))
    for check in CONFIG_CHECKS:
        check(ctx, found)
    _cluster_checks(ctx, found)
    out.add_errors(found.errors)
    out.more_errors += found.more_errors
    for w in found.warnings:
        if not _about(w, unread):
            out.add_warning(w)
    out.more_warnings += found.more_warnings


def _unread(decoded: Decoded, version: Version) -> frozenset[str]:
    """The paths of fields written in the config that `version` does not read."""
    added = ((str(w.path), Version.parse(w.added or "")) for w in decoded.written)
    return frozenset(path for path, release in added if release is not None and release > version)


def _about(finding: str, unread: frozenset[str]) -> bool:
    """Whether a finding ("path: ...") is about an unread field or something inside one: a set
    lookup per separator, as 20,000 unread fields made 60,000 prefixes to try on each finding."""
    return bool(unread) and any(finding[:i] in unread for i, c in enumerate(finding) if c in ":.[")


def _cluster_checks(ctx: Context, out: Findings) -> None:
    """Every part of the cluster that is known gets its checks; `unavailable` names the others."""
    if ctx.cluster.unavailable:
        out.warn(f.ROOT, f"cluster checks skipped: {ctx.cluster.unavailable}")
    checkable = ctx.cluster.checkable()
    known = ctx if checkable is ctx.cluster else replace(ctx, cluster=checkable)  # the usual case: no copy
    for check in CLUSTER_CHECKS:
        check(known, out)


def _capped(out: Findings, where: f.FieldPath) -> list[f.FieldError]:
    """The errors in order, and when some were only counted, one last error that says how many."""
    errors = _sorted(out.errors)
    if not out.more_errors:
        return errors
    kept = errors[: budget.MAX_ERRORS - 1]  # the last place is for the count
    detail = budget.more_errors_detail(len(kept), out.more_errors + len(errors) - len(kept))
    return [*kept, f.FieldError(f.ErrorType.TOO_MANY, where, detail, origin="tooManyErrors")]


def _capped_warnings(out: Findings) -> list[str]:
    return [*out.warnings, budget.more_warnings(out.more_warnings)] if out.more_warnings else out.warnings


def _sorted(errors: list[f.FieldError]) -> list[f.FieldError]:
    """Deterministic order, one error per (path, type, detail, value): several rules may see the same
    problem, but bad keys of one map share its path (apimachinery's ValidateLabels) and each counts."""
    unique = {(str(e.path), e.type.value, e.detail, _shown(e)): e for e in errors}
    return [unique[k] for k in sorted(unique)]


def _shown(err: f.FieldError) -> str:
    return f.render_value(err.value) if err.has_value else ""


def _explainer(decoded: Decoded, fatal: bool, version: Version, cluster: ClusterView) -> Any:
    nodes = cluster.nodes
    if fatal or nodes is None:
        return _unreadable(version, cluster)
    return lambda: concurrency.explain(decoded.doc, nodes)


def _unreadable(version: Version, cluster: ClusterView) -> Any:
    """A config node-agent cannot read (no data, not JSON, a type error): 1.17 and later do not
    start, older ones run with the defaults, one load per node."""
    nodes = cluster.nodes
    if nodes is None or version >= EXITS_FROM:
        return _no_nodes
    return lambda: concurrency.explain(None, nodes)


__all__ = ["describe", "evaluate_config", "evaluate_configmap"]
