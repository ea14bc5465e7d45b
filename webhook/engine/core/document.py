"""One config document (a data key's value, or a bare file) through a kind: findings and what Velero holds.

Order of work: Go's reading (the kind's Reading: syntax, and for YAML duplicate keys, aliases and
documents), decoding (type errors, unknown, duplicate and case-folded keys), the schema (values),
the kind's checks the schema cannot express, then the cluster. Findings accumulate; nothing raises
for user mistakes. Where the reader knows where a value was written (YAML), each finding about it
carries its line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from webhook.engine.core import field as f
from webhook.engine.core.cluster import ClusterView
from webhook.engine.core.context import Context
from webhook.engine.core.decode import Decoded, decode
from webhook.engine.core.findings import MAX_ERRORS, Findings, more_errors, more_warnings
from webhook.engine.core.keys import key_findings, newer
from webhook.engine.core.kind import ConfigKind, Document
from webhook.engine.core.reading import Read
from webhook.engine.core.schema_check import iter_small_maps, iter_violations, schema_errors
from webhook.engine.core.verdict import Options
from webhook.engine.core.versions import Version, describe


@dataclass(frozen=True, slots=True)
class Checked:
    """A document's findings (paths inside the document) and what Velero reads of it."""

    errors: list[f.FieldError]
    warnings: list[f.FieldWarning]
    document: Document


def check_document(
    text: str, kind: ConfigKind, cluster: ClusterView, options: Options, where: f.FieldPath, key: str | None
) -> Checked:
    """Findings about the whole document (a syntax error, a wrong top-level type) are at ROOT: the
    caller places them where the document sits; `where` and `key` only name it in the Document."""
    read = kind.reading.read(text, kind.schema)
    read_errors = [_read_cost(e, kind) for e in read.errors]
    if read.fatal:
        return Checked(read_errors, read.warnings, Document(where, key, None, True))
    decoded = decode(read.value, kind.schema, kind.reading.fold_case, kind.reading.strict)
    checked = _checked(decoded, kind, cluster, options, where, key, read, read_errors)
    return _located(checked, read) if read.source is not None else checked


def _read_cost(err: f.FieldError, kind: ConfigKind) -> f.FieldError:
    """A reader's error costs what a decode error costs; a syntax error (as for JSON) and a document
    it drops (which says what happens) are shown as they are."""
    if err.origin in ("syntax", "documents"):
        return err
    return replace(err, detail=f"{err.detail}: {kind.wording.undecodable}")


def _checked(
    decoded: Decoded,
    kind: ConfigKind,
    cluster: ClusterView,
    options: Options,
    where: f.FieldPath,
    key: str | None,
    read: Read,
    read_errors: list[f.FieldError],
) -> Checked:
    version = options.velero_version
    strict = kind.reading.strict
    unread = _unread(decoded, version)
    # a strict reader refuses a field it does not know: what is inside costs nothing more
    ahead = set() if strict else {id(e) for e in decoded.type_errors if e.path.within(unread)}
    out = Findings(more_errors=decoded.more_type_errors)
    out.add_errors(read_errors)
    for warning in read.warnings:
        out.add_warning(warning)
    out.add_errors(_costed(e, kind, version, id(e) in ahead) for e in decoded.type_errors)
    key_findings(decoded, kind, version, options.field_validation, out)
    config = decoded.doc if isinstance(decoded.doc, dict) else {}
    typed = frozenset(e.path for e in decoded.type_errors)
    if not out.full:  # jsonschema-rs builds every violation at once: 100,000 of them took 3 s
        violations = iter_violations if decoded.odd_maps else iter_small_maps
        found = schema_errors(decoded.doc, kind.schema, violations)
        out.add_errors(e for e in found if e.path not in typed)
    purposes = kind.purposes_of(options.purposes)
    ctx = Context(config, version, cluster, typed, key=key, purposes=purposes, source=read.source)
    _checks(kind, ctx, out, unread, strict)
    # a type error past the cap may be a fatal one: the reader is taken not to start
    fatal = any(id(e) not in ahead for e in decoded.type_errors) or decoded.more_type_errors > 0
    if strict:  # a strict reader stops on what it does not know, or reads twice
        fatal = fatal or bool(read_errors or decoded.unknown or newer(decoded, version))
    document = Document(where, key, None if fatal else config, fatal)
    return Checked(_capped(out), _capped_warnings(out), document)


def _located(checked: Checked, read: Read) -> Checked:
    """Each finding about a value the document wrote gets the line it was written on."""
    source = read.source
    assert source is not None

    def line_of(path: f.FieldPath, line: int | None) -> int | None:
        return line if line is not None or path == f.ROOT else source.line(path)

    errors = [replace(e, line=line_of(e.path, e.line)) for e in checked.errors]
    warnings = [replace(w, line=line_of(w.path, w.line)) for w in checked.warnings]
    return Checked(errors, warnings, checked.document)


def _costed(err: f.FieldError, kind: ConfigKind, version: Version, ahead: bool) -> f.FieldError:
    """A decoder type error with what it costs. In a field the target version does not read, Go
    skips the field (an unknown key) and decodes the rest, so it matters only once it is read."""
    cost = kind.wording.unread_until(describe(version)) if ahead else kind.wording.undecodable
    return replace(err, detail=f"{err.detail}: {cost}", origin="typeAhead" if ahead else err.origin)


def _checks(
    kind: ConfigKind, ctx: Context, out: Findings, unread: frozenset[f.FieldPath], refused: bool
) -> None:
    """Every check; their warnings about a field the target version does not read are dropped, as
    what they say about its effect is not true there (the version warning says it is ignored).
    Where the reader `refused` such a field (strict), their errors about it go too."""
    found = Findings(error_limit=max(0, out.error_limit - len(out.errors)))
    for check in kind.checks:
        check(ctx, found)
    _cluster_checks(kind, ctx, found)
    out.add_errors(e for e in found.errors if not (refused and e.path.within(unread)))
    out.more_errors += found.more_errors
    for w in found.warnings:
        if not w.path.within(unread):
            out.add_warning(w)
    out.more_warnings += found.more_warnings


def _unread(decoded: Decoded, version: Version) -> frozenset[f.FieldPath]:
    """The paths of fields written in the config that `version` does not read."""
    added = ((w.path, Version.parse(w.added or "")) for w in decoded.written)
    return frozenset(path for path, release in added if release is not None and release > version)


def _cluster_checks(kind: ConfigKind, ctx: Context, out: Findings) -> None:
    """Every part of the cluster that is known gets its checks; a warning names the unknown parts the
    kind's checks would have read (no word about the parts it has no use for)."""
    if not kind.cluster_checks:
        return
    unknown = ctx.cluster.unavailable_of(kind.needs)
    if unknown:
        out.warn(f.ROOT, f"cluster checks skipped: {unknown}")
    checkable = ctx.cluster.checkable()
    known = ctx if checkable is ctx.cluster else replace(ctx, cluster=checkable)  # the usual case: no copy
    for check in kind.cluster_checks:
        check(known, out)


def _capped(out: Findings) -> list[f.FieldError]:
    """The errors in order, and when some were only counted, one last error that says how many."""
    errors = sort_errors(out.errors)
    if not out.more_errors:
        return errors
    kept = errors[: MAX_ERRORS - 1]  # the last place is for the count
    return [*kept, more_errors(f.ROOT, len(kept), out.more_errors + len(errors) - len(kept))]


def _capped_warnings(out: Findings) -> list[f.FieldWarning]:
    return [*out.warnings, more_warnings(out.more_warnings)] if out.more_warnings else out.warnings


def sort_errors(errors: list[f.FieldError]) -> list[f.FieldError]:
    """Deterministic order, one error per (path, type, detail, value): several rules may see the same
    problem, but bad keys of one map share its path (apimachinery's ValidateLabels) and each counts."""
    unique = {(str(e.path), e.type.value, e.detail, e.shown_value, e.line or 0): e for e in errors}
    return [unique[k] for k in sorted(unique)]
