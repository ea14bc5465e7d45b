"""The output formats of `validate` and `explain`, each a function of the same list of results."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Style:
    quiet: bool = False  # text: only what fails the run
    warnings_as_errors: bool = False  # a warning fails the run, and is shown as failing
    command: str = "validate"
