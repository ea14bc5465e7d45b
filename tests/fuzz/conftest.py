from __future__ import annotations

from typing import Any

from tests.fuzz.tally import lines


def pytest_terminal_summary(terminalreporter: Any) -> None:
    found = lines()
    if found:
        terminalreporter.section("fuzzing figures")
        for line in found:
            terminalreporter.write_line(line)
