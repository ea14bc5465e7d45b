"""For people: one line per document (its verdict and the Velero it was checked against, or why it
was skipped or could not be read), then each error and warning indented under it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from webhook.cli.render import Style
from webhook.cli.results import Outcome, Result
from webhook.engine import VersionChoice, VersionSource, describe


def version_text(choice: VersionChoice) -> str:
    version = f"Velero {describe(choice.version)}"
    if choice.source is VersionSource.CONFIGURED:
        return f"{version}, --velero-version"
    if choice.workload is not None:
        return f"{version}, from {choice.workload.ref} in {choice.workload.namespace}"
    return f"{version}, the newest release this tool knows"


def head(result: Result) -> str:
    label = result.document.label
    if result.version is None:
        return f"{label}: {result.outcome.value}: {result.reason}"
    kind = f"{result.kind.title}, " if result.kind is not None else ""
    return f"{label}: {result.outcome.value} ({kind}{version_text(result.version)})"


def lines(result: Result) -> Iterator[str]:
    yield head(result)
    yield from (f"  error: {err}" for err in result.errors)
    yield from (f"  warning: {warning}" for warning in result.warnings)


def shown(result: Result, style: Style) -> bool:
    """--quiet keeps what fails the run: denials (warnings too, with --warnings-as-errors) and errors."""
    return not style.quiet or result.outcome is Outcome.ERROR or result.failed(style.warnings_as_errors)


def render(results: Sequence[Result], style: Style) -> str:
    return "".join(f"{line}\n" for r in results if shown(r, style) for line in lines(r))
