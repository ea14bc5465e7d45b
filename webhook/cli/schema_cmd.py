"""`node-agent-webhook schema`: print the JSON Schema the engine uses, for editors and other tools."""

from __future__ import annotations

import argparse
from typing import Any

from webhook.engine import DEFAULT_KIND


def add_parser(sub: Any) -> None:
    parser = sub.add_parser("schema", help="print the node-agent config JSON Schema", description=__doc__)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    print(DEFAULT_KIND.schema.text)
    return 0
