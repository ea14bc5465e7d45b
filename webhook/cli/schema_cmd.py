"""`node-agent-webhook schema`: print the JSON Schema of a config kind, for editors and other tools."""

from __future__ import annotations

import argparse
from typing import Any

from webhook.cli.options import config_kind
from webhook.engine import BY_NAME, DEFAULT_KIND


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("schema", help="print a config kind's JSON Schema", description=__doc__)
    parser.add_argument(
        "--kind",
        type=config_kind,
        default=DEFAULT_KIND,
        metavar="KIND",
        help=f"one of {', '.join(BY_NAME)} (default {DEFAULT_KIND.name})",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    print(args.kind.schema.text)
    return 0
