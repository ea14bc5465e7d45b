"""What every check writes: errors and warnings, up to caps past which they are only counted.

The engine runs on the server's only event loop, and each finding costs time (a hint, a message,
a sort). A hostile 1 MB config can hold 100,000 mistakes: 200,000 errors took 6 s and made a denial
of 23 MB. Past these caps the engine counts what is cheap to count, skips the walks that would
only find more, and ends the list with one finding that says so, as apimachinery's TooMany does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from webhook.engine.core.field import ROOT, ErrorType, FieldError, FieldPath, FieldWarning

MAX_ERRORS = 1000
MAX_WARNINGS = 1000


def more_errors(where: FieldPath, listed: int, more: int) -> FieldError:
    """The last error of a capped list: how many are listed and how many more were found (at least)."""
    detail = f"must have at most {MAX_ERRORS} errors: {listed} listed, at least {more} more not listed"
    return FieldError(ErrorType.TOO_MANY, where, detail, origin="tooManyErrors")


def more_warnings(more: int) -> FieldWarning:
    return FieldWarning(ROOT, f"at least {more} more warnings not listed")


@dataclass
class Findings:
    """Errors and warnings up to their caps; past a cap, only counted."""

    errors: list[FieldError] = field(default_factory=list)
    warnings: list[FieldWarning] = field(default_factory=list)
    error_limit: int = MAX_ERRORS
    more_errors: int = 0  # found past the cap and not kept
    more_warnings: int = 0

    @property
    def full(self) -> bool:
        """No room for another error: checks that walk long lists stop here."""
        return len(self.errors) >= self.error_limit

    @property
    def warnings_full(self) -> bool:
        return len(self.warnings) >= MAX_WARNINGS

    def error(self, err: FieldError) -> None:
        if self.full:
            self.more_errors += 1
        else:
            self.errors.append(err)

    def add_errors(self, errors: Iterable[FieldError]) -> None:
        """Takes errors until full; a lazy source (the schema's violations) is not walked further."""
        for err in errors:
            if self.full:
                self.more_errors += 1  # at least this one more; the rest is not looked at
                return
            self.errors.append(err)

    def warn(self, path: FieldPath, detail: str) -> None:
        self.add_warning(FieldWarning(path, detail))

    def add_warning(self, warning: FieldWarning) -> None:
        if self.warnings_full:
            self.more_warnings += 1
        else:
            self.warnings.append(warning)

    def counted(self, as_error: bool) -> bool:
        """Whether a finding of this kind falls past its cap: then it is only counted."""
        if as_error and self.full:
            self.more_errors += 1
        elif not as_error and self.warnings_full:
            self.more_warnings += 1
        else:
            return False
        return True

    def report(self, err: FieldError, as_error: bool) -> None:
        """An error, or (field validation Warn) the same words as a warning."""
        if as_error:
            self.error(err)
        else:
            self.add_warning(FieldWarning.of(err))
