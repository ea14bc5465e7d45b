"""`node-agent-webhook`: one parser, one subcommand per module, each registering itself."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

SUBCOMMANDS = ("validate", "explain", "schema", "serve", "certs")
USAGE_ERROR = 2


def _modules() -> list[ModuleType]:
    found = []
    for name in SUBCOMMANDS:
        try:
            found.append(
                importlib.import_module(
                    f"webhook.cli.{name}_cmd" if name == "schema" else f"webhook.cli.{name}"
                )
            )
        except ModuleNotFoundError as exc:
            if exc.name != f"webhook.cli.{name}":
                raise
    return found


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="node-agent-webhook",
        description="Validate Velero node-agent ConfigMaps: offline, against a cluster, or as a webhook.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _modules():
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
