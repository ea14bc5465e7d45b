"""One result per document, whatever the output format: the verdict, or why there is none.

Every renderer (text, json, junit, sarif) and the exit code read this one type.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

from webhook.cli.manifests import Document
from webhook.engine import ConfigKind, FieldError, FieldWarning, Verdict, VersionChoice

ALLOWED, DENIED, ERROR = 0, 1, 2  # exit codes: the worst result decides


class Outcome(Enum):
    ALLOWED = "allowed"
    DENIED = "denied"
    SKIPPED = "skipped"  # not a config of any kind: never changes the exit code
    ERROR = "error"  # could not be read, parsed or checked


@dataclass(frozen=True)
class Result:
    document: Document
    outcome: Outcome
    verdict: Verdict | None = None
    version: VersionChoice | None = None
    reason: str = ""  # why skipped, or what went wrong
    kind: ConfigKind | None = None  # the kind it was checked as

    @property
    def checked(self) -> bool:
        return self.verdict is not None

    @property
    def errors(self) -> Sequence[FieldError]:
        return self.verdict.errors if self.verdict is not None else ()

    @property
    def warnings(self) -> Sequence[FieldWarning]:
        """Every one (the webhook sends those within the apiserver's limits; the CLI lists them all)."""
        return self.verdict.warnings if self.verdict is not None else ()

    @property
    def warning_texts(self) -> list[str]:
        return [str(w) for w in self.warnings]

    def failed(self, warnings_as_errors: bool = False) -> bool:
        return self.outcome is Outcome.DENIED or (warnings_as_errors and bool(self.warnings))


def exit_code(results: Iterable[Result], warnings_as_errors: bool = False) -> int:
    results = list(results)
    if any(r.outcome is Outcome.ERROR for r in results):
        return ERROR
    return DENIED if any(r.failed(warnings_as_errors) for r in results) else ALLOWED
