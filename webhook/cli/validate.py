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
from collections.abc import Callable, Sequence
from typing import Any

from webhook.cli import options, runner
from webhook.cli.render import Style
from webhook.cli.results import Result, exit_code

FORMATS = ("text", "json", "junit", "sarif")
Renderer = Callable[[Sequence[Result], Style], str]


def renderer(output: str) -> Renderer:
    """Imported when chosen: XML and SARIF cost a run that prints text a few milliseconds."""
    if output == "json":
        from webhook.cli.render import json_list

        return json_list.render
    if output == "junit":
        from webhook.cli.render import junit

        return junit.render
    if output == "sarif":
        from webhook.cli.render import sarif

        return sarif.render
    from webhook.cli.render import text

    return text.render


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "validate",
        help="check ConfigMaps or configs; exit 1 if any is denied",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options.add_all(parser, FORMATS)
    parser.set_defaults(func=run, parser=parser)


def run(args: argparse.Namespace) -> int:
    results, _ = runner.results(args)
    style = Style(args.quiet, args.warnings_as_errors, "validate")
    sys.stdout.write(renderer(args.output)(results, style))
    return exit_code(results, args.warnings_as_errors)
