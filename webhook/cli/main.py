"""`node-agent-webhook`: one parser, one subcommand per module, each registering itself.

The subcommands are imported here by name, so that import-linter sees every edge; each keeps its
heavy imports (FastAPI, uvicorn, the kubernetes client, cryptography) inside the functions that run
it, so that `validate`, `explain` and `--help` start without them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from webhook.cli import certs, explain, schema_cmd, serve, validate
from webhook.cli.version import VersionAction

SUBCOMMANDS = (validate, explain, schema_cmd, serve, certs)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="node-agent-webhook",
        description="Validate Velero's ConfigMaps (node-agent and the other configs Velero reads): "
        "offline, against a cluster, or as a webhook.",
    )
    parser.add_argument("--version", action=VersionAction)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in SUBCOMMANDS:
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
