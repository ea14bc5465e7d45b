"""`node-agent-webhook explain`: what a config does, as its kind explains it; for node-agent, the load
concurrency each node's node-agent will use, and why.

Takes what `validate` takes; one table per config. The nodes come from --nodes FILE, else from the
cluster (the kubeconfig found as kubectl finds it): without them a node-agent config has nothing to
explain.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from webhook.cli import options, runner
from webhook.cli.render import Style, json_list
from webhook.cli.render import text as text_out
from webhook.cli.results import Outcome, Result, exit_code
from webhook.engine import ClusterView, Effect


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "explain",
        help="per node: the concurrency node-agent will use, and why",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    options.add_all(parser, ("text", "json"))
    parser.set_defaults(func=run, parser=parser)


def run(args: argparse.Namespace) -> int:
    results, cluster = runner.results(args, needs_nodes=True)
    results = [_needs_nodes(r, cluster) for r in results]
    style = Style(args.quiet, args.warnings_as_errors, "explain")
    sys.stdout.write(render_json(results) if args.output == "json" else render_text(results, style))
    return exit_code(results, args.warnings_as_errors)


def _needs_nodes(result: Result, cluster: ClusterView) -> Result:
    """A kind whose checks read the nodes explains nothing without them: an error, not an empty table."""
    if result.verdict is None or result.kind is None or "nodes" not in result.kind.needs:
        return result
    if cluster.nodes is not None:
        return result
    why = cluster.unavailable or "the --nodes file lists no Node"
    return replace(result, outcome=Outcome.ERROR, verdict=None, reason=f"nodes unknown: {why}")


def table(effect: Effect) -> Iterator[str]:
    """Columns as wide as their widest cell; numbers to the right, text to the left."""
    rows = effect.rows()
    columns = effect.columns()
    widths = [max(len(c), *(len(str(r[i])) for r in rows)) for i, c in enumerate(columns)]
    yield "  ".join(f"{c:<{w}}" for c, w in zip(columns, widths, strict=True)).rstrip()
    for row in rows:
        cells = [
            f"{v:>{w}}" if isinstance(v, int) else f"{v!s:<{w}}" for v, w in zip(row, widths, strict=True)
        ]
        yield "  ".join(cells).rstrip()


def lines(result: Result) -> Iterator[str]:
    yield from text_out.lines(result)
    effect = result.verdict.effect if result.verdict is not None else None
    if effect is None:
        return
    if effect.rows():
        yield from table(effect)
    else:
        yield f"  {effect.empty()}"


def render_text(results: Sequence[Result], style: Style) -> str:
    return "".join(f"{line}\n" for r in results if text_out.shown(r, style) for line in lines(r))


def render_json(results: Sequence[Result]) -> str:
    """Each entry of `validate -o json`, with what the kind explains (node-agent: `nodes`)."""
    return json_list.dump([{**json_list.entry(r), **_explained(r)} for r in results])


def _explained(result: Result) -> dict[str, Any]:
    effect = result.verdict.effect if result.verdict is not None else None
    explained = effect.as_json() if effect is not None else {}
    return explained if isinstance(explained, dict) else {"effect": explained}
