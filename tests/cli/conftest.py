"""Running the CLI in the test's process, as a user would from a shell: argv, stdin, stdout, stderr,
exit code. Usage errors exit through argparse (SystemExit 2): they are results here too."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from webhook.cli.main import main

CASES = Path(__file__).parent / "cases"
REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    def by_name(self) -> dict[str | None, dict[str, Any]]:
        """validate -o json, one entry per name (files here hold each name once)."""
        return {entry["name"]: entry for entry in self.json()}


Cli = Callable[..., Ran]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    def run(*argv: str | Path, stdin: str = "") -> Ran:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        try:
            code = main([str(a) for a in argv])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
        out, err = capsys.readouterr()
        return Ran(code, out, err)

    return run


def case(name: str) -> Path:
    return CASES / name
