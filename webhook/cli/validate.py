"""`node-agent-webhook validate`: the webhook's verdict, offline, for CI pipelines and pre-commit.

The ConfigMaps checked are those the webhook would check: the names given with --configmap-name
(default node-agent-config) and those the node-agent DaemonSets read; every other object is reported
as skipped. A bare config file given by name is always checked. Exit 0 when nothing is denied, 1
when anything is (or warned about, with --warnings-as-errors), 2 when an input or the cluster asked
for could not be read: the worst of all inputs, each of which gets its result.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from webhook.cli import options, runner
from webhook.cli.render import Style, json_list, junit, sarif, text
from webhook.cli.results import exit_code

FORMATS = {"text": text.render, "json": json_list.render, "junit": junit.render, "sarif": sarif.render}


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "validate",
        help="check ConfigMaps or configs; exit 1 if any is denied",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options.add_all(parser, tuple(FORMATS))
    parser.set_defaults(func=run, parser=parser)


def run(args: argparse.Namespace) -> int:
    results, _ = runner.results(args)
    style = Style(args.quiet, args.warnings_as_errors, "validate")
    sys.stdout.write(FORMATS[args.output](results, style))
    return exit_code(results, args.warnings_as_errors)
