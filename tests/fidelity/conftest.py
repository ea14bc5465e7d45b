"""Prints what the differential runs compared (issue 6 asks for the figures) in pytest's summary."""

from __future__ import annotations

from typing import Any

from tests.fidelity.judge import TALLIES


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TALLIES:
        return
    terminalreporter.section("Velero oracle: differential runs")
    for name, tally in TALLIES.items():
        terminalreporter.write_line(tally.summary(name))
